"""Refunds in a payment list that pay back payments an earlier list stored.

A refund row (negative amount) that cancelled no payment in its own file, or cancelled the
only one its person had there (a list exported from the campaign's start each week holds the
payment again), pays back the person's stored payment of the same amount: the payment is
marked refunded by the import and no longer counts as enrolled, on any day. Undoing the import
puts it back. A refund with nothing to pay back is a problem of its row, unless it cancelled a
payment in its file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
from sqlalchemy import update
from sqlmodel import Session, col, select

from dashboard.cancelled import NETTED, rows_named, unmatched_refund
from dashboard.distinct import is_in
from dashboard.glossary import AMOUNT, ID_NUMBER, PAID_ON
from dashboard.layout import ROW, SHEET
from dashboard.lookup import stored_rows
from dashboard.money import from_fen
from dashboard.parsing import Parsed
from dashboard.problems import Problem
from data_models.tables import Payment


def refund_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A payment list's refund rows (negative amounts)."""
    return frame[(frame[AMOUNT] < 0).fillna(False).astype(bool)]


def check_refunds(
    session: Session, campaign_id: int, parsed: Parsed
) -> tuple[Parsed, list[Problem]]:
    """A payment list checked for its refund rows against what is stored: the list with a note
    on the stored payments its refunds will pay back, and without the refunds that have nothing
    left to do (their payment was in the file and nothing was stored); and the problems of the
    refunds that have nothing to pay back."""
    again = _paid_again(session, campaign_id, parsed.frame)
    if again is not None:
        parsed = replace(parsed, notes=(*parsed.notes, again))
    refunds = refund_rows(parsed.frame).dropna(subset=[ID_NUMBER])
    if refunds.empty:
        return parsed, []
    stored = {
        number: (amount, refunded)
        for number, amount, refunded, simulated in stored_rows(
            session,
            Payment,
            campaign_id,
            refunds[ID_NUMBER],
            Payment.amount_fen,
            Payment.refunded_on,
            Payment.simulated,
        )
        if not simulated
    }
    header = parsed.headers[AMOUNT]
    problems, paying_back, idle = [], [], []
    for index, sheet, row, number, fen, netted in refunds[
        [SHEET, ROW, ID_NUMBER, AMOUNT, NETTED]
    ].itertuples():
        amount, refunded = stored.get(number, (None, None))
        if amount == -fen and refunded is None:
            paying_back.append((sheet, int(row)))
        elif netted:
            idle.append(index)
        else:
            why = _stored_why(amount, refunded)
            problems.append(
                Problem(sheet, int(row), header, str(from_fen(int(fen))), unmatched_refund(why))
            )
    notes = parsed.notes
    if paying_back:
        labels, rows = [s for s, _ in paying_back], [r for _, r in paying_back]
        notes += (
            f"{len(paying_back)}行退费记录冲抵之前导入的同一人、同金额的缴费，这些人不再计入参保"
            f"（撤销本次导入可恢复）：{rows_named(labels, rows, len(paying_back))}",
        )
    frame = parsed.frame.drop(index=idle).reset_index(drop=True) if idle else parsed.frame
    return replace(parsed, frame=frame, notes=notes), problems


def _paid_again(session: Session, campaign_id: int, frame: pd.DataFrame) -> str | None:
    """A note on the payments of people whose stored payment was paid back: a known limit,
    they stay paid back (the payment is taken as one already stored)."""
    refunded = session.exec(
        select(Payment.id_number).where(
            Payment.campaign_id == campaign_id, col(Payment.refund_import_id).is_not(None)
        )
    ).all()
    if not refunded:
        return None
    payments = frame[(frame[AMOUNT] >= 0).fillna(False).astype(bool)].dropna(subset=[ID_NUMBER])
    again = payments[is_in(payments[ID_NUMBER], list(refunded)).to_numpy()]
    if again.empty:
        return None
    where = rows_named(again[SHEET].tolist(), again[ROW].astype(int).tolist(), len(again))
    return (
        f"{len(again)}行是之前已退费的人再次缴费：系统仍按已退费处理，这些缴费不计入参保，"
        f"请人工核对：{where}"
    )


def _stored_why(amount: int | None, refunded: date | None) -> str | None:
    if refunded is not None:
        return f"的缴费已于{refunded}退费"
    if amount is not None:
        return f"缴费{from_fen(amount)}元"
    return None


def apply_refunds(session: Session, campaign_id: int, import_id: int, refunds: pd.DataFrame) -> int:
    """Mark the stored payments that ``refunds`` (refund rows) pay back, inside the caller's
    transaction; how many were."""
    paid_back = 0
    for number, fen, day in refunds[[ID_NUMBER, AMOUNT, PAID_ON]].itertuples(index=False):
        result = session.execute(
            update(Payment)
            .where(
                col(Payment.campaign_id) == campaign_id,
                col(Payment.id_number) == number,
                col(Payment.amount_fen) == -int(fen),
                col(Payment.refunded_on).is_(None),
                col(Payment.simulated).is_(False),
            )
            .values(refunded_on=day, refund_import_id=import_id)
        )
        paid_back += result.rowcount  # type: ignore[attr-defined]
    return paid_back


def restore_refunded(session: Session, import_id: int) -> None:
    """Put back the payments an import paid back (its undo)."""
    session.execute(
        update(Payment)
        .where(col(Payment.refund_import_id) == import_id)
        .values(refunded_on=None, refund_import_id=None)
    )
