"""Aggregates of person-level rows, recomputed in the database (one GROUP BY each) inside the
transaction of every import or undo that touches payments or rosters."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

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
# Each aggregate of one campaign (:campaign): how it is cleared and rebuilt, and which kinds of
# person-level rows it is made from (a roster import leaves the payment aggregate as it was;
# the group aggregate follows payments too, through the members' copied payment dates).
REBUILDS = {
    "paymentdaily": (
        {"payments"},
        """
        INSERT INTO paymentdaily (campaign_id, township_id, village, paid_on, simulated, persons)
        SELECT campaign_id, township_id, village, paid_on, simulated, COUNT(*)
        FROM payment WHERE campaign_id = :campaign
        GROUP BY campaign_id, township_id, village, paid_on, simulated
        """,
    ),
    "groupdaily": (
        {"payments", "roster"},
        """
        INSERT INTO groupdaily (campaign_id, township_id, group_code, paid_on, simulated, persons)
        SELECT campaign_id, township_id, group_code, paid_on, simulated, COUNT(DISTINCT id_number)
        FROM rostermember
        WHERE campaign_id = :campaign AND paid_on IS NOT NULL
        GROUP BY campaign_id, township_id, group_code, paid_on, simulated
        """,
    ),
    "grouproster": (
        {"roster"},
        """
        INSERT INTO grouproster (campaign_id, township_id, group_code, simulated, members)
        SELECT campaign_id, township_id, group_code, simulated, COUNT(DISTINCT id_number)
        FROM rostermember WHERE campaign_id = :campaign
        GROUP BY campaign_id, township_id, group_code, simulated
        """,
    ),
}
PERSON_KINDS = frozenset({"payments", "roster"})


def refresh(session: Session, campaign_id: int, kinds: AbstractSet[str] = PERSON_KINDS) -> None:
    """Rebuild the campaign's aggregates made from the ``kinds`` of rows that changed
    ("payments", "roster"; both by default) from its payments and roster members (no commit)."""
    dialect = session.get_bind().dialect.name
    parameters = {"campaign": campaign_id}
    session.execute(text(COPY_PAYMENT_DATES.format(distinct=DISTINCT[dialect])), parameters)
    for table, (sources, insert) in REBUILDS.items():
        if sources & kinds:
            session.execute(text(f"DELETE FROM {table} WHERE campaign_id = :campaign"), parameters)
            session.execute(text(insert), parameters)
