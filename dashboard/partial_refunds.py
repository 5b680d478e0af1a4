"""Part of a payment paid back (退还多缴): a refund row for less than the payment that stands.

A subsidised person who paid the full contribution (the subsidy not applied where they paid)
is paid back the difference: the tax system's list has a refund row of that amount, not of the
payment's. It is recorded against the payment (PartialRefund): the person stays enrolled, and
what they paid is the payment less its partial refunds (特殊群体's 缴费金额核对). A refund of a
payment listed in the same file (an export from the campaign's start holds both) is recorded
once the payment is stored; one listed again in a later export is known by its day and amount.
Undoing the import that recorded it removes it; the import that stored the payment is undone
only after that one, and it only after an import that paid back the rest of the payment
(dashboard.refunds: the payment no longer stands).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import ScalarSelect, func, insert, select
from sqlmodel import Session, col

from dashboard.glossary import AMOUNT, ID_NUMBER, PAID_ON
from data_models.tables import PAYMENT_STANDS, PartialRefund, Payment


def part_refunded(by: date | None = None) -> ScalarSelect:
    """What partial refunds (made on or before ``by``, if given) paid back of the payment of
    the query it is a column of (fen, 0 where none did): a correlated subquery."""
    query = select(func.coalesce(func.sum(col(PartialRefund.amount_fen)), 0)).where(
        col(PartialRefund.payment_id) == col(Payment.id)
    )
    if by is not None:
        query = query.where(col(PartialRefund.refunded_on) <= by)
    return query.scalar_subquery()


def partial_refunds_of(session: Session, campaign_id: int, numbers: pd.Series) -> pd.DataFrame:
    """The partial refunds of the payments that stand of the people among ``numbers`` (a
    list's few refund rows): id_number, refunded_on, amount_fen."""
    query = (
        select(
            col(PartialRefund.id_number),
            col(PartialRefund.refunded_on),
            col(PartialRefund.amount_fen),
        )
        .join(Payment, col(Payment.id) == col(PartialRefund.payment_id))
        .where(
            col(PartialRefund.campaign_id) == campaign_id,
            col(PartialRefund.id_number).in_(sorted(set(numbers.dropna()))),
            PAYMENT_STANDS,
        )
    )
    rows = session.connection().execute(query).fetchall()
    return pd.DataFrame(rows, columns=[ID_NUMBER, "refunded_on", AMOUNT])


def first_payments(rows: pd.DataFrame) -> dict[str, int]:
    """Each person's first payment in a list (fen), the one that enrols them where nothing of
    theirs stands yet (its refund rows left out)."""
    paid = rows[(rows[AMOUNT] >= 0).fillna(False).astype(bool)].dropna(subset=[ID_NUMBER])
    first = paid.sort_values(PAID_ON, kind="stable").drop_duplicates(ID_NUMBER)
    return dict(zip(first[ID_NUMBER], first[AMOUNT].astype("int64"), strict=True))


def record_partial_refunds(
    session: Session, campaign_id: int, import_id: int, refunds: pd.DataFrame
) -> int:
    """Record ``refunds`` (refund rows: negative amounts) against each person's payment that
    stands, inside the caller's transaction, once the list's own payments are stored; how
    many were."""
    if refunds.empty:
        return 0
    standing = dict(
        session.connection()
        .execute(
            select(col(Payment.id_number), col(Payment.id)).where(
                col(Payment.campaign_id) == campaign_id,
                col(Payment.id_number).in_(sorted(set(refunds[ID_NUMBER]))),
                PAYMENT_STANDS,
            )
        )
        .fetchall()
    )
    session.execute(
        insert(PartialRefund),
        [
            {
                "campaign_id": campaign_id,
                "import_id": import_id,
                "payment_id": standing[number],
                "id_number": number,
                "refunded_on": day,
                "amount_fen": -int(fen),
            }
            for number, day, fen in refunds[[ID_NUMBER, PAID_ON, AMOUNT]].itertuples(index=False)
        ],
    )
    return len(refunds)


def imports_refunding_part_of(session: Session, import_id: int) -> list[int]:
    """The imports to undo before ``import_id``: those that paid back part of a payment it
    stored."""
    query = (
        select(col(PartialRefund.import_id))
        .join(Payment, col(Payment.id) == col(PartialRefund.payment_id))
        .where(col(Payment.import_id) == import_id)
        .distinct()
    )
    found = {int(i) for (i,) in session.connection().execute(query)}
    return sorted(found - {import_id})


def imports_paying_rest_of(session: Session, import_id: int) -> list[int]:
    """The imports to undo before ``import_id``: those that paid back what was left of a
    payment it paid back part of."""
    query = (
        select(col(Payment.refund_import_id))
        .join(PartialRefund, col(PartialRefund.payment_id) == col(Payment.id))
        .where(
            col(PartialRefund.import_id) == import_id, col(Payment.refund_import_id).is_not(None)
        )
        .distinct()
    )
    found = {int(i) for (i,) in session.connection().execute(query) if i is not None}
    return sorted(found - {import_id})


def refunded_by(refunds: pd.DataFrame, number: str) -> tuple[int, set[tuple[date, int]]]:
    """What ``refunds`` (partial_refunds_of) paid back of a person's payment: the sum (fen),
    and each refund's day and amount (a refund listed again is known by them)."""
    theirs = refunds[refunds[ID_NUMBER] == number]
    pairs = set(zip(theirs["refunded_on"], theirs[AMOUNT].astype("int64"), strict=True))
    return int(theirs[AMOUNT].sum()), pairs
