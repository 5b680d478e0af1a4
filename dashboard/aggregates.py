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
# An import only adds rows, so the payment aggregate takes its payments' counts (:added, the
# import's id) instead of being regrouped: 0.3 s for 100 000 new rows on top of 713 138, where
# the whole campaign's GROUP BY takes 2 s. Undo rebuilds, as every other aggregate does.
ADD_PAYMENTS = """
    INSERT INTO paymentdaily (campaign_id, township_id, village, paid_on, simulated, persons)
    SELECT campaign_id, township_id, village, paid_on, simulated, COUNT(*)
    FROM payment WHERE campaign_id = :campaign AND import_id = :added
    GROUP BY campaign_id, township_id, village, paid_on, simulated
    ON CONFLICT (campaign_id, township_id, village, paid_on, simulated)
    DO UPDATE SET persons = paymentdaily.persons + excluded.persons
    """


def refresh(
    session: Session,
    campaign_id: int,
    kinds: AbstractSet[str] = PERSON_KINDS,
    *,
    added: int | None = None,
) -> None:
    """Bring the campaign's aggregates made from the ``kinds`` of rows that changed
    ("payments", "roster"; both by default) up to date with its payments and roster members
    (no commit): rebuilt, except that the payments ``added`` by one import (its id) are added
    to the payment aggregate."""
    dialect = session.get_bind().dialect.name
    parameters = {"campaign": campaign_id, "added": added}
    session.execute(text(COPY_PAYMENT_DATES.format(distinct=DISTINCT[dialect])), parameters)
    for table, (sources, insert) in REBUILDS.items():
        if not sources & kinds:
            continue
        if table == "paymentdaily" and added is not None:
            session.execute(text(ADD_PAYMENTS), parameters)
            continue
        session.execute(text(f"DELETE FROM {table} WHERE campaign_id = :campaign"), parameters)
        session.execute(text(insert), parameters)
