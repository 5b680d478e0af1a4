"""Cumulative progress: what each township had enrolled as of a date, and day-by-day curves."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.glossary import DATE, ENROLLED, TOWNSHIP, VILLAGE


def _by_village(progress: pd.DataFrame) -> bool:
    """True when some rows are a village's figure, not only whole townships'."""
    return VILLAGE in progress.columns and bool((progress[VILLAGE].fillna("") != "").any())


def enrolled_as_of(progress: pd.DataFrame, day: date, townships: list[str]) -> pd.Series:
    """Enrolled per township as of ``day``: its latest report on or before it.

    ``progress`` holds cumulative counts with columns date, township, enrolled and optionally
    village. A township reported by village counts the sum of its villages' latest figures; a
    figure for the whole township (village empty) counts instead when it is at least as recent
    as the latest of its villages', so a county that moves from township to village reports, or
    back, never counts both. Townships with no report yet count 0. The result is indexed by
    ``townships`` in that order.
    """
    known = progress[progress[DATE] <= day].sort_values(DATE, kind="stable")
    if not _by_village(known):
        latest = known.groupby(TOWNSHIP, sort=False)[ENROLLED].last()
        return latest.reindex(townships, fill_value=0).astype("int64")
    keys = known.assign(**{VILLAGE: known[VILLAGE].fillna("")})
    latest = keys.groupby([TOWNSHIP, VILLAGE], sort=False)[[DATE, ENROLLED]].last().reset_index()
    whole = latest[VILLAGE] == ""
    own = latest[whole].set_index(TOWNSHIP)
    parts = (
        latest[~whole].groupby(TOWNSHIP).agg(**{DATE: (DATE, "max"), ENROLLED: (ENROLLED, "sum")})
    )
    figures = _whole_or_villages(own[ENROLLED], own[DATE], parts[ENROLLED], parts[DATE])
    return figures.reindex(townships, fill_value=0).astype("int64")


def latest_report_dates(progress: pd.DataFrame, day: date, townships: list[str]) -> pd.Series:
    """The date of each township's latest report on or before ``day`` (its own or a
    village's), None where it has none yet; indexed by ``townships`` in that order."""
    known = progress[progress[DATE] <= day]
    latest = known.groupby(TOWNSHIP, sort=False)[DATE].max()
    return latest.reindex(townships).astype(object).where(lambda d: d.notna(), None)


def _whole_or_villages(
    whole: pd.DataFrame | pd.Series,
    whole_date: pd.DataFrame | pd.Series,
    villages: pd.DataFrame | pd.Series,
    villages_date: pd.DataFrame | pd.Series,
) -> pd.DataFrame | pd.Series:
    """The township's own figure where it is at least as recent as its villages', else their
    sum (aligned on townships: a Series per township, or a frame of days by townships)."""
    whole, villages = whole.align(villages)
    whole_date, villages_date = whole_date.align(villages_date)
    own = whole_date.notna() & (villages_date.isna() | (whole_date >= villages_date))
    return whole.where(own, villages).fillna(0)


def daily_enrolled(
    progress: pd.DataFrame, townships: list[str], *, start: date, end: date
) -> pd.DataFrame:
    """Enrolled as of each day from ``start`` to ``end``: one row per day, one column per township.

    Between reports a township keeps its last count (a cumulative figure never drops back);
    before its first report it counts 0. Village and whole-township reports combine as in
    ``enrolled_as_of``.
    """
    days = pd.date_range(start, end, freq="D").date
    known = progress[progress[DATE] <= end]
    by_village = _by_village(known)
    if by_village:
        known = known.assign(**{VILLAGE: known[VILLAGE].fillna("")})
    keys = [TOWNSHIP, VILLAGE] if by_village else [TOWNSHIP]
    wide = known.pivot_table(index=DATE, columns=keys, values=ENROLLED, aggfunc="last")
    wide = wide.reindex(sorted(set(wide.index) | set(days)))
    if by_village:
        wide = _combine_levels(wide)
    wide = wide.ffill().fillna(0).reindex(columns=townships, fill_value=0).loc[list(days)]
    wide.index.name = DATE
    return wide.astype("int64")


def _combine_levels(wide: pd.DataFrame) -> pd.DataFrame:
    """Days by (township, village) reports, gaps where none, to days by township."""
    step = pd.Series(range(len(wide)), index=wide.index, dtype="float64")
    reported = wide.notna().mul(step, axis=0).where(wide.notna()).ffill()  # when last reported
    filled = wide.ffill().fillna(0)
    whole = wide.columns.get_level_values(VILLAGE) == ""

    def per_township(frame: pd.DataFrame, how: str) -> pd.DataFrame:
        return frame.T.groupby(level=TOWNSHIP).agg(how).T

    return _whole_or_villages(
        filled.loc[:, whole].droplevel(VILLAGE, axis=1),
        reported.loc[:, whole].droplevel(VILLAGE, axis=1),
        per_township(filled.loc[:, ~whole], "sum"),
        per_township(reported.loc[:, ~whole], "max"),
    )


def report_dates(progress: pd.DataFrame) -> list[date]:
    """The distinct dates that have a report, ascending."""
    return sorted(set(progress[DATE]))
