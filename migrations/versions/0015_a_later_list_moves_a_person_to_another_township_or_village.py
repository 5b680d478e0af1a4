"""a later list moves a stored payment or roster member to another township or village

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # no foreign keys, as payment has none since 0011: the import is the only writer
    op.create_table(
        "placechange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("township_before", sa.Integer(), nullable=False),
        sa.Column("village_before", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("township_after", sa.Integer(), nullable=False),
        sa.Column("village_after", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_placechange_campaign_id", "placechange", ["campaign_id"], unique=False)
    op.create_index("ix_placechange_row_id", "placechange", ["row_id"], unique=False)
    op.create_index(
        "uq_placechange_import_row", "placechange", ["import_id", "row_id"], unique=True
    )
    # a member struck off gets its id back when put back, so that its moves still find it
    with op.batch_alter_table("struckmember", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("struckmember", schema=None) as batch_op:
        batch_op.drop_column("member_id")
    op.drop_table("placechange")
