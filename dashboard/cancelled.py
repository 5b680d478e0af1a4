"""Rows of a list that do not count: voided or refunded payments, refunds, and roster members
no longer on the roster.

A roster's status column (人员状态, 保障状态) says who has died, been struck off or had their
support stopped: such a member is left out of the roster, and out of its list of people still
to enrol.

The tax system's export lists every ticket with its state (缴费状态: 正常, 作废, 已退费 …) and
what it is for (征收项目, 险种: the same export may carry the residents' pension), and a refund
may be written as a row of its own with a negative amount. A person is enrolled by a payment
of the residents' medical insurance that stands, so such rows are taken out before the list is
checked and counted:

- a row of another scheme (城乡居民基本养老保险费, 职工基本医疗保险 …) is left out, refunds too;
- so is a row of another benefit year (its 费款所属期起, 缴费年度): during a campaign the
  tax system also takes a newborn's contribution for the year of birth (柞水) and back
  payments of earlier years (补缴以前年度保费, 东明), which enrol no one for the campaign's year;
- a row whose status says the ticket was voided, failed or paid back is left out;
- a refund row (negative amount) cancels one payment of the same person and amount in the same
  file made on or before its day (a later one is the person paying again): the one already left
  out by its status if there is one, else the latest, else the last in the file. The
  payment is left out; the refund stays in the list, marked NETTED (with the day of the
  payment it cancelled, NETTED_ON): it pays back the person's payment where an earlier list
  stored that very payment (a list exported from the campaign's start each week: where the
  person paid again, the payment left in the file stands in its place), and is done with where
  none did, or where the one stored is another (a weekly list with a person's second payment
  and its refund: the first stands).
- a refund that finds no payment in the file stays in the list unmarked: the import pays back
  the payment an earlier list stored, and refuses the row where there is none
  (``dashboard.refunds``).

Nothing here touches the database; the notes say which rows were left out and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

from dashboard.distinct import by_unique
from dashboard.glossary import (
    AMOUNT,
    ID_NUMBER,
    INSURANCE,
    LISTED_STATUSES,
    OTHER_INSURANCE_WORDS,
    PAID_ON,
    PAID_STATUSES,
    PERIOD,
    RESIDENT_MEDICAL_WORDS,
    STATUS,
    UNLISTED_STATUSES,
    UNPAID_STATUSES,
    VOUCHER,
)
from dashboard.idnumbers import normalise_ids
from dashboard.layout import Layout, header_key
from dashboard.money import parse_fen

SHOWN = 3  # rows named in a note; the rest are counted


class Words(Protocol):
    """What a column's words say of a row: whether it counts (None: a word of neither kind),
    what a row left out is said to be, and the problem of a word of neither kind."""

    @property
    def left_out(self) -> str: ...

    @property
    def unknown(self) -> str: ...

    def counts(self, text: str) -> bool | None: ...

    def word(self, text: str) -> str:
        """What a note's tally calls a row's cell (作废, 2022年度)."""
        ...


class AsWritten:
    """Words a note's tally names as the cells write them."""

    def word(self, text: str) -> str:
        return text.strip()


@dataclass(frozen=True)
class Statuses(AsWritten):
    """The words a kind of list writes its rows' status with: those that count (a blank one
    too) and those that do not; what a row left out is said to be, and a few of each word for
    the problem of a word that is neither."""

    counted: frozenset[str]
    not_counted: frozenset[str]
    left_out: str
    unknown: str

    def counts(self, text: str) -> bool | None:
        """Whether a row with this status counts; None for a word that is neither."""
        key = header_key(text)
        if key == "" or key in self.counted:
            return True
        return False if key in self.not_counted else None


PAYMENT_STATUSES = Statuses(
    PAID_STATUSES,
    UNPAID_STATUSES,
    "不计入参保",
    "无法识别的缴费状态（计入：正常、有效、已缴费等；不计入：作废、冲正、已退费等）",
)
MEMBER_STATUSES = Statuses(
    LISTED_STATUSES,
    UNLISTED_STATUSES,
    "不计入名单",
    "无法识别的人员状态（计入：正常、在册、享受中等；不计入：死亡、注销、停保等）",
)


@dataclass(frozen=True)
class Insurances(AsWritten):
    """What a payment is for (险种, 征收项目), read by the words within it: the residents'
    medical insurance counts, another scheme does not (glossary.OTHER_INSURANCE_WORDS)."""

    left_out: str = "不是城乡居民医保，不计入参保"
    unknown: str = (
        "无法识别的险种（计入：城乡居民基本医疗保险；不计入：城乡居民养老保险、职工医保等其他险种）"
    )

    def counts(self, text: str) -> bool | None:
        """Whether a payment for this counts; None for words of neither kind."""
        key = header_key(text)
        if key == "":
            return True
        if any(word in key for word in OTHER_INSURANCE_WORDS):
            return False
        return True if any(word in key for word in RESIDENT_MEDICAL_WORDS) else None


INSURANCES = Insurances()
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}")  # 2023, 2023年度, 2023-01-01, 20230101, 2023.01-2023.12


@dataclass(frozen=True)
class BenefitYears:
    """What a payment's period (费款所属期起, 缴费年度) says: the benefit year it is for, the
    campaign's (``year``) or another."""

    year: int

    @property
    def left_out(self) -> str:
        return f"不是{self.year}年度的保费，不计入参保"

    @property
    def unknown(self) -> str:
        return f"无法识别的所属期（{self.year}年度的保费写作{self.year}、{self.year}-01-01等）"

    def counts(self, text: str) -> bool | None:
        """Whether a payment of this period counts (a blank one does); None for no year."""
        if not text.strip():
            return True
        year = _year(text)
        return None if year is None else int(year) == self.year

    def word(self, text: str) -> str:
        year = _year(text)
        return f"{year}年度" if year else text.strip()


def _year(text: str) -> str | None:
    found = YEAR.search(unicodedata.normalize("NFKC", text))
    return found.group() if found else None


NETTED = "_netted"  # a payment list's column: the refund row cancelled a payment in the file
NETTED_ON = "_netted_on"  # and the day of that payment (None where it cannot be read)
TWICE = "_twice"  # a payment list's column: the person has another payment in the file
VOIDED = "_voided"  # a refund row made of a payment the list says was voided or paid back


def later_of_each(payments: pd.DataFrame) -> pd.Index:
    """The index of each person's payments but their earliest (of two on one day, the first
    in the list): the second payments of a person a list has two of (id_number, paid_on)."""
    order = payments[[ID_NUMBER, PAID_ON]].sort_values(PAID_ON, kind="stable")
    return order.index[order[ID_NUMBER].duplicated(keep="first").to_numpy()]


def vouchers_of(rows: pd.DataFrame) -> pd.Series:
    """Each payment row's tax ticket, empty where the list gave none."""
    return rows[VOUCHER] if VOUCHER in rows else pd.Series("", index=rows.index, dtype=object)


def seen_before(rows: pd.DataFrame, seen: pd.DataFrame) -> np.ndarray:
    """Which payment rows (a few) are payments among ``seen`` (stored payments of their
    people; ID number, day, amount, ticket): of the same tax ticket where both have one (a
    ticket listed again on another day, by another export, is the same payment), else of the
    same day and amount."""
    return np.array([at is not None for at in seen_as(rows, seen)], dtype=bool)


def seen_as(rows: pd.DataFrame, seen: pd.DataFrame) -> list[int | None]:
    """For each payment row (a few), the position in ``seen`` of the payment it is, as
    seen_before tells them (the first that matches), or None."""
    theirs: dict[str, list[tuple[date, int, str, int]]] = {}
    columns = seen[[ID_NUMBER, PAID_ON, AMOUNT, VOUCHER]].itertuples(index=False)
    for at, (number, day, fen, voucher) in enumerate(columns):
        theirs.setdefault(number, []).append((day, int(fen), voucher, at))
    listed = zip(rows[ID_NUMBER], rows[PAID_ON], rows[AMOUNT], vouchers_of(rows), strict=True)
    return [
        next(
            (
                at
                for on, amount, other, at in theirs.get(number, ())
                if (voucher == other if voucher and other else (day, int(fen)) == (on, amount))
            ),
            None,
        )
        for number, day, fen, voucher in listed
    ]


UNMATCHED = "退费记录找不到可冲抵的缴费"


def unmatched_refund(stored: str | None) -> str:
    """Why a refund row cannot go in: no payment of the person to pay back (``stored``: what
    an earlier list stored of them, an amount or a refund, where it did)."""
    found = f"，之前导入的缴费明细中此人{stored}" if stored else ""
    return f"{UNMATCHED}：本文件和之前导入的缴费明细中都没有此人同金额的缴费{found}"


@dataclass
class Cancelled:
    """The body rows left out (True in ``rows``), the refund rows kept that cancelled a
    payment in the file (``netted``, with that payment's day), a note for each reason, and
    the rows left out by their status alone (``withdrawn``: a payment's, with no refund row
    of the person in the file), which withdraw what an earlier list stored (Parsed.withdrawn)."""

    rows: pd.Series
    netted: dict[object, date | None]
    notes: list[str]
    withdrawn: pd.Index


def left_by(
    layout: Layout,
    body: pd.DataFrame,
    words: Words,
    *,
    column: str = STATUS,
    keep: pd.Series | None = None,
) -> tuple[pd.Series, list[str]]:
    """The rows of ``body`` whose ``column`` says they do not count (except those ``keep``
    holds) and the note that says so (none where there are none)."""
    if column not in layout.columns:
        return pd.Series(False, index=body.index), []
    text = layout.text(body, column)
    left = (by_unique(text, words.counts) == False).astype(bool)  # noqa: E712 (True/False/None)
    if keep is not None:
        left = left & ~keep
    if not left.any():
        return left, []
    said = by_unique(text[left], words.word).value_counts()
    tally = "、".join(f"{word}{n}行" for word, n in said.items())
    return left, [
        f"{int(left.sum())}行按“{layout.headers[column]}”{words.left_out}（{tally}）："
        f"{rows_where(layout, body.index[left])}"
    ]


def cancelled_payments(
    layout: Layout, body: pd.DataFrame, read_day: Callable[[str], date | None], *, year: int
) -> Cancelled:
    """Which rows of a payment list's ``body`` do not count: of another scheme or benefit year
    than the campaign's ``year``, then by status and by refund (``read_day``: a payment date
    cell's day, None where it cannot be read)."""
    other = pd.Series(False, index=body.index)
    notes: list[str] = []
    for words, column in ((INSURANCES, INSURANCE), (BenefitYears(year), PERIOD)):
        left, said = left_by(layout, body, words, column=column, keep=other)
        other |= left
        notes += said
    if not other.any():
        return _cancelled(layout, body, read_day)
    rest = _cancelled(layout, body[~other], read_day)
    rows = other | rest.rows.reindex(body.index, fill_value=False)
    return Cancelled(rows, rest.netted, notes + rest.notes, rest.withdrawn)


def _cancelled(
    layout: Layout, body: pd.DataFrame, read_day: Callable[[str], date | None]
) -> Cancelled:
    amounts = layout.text(body, AMOUNT).str.strip()
    # A refund row, whatever its status says (退费, or 正常 for the refund itself).
    negative = amounts.str.startswith("-")
    if STATUS in layout.columns and negative.any():
        negative &= by_unique(layout.text(body, STATUS), PAYMENT_STATUSES.counts).notna()
    by_status, notes = left_by(layout, body, PAYMENT_STATUSES, keep=negative)
    if not negative.any():
        return Cancelled(by_status, {}, notes, body.index[by_status])
    ids = normalise_ids(layout.text(body, ID_NUMBER))
    refunded = ids.isin(set(ids[negative].dropna()))  # the few rows of people with a refund
    days = by_unique(layout.text(body[refunded], PAID_ON), read_day)
    pairs = _pairs(body, ids, amounts[refunded], days, negative, refunded, by_status)
    rows = by_status | body.index.isin(list(pairs.values()))
    # One refund a person is kept, to pay back what an earlier list stored (the payment it
    # cancelled here, where that one was stored), even where the person still has a payment
    # in the file: that one then stands instead.
    kept = pd.Index(list(pairs))[~ids[list(pairs)].duplicated(keep="last").to_numpy()]
    rows = rows | (body.index.isin(list(pairs)) & ~body.index.isin(kept))
    if pairs:
        shown = "、".join(_cancels(layout, r, p) for r, p in list(pairs.items())[:SHOWN])
        notes.append(
            f"{len(pairs)}行退费记录（负数金额）与本文件中同一人、同金额的缴费记录相抵，"
            f"这些缴费不计入参保：{shown}{'等' if len(pairs) > SHOWN else ''}"
        )
    voided = by_status & ~refunded  # a person's refund rows say what was paid back
    return Cancelled(rows, {r: _day(days[pairs[r]]) for r in kept}, notes, body.index[voided])


def _pairs(
    body: pd.DataFrame,
    ids: pd.Series,
    amounts: pd.Series,
    days: pd.Series,
    negative: pd.Series,
    refunded: pd.Series,
    by_status: pd.Series,
) -> dict[object, object]:
    """Each refund row's index (``negative``) with that of the payment in the file it
    cancels (refunds with none to cancel are left out). A refund pays back a payment made
    on or before its day, never a later one: the person paid again. ``amounts`` and
    ``days`` are those of the rows of the people with a refund (``refunded``)."""
    fen = by_unique(amounts.str.removeprefix("-"), parse_fen)
    paid = body.index[refunded & ~negative]
    # Already left out by their status first, then the latest, then the last in the file.
    order = sorted(
        paid,
        key=lambda i: (not by_status[i], -_ordinal(days[i]), -body.index.get_loc(i)),
    )
    pairs: dict[object, object] = {}
    for index in body.index[negative]:
        if pd.isna(ids[index]) or fen[index] is None:
            continue  # the checks that follow name what is wrong with it
        refunded_on = _ordinal(days[index])  # 0 when unreadable: any payment may be its
        same = (
            i
            for i in order
            if ids[i] == ids[index]
            and fen[i] == fen[index]
            and (not refunded_on or _ordinal(days[i]) <= refunded_on)
        )
        match = next((i for i in same if i not in pairs.values()), None)
        if match is not None:
            pairs[index] = match
    return pairs


def _day(day: object) -> date | None:
    return day if isinstance(day, date) else None


def _ordinal(day: object) -> int:
    """A day as a number to compare; 0 where it cannot be read (the checks name it)."""
    return day.toordinal() if isinstance(day, date) else 0


def _cancels(layout: Layout, refund: object, paid: object) -> str:
    """'q.csv第9行冲抵第4行' (the payment's sheet named where it is another)."""
    labels, rows = layout.origins(pd.Index([refund, paid]))
    other = labels[1] if labels[1] != labels[0] else ""
    return f"{labels[0]}第{rows[0]}行冲抵{other}第{rows[1]}行"


def rows_where(layout: Layout, index: pd.Index) -> str:
    """'q.csv第3、5、8行等': the first rows of ``index``, each sheet named once."""
    labels, rows = layout.origins(index[:SHOWN])
    return rows_named(labels, rows, len(index))


def rows_named(labels: list[str], rows: list[int], count: int) -> str:
    """Rows where they are (sheet labels and row numbers, the first SHOWN of ``count``),
    each sheet named once: 'q.csv第3、5、8行等'."""
    by_sheet: dict[str, list[str]] = {}
    for label, row in list(zip(labels, rows, strict=True))[:SHOWN]:
        by_sheet.setdefault(label, []).append(str(row))
    shown = "、".join(f"{label}第{'、'.join(numbers)}行" for label, numbers in by_sheet.items())
    return shown + ("等" if count > SHOWN else "")
