"""Refunds in a payment list that pay back payments an earlier list stored.

A refund row (negative amount) that cancelled no payment in its own file, or cancelled the
only one its person had there and that one is the stored payment (a list exported from the
campaign's start each week holds the payment again), pays back the person's stored payment of
the same amount: the payment is
marked refunded by the import and no longer counts as enrolled, on any day. Undoing the import
puts it back. A refund for less than the person's payment pays back part of it
(dashboard.partial_refunds): the person stays enrolled; one for what is left of it after
that pays back the rest, and the person leaves as with a refund of the whole. A refund with
nothing to pay back is a problem of its row, unless it cancelled a payment in its file.

A person has one payment that stands per campaign (a partial unique index); the ones paid back
stay beside it. A person paid back who pays again (another day or amount than the payment paid
back) gets a new payment that stands; the payment paid back, in a list again, is known.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from dashboard.cancelled import (
    NETTED,
    NETTED_ON,
    TWICE,
    VOIDED,
    rows_named,
    seen_as,
    seen_before,
    unmatched_refund,
    vouchers_of,
)
from dashboard.distinct import is_in
from dashboard.glossary import AMOUNT, ID_NUMBER, PAID_ON, STATUS, TOWNSHIP, VILLAGE, VOUCHER
from dashboard.held_rows import held_counts
from dashboard.layout import ROW, SHEET
from dashboard.lookup import (
    campaign_frame,
    same_person,
    stored_columns,
    stored_day_and_amount,
    stored_rows,
)
from dashboard.money import from_fen
from dashboard.parsing import Parsed
from dashboard.partial_refunds import first_payments, partial_refunds_of, refunded_by
from dashboard.places import changed_payments, listed_places
from dashboard.problems import Problem
from dashboard.repeats import (
    against_stored,
    later_payments,
    pay_back_second_payment,
    promote_second_payment,
    second_payments,
    standing_payments,
    stored_second_payments,
)
from data_models.tables import PAYMENT_STANDS as STANDS
from data_models.tables import Payment


def paid_back_payments(session: Session, campaign_id: int) -> pd.DataFrame:
    """The campaign's payments paid back (few): id_number, paid_on, amount_fen, voucher,
    refunded_on, refund_import_id, and the import_id that stored each."""
    fields = {
        "id_number": ID_NUMBER,
        "paid_on": PAID_ON,
        "amount_fen": AMOUNT,
        "voucher": VOUCHER,
        "refunded_on": "refunded_on",
        "refund_import_id": "refund_import_id",
        "import_id": "import_id",
    }
    return campaign_frame(
        session, Payment, campaign_id, fields, col(Payment.refund_import_id).is_not(None)
    )


class Stored(NamedTuple):
    """A payment list's rows against what is stored (already_stored)."""

    known: pd.Series  # stored already
    seconds: pd.Series  # of those, second payments to keep
    later: pd.Series  # second payments of a person the list itself enrols
    # stored payments the list places elsewhere (places.changed_payments: by ID number)
    moved: pd.DataFrame
    # the import holding each row's payment (NA: none, or simulated; _holders)
    holders: pd.Series

    def held(self) -> dict[int, int]:
        """How many of the list's rows each earlier import holds: a second payment is the
        list's own, not a row listed again (held_rows)."""
        return held_counts(self.holders[~self.seconds])


def already_stored(
    session: Session, campaign_id: int, rows: pd.DataFrame, ids: dict[str, int]
) -> Stored:
    """Which payments of a list are stored already: the person has a payment that stands, or
    this very payment (same day and amount) was stored and paid back. A payment of a person
    paid back on another day or of another amount is a new one: they paid again. Which of
    those are second payments to keep (repeats.second_payments). Which other payments are
    second payments of a person the list itself enrols (repeats.later_payments): not stored,
    kept as second payments too. And which stored payments the list places in another
    township or village (``ids``: the townships' ids; places.changed_payments)."""
    tickets = bool(vouchers_of(rows).ne("").any())  # compared where the list has them
    stored = stored_columns(
        session,
        Payment,
        campaign_id,
        rows[ID_NUMBER],
        {
            "key": (stored_day_and_amount(session), pa.int64()),
            "township_id": (Payment.township_id, pa.int64()),
            "village": (Payment.village, pa.string()),
            "import_id": (Payment.import_id, pa.int64()),
            **({"voucher": (Payment.voucher, pa.string())} if tickets else {}),
        },
        where=STANDS,
    )
    numbers = stored[ID_NUMBER].combine_chunks()
    known = is_in(rows[ID_NUMBER], pd.Series(numbers)).to_numpy()
    at = pc.index_in(pa.array(rows[ID_NUMBER], pa.string()), value_set=numbers)
    holders = pd.Series(pc.take(stored["import_id"], at).to_pandas(), index=rows.index)
    back = paid_back_payments(session, campaign_id)
    _, same = _paid_back(rows, back)
    columns = [ID_NUMBER, PAID_ON, AMOUNT, VOUCHER, "import_id"]
    seen = pd.concat(
        [stored_second_payments(session, campaign_id)[columns], back[columns]], ignore_index=True
    )
    # the columns compared, not a copy of every column of 700 000 rows
    candidates = rows.loc[
        known & ~same, [c for c in [*columns[:-1], TWICE, TOWNSHIP, VILLAGE] if c in rows]
    ]
    both = against_stored(candidates, stored, **listed_places(candidates, ids))
    seconds = second_payments(candidates, both, seen).reindex(rows.index, fill_value=False)
    return Stored(
        pd.Series(known | same, index=rows.index),
        seconds,
        later_payments(rows, known | same),
        changed_payments(both),
        _holders(holders.astype("Int64"), candidates, both, seconds, seen),
    )


def _holders(
    holders: pd.Series,
    candidates: pd.DataFrame,
    both: pa.Table,
    seconds: pd.Series,
    seen: pd.DataFrame,
) -> pd.Series:
    """The import holding each row of a list (``holders``: the one that stored the person's
    payment that stands), where a row is another payment seen before rather than that one (a
    second payment stored, a payment paid back: second_payments left it out): the import that
    stored the payment it is (few)."""
    others = candidates.iloc[np.sort(both.filter(both["other"])["at"].to_numpy())]
    repeated = others[~seconds.loc[others.index].to_numpy()]
    if repeated.empty:
        return holders
    imports = seen["import_id"].to_numpy()
    found = [pd.NA if at is None else imports[at] for at in seen_as(repeated, seen)]
    holders.loc[repeated.index] = pd.array(found, dtype="Int64")
    return holders


def _paid_back(rows: pd.DataFrame, back: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each payment row: whether its person had a payment paid back (``back``), and
    whether it is that very payment (repeats.seen_before) rather than a new one."""
    theirs = is_in(rows[ID_NUMBER], back[ID_NUMBER].tolist()).to_numpy()
    same = np.zeros(len(rows), dtype=bool)
    if theirs.any():  # few: only people paid back
        same[theirs] = seen_before(rows.loc[theirs], back)
    return theirs, same


def refund_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A payment list's refund rows (negative amounts)."""
    return frame[(frame[AMOUNT] < 0).fillna(False).astype(bool)]


REST_SAID = "退还同一人缴费在之前退还一部分后余下的金额"


def check_refunds(
    session: Session, campaign_id: int, parsed: Parsed
) -> tuple[Parsed, list[Problem]]:
    """A payment list checked for its refund rows against what is stored: the list with a note
    on the stored payments its refunds will pay back, and without the refunds that have nothing
    left to do (their payment was in the file and nothing was stored); and the problems of the
    refunds that have nothing to pay back."""
    parsed = _with_voided(session, campaign_id, parsed)
    back = paid_back_payments(session, campaign_id)
    again = _paid_again(session, campaign_id, parsed.frame, back)
    if again is not None:
        parsed = replace(parsed, notes=(*parsed.notes, again))
    refunds = refund_rows(parsed.frame).dropna(subset=[ID_NUMBER])
    targets = refund_targets(session, campaign_id, refunds, parsed.frame)
    header = parsed.headers[AMOUNT]
    # the refunds made of payments the list says were voided (NaN on the list's own rows)
    voided = refunds.get(VOIDED, pd.Series(False, index=refunds.index)).eq(True).to_numpy()
    problems, idle = [], []
    for index, sheet, row, fen in refunds[[SHEET, ROW, AMOUNT]].itertuples():
        target = targets[index]
        if target == NOTHING:
            idle.append(index)
        elif target not in PAYS_BACK:
            why = unmatched_refund(target or None)
            problems.append(Problem(sheet, int(row), header, str(from_fen(int(fen))), why))
    notes = parsed.notes
    for kind, said in (
        (STANDING, "冲抵之前导入的同一人、同金额的缴费，这些人不再计入参保"),
        (SECOND, "冲抵之前导入的同一人、同金额的重复缴费，这些人仍按原缴费计入参保"),
        (
            REPLACED,
            "冲抵之前导入的同一人、同金额的缴费，这些人另有一笔金额不同的重复缴费，"
            "改按该笔缴费计入参保（自其缴费日期起）",
        ),
        (
            PARTIAL,
            "退还同一人缴费的一部分（多缴的差额，如缴费时未享受的资助），这些人仍计入参保，"
            "实缴按缴费减去退还的金额计",
        ),
        (REST, f"{REST_SAID}，这些人不再计入参保"),
        (
            REST_REPLACED,
            f"{REST_SAID}，这些人另有一笔重复缴费，改按该笔缴费计入参保（自其缴费日期起）",
        ),
    ):
        rows = refunds[np.array([targets[i] == kind for i in refunds.index], bool) & ~voided]
        if len(rows):
            where = rows_named(rows[SHEET].tolist(), rows[ROW].astype(int).tolist(), len(rows))
            notes += (f"{len(rows)}行退费记录{said}（撤销本次导入可恢复）：{where}",)
    if voided.any():
        rows = refunds[voided]
        where = rows_named(rows[SHEET].tolist(), rows[ROW].astype(int).tolist(), len(rows))
        notes += (
            f"{len(rows)}行是之前导入的缴费，本文件的“{parsed.headers[STATUS]}”为作废或已退费："
            f"这些缴费不再计入（其人另有缴费的，按另一笔计入参保；撤销本次导入可恢复）：{where}",
        )
    frame = parsed.frame.drop(index=idle).reset_index(drop=True) if idle else parsed.frame
    return replace(parsed, frame=frame, notes=notes), problems


def _with_voided(session: Session, campaign_id: int, parsed: Parsed) -> Parsed:
    """The list with those of its payments left out as voided or paid back
    (Parsed.withdrawn) that an earlier list stored, as refund rows that pay them back (few,
    if any: the frame is copied only where there are)."""
    voided = parsed.withdrawn
    if voided is None:
        return parsed
    targets = refund_targets(session, campaign_id, voided)
    stored = voided[[targets[i] in (SECOND, STANDING, REPLACED) for i in voided.index]]
    stored = stored[~_other_ticket(session, campaign_id, stored)]
    frame = pd.concat([parsed.frame, stored], ignore_index=True) if len(stored) else parsed.frame
    return replace(parsed, frame=frame, withdrawn=None)


def _other_ticket(session: Session, campaign_id: int, voided: pd.DataFrame) -> np.ndarray:
    """Which voided payments (a few) have a tax ticket that none of the person's stored
    payments has: a ticket voided and issued again the same day, for the same amount, before
    the first export, pays back nothing (by day and amount it would pay back the new one)."""
    ticketed = vouchers_of(voided).ne("").to_numpy()
    if not ticketed.any():
        return ticketed
    numbers = voided.loc[ticketed, ID_NUMBER]
    held = set(stored_rows(session, Payment, campaign_id, numbers, Payment.voucher, where=STANDS))
    seconds = stored_second_payments(session, campaign_id)
    held |= set(
        seconds.loc[seconds["open"], [ID_NUMBER, VOUCHER]].itertuples(index=False, name=None)
    )
    pairs = zip(voided[ID_NUMBER], vouchers_of(voided), strict=True)
    return ticketed & np.array([pair not in held for pair in pairs], dtype=bool)


# What a refund row of a list pays back (refund_targets): a second payment, the payment that
# stands, the payment that stands with a second one left to stand in its place, nothing (it
# cancelled a payment in its file and is done with); any other text is why it cannot go in
# ('' where nothing of the person is stored).
# PARTIAL: part of the payment that stands, or of the one the list itself stores (a refund of
# the difference a subsidised person paid too much: dashboard.partial_refunds). REST: what is
# left of the payment that stands once part of it was paid back (the person leaves, as with
# STANDING; REST_REPLACED: a second payment stands in its place, as with REPLACED).
SECOND, STANDING, REPLACED, NOTHING = "second", "standing", "replaced", "nothing"
PARTIAL, REST, REST_REPLACED = "partial", "rest", "rest_replaced"
WHOLE = (STANDING, REPLACED, REST, REST_REPLACED)  # the payment that stands paid back
PAYS_BACK = (SECOND, PARTIAL, *WHOLE)


def refund_targets(
    session: Session,
    campaign_id: int,
    refunds: pd.DataFrame,
    payments: pd.DataFrame | None = None,
) -> dict[int, str]:
    """What each refund row (by index) pays back. A refund pays back a second payment of the
    person and amount (repeats) before the payment that stands, and where it pays back the
    one that stands, a second payment of another amount stands in its place (REPLACED); one
    that cancelled a payment in its file (NETTED) pays back only that very payment where it is
    stored (its day, NETTED_ON), and is done with where it is not. A refund for less than the
    payment that stands (or, where none does, the list's own first payment of the person in
    ``payments``) pays back part of it (PARTIAL) while the person's partial refunds stay below
    it, and what is left of it once they reach it (REST: a refund of the whole payment then
    pays back more than is left, and is refused); one recorded before (its day and amount),
    listed again, is done with. (A file holds one refund per person: parsing refuses a
    second.)"""
    if refunds.empty:
        return {}
    standing = {
        number: (amount, paid_on)
        for number, paid_on, amount, simulated in standing_payments(
            session, campaign_id, refunds[ID_NUMBER]
        ).itertuples(index=False)
        if not simulated
    }
    seconds = stored_second_payments(session, campaign_id)
    open_seconds = set(
        seconds.loc[seconds["open"], [ID_NUMBER, AMOUNT, PAID_ON]].itertuples(
            index=False, name=None
        )
    )
    open_amounts = {(number, fen) for number, fen, _ in open_seconds}
    with_open = {number for number, _ in open_amounts}
    back = paid_back_payments(session, campaign_id).sort_values("refunded_on")
    refunded_on = dict(zip(back[ID_NUMBER], back["refunded_on"], strict=True))  # the last
    partial = partial_refunds_of(session, campaign_id, refunds[ID_NUMBER])
    listed = first_payments(payments) if payments is not None else {}
    targets = {}
    for index, number, fen, day, netted, netted_on in refunds[
        [ID_NUMBER, AMOUNT, PAID_ON, NETTED, NETTED_ON]
    ].itertuples():
        amount, paid_on = standing.get(number, (None, None))
        part_back, recorded = refunded_by(partial, number)
        if netted:
            second = (number, -fen, netted_on) in open_seconds
        else:
            second = (number, -fen) in open_amounts
        whole = amount if amount is not None else listed.get(number)
        if not netted and (day, -fen) in recorded:
            targets[index] = NOTHING  # recorded before, listed again
        elif second:
            targets[index] = SECOND
        elif amount == -fen and (netted_on == paid_on if netted else not part_back):
            targets[index] = REPLACED if number in with_open else STANDING
        elif not netted and part_back and amount == part_back - fen:
            targets[index] = REST_REPLACED if number in with_open else REST
        elif netted:
            targets[index] = NOTHING
        elif whole is not None and part_back - fen < whole:
            targets[index] = PARTIAL
        else:
            refunded = None if amount is not None else refunded_on.get(number)
            targets[index] = _stored_why(amount, refunded, part_back) or ""
    return targets


def _paid_again(
    session: Session, campaign_id: int, frame: pd.DataFrame, back: pd.DataFrame
) -> str | None:
    """A note on the payments of people paid back (``back``) who paid again (another day or
    amount than the payment paid back, and nothing standing yet): they count as enrolled
    again, from the new payment's day."""
    if back.empty:
        return None
    payments = frame[(frame[AMOUNT] >= 0).fillna(False).astype(bool)].dropna(subset=[ID_NUMBER])
    theirs, same = _paid_back(payments, back)
    again = payments[theirs & ~same]
    if again.empty:
        return None
    standing = stored_rows(session, Payment, campaign_id, again[ID_NUMBER], where=STANDS)
    again = again[~is_in(again[ID_NUMBER], [number for (number,) in standing]).to_numpy()]
    if again.empty:
        return None
    where = rows_named(again[SHEET].tolist(), again[ROW].astype(int).tolist(), len(again))
    return f"{len(again)}行是之前已退费的人再次缴费，按新的缴费计入参保：{where}"


def _stored_why(amount: int | None, refunded: date | None, back: int = 0) -> str | None:
    if refunded is not None:
        return f"的缴费已于{refunded}退费"
    if amount is not None and back:
        return f"缴费{from_fen(amount)}元，其中{from_fen(back)}元已退还"
    if amount is not None:
        return f"缴费{from_fen(amount)}元"
    return None


def apply_refunds(
    session: Session,
    campaign_id: int,
    import_id: int,
    refunds: pd.DataFrame,
    payments: pd.DataFrame,
) -> pd.DataFrame:
    """Mark the stored payments that ``refunds`` (refund rows) pay back (refund_targets; the
    list's ``payments`` beside them), inside the caller's transaction; the refunds that pay
    back part of a payment, recorded (partial_refunds.record_partial_refunds) once the list's
    own payments are stored."""
    targets = refund_targets(session, campaign_id, refunds, payments)
    for index, number, fen, day, netted, netted_on in refunds[
        [ID_NUMBER, AMOUNT, PAID_ON, NETTED, NETTED_ON]
    ].itertuples():
        on = netted_on if netted else None
        if targets[index] == SECOND:
            pay_back_second_payment(
                session, campaign_id, import_id, number, -int(fen), day=day, paid_on=on
            )
        elif targets[index] in WHOLE:  # the one payment of theirs that stands
            session.execute(
                update(Payment)
                .where(
                    col(Payment.campaign_id) == campaign_id,
                    col(Payment.id_number) == number,
                    STANDS,
                    col(Payment.simulated).is_(False),
                )
                .values(refunded_on=day, refund_import_id=import_id)
            )
            if targets[index] in (REPLACED, REST_REPLACED):
                promote_second_payment(session, campaign_id, import_id, number)
    return refunds[[targets[i] == PARTIAL for i in refunds.index]]


def paid_again_in(session: Session, import_id: int) -> list[int]:
    """The imports holding a new payment of someone ``import_id`` paid back: while they stand,
    undoing it would give those people two payments, so they are undone first. (A second
    payment it made stand in place of one it paid back is its own, and goes with it.)"""
    back = aliased(Payment)
    query = (
        select(col(Payment.import_id))
        .join(back, same_person(back, Payment))
        .where(col(back.refund_import_id) == import_id, STANDS)
        .distinct()
    )
    found = {int(i) for (i,) in session.connection().execute(query) if i is not None}
    return sorted(found - {import_id})


def restore_refunded(session: Session, import_id: int) -> None:
    """Put back the payments an import paid back (its undo)."""
    session.execute(
        update(Payment)
        .where(col(Payment.refund_import_id) == import_id)
        .values(refunded_on=None, refund_import_id=None)
    )
