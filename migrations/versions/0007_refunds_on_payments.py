"""refunds on payments

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:51:44.283319
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_payment_refund_import_id_importrecord"
PAID_BACK = "refund_import_id IS NOT NULL"  # only the few payments paid back are indexed


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refunded_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("refund_import_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_payment_refund_import_id",
            ["refund_import_id"],
            unique=False,
            sqlite_where=sa.text(PAID_BACK),
            postgresql_where=sa.text(PAID_BACK),
        )
        batch_op.create_foreign_key(FOREIGN_KEY, "importrecord", ["refund_import_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_index("ix_payment_refund_import_id")
        batch_op.drop_column("refund_import_id")
        batch_op.drop_column("refunded_on")
