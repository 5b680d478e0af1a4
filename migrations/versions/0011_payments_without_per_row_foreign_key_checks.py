"""payments without per-row foreign key checks: the import is their only writer

PostgreSQL checks a foreign key with a trigger per inserted row: of the 35 s COPY of Dongming's
713 138 payments, 17 s were the checks of campaign_id, import_id and township_id, each looking
up and locking the same few rows again. The import writes these three from rows it reads or
creates in its own transaction, and no campaign, township or import record is ever deleted, so
the keys are dropped; their indexes stay (tests/test_importing.py checks that every payment's
campaign, township and import exist after imports and undos).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERENCES = {"campaign_id": "campaign", "import_id": "importrecord", "township_id": "township"}
# 0001's keys are unnamed: PostgreSQL names them payment_<column>_fkey; SQLite's table copy
# names them by this convention
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _name(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"payment_{column}_fkey"
    return f"fk_payment_{column}_{REFERENCES[column]}"


def upgrade() -> None:
    with op.batch_alter_table("payment", naming_convention=NAMING) as batch_op:
        for column in REFERENCES:
            batch_op.drop_constraint(_name(column), type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("payment", naming_convention=NAMING) as batch_op:
        for column, table in REFERENCES.items():
            batch_op.create_foreign_key(_name(column), table, [column], ["id"])
