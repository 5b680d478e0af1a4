"""part of a payment paid back (a partial refund: 退还多缴)

A refund row for less than the payment that stands (a subsidised person who paid the full
contribution, paid back the difference) was refused as matching no payment. It is now recorded
against that payment: the person stays enrolled, and what they paid is the payment less it.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partialrefund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("refunded_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["importrecord.id"]),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_partialrefund_import_id", "partialrefund", ["import_id"], unique=False)
    op.create_index("ix_partialrefund_payment_id", "partialrefund", ["payment_id"], unique=False)
    op.create_index(
        "ix_partialrefund_person", "partialrefund", ["campaign_id", "id_number"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_partialrefund_person", table_name="partialrefund")
    op.drop_index("ix_partialrefund_payment_id", table_name="partialrefund")
    op.drop_index("ix_partialrefund_import_id", table_name="partialrefund")
    op.drop_table("partialrefund")
