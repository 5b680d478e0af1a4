"""Machine-readable outputs shared by the CLI and the pages' download buttons (CSV, UTF-8)."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import Ranking
from dashboard.files import inert_in_excel, write_csv
from dashboard.glossary import (
    AMOUNT,
    COLLECTOR,
    COMPLETION,
    DEPOSITED_ON,
    ENROLLED,
    FLAGGED,
    NAME,
    QUOTA,
    RANK,
    RANK_CHANGE,
    RECEIVED_ON,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.money import from_fen
from dashboard.rates import as_decimal, completion_rate
from dashboard.remittance import DAYS_LATE, DEADLINE, STATUS, TRIGGER
from dashboard.settlement import Settlement
from dashboard.whatif import DELTA_COLUMNS, Comparison, totals_row

SETTLEMENT_HEADER = [
    "township",
    "quota",
    "enrolled",
    "completion_rate",
    "rank",
    "work_fund",
    "reward",
    "deduction",
    "net",
]
RANKING_HEADER = [
    "township",
    "enrolled",
    "quota",
    "completion_rate",
    "rank",
    "rank_change",
    "flagged",
]


def _blank(value: object) -> object:
    return "" if value is None else value


def settlement_csv(settlement: Settlement, ranked: pd.DataFrame) -> str:
    """One row per township in rank order, then 合计 with the county's completion and no rank.

    Completion is a fraction with four decimals (1.0160); money has two decimals and no
    thousands separators.
    """
    ranks = dict(zip(ranked[TOWNSHIP], ranked[RANK], strict=True))
    rows = []
    for line in (*settlement.lines, settlement.total):
        rows.append(
            [
                line.township,
                line.quota,
                line.enrolled,
                _blank(as_decimal(completion_rate(line.enrolled, line.quota))),
                _blank(ranks.get(line.township)),
                line.work_fund,
                line.reward,
                line.deduction,
                line.net,
            ]
        )
    return write_csv(rows, SETTLEMENT_HEADER)


def ranking_csv(ranking: Ranking) -> str:
    """The period's ranking: rank_change positive when a township moved up, empty in the first
    period; flagged 1 for the bottom three below 100 %, else 0."""
    table = ranking.table
    rows = [
        [
            row[TOWNSHIP],
            row[ENROLLED],
            row[QUOTA],
            _blank(as_decimal(row[COMPLETION])),
            _blank(row[RANK]),
            _blank(row[RANK_CHANGE]),
            int(bool(row[FLAGGED])),
        ]
        for row in table.to_dict("records")
    ]
    return write_csv(rows, RANKING_HEADER)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A display table as CSV for Excel users: UTF-8 with BOM, so Excel reads the Chinese;
    a text Excel would run as a formula is kept text (files.inert_in_excel)."""
    shown = frame.map(lambda v: inert_in_excel(v) if isinstance(v, str) else v)
    return shown.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def whatif_csv(comparison: Comparison) -> str:
    """The what-if delta table: one row per township in quota-table order, then 合计.

    Money has two decimals; flagged columns are 1 or 0 (empty on the 合计 row), ranks empty
    there too.
    """
    rows = []
    for record in (*comparison.deltas.to_dict("records"), totals_row(comparison)):
        rows.append(
            [
                _blank(record[c])
                if c not in ("flagged", "scenario_flagged") or record[c] is None
                else int(bool(record[c]))
                for c in DELTA_COLUMNS
            ]
        )
    return write_csv([["" if v is None else v for v in row] for row in rows], DELTA_COLUMNS)


LEDGER_HEADER = [
    "township",
    "village",
    "collector",
    "name",
    "received_on",
    "amount",
    "deposited_on",
    "deadline",
    "trigger",
    "status",
    "days_late",
]


def ledger_csv(checked: pd.DataFrame) -> str:
    """Every receipt of a checked cash ledger: dates as YYYY-MM-DD (deposited_on empty while
    held), amount in yuan with two decimals, trigger 期限 or 额度, status in Chinese."""
    rows = [
        [
            row[TOWNSHIP],
            row[VILLAGE],
            row[COLLECTOR],
            row[NAME],
            row[RECEIVED_ON],
            from_fen(int(row[AMOUNT])),
            _blank(row[DEPOSITED_ON]),
            row[DEADLINE],
            row[TRIGGER],
            row[STATUS],
            row[DAYS_LATE],
        ]
        for row in checked.to_dict("records")
    ]
    return write_csv(rows, LEDGER_HEADER)
