"""a person paid back may pay again: one standing payment per person, any paid back beside it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STANDING = "refund_import_id IS NULL"
# The unnamed UNIQUE (campaign_id, id_number) of 0001: PostgreSQL's own name for it, and the
# name SQLite's table copy gives it under this naming convention.
POSTGRES_NAME = "payment_campaign_id_id_number_key"
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
SQLITE_NAME = "uq_payment_campaign_id"


def _unique_name() -> str:
    return POSTGRES_NAME if op.get_bind().dialect.name == "postgresql" else SQLITE_NAME


def upgrade() -> None:
    with op.batch_alter_table("payment", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(_unique_name(), type_="unique")
        batch_op.create_index(
            "uq_payment_standing",
            ["campaign_id", "id_number"],
            unique=True,
            sqlite_where=sa.text(STANDING),
            postgresql_where=sa.text(STANDING),
        )


def downgrade() -> None:
    with op.batch_alter_table("payment", naming_convention=NAMING) as batch_op:
        batch_op.drop_index("uq_payment_standing")
        batch_op.create_unique_constraint(_unique_name(), ["campaign_id", "id_number"])
