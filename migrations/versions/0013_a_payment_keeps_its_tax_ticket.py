"""a payment keeps its tax ticket (电子税票号码)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("payment", "repeatpayment")


def upgrade() -> None:
    # payments stored before it have no ticket: they are told apart by day and amount
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "voucher",
                    sqlmodel.sql.sqltypes.AutoString(length=60),
                    nullable=False,
                    server_default="",
                )
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("voucher")
