"""Aggregates of person-level rows, recomputed in the database (one GROUP BY each) inside the
transaction of every import or undo that touches payments or rosters."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

PAYMENT_DATE = """(
        SELECT p.paid_on FROM payment p
        WHERE p.campaign_id = rostermember.campaign_id AND p.id_number = rostermember.id_number
    )"""
# Each roster member's payment date; only the rows whose date changes are written (a small
# import must not rewrite a county's whole roster). {distinct} is the dialect's null-safe "!=".
COPY_PAYMENT_DATES = f"""
    UPDATE rostermember SET paid_on = {PAYMENT_DATE}
    WHERE campaign_id = :campaign AND paid_on {{distinct}} {PAYMENT_DATE}
    """
DISTINCT = {"postgresql": "IS DISTINCT FROM", "sqlite": "IS NOT"}
# Each statement clears and rebuilds one aggregate of one campaign (:campaign).
REFRESH = [
    "DELETE FROM paymentdaily WHERE campaign_id = :campaign",
    """
    INSERT INTO paymentdaily (campaign_id, township_id, village, paid_on, simulated, persons)
    SELECT campaign_id, township_id, village, paid_on, simulated, COUNT(*)
    FROM payment WHERE campaign_id = :campaign
    GROUP BY campaign_id, township_id, village, paid_on, simulated
    """,
    "DELETE FROM groupdaily WHERE campaign_id = :campaign",
    """
    INSERT INTO groupdaily (campaign_id, township_id, group_code, paid_on, simulated, persons)
    SELECT campaign_id, township_id, group_code, paid_on, simulated, COUNT(DISTINCT id_number)
    FROM rostermember
    WHERE campaign_id = :campaign AND paid_on IS NOT NULL
    GROUP BY campaign_id, township_id, group_code, paid_on, simulated
    """,
    "DELETE FROM grouproster WHERE campaign_id = :campaign",
    """
    INSERT INTO grouproster (campaign_id, township_id, group_code, simulated, members)
    SELECT campaign_id, township_id, group_code, simulated, COUNT(DISTINCT id_number)
    FROM rostermember WHERE campaign_id = :campaign
    GROUP BY campaign_id, township_id, group_code, simulated
    """,
]


def refresh(session: Session, campaign_id: int) -> None:
    """Rebuild the campaign's aggregates from its payments and roster members (no commit)."""
    dialect = session.get_bind().dialect.name
    session.execute(
        text(COPY_PAYMENT_DATES.format(distinct=DISTINCT[dialect])), {"campaign": campaign_id}
    )
    for statement in REFRESH:
        session.execute(text(statement), {"campaign": campaign_id})
