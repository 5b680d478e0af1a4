"""Problems found in input files: one row each (file, row, column, value, reason, in Chinese)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

PROBLEM_COLUMNS = ["file", "row", "column", "value", "reason"]
PROBLEM_LABELS = {"file": "文件", "row": "行号", "column": "列", "value": "值", "reason": "问题"}


class EntriesRefused(Exception):
    """Figures typed into a page's table that cannot be saved; ``problems`` says why, one
    sentence in Chinese each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, said in Chinese for the clerk who must fix it.

    ``row`` is the row as a spreadsheet numbers it (the first line is 1); None for the file as
    a whole. ``column`` is the header as written in the file.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        return self.describe()

    def describe(self, *, file: bool = True) -> str:
        """'任务表.csv 第3行 “乡镇”列：…（值：“…”）'; without the file when ``file`` is False."""
        where = [self.file] if file else []
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column is not None:
            where.append(f"“{self.column}”列")
        value = f"（值：“{self.value}”）" if self.value is not None else ""
        place = f"{' '.join(where)}：" if where else ""
        return f"{place}{self.reason}{value}"


class InputError(Exception):
    """A file was rejected; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table, in file and row order (whole-file problems first)."""
    frame = pd.DataFrame(
        [(p.file, p.row, p.column, p.value, p.reason) for p in problems], columns=PROBLEM_COLUMNS
    )
    frame["row"] = frame["row"].astype("Int64")
    return frame.sort_values(["file", "row"], na_position="first", kind="stable").reset_index(
        drop=True
    )


def problems_display(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problem table with Chinese headers, as shown on the import page and downloaded."""
    frame = problems_frame(problems).rename(columns=PROBLEM_LABELS)
    frame["行号"] = [("" if pd.isna(r) else str(r)) for r in frame["行号"]]
    return frame.fillna("")


def problems_text(problems: Sequence[Problem]) -> str:
    """The problem table as tab-separated text for a terminal (file, row, column, value, reason)."""
    return table_text(problems_display(problems))


def table_text(frame: pd.DataFrame) -> str:
    """A display table as tab-separated text for a terminal, its header first."""
    lines = ["\t".join(frame.columns)]
    lines += ["\t".join(str(v) for v in row) for row in frame.itertuples(index=False)]
    return "\n".join(lines)
