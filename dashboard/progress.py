"""Cumulative progress: what each township had enrolled as of a date, and day-by-day curves."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.glossary import DATE, ENROLLED, TOWNSHIP, VILLAGE


def _keys(progress: pd.DataFrame) -> list[str]:
    return [TOWNSHIP, VILLAGE] if VILLAGE in progress.columns else [TOWNSHIP]


def enrolled_as_of(progress: pd.DataFrame, day: date, townships: list[str]) -> pd.Series:
    """Enrolled per township as of ``day``: the latest report on or before it.

    ``progress`` holds cumulative counts with columns date, township, enrolled and optionally
    village (a township's figure is then the sum of its villages' latest counts). Townships
    with no report yet count 0. The result is indexed by ``townships`` in that order.
    """
    known = progress[progress[DATE] <= day]
    latest = known.sort_values(DATE).groupby(_keys(known), sort=False)[ENROLLED].last()
    per_township = (
        latest.groupby(level=TOWNSHIP).sum() if isinstance(latest.index, pd.MultiIndex) else latest
    )
    return per_township.reindex(townships, fill_value=0).astype("int64")


def daily_enrolled(
    progress: pd.DataFrame, townships: list[str], *, start: date, end: date
) -> pd.DataFrame:
    """Enrolled as of each day from ``start`` to ``end``: one row per day, one column per township.

    Between reports a township keeps its last count (a cumulative figure never drops back);
    before its first report it counts 0.
    """
    days = pd.date_range(start, end, freq="D").date
    known = progress[progress[DATE] <= end]
    keys = _keys(known)
    wide = known.pivot_table(index=DATE, columns=keys, values=ENROLLED, aggfunc="last")
    wide = wide.reindex(sorted(set(wide.index) | set(days))).ffill().fillna(0)
    if len(keys) == 2:
        wide = wide.T.groupby(level=TOWNSHIP).sum().T
    wide = wide.reindex(columns=townships, fill_value=0).loc[list(days)]
    wide.index.name = DATE
    return wide.astype("int64")


def report_dates(progress: pd.DataFrame) -> list[date]:
    """The distinct dates that have a report, ascending."""
    return sorted(set(progress[DATE]))
