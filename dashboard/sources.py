"""Which data a township's figures come from, when a county has more than one kind.

Per township, enrolled counts come from the best source it has: imported progress reports,
then imported payment lists (distinct ID numbers), then simulated reports, then simulated
payments. Special groups: where a roster was imported, its members are the roster and those
with a payment are enrolled; elsewhere the quota table's counts and the group reports. An
imported roster of a township and group replaces the simulated one of the same township and
group; so do imported payments of a township its simulated payments, village by village.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.campaign import GROUP_PROGRESS_COLUMNS, GROUP_QUOTA_COLUMNS, PROGRESS_COLUMNS
from dashboard.glossary import (
    DATE,
    ENROLLED,
    GROUP,
    REPORT_SOURCE,
    SIMULATED,
    SIMULATED_LABEL,
    TOWNSHIP,
)

SOURCE_LABELS = {0: REPORT_SOURCE, 1: "缴费明细", 2: SIMULATED_LABEL, 3: SIMULATED_LABEL}


def cumulative(daily: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """New persons per day (column enrolled) to cumulative counts per key, day by day."""
    if daily.empty:
        return daily
    ordered = daily.sort_values(DATE, kind="stable")
    ordered = ordered.groupby([*keys, DATE, SIMULATED], as_index=False, sort=False)[ENROLLED].sum()
    ordered[ENROLLED] = ordered.groupby([*keys, SIMULATED], sort=False)[ENROLLED].cumsum()
    return ordered


def _rank(frame: pd.DataFrame, offset: int) -> pd.Series:
    return frame[SIMULATED].astype(int) * 2 + offset


def choose_progress(
    reports: pd.DataFrame, payments: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str], dict[str, tuple[str, date]]]:
    """The progress rows to use; per township the name of the source they came from; and
    per township with an imported payment list that a progress report outranks, that
    list's name and latest day (what the 数据导入 page says is not counted).

    ``reports`` are progress reports; ``payments`` cumulative distinct payers per township,
    village and day (both in the progress frame's columns).
    """
    both = pd.concat(
        [reports.assign(_rank=_rank(reports, 0)), payments.assign(_rank=_rank(payments, 1))],
        ignore_index=True,
    )
    if both.empty:
        return reports[PROGRESS_COLUMNS], {}, {}
    best = both.groupby(TOWNSHIP)["_rank"].min()
    chosen = both[both["_rank"] == both[TOWNSHIP].map(best)]
    sources = {str(t): SOURCE_LABELS[int(r)] for t, r in best.items()}
    outranked = both[(both["_rank"] == 1) & (both[TOWNSHIP].map(best) == 0)]
    latest = outranked.groupby(TOWNSHIP)[DATE].max()
    passed_over = {str(t): (SOURCE_LABELS[1], d) for t, d in latest.items()}
    return chosen[PROGRESS_COLUMNS].reset_index(drop=True), sources, passed_over


def choose_groups(
    group_quotas: pd.DataFrame,
    group_reports: pd.DataFrame,
    roster_sizes: pd.DataFrame,
    roster_paid: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Roster sizes and group progress: an imported roster replaces the quota table's count
    and the group reports for its township and group."""
    keys = [TOWNSHIP, GROUP]
    real = group_reports[~group_reports[SIMULATED]].set_index(keys).index
    shadowed = group_reports[SIMULATED] & group_reports.set_index(keys).index.isin(real)
    group_reports = group_reports[~shadowed]
    if roster_sizes.empty:
        return group_quotas[GROUP_QUOTA_COLUMNS], group_reports[GROUP_PROGRESS_COLUMNS]
    covered = roster_sizes.set_index(keys).index
    quotas = pd.concat(
        [group_quotas[~group_quotas.set_index(keys).index.isin(covered)], roster_sizes],
        ignore_index=True,
    )
    reports = group_reports[~group_reports.set_index(keys).index.isin(covered)]
    progress = pd.concat([reports, roster_paid], ignore_index=True)
    return quotas[GROUP_QUOTA_COLUMNS], progress[GROUP_PROGRESS_COLUMNS]


def drop_shadowed(frame: pd.DataFrame, real: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` without its simulated rows whose ``keys`` have an imported (not simulated)
    row in ``real`` (which may be ``frame`` itself). Both frames have a ``simulated`` column."""
    if frame.empty or real.empty:
        return frame
    imported = real.loc[~real[SIMULATED].astype(bool), keys].drop_duplicates()
    if imported.empty:
        return frame
    hit = frame.set_index(keys).index.isin(imported.set_index(keys).index)
    return frame[~(frame[SIMULATED].astype(bool) & hit)]
