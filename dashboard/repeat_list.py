"""The second payments (重复缴费) to be paid back: who paid twice, where they are enrolled,
and whether the refund was made by a given day.

A person counts once (the payment that stands, dashboard.repeats); a second payment is kept
for its refund. Township staff need the list of whom to pay back, the county the amounts
per township. The list is read from the database on request (second payments are few: a
join of them with the payments that stand, through the partial unique index); the figures
as of a day are plain functions of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Select, and_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from dashboard.glossary import AMOUNT, ID_NUMBER, NAME, PAID_ON, TOWNSHIP, VILLAGE, VOUCHER
from dashboard.lookup import same_person
from dashboard.store import campaign_of
from data_models.tables import PAYMENT_STANDS, Payment, PaymentDaily, RepeatPayment, Township

STOOD_ON = "stood_on"  # the day of the payment that stands (the person enrolled from it)
STOOD_AMOUNT = "stood_amount"  # its amount, fen
REFUNDED_ON = "refunded_on"  # the day the second payment was paid back; None while it is not
SECOND_COLUMNS = [
    TOWNSHIP,
    VILLAGE,
    NAME,
    ID_NUMBER,
    STOOD_ON,
    STOOD_AMOUNT,
    PAID_ON,
    AMOUNT,
    VOUCHER,  # the second payment's tax ticket: what its refund is asked for by; '' if unknown
    REFUNDED_ON,
]
# A second payment that stands in place of one paid back (promoted) is the person's payment
# now, not one to pay back: it is not listed.
_LISTED = col(RepeatPayment.promoted_import_id).is_(None)


def second_payment_list(
    engine: Engine, code: str, township: str | None = None, *, year: int | None = None
) -> pd.DataFrame:
    """The campaign's second payments, each with the person's township, village, name and the
    payment that stands (SECOND_COLUMNS; amounts in fen), in township (quota-table), village,
    ID number and day order.

    A person none of whose payments stands any more (both paid back) is placed by the last
    payment paid back. ``township`` limits the list to one township; ``year`` picks the
    campaign (None: the latest)."""
    names = ["second", *SECOND_COLUMNS, "position"]
    with Session(engine) as session:
        campaign_id = campaign_of(session, code, year=year).id
        connection = session.connection()
        rows = list(connection.execute(_joined(campaign_id, PAYMENT_STANDS)))
        listed = connection.execute(
            sa_select(col(RepeatPayment.id)).where(
                col(RepeatPayment.campaign_id) == campaign_id, _LISTED
            )
        ).all()
        if len(listed) > len(rows):
            # the few whose payment no longer stands, by their last payment paid back (this
            # reads the campaign's payments: only when there are such people)
            placed = {row[0] for row in rows}
            paid_back = _joined(campaign_id, col(Payment.refund_import_id).is_not(None))
            later = connection.execute(paid_back.order_by(col(Payment.id).desc())).all()
            rows += [row for row in later if row[0] not in placed]
    frame = pd.DataFrame([tuple(row) for row in rows], columns=names)
    frame = select_seconds(frame.drop_duplicates("second"), township=township)
    frame = frame.sort_values(["position", VILLAGE, ID_NUMBER, PAID_ON], kind="stable")
    return frame[SECOND_COLUMNS].reset_index(drop=True)


def has_payment_lists(
    engine: Engine, code: str, township: str | None = None, *, year: int | None = None
) -> bool:
    """Whether a payment list was imported into the campaign (with rows of ``township``, if
    given): second payments are found in payment lists only."""
    with Session(engine) as session:
        campaign_id = campaign_of(session, code, year=year).id
        statement = (
            sa_select(col(PaymentDaily.id))
            .join(Township, col(PaymentDaily.township_id) == col(Township.id))
            .where(
                col(PaymentDaily.campaign_id) == campaign_id,
                col(PaymentDaily.simulated).is_(False),
            )
        )
        if township is not None:
            statement = statement.where(col(Township.name) == township)
        return session.connection().execute(statement.limit(1)).first() is not None


def _joined(campaign_id: int | None, payment: ColumnElement[bool]) -> Select:
    """Second payments of the campaign joined with the person's payments that match
    ``payment`` (standing, or paid back) and their township."""
    return (
        sa_select(
            col(RepeatPayment.id),
            col(Township.name),
            col(Payment.village),
            col(Payment.name),
            col(RepeatPayment.id_number),
            col(Payment.paid_on),
            col(Payment.amount_fen),
            col(RepeatPayment.paid_on),
            col(RepeatPayment.amount_fen),
            col(RepeatPayment.voucher),
            col(RepeatPayment.refunded_on),
            col(Township.position),
        )
        .select_from(RepeatPayment)
        .join(Payment, and_(same_person(Payment, RepeatPayment), payment))
        .join(Township, col(Payment.township_id) == col(Township.id))
        .where(col(RepeatPayment.campaign_id) == campaign_id, _LISTED)
    )


@dataclass(frozen=True)
class Refunds:
    """Second payments as of a day: how many people and payments, how much, and of it how
    much is still to be paid back and how much was (amounts in fen)."""

    persons: int
    payments: int
    amount: int
    waiting: int
    waiting_amount: int
    refunded: int
    refunded_amount: int


def second_payments_on(seconds: pd.DataFrame, day: date) -> pd.DataFrame:
    """The second payments (second_payment_list) as they stood on ``day``: those paid by then,
    a refund made after it not yet made."""
    known = seconds[seconds[PAID_ON] <= day].copy()
    later = known[REFUNDED_ON].map(lambda d: pd.notna(d) and d > day).astype(bool)
    known.loc[later, REFUNDED_ON] = None
    return known


def select_seconds(
    seconds: pd.DataFrame, *, township: str | None = None, refunded: bool | None = None
) -> pd.DataFrame:
    """The second payments of one township (None: all), paid back or not (None: either)."""
    chosen = pd.Series(True, index=seconds.index)
    if township is not None:
        chosen &= seconds[TOWNSHIP] == township
    if refunded is not None:
        chosen &= seconds[REFUNDED_ON].notna() == refunded
    return seconds[chosen]


def refund_totals(seconds: pd.DataFrame) -> Refunds:
    """The totals of second payments (as of a day: second_payments_on)."""
    waiting = seconds[REFUNDED_ON].isna()
    return Refunds(
        persons=int(seconds[ID_NUMBER].nunique()),
        payments=len(seconds),
        amount=int(seconds[AMOUNT].sum()),
        waiting=int(waiting.sum()),
        waiting_amount=int(seconds.loc[waiting, AMOUNT].sum()),
        refunded=int((~waiting).sum()),
        refunded_amount=int(seconds.loc[~waiting, AMOUNT].sum()),
    )


def refunds_by_township(seconds: pd.DataFrame) -> list[tuple[str, Refunds]]:
    """refund_totals of each township with second payments, in the list's (township) order."""
    return [
        (str(township), refund_totals(rows))
        for township, rows in seconds.groupby(TOWNSHIP, sort=False)
    ]
