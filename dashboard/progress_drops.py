"""A progress report checked against the reports imported before it.

A township's figure is cumulative: it may not go down from one report to the next, whichever
file each report came from. Parsing checks each township's and village's own rows within a
file (parsing._decreasing); here the file's rows meet the stored ones, combined as the pages
combine them (progress.daily_enrolled: a township's own figure, or the sum of its villages'
latest), so a village report that leaves villages out, or a corrected total typed lower, is
caught before it lowers a township's count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from itertools import pairwise

import pandas as pd

from dashboard.formatting import count, short_day
from dashboard.glossary import DATE, ENROLLED, GROUP, TOWNSHIP, VILLAGE
from dashboard.progress import daily_enrolled

IMPORT = "import_id"
COLUMNS = [DATE, TOWNSHIP, VILLAGE, ENROLLED]


def township_drops(stored: pd.DataFrame, new: pd.DataFrame) -> pd.Series:
    """Why rows of ``new`` would make a township's cumulative count go down, indexed by them.

    ``stored``: the imported reports (date, township, village — "" for the whole township —,
    enrolled, import_id); ``new``: a file's rows (the same columns but import_id). A township's
    figure on each of its report days is compared with the report day's before it; where it
    drops and one side is stored, or both are the file's but one gives the township's own
    figure and the other its villages', every row of the file's side that day is named (its
    villages together make the figure). The rest of the file's own drops are parsing's.
    """
    new = new.dropna(subset=[DATE, TOWNSHIP, ENROLLED])
    townships = sorted(set(new[TOWNSHIP]))
    if not townships:
        return pd.Series(dtype=object)
    mine = stored[stored[TOWNSHIP].isin(townships)]
    both = pd.concat([mine[COLUMNS], new[COLUMNS]], ignore_index=True)
    both[ENROLLED] = both[ENROLLED].astype("int64")
    wide = daily_enrolled(both, townships, start=min(both[DATE]), end=max(both[DATE]))
    reasons: dict[object, str] = {}
    for township in townships:
        held = _days(mine, township)
        rows = new[new[TOWNSHIP] == township]
        figures = wide[township]

        def mixed(before: date, after: date, rows: pd.DataFrame = rows) -> bool:
            return _levels(rows, before) != _levels(rows, after)

        for at, than in _drops(figures, held, set(rows[DATE]), mixed):
            said = _said(township, figures[at], than, figures[than], held)
            reasons |= dict.fromkeys(rows.index[rows[DATE] == at], said)
    return pd.Series(reasons, dtype=object)


def group_drops(
    stored: pd.DataFrame, new: pd.DataFrame, *, columns: dict[str, str], labels: Mapping[str, str]
) -> pd.Series:
    """Why rows of ``new`` would make a special group's cumulative count in a township go down
    against the stored reports, indexed by (row, column).

    ``stored``: the imported group figures (date, township, group code, enrolled, import_id);
    ``new``: a file's rows with a column per group, ``columns`` mapping each to its group code
    and ``labels`` to its header in the file. A group's figure of a township on a day is the
    sum of the file's rows (its villages').
    """
    reasons: dict[tuple[object, str], str] = {}
    for column, code in columns.items():
        rows = new.dropna(subset=[DATE, TOWNSHIP, column])
        sums = rows.groupby([TOWNSHIP, DATE])[column].sum()
        for township in sorted(set(rows[TOWNSHIP])):
            mine = stored[(stored[TOWNSHIP] == township) & (stored[GROUP] == code)]
            held = _days(mine, township)
            figures = dict(zip(mine[DATE], mine[ENROLLED].astype("int64"), strict=True))
            figures |= {d: int(n) for d, n in sums[township].items()}
            own = rows[rows[TOWNSHIP] == township]
            for at, than in _drops(pd.Series(figures), held, set(own[DATE])):
                said = _said(
                    f"{township}“{labels[column]}”", figures[at], than, figures[than], held
                )
                reasons |= {(i, column): said for i in own.index[own[DATE] == at]}
    return pd.Series(reasons, dtype=object)


def _drops(
    figures: pd.Series,
    held: dict[date, int | None],
    days: set[date],
    mixed: Callable[[date, date], bool] = lambda before, after: False,
) -> Iterator[tuple[date, date]]:
    """The file's report days where a figure (indexed by day) drops against the report day
    next to it, each with that day: where the other side is stored (``held``), or both are the
    file's (``days``) and ``mixed`` says parsing has not compared them."""
    ordered = sorted(held.keys() | days)
    for before, after in pairwise(ordered):
        if figures[after] >= figures[before]:
            continue
        if before in held and after in days:
            yield after, before
        elif after in held and before in days:
            yield before, after
        elif before not in held and after not in held and mixed(before, after):
            yield after, before


def _days(stored: pd.DataFrame, township: str) -> dict[date, int | None]:
    """Each day the township has stored reports on, with the (latest) import that holds them."""
    rows = stored[stored[TOWNSHIP] == township]
    held: dict[date, int | None] = {}
    for day, import_id in zip(rows[DATE], rows[IMPORT], strict=True):
        if import_id is not None and pd.notna(import_id):
            held[day] = max(int(import_id), held.get(day) or 0)
        else:
            held.setdefault(day, None)
    return held


def _levels(rows: pd.DataFrame, day: date) -> set[bool]:
    """Whether the rows of a day are the township's own figure (True), its villages' (False)."""
    return set(rows.loc[rows[DATE] == day, VILLAGE].fillna("") == "")


def _said(
    subject: str, figure: int, other_day: date, other: int, held: dict[date, int | None]
) -> str:
    """The reason: the figure (of ``subject``: a township, or its group) with the file, against
    its figure on another report day (``other`` on ``other_day``: earlier and larger, or later
    and smaller), stored (``held`` names the import) or the file's own."""
    if other_day not in held:
        source = "本文件中"
    elif held[other_day] is None:
        source = "已导入"
    else:
        source = f"已导入（第{held[other_day]}号导入）"
    than = f"比{short_day(other_day)}{source}的{count(other)}少"
    if other < figure:
        than = f"比之后{short_day(other_day)}{source}的{count(other)}还多"
    undo = "，如需更正请先撤销该导入" if other_day in held else ""
    return f"{subject}累计参保人数将为{count(figure)}，{than}：累计人数不能减少{undo}"
