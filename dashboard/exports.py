"""Machine-readable outputs shared by the CLI and the pages' download buttons (CSV, UTF-8)."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import Ranking
from dashboard.files import write_csv
from dashboard.glossary import (
    COMPLETION,
    ENROLLED,
    FLAGGED,
    QUOTA,
    RANK,
    RANK_CHANGE,
    TOWNSHIP,
)
from dashboard.rates import as_decimal, completion_rate
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
    """A display table as CSV for Excel users: UTF-8 with BOM, so Excel reads the Chinese."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


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
