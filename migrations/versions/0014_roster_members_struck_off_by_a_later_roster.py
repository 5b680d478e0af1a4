"""roster members struck off by a later roster

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "struckmember",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("member_import_id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("village", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("group_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("recognised_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["importrecord.id"]),
        sa.ForeignKeyConstraint(["member_import_id"], ["importrecord.id"]),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("campaign_id", "import_id", "member_import_id"):
        op.create_index(f"ix_struckmember_{column}", "struckmember", [column], unique=False)


def downgrade() -> None:
    op.drop_table("struckmember")
