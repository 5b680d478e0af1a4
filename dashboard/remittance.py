"""The "双限" remittance rule: a village collector pays the premiums collected in cash into the
township's account within so many days, or once so much is held, whichever comes first
(Neixiang: 5 days, 10 000 yuan; "以期限或额度条件先满足之日为准").

A cash ledger (现金台账) has one row per receipt: township, village, collector, receipt date,
amount, and the date it was paid in (empty while still held). Each receipt's deadline is its
date plus the days, or the first day on which what its collector holds reaches the limit, if
that comes earlier; a deposit after the deadline, or none by the day looked at, is overdue.
Nothing here knows Streamlit or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from dashboard.glossary import (
    AMOUNT,
    COLLECTOR,
    DEPOSITED_ON,
    NAME,
    RECEIVED_ON,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.money import from_fen, to_fen
from data_models.policy import CountyPolicy

DEADLINE = "deadline"
TRIGGER = "trigger"
STATUS = "status"
DAYS_LATE = "days_late"
ON_TIME, LATE, OVERDUE, HELD = "按时存入", "逾期存入", "逾期未存", "未到期"
BY_DAYS, BY_AMOUNT = "期限", "额度"
KEYS = [TOWNSHIP, VILLAGE, COLLECTOR]
CHECK_COLUMNS = [
    *KEYS,
    NAME,
    RECEIVED_ON,
    AMOUNT,
    DEPOSITED_ON,
    DEADLINE,
    TRIGGER,
    STATUS,
    DAYS_LATE,
]


@dataclass(frozen=True)
class RemittanceRule:
    """Pay in within ``days`` days of a receipt, or on the day ``limit`` yuan is held."""

    days: int
    limit: Decimal

    @classmethod
    def of(cls, policy: CountyPolicy) -> RemittanceRule:
        """The county's rule; Neixiang's (5 days, 10 000 yuan) where its notice sets none."""
        return cls(policy.remittance_days or 5, policy.remittance_amount or Decimal(10000))


def check_day(ledger: pd.DataFrame, as_of: date) -> date:
    """The day to check a ledger at by default: ``as_of`` (the day the figures are looked at),
    or the ledger's last receipt or deposit when that is later (a ledger kept up to yesterday
    runs ahead of the last progress report)."""
    entries = [d for d in (*ledger[RECEIVED_ON], *ledger[DEPOSITED_ON]) if isinstance(d, date)]
    return max([as_of, *entries])


def check_ledger(ledger: pd.DataFrame, rule: RemittanceRule, *, as_of: date) -> pd.DataFrame:
    """Every receipt up to ``as_of`` with its deadline, what set it (期限 or 额度), its status
    (按时存入, 逾期存入, 逾期未存, 未到期) and days late; a deposit after ``as_of`` is not yet
    known on that day. Columns CHECK_COLUMNS; receipts in ledger order within a collector."""
    rows = ledger[ledger[RECEIVED_ON] <= as_of].copy()
    deposited = rows[DEPOSITED_ON].where(rows[DEPOSITED_ON].notna(), None)
    rows[DEPOSITED_ON] = [d if d is not None and d <= as_of else None for d in deposited]
    parts = [
        _collector(group, rule, as_of) for _, group in rows.groupby(KEYS, sort=False, dropna=False)
    ]
    if not parts:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    return pd.concat(parts)[CHECK_COLUMNS].reset_index(drop=True)


def _collector(rows: pd.DataFrame, rule: RemittanceRule, as_of: date) -> pd.DataFrame:
    """The deadlines of one collector's receipts (what they hold counts across receipts)."""
    rows = rows.sort_values(RECEIVED_ON, kind="stable")
    received = np.array(rows[RECEIVED_ON].tolist(), dtype="datetime64[D]")
    deposits = np.array(
        [np.datetime64("NaT") if d is None else d for d in rows[DEPOSITED_ON]],
        dtype="datetime64[D]",
    )
    amounts = rows[AMOUNT].to_numpy(dtype=np.int64)
    days = np.unique(received)
    # held on a day: received by then and not paid in before it (a deposit ends the day)
    still = np.isnat(deposits)[None, :] | (deposits[None, :] >= days[:, None])
    held = ((received[None, :] <= days[:, None]) & still) @ amounts
    full = days[held >= to_fen(rule.limit)]
    ends = np.where(np.isnat(deposits), np.datetime64(as_of, "D"), deposits)
    deadlines, triggers = [], []
    for start, end in zip(received, ends, strict=True):
        by_days = start + np.timedelta64(rule.days, "D")
        reached = full[(full >= start) & (full <= end)]
        if reached.size and reached[0] < by_days:
            deadlines.append(reached[0].item())
            triggers.append(BY_AMOUNT)
        else:
            deadlines.append(by_days.item())
            triggers.append(BY_DAYS)
    rows[DEADLINE], rows[TRIGGER] = deadlines, triggers
    status = [_status(d, due, as_of) for d, due in zip(rows[DEPOSITED_ON], deadlines, strict=True)]
    rows[STATUS] = [s for s, _ in status]
    rows[DAYS_LATE] = [late for _, late in status]
    return rows


def _status(deposited: date | None, deadline: date, as_of: date) -> tuple[str, int]:
    if deposited is not None:
        late = (deposited - deadline).days
        return (LATE, late) if late > 0 else (ON_TIME, 0)
    late = (as_of - deadline).days
    return (OVERDUE, late) if late > 0 else (HELD, 0)


def is_overdue(checked: pd.DataFrame) -> pd.Series:
    """True for each checked receipt paid in late or still held past its deadline."""
    return checked[STATUS].isin([LATE, OVERDUE])


def collectors(checked: pd.DataFrame) -> pd.DataFrame:
    """Per collector: receipts, yuan received, paid in and still held, overdue receipts, their
    yuan and the longest delay; collectors with overdue receipts first."""
    frame = checked.assign(
        _in=checked[DEPOSITED_ON].notna(),
        _overdue=is_overdue(checked),
    )
    frame["_paid_in"] = frame[AMOUNT].where(frame["_in"], 0)
    frame["_late_fen"] = frame[AMOUNT].where(frame["_overdue"], 0)
    summary = frame.groupby(KEYS, sort=False, dropna=False).agg(
        receipts=(AMOUNT, "size"),
        received=(AMOUNT, "sum"),
        paid_in=("_paid_in", "sum"),
        overdue=("_overdue", "sum"),
        overdue_amount=("_late_fen", "sum"),
        longest=(DAYS_LATE, "max"),
    )
    summary["held"] = summary["received"] - summary["paid_in"]
    summary = summary.sort_values(["overdue", "longest"], ascending=False, kind="stable")
    for column in ("received", "paid_in", "held", "overdue_amount"):
        summary[column] = [from_fen(int(f)) for f in summary[column]]
    return summary.reset_index()


@dataclass(frozen=True)
class LedgerTotals:
    """The figures over the whole ledger, for the cards above the tables."""

    receipts: int
    collectors: int
    received: Decimal
    overdue: int
    overdue_amount: Decimal
    held_overdue: Decimal


def ledger_totals(checked: pd.DataFrame) -> LedgerTotals:
    """Receipts, collectors and yuan in all, overdue receipts and yuan, and yuan still held
    past the deadline (exact sums of fen)."""
    overdue = checked[is_overdue(checked)]
    held = checked[checked[STATUS] == OVERDUE]
    return LedgerTotals(
        receipts=len(checked),
        collectors=len(checked[KEYS].drop_duplicates()),
        received=from_fen(int(checked[AMOUNT].sum())),
        overdue=len(overdue),
        overdue_amount=from_fen(int(overdue[AMOUNT].sum())),
        held_overdue=from_fen(int(held[AMOUNT].sum())),
    )
