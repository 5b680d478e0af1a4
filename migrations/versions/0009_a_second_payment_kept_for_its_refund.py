"""a second payment of someone whose payment stands, kept for the refund that follows it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "repeatpayment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("refunded_on", sa.Date(), nullable=True),
        sa.Column("refund_import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["importrecord.id"]),
        sa.ForeignKeyConstraint(["refund_import_id"], ["importrecord.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_repeatpayment_person", "repeatpayment", ["campaign_id", "id_number"])
    op.create_index(op.f("ix_repeatpayment_import_id"), "repeatpayment", ["import_id"])
    op.create_index(
        op.f("ix_repeatpayment_refund_import_id"), "repeatpayment", ["refund_import_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_repeatpayment_refund_import_id"), table_name="repeatpayment")
    op.drop_index(op.f("ix_repeatpayment_import_id"), table_name="repeatpayment")
    op.drop_index("ix_repeatpayment_person", table_name="repeatpayment")
    op.drop_table("repeatpayment")
