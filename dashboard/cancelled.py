"""Payments in a payment list that do not count: voided or refunded tickets, and refunds.

The tax system's export lists every ticket with its state (缴费状态: 正常, 作废, 已退费 …), and
a refund may be written as a row of its own with a negative amount. A person is enrolled by a
payment that stands, so such rows are taken out before the list is checked and counted:

- a row whose status says the ticket was voided, failed or paid back is left out;
- a refund row (negative amount) cancels one payment of the same person and amount in the same
  file: the one already left out by its status if there is one, else the last that counts; both
  are left out. A refund that finds no such payment stays in the list, where the amount check
  refuses it (the payment it pays back is in another file, or the row is a typo).

Nothing here touches the database; the notes say which rows were left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.distinct import by_unique
from dashboard.glossary import (
    AMOUNT,
    ID_NUMBER,
    PAID_STATUSES,
    REFUND_STATUSES,
    STATUS,
    VOID_STATUSES,
)
from dashboard.idnumbers import normalise_ids
from dashboard.layout import Layout, header_key
from dashboard.money import parse_fen

SHOWN = 3  # rows named in a note; the rest are counted
# The words a problem with an unknown status offers, counted and not.
SHOWN_STATUSES = {True: ("正常", "有效", "已缴费"), False: ("作废", "冲正", "已退费")}
UNMATCHED_REFUND = (
    "金额为负数的退费记录，在本文件中找不到同一人、同金额的缴费记录可冲抵（原缴费记录在之前"
    "导入的文件中时，请撤销那次导入，再导入含两者的明细）"
)


@dataclass
class Cancelled:
    """The body rows left out (True in ``rows``) and a note for each reason."""

    rows: pd.Series
    notes: list[str] = field(default_factory=list)


def status_counts(text: str) -> bool | None:
    """Whether a payment with this status counts: True (blank, 正常, 否 …), False (作废,
    已退费, 是 …), None when the word is not one a payment's status is written with."""
    key = header_key(text)
    if key == "" or key in PAID_STATUSES:
        return True
    if key in VOID_STATUSES or key in REFUND_STATUSES:
        return False
    return None


def cancelled_payments(layout: Layout, body: pd.DataFrame) -> Cancelled:
    """Which rows of a payment list's ``body`` do not count, by status and by refund."""
    status = _column(layout, body, STATUS)
    counts = by_unique(status, status_counts)
    amounts = _column(layout, body, AMOUNT).str.strip()
    # A refund row, whatever its status says (退费, or 正常 for the refund itself).
    negative = amounts.str.startswith("-") & counts.notna()
    by_status = (counts == False).astype(bool) & ~negative  # noqa: E712 (True/False/None)
    result = Cancelled(by_status)
    if by_status.any():
        header = layout.headers[STATUS]
        words = status[by_status].str.strip().value_counts()
        tally = "、".join(f"{word}{n}行" for word, n in words.items())
        result.notes.append(
            f"{int(by_status.sum())}行按“{header}”不计入参保（{tally}）："
            f"{_where(layout, body.index[by_status])}"
        )
    refunds = _refunds(layout, body, amounts, negative, by_status)
    if refunds:
        result.rows = result.rows | body.index.isin([*refunds, *refunds.values()])
        shown = "、".join(
            _cancels(layout, refund, paid) for refund, paid in list(refunds.items())[:SHOWN]
        )
        result.notes.append(
            f"{len(refunds)}行退费记录（负数金额）与本文件中同一人、同金额的缴费记录相抵，"
            f"二者均不计入参保：{shown}{'等' if len(refunds) > SHOWN else ''}"
        )
    return result


def _refunds(
    layout: Layout,
    body: pd.DataFrame,
    amounts: pd.Series,
    negative: pd.Series,
    by_status: pd.Series,
) -> dict[object, object]:
    """Each refund row's index (``negative``) with that of the payment it cancels (refunds
    with no payment to cancel are left out)."""
    if not negative.any():
        return {}
    ids = normalise_ids(_column(layout, body, ID_NUMBER))
    fen = by_unique(amounts.str.removeprefix("-"), parse_fen)
    paid = body.index[ids.isin(set(ids[negative].dropna())) & ~negative]
    # Already left out by their status first, then the last in the file.
    order = sorted(paid, key=lambda i: (not by_status[i], -body.index.get_loc(i)))
    pairs: dict[object, object] = {}
    for index in body.index[negative]:
        if pd.isna(ids[index]) or fen[index] is None:
            continue  # the checks that follow name what is wrong with it
        same = (i for i in order if ids[i] == ids[index] and fen[i] == fen[index])
        match = next((i for i in same if i not in pairs.values()), None)
        if match is not None:
            pairs[index] = match
    return pairs


def _column(layout: Layout, body: pd.DataFrame, column: str) -> pd.Series:
    position = layout.columns.get(column)
    if position is None:
        return pd.Series("", index=body.index, dtype=object)
    return body[position].astype(str)


def _cancels(layout: Layout, refund: object, paid: object) -> str:
    """'q.csv第9行冲抵第4行' (the payment's sheet named where it is another)."""
    labels, rows = layout.origins(pd.Index([refund, paid]))
    other = labels[1] if labels[1] != labels[0] else ""
    return f"{labels[0]}第{rows[0]}行冲抵{other}第{rows[1]}行"


def _where(layout: Layout, index: pd.Index) -> str:
    """'q.csv第3、5、8行等': the first rows of ``index``, each sheet named once."""
    labels, rows = layout.origins(index[:SHOWN])
    by_sheet: dict[str, list[str]] = {}
    for label, row in zip(labels, rows, strict=True):
        by_sheet.setdefault(label, []).append(str(row))
    shown = "、".join(f"{label}第{'、'.join(numbers)}行" for label, numbers in by_sheet.items())
    return shown + ("等" if len(index) > SHOWN else "")
