"""Second payments (重复缴费): a payment of someone whose payment stands.

A person is enrolled once, by the payment that stands. A second payment from another list
(another day or amount: paid by mistake at the village and on the phone, say) is kept beside
it as a RepeatPayment, as is a person's later payment in the very list that enrols them (the
earliest stands); and the refund that follows it, in a list after it, pays it back rather
than the payment that stands: the person stays enrolled. A refund of the payment that stands
(its amount, not the second's: paid the full contribution, then the subsidised one, and the
full one paid back) leaves the second payment standing in its place: the person is enrolled
from its day. (A second payment and its refund in one list cancel each other there,
dashboard.cancelled.) Undoing the import that brought a second payment removes it; undoing the
one whose refund paid it back, or made it stand, puts it back as it was.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import and_, func, insert, select, true, update
from sqlmodel import Session, col

from dashboard.cancelled import TWICE, later_of_each, seen_before, vouchers_of
from dashboard.glossary import AMOUNT, ID_NUMBER, PAID_ON, VOUCHER
from dashboard.lookup import campaign_frame, day_and_amount, same_person, stored_rows
from data_models.tables import PAYMENT_STANDS, Payment, RepeatPayment


def standing_payments(session: Session, campaign_id: int, numbers: pd.Series) -> pd.DataFrame:
    """The payments that stand of the people among ``numbers``: id_number, paid_on,
    amount_fen, simulated."""
    rows = stored_rows(
        session,
        Payment,
        campaign_id,
        numbers,
        Payment.paid_on,
        Payment.amount_fen,
        Payment.simulated,
        where=PAYMENT_STANDS,
    )
    return pd.DataFrame(rows, columns=[ID_NUMBER, PAID_ON, AMOUNT, "simulated"])


def against_stored(rows: pd.DataFrame, stored: pa.Table, **listed: pa.Array) -> pa.Table:
    """Each payment row (at: its position) joined with the real payment that stands of its
    person (``stored``: id_number; key, lookup.day_and_amount, null for a simulated one;
    voucher, where the list has tax tickets to compare; and any other columns), beside the
    row's own ``listed`` columns, and ``other``: whether the row is another payment than that
    one (another ticket where both have one, else another day or amount)."""
    tickets = "voucher" in stored.column_names
    columns = {
        ID_NUMBER: pa.array(rows[ID_NUMBER], pa.string()),
        "listed": day_and_amount(rows),
        "at": pa.array(np.arange(len(rows), dtype=np.int64)),
        **({"listed_voucher": pa.array(vouchers_of(rows), pa.string())} if tickets else {}),
        **listed,
    }
    real = stored.filter(pc.is_valid(stored["key"]))
    both = pa.table(columns).join(real, ID_NUMBER, join_type="inner")
    other = pc.not_equal(both["listed"], both["key"])
    if tickets:
        mine, theirs = both["listed_voucher"], both["voucher"]
        named = pc.and_(pc.not_equal(mine, ""), pc.not_equal(theirs, ""))
        other = pc.if_else(named, pc.not_equal(mine, theirs), other)
    return both.append_column("other", other)


def second_payments(rows: pd.DataFrame, both: pa.Table, seen: pd.DataFrame) -> pd.Series:
    """Which payment rows of a list are second payments: the person's real payment stands and
    is another one (``both``: the rows against_stored), and this payment is not ``seen``
    already (a second payment stored before, a payment paid back: seen_before)."""
    if rows.empty or both.num_rows == 0:
        return pd.Series(False, index=rows.index)
    other = both["other"]
    found = rows.iloc[np.sort(both.filter(other)["at"].to_numpy())]
    if not seen.empty and not found.empty:
        found = found[~seen_before(found, seen)]
    if "voucher" in both.column_names and TWICE in rows:
        found = pd.concat([found, _told_apart(rows, both.filter(pc.invert(other)), seen)])
    return pd.Series(rows.index.isin(found.index), index=rows.index)


def _told_apart(rows: pd.DataFrame, same: pa.Table, seen: pd.DataFrame) -> pd.DataFrame:
    """The second payments among rows that are all the person's stored payment by day and
    amount (``same``: it was stored without a ticket) and that their tickets tell apart
    (TWICE: the parse took them for two payments): one of them is the payment stored, the
    others, not ``seen`` before, are second payments (the first in the list stands)."""
    at = np.sort(same["at"].to_numpy())
    twice = rows.iloc[at[rows[TWICE].to_numpy(dtype=bool)[at]]]  # few
    if not seen.empty and not twice.empty:
        twice = twice[~seen_before(twice, seen)]
    return twice[twice[ID_NUMBER].duplicated(keep="first").to_numpy()]


def later_payments(rows: pd.DataFrame, known: np.ndarray) -> pd.Series:
    """Which payments of a list are second payments of a person the list itself enrols (none
    of theirs stands: not ``known``): all of the person's in the list but the earliest (of
    two on one day, the first in the list). A person who paid twice before the list was
    exported is enrolled once, as by two lists. Only the rows the parse found a person's
    second of (TWICE) are looked at: hashing 700 000 ID numbers again took 0.3 s."""
    maybe = ~known & (rows[TWICE].to_numpy(dtype=bool) if TWICE in rows else True)
    if not maybe.any():
        return pd.Series(False, index=rows.index)
    return pd.Series(rows.index.isin(later_of_each(rows.loc[maybe])), index=rows.index)


def stored_second_payments(session: Session, campaign_id: int) -> pd.DataFrame:
    """The campaign's second payments (few): id, id_number, paid_on, amount_fen, refunded_on,
    import_id, and ``open``: neither paid back nor standing in place of the payment that stood."""
    fields = {
        "id": "id",
        "id_number": ID_NUMBER,
        "paid_on": PAID_ON,
        "amount_fen": AMOUNT,
        "voucher": VOUCHER,
        "refunded_on": "refunded_on",
        "import_id": "import_id",
        "promoted_import_id": "promoted_import_id",
    }
    frame = campaign_frame(session, RepeatPayment, campaign_id, fields)
    frame["open"] = frame["refunded_on"].isna() & frame["promoted_import_id"].isna()
    return frame


# A second payment neither paid back nor standing in place of the payment that stood
OPEN = and_(
    col(RepeatPayment.refund_import_id).is_(None), col(RepeatPayment.promoted_import_id).is_(None)
)


def store_second_payments(
    session: Session, campaign_id: int, import_id: int, rows: pd.DataFrame
) -> None:
    """Keep a list's second payments (rows), inside the caller's transaction."""
    if rows.empty:
        return
    session.execute(
        insert(RepeatPayment),
        [
            {
                "campaign_id": campaign_id,
                "import_id": import_id,
                "id_number": number,
                "paid_on": day,
                "amount_fen": int(fen),
                "voucher": voucher,
            }
            for number, day, fen, voucher in zip(
                rows[ID_NUMBER], rows[PAID_ON], rows[AMOUNT], vouchers_of(rows), strict=True
            )
        ],
    )


def pay_back_second_payment(
    session: Session,
    campaign_id: int,
    import_id: int,
    number: str,
    fen: int,
    *,
    day: date,
    paid_on: date | None = None,
) -> bool:
    """Mark one second payment of the person and amount (of ``paid_on`` where given) paid
    back on ``day`` by the import ``import_id``; whether there was one."""
    match = and_(
        col(RepeatPayment.campaign_id) == campaign_id,
        col(RepeatPayment.id_number) == number,
        col(RepeatPayment.amount_fen) == fen,
        OPEN,
        true() if paid_on is None else col(RepeatPayment.paid_on) == paid_on,
    )
    first = select(func.min(RepeatPayment.id)).where(match).scalar_subquery()
    result = session.execute(
        update(RepeatPayment)
        .where(col(RepeatPayment.id) == first)
        .values(refunded_on=day, refund_import_id=import_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def promote_second_payment(session: Session, campaign_id: int, import_id: int, number: str) -> None:
    """After ``import_id`` paid back the payment that stood of the person ``number``: their
    earliest open second payment stands in its place, a Payment of that import (township,
    village, name and channel those of the payment paid back; day and amount its own)."""
    second = session.execute(
        select(
            col(RepeatPayment.id),
            col(RepeatPayment.paid_on),
            col(RepeatPayment.amount_fen),
            col(RepeatPayment.voucher),
        )
        .where(
            col(RepeatPayment.campaign_id) == campaign_id,
            col(RepeatPayment.id_number) == number,
            OPEN,
        )
        .order_by(col(RepeatPayment.paid_on), col(RepeatPayment.id))
        .limit(1)
    ).one()
    paid_back = session.execute(
        select(
            col(Payment.township_id), col(Payment.village), col(Payment.name), col(Payment.channel)
        ).where(
            col(Payment.campaign_id) == campaign_id,
            col(Payment.id_number) == number,
            col(Payment.refund_import_id) == import_id,
        )
    ).one()
    session.execute(
        insert(Payment).values(
            campaign_id=campaign_id,
            import_id=import_id,
            id_number=number,
            paid_on=second.paid_on,
            amount_fen=second.amount_fen,
            voucher=second.voucher,
            simulated=False,
            **paid_back._mapping,
        )
    )
    session.execute(
        update(RepeatPayment)
        .where(col(RepeatPayment.id) == second.id)
        .values(promoted_import_id=import_id)
    )


def restore_second_payments(session: Session, import_id: int) -> None:
    """Put back the second payments an import's refunds paid back or made stand (its undo,
    after the payments it brought, those standing in place of others among them, are gone)."""
    session.execute(
        update(RepeatPayment)
        .where(col(RepeatPayment.refund_import_id) == import_id)
        .values(refunded_on=None, refund_import_id=None)
    )
    session.execute(
        update(RepeatPayment)
        .where(col(RepeatPayment.promoted_import_id) == import_id)
        .values(promoted_import_id=None)
    )


def imports_depending_on(session: Session, import_id: int) -> list[int]:
    """The imports to undo before ``import_id``: those whose refunds paid back a second
    payment it brought or made one stand, and those holding a second payment of someone whose
    payment that stands it brought (undone first, the person would be left with a second
    payment only)."""
    refunds = select(col(RepeatPayment.refund_import_id)).where(
        col(RepeatPayment.import_id) == import_id,
        col(RepeatPayment.refund_import_id).is_not(None),
    )
    promoted = select(col(RepeatPayment.promoted_import_id)).where(
        col(RepeatPayment.import_id) == import_id,
        col(RepeatPayment.promoted_import_id).is_not(None),
    )
    seconds = (
        select(col(RepeatPayment.import_id))
        .join(Payment, same_person(Payment, RepeatPayment))
        .where(
            col(Payment.import_id) == import_id,
            PAYMENT_STANDS,
            # not the second payment it made stand: that one is its own payment
            func.coalesce(col(RepeatPayment.promoted_import_id), 0) != import_id,
        )
    )
    found = {int(i) for (i,) in session.connection().execute(refunds.union(promoted, seconds)) if i}
    return sorted(found - {import_id})
