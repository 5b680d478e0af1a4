"""A progress report checked against the reports imported before it.

A township's figure is cumulative: it may not go down from one report to the next, whichever
file each report came from. Parsing checks each township's and village's own rows within a
file (parsing._decreasing); here the file's rows meet the stored ones, combined as the pages
combine them (progress.daily_enrolled: a township's own figure, or the sum of its villages'
latest), so a village report that leaves villages out, or a corrected total typed lower, is
caught before it lowers a township's count.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.formatting import count, short_day
from dashboard.glossary import DATE, ENROLLED, TOWNSHIP, VILLAGE
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
        stored_days = _days(mine, township)
        rows = new[new[TOWNSHIP] == township]
        days = sorted(stored_days.keys() | set(rows[DATE]))
        figures = wide[township]
        for before, after in zip(days, days[1:], strict=False):
            if figures[after] >= figures[before]:
                continue
            if before in stored_days and after in set(rows[DATE]):
                at, than = after, before
            elif after in stored_days and before in set(rows[DATE]):
                at, than = before, after
            elif _levels(rows, before) != _levels(rows, after):  # the file's own, mixed
                at, than = after, before
            else:  # both the file's, of one level: parsing names the village or row
                continue
            said = _said(township, figures[at], than, figures[than], stored_days)
            reasons |= dict.fromkeys(rows.index[rows[DATE] == at], said)
    return pd.Series(reasons, dtype=object)


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
    township: str, figure: int, other_day: date, other: int, held: dict[date, int | None]
) -> str:
    """The reason: the township's figure with the file, against its figure on another report
    day (``other`` on ``other_day``: earlier and larger, or later and smaller), stored (``held``
    names the import) or the file's own."""
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
    return f"{township}累计参保人数将为{count(figure)}，{than}：累计人数不能减少{undo}"
