"""a second payment stands in place of the payment that stood when a refund pays that one back

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("repeatpayment") as table:  # SQLite adds a foreign key by copy
        table.add_column(sa.Column("promoted_import_id", sa.Integer(), nullable=True))
        table.create_foreign_key(
            "fk_repeatpayment_promoted_import_id", "importrecord", ["promoted_import_id"], ["id"]
        )
        table.create_index(op.f("ix_repeatpayment_promoted_import_id"), ["promoted_import_id"])


def downgrade() -> None:
    with op.batch_alter_table("repeatpayment") as table:
        table.drop_index(op.f("ix_repeatpayment_promoted_import_id"))
        table.drop_constraint("fk_repeatpayment_promoted_import_id", type_="foreignkey")
        table.drop_column("promoted_import_id")
