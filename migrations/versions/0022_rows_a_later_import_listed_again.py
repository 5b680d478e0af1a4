"""rows a later import listed again, stored already by an earlier one (held rows)

An import undone deleted its rows even where a later file, still imported, listed them again
(they were stored already, so nothing of them was written). Each import now records how many
rows of each earlier import it listed again, and the earlier one is undone only after it.
Imports made before this revision recorded nothing: their overlaps are not known.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "heldrows",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("earlier_import_id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["earlier_import_id"], ["importrecord.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["importrecord.id"]),
        sa.PrimaryKeyConstraint("import_id", "earlier_import_id"),
    )
    op.create_index(
        "ix_heldrows_earlier_import_id", "heldrows", ["earlier_import_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_heldrows_earlier_import_id", table_name="heldrows")
    op.drop_table("heldrows")
