"""scenarios applied as official quotas, in order among quota imports

Each application gets a row of its own (who, when, the quotas before and after, undone or
not), so that undoing a quota-table import cannot jump the quotas back past a scenario applied
after it, and an application can itself be undone. Applications already in the audit log are
copied in when the county's latest campaign is the one they changed (no campaign opened for
that county since); older ones stay in the audit log only.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 05:12:09
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "quotachange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("scenario", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("applied_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("before", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("after", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("undone_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_quotachange_campaign_id", "quotachange", ["campaign_id"], unique=False)
    assert table is not None
    op.bulk_insert(table, _applied_so_far(op.get_bind()))


def _applied_so_far(connection: sa.Connection) -> list[dict[str, object]]:
    latest = dict(
        connection.execute(
            sa.text(
                "SELECT county.code, campaign.id FROM campaign JOIN county"
                " ON county.id = campaign.county_id ORDER BY campaign.benefit_year"
            )
        ).all()
    )
    auditlog = sa.table(
        "auditlog",
        *(sa.column(name) for name in ("action", "username", "county_code", "target")),
        sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column("before"),
        sa.column("after"),
    )
    c = auditlog.c
    audit = connection.execute(
        sa.select(c.action, c.at, c.username, c.county_code, c.target, c.before, c.after)
        .where(c.action.in_(["scenario_applied", "campaign_opened"]))
        .order_by(c.at.desc())
    ).all()
    rows, opened_since = [], set()
    for action, at, user, county, target, before, after in audit:
        if action == "campaign_opened":
            opened_since.add(county)
        elif county in latest and county not in opened_since:
            name = re.fullmatch("方案“(.*)”", target)
            rows.append(
                {
                    "campaign_id": latest[county],
                    "scenario": (name[1] if name else target)[:60],
                    "applied_at": at,
                    "applied_by": user[:40],
                    "before": before,
                    "after": after,
                    "undone_by": "",
                }
            )
    return rows[::-1]


def downgrade() -> None:
    op.drop_index("ix_quotachange_campaign_id", table_name="quotachange")
    op.drop_table("quotachange")
