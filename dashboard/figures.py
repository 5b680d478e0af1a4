"""The figures every page and the CLI show, computed from a campaign as of a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import NamedTuple

import pandas as pd

from dashboard.campaign import CampaignData, VerifiedCounts
from dashboard.forecast import Forecast, forecast
from dashboard.glossary import (
    BASE_POPULATION,
    COMPLETION,
    COVERAGE,
    DATE,
    ENROLLED,
    FLAGGED,
    GROUP,
    LAST_YEAR_ENROLLED,
    NEW_ENROLLED,
    PARTICIPATION,
    PERIODS_FLAGGED,
    QUOTA,
    RANK,
    RANK_CHANGE,
    REPORT_SOURCE,
    ROSTER,
    SIMULATED,
    TIMES_FLAGGED,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.periods import Period, PeriodKind, campaign_periods, period_of, previous_period
from dashboard.progress import daily_enrolled, enrolled_as_of, latest_report_dates
from dashboard.ranking import bottom_three_flags, competition_ranks, rank_changes
from dashboard.rates import (
    completion_rate,
    coverage,
    participation_rate,
    points_ahead,
    scheduled_share,
)
from dashboard.settlement import Settlement, settle
from data_models.policy import SettlementRates


def standings(data: CampaignData, as_of: date) -> pd.DataFrame:
    """Per township, in quota-table order: quota, enrolled as of the date, rates and rank.

    Columns: township, quota, enrolled, completion_rate (Fraction or None for quota 0),
    rank (competition rank by completion, None for quota 0), base_population and
    participation_rate (None where no base is known).
    """
    enrolled = enrolled_as_of(data.progress, as_of, data.townships)
    return _standings(data, enrolled, reported=has_figures(data.first_date, as_of))


def verified_standings(data: CampaignData, verified: VerifiedCounts) -> pd.DataFrame:
    """Per township, as ``standings``, on the final counts the bureaus verified after the
    campaign (CampaignData.verified)."""
    return _standings(data, [verified.enrolled[t] for t in data.townships], reported=True)


def _standings(data: CampaignData, enrolled: list[int], *, reported: bool) -> pd.DataFrame:
    """The standings frame of townships whose enrolled are given in quota-table order."""
    quotas = data.quotas.sort_values("position")
    frame = pd.DataFrame(
        {
            TOWNSHIP: list(quotas[TOWNSHIP]),
            QUOTA: [int(q) for q in quotas[QUOTA]],
            ENROLLED: [int(n) for n in enrolled],
            BASE_POPULATION: [None if pd.isna(b) else int(b) for b in quotas[BASE_POPULATION]],
        }
    )
    rates, ranks = rates_and_ranks(list(frame[ENROLLED]), list(frame[QUOTA]), reported=reported)
    frame[COMPLETION] = pd.Series(rates, dtype="object")
    frame[RANK] = pd.Series(ranks, dtype="object")
    frame[PARTICIPATION] = pd.Series(
        [
            participation_rate(e, b)
            for e, b in zip(frame[ENROLLED], frame[BASE_POPULATION], strict=True)
        ],
        dtype="object",
    )
    return frame


def has_figures(first: date | None, day: date) -> bool:
    """Whether any township has a figure (a report, a payment) on or before ``day``, the
    campaign's first being on ``first`` (CampaignData.first_date). Before it there is nothing
    to rank: every township would tie at 0 % and all of them would stand among the bottom
    three (a county that starts importing in the campaign's third week has two such weeks), so
    such a period is not ranked and flags no one."""
    return first is not None and first <= day


def rates_and_ranks(
    enrolled: list[int], quotas: list[int], *, reported: bool
) -> tuple[list[Fraction | None], list[int | None]]:
    """Completion rates and competition ranks of townships given in one order; no ranks
    where nothing is ``reported`` yet."""
    rates = [completion_rate(e, q) for e, q in zip(enrolled, quotas, strict=True)]
    return rates, competition_ranks(rates) if reported else [None] * len(rates)


def in_rank_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by rank, ties (and unranked rows, last) in the quota table's order."""
    order = sorted(
        range(len(frame)),
        key=lambda i: (frame[RANK].iloc[i] is None, frame[RANK].iloc[i] or 0, i),
    )
    return frame.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class Ranking:
    """A period's ranking: the period, the date its figures are taken at, and the table.

    ``table`` is in rank order with columns township, enrolled, new_enrolled (enrolled during
    the period: since the campaign start in the first), quota, completion_rate, rank,
    rank_change (places gained since the previous period, None in the first) and flagged.
    ``behind``: the townships whose figure is carried over from before the period
    (report_gaps); ``carried``: the latest report's date where no township reported in the
    period at all. A period before any figure is ``unranked``. ``scheduled``: the 序时进度 on
    the snapshot's day (rates.scheduled_share; 1 from the centralised end on).
    """

    period: Period
    snapshot: date
    previous: Period | None
    table: pd.DataFrame
    behind: dict[str, date | None]
    carried: date | None = None
    scheduled: Fraction = Fraction(1)

    @property
    def unranked(self) -> bool:
        """No township ranked: nothing reported by the period's end (has_figures), or no
        township has a quota (quotaless); no ranks, no flags."""
        return bool(self.table[RANK].isna().all())

    @property
    def quotaless(self) -> bool:
        """Every township's quota is 0: no rate to rank on, whatever was reported."""
        return bool((self.table[QUOTA] == 0).all())

    @property
    def without_figures(self) -> bool:
        """Unranked because nothing was reported yet (not for want of quotas)."""
        return self.unranked and not self.quotaless


def ranking(data: CampaignData, period: Period, *, as_of: date) -> Ranking:
    """Rank townships on the period's figure: the latest report on or before its last day,
    or on or before ``as_of`` when the period is still running.
    """
    start = data.policy.campaign.start
    snapshot = min(period.end, as_of)
    current = standings(data, snapshot)
    before = previous_period(period, campaign_start=start)
    previous_ranks = None
    current[NEW_ENROLLED] = current[ENROLLED]  # the first period: everyone since the start
    if before is not None:
        prev = standings(data, before.end)
        previous_ranks = dict(zip(prev[TOWNSHIP], prev[RANK], strict=True))
        current[NEW_ENROLLED] = current[ENROLLED] - current[TOWNSHIP].map(
            dict(zip(prev[TOWNSHIP], prev[ENROLLED], strict=True))
        )
    changes = rank_changes(dict(zip(current[TOWNSHIP], current[RANK], strict=True)), previous_ranks)
    current[RANK_CHANGE] = pd.Series([changes[t] for t in current[TOWNSHIP]], dtype="object")
    current[FLAGGED] = bottom_three_flags(list(current[RANK]), list(current[COMPLETION]))
    table = in_rank_order(current)[
        [TOWNSHIP, ENROLLED, NEW_ENROLLED, QUOTA, COMPLETION, RANK, RANK_CHANGE, FLAGGED]
    ]
    gaps = report_gaps(data, since=period.start, until=snapshot)
    scheduled = scheduled_share(snapshot, data.policy.campaign)
    return Ranking(period, snapshot, before, table, gaps.behind, gaps.carried, scheduled)


class ReportGaps(NamedTuple):
    behind: dict[str, date | None]
    carried: date | None


def report_gaps(data: CampaignData, *, since: date, until: date) -> ReportGaps:
    """What a period from ``since`` to ``until`` lacks of the townships counted from progress
    reports (a payment list's last payment date is no report date, and simulated data is
    reported daily): ``behind``, those that reported nothing in it while others did, with
    their latest report's date (None: none yet); ``carried``, where none reported in it but
    some did before, the latest report's date. Their figures are carried over from then,
    which the ranking should say."""
    reporting = [t for t in data.townships if data.sources.get(t) == REPORT_SOURCE]
    reports = data.progress[~data.progress[SIMULATED] & data.progress[TOWNSHIP].isin(reporting)]
    dates = latest_report_dates(reports, until, reporting)
    known = [d for d in dates if d is not None]
    if not any(d >= since for d in known):
        return ReportGaps({}, max(known) if known else None)
    silent = [t for t in data.townships if t not in data.sources]  # nothing imported at all
    behind = {
        t: dates.get(t)
        for t in data.townships
        if t in silent or (t in dates and (dates[t] is None or dates[t] < since))
    }
    return ReportGaps(behind, None)


def period_for_date(data: CampaignData, kind: PeriodKind, as_of: date) -> Period:
    """The campaign's period of ``kind`` that contains ``as_of``: its last one for a day after
    its end (a catch-up period's payments, 柞水's 补缴期, are counted but not ranked: the
    ranking stays the campaign's final one, as the 排名 page lists only the campaign's periods)."""
    campaign = data.policy.campaign
    day = min(as_of, campaign.end)
    return period_of(kind, day, campaign_start=campaign.start, campaign_end=campaign.end)


def ranking_for_date(data: CampaignData, kind: PeriodKind, *, as_of: date) -> Ranking:
    """The ranking of the period of ``kind`` (week, half-month, month) that contains ``as_of``
    (see period_for_date)."""
    return ranking(data, period_for_date(data, kind, as_of), as_of=as_of)


def periods_to_date(data: CampaignData, kind: PeriodKind, *, as_of: date) -> list[Period]:
    """The campaign's periods of ``kind`` that have started by ``as_of``, oldest first."""
    campaign = data.policy.campaign
    return [
        p
        for p in campaign_periods(kind, campaign_start=campaign.start, campaign_end=campaign.end)
        if p.start <= as_of
    ]


def rank_history(data: CampaignData, kind: PeriodKind, *, as_of: date) -> pd.DataFrame:
    """Rank and completion of every township at the end of each period up to ``as_of``.

    Long form: one row per (period, township) with columns period (short label), period_label,
    date (snapshot), township, rank, completion_rate, flagged (as on that period's ranking).
    """
    townships = data.townships
    quotas = data.quota_by_township
    targets = [quotas[t] for t in townships]
    periods = periods_to_date(data, kind, as_of=as_of)
    columns = ["period", "period_label", DATE, TOWNSHIP, RANK, COMPLETION, FLAGGED]
    if not periods:
        return pd.DataFrame(columns=columns)
    # one day-by-day table for all snapshots (each the latest report on or before its day)
    curve = daily_enrolled(
        data.progress, townships, start=data.policy.campaign.start, end=min(periods[-1].end, as_of)
    )
    rows = []
    first = data.first_date
    for period in periods:
        snapshot = min(period.end, as_of)
        enrolled = curve.loc[snapshot]
        rates, ranks = rates_and_ranks(
            [int(enrolled[t]) for t in townships], targets, reported=has_figures(first, snapshot)
        )
        flags = bottom_three_flags(ranks, rates)
        for township, rank, rate, flag in zip(townships, ranks, rates, flags, strict=True):
            rows.append(
                {
                    "period": period.short_label,
                    "period_label": period.label,
                    DATE: snapshot,
                    TOWNSHIP: township,
                    RANK: rank,
                    COMPLETION: rate,
                    FLAGGED: flag,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def flag_record(history: pd.DataFrame, *, through: date | None = None) -> pd.DataFrame:
    """The townships flagged (排名后三名且未完成任务) in any period of ``history`` (as
    rank_history gives it), up to the one whose figures are taken on ``through``: how many
    times and in which periods, most first, ties in the quota table's order. Each time is a
    talk (约谈) and a deduction from the township's yearly score."""
    order = {t: i for i, t in enumerate(dict.fromkeys(history[TOWNSHIP]))}  # the table's order
    wanted = history[FLAGGED].astype(bool)
    if through is not None:
        wanted &= history[DATE] <= through
    flagged = history[wanted]
    record = flagged.groupby(TOWNSHIP)["period"].agg(list).rename(PERIODS_FLAGGED).reset_index()
    record.insert(1, TIMES_FLAGGED, record[PERIODS_FLAGGED].map(len))
    record = record.assign(_order=record[TOWNSHIP].map(order))
    return (
        record.sort_values([TIMES_FLAGGED, "_order"], ascending=[False, True])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def settlement(
    data: CampaignData, as_of: date, rates: SettlementRates | None = None
) -> tuple[Settlement, pd.DataFrame]:
    """Settle on the figures as of the date, townships in rank order (ties in quota order).

    Returns the settlement and the ranked standings it was computed from.
    """
    return _settled(standings(data, as_of), rates or data.policy.settlement)


def verified_settlement(
    data: CampaignData, verified: VerifiedCounts, rates: SettlementRates | None = None
) -> tuple[Settlement, pd.DataFrame]:
    """Settle on the final counts the bureaus verified (核定) after the campaign, as
    ``settlement`` does on a day's figures."""
    return _settled(verified_standings(data, verified), rates or data.policy.settlement)


def _settled(frame: pd.DataFrame, rates: SettlementRates) -> tuple[Settlement, pd.DataFrame]:
    ranked = in_rank_order(frame)
    rows = zip(ranked[TOWNSHIP], ranked[QUOTA], ranked[ENROLLED], strict=True)
    return settle(rows, rates), ranked


@dataclass(frozen=True)
class CountySummary:
    """The county's headline figures as of a date."""

    as_of: date
    quota: int
    enrolled: int
    completion: Fraction | None
    base_population: int | None
    participation: Fraction | None
    townships: int
    townships_met: int
    groups: pd.DataFrame
    scheduled: Fraction = Fraction(1)  # 序时进度 (rates.scheduled_share)
    townships_behind: int = 0  # below it (all short of their quota from its end on)
    # the townships as of the date, best first (in_rank_order): after the campaign, in its
    # catch-up period, what the overview's bars show (no period is ranked then)
    standings: pd.DataFrame = field(default_factory=pd.DataFrame)


def county_summary(data: CampaignData, as_of: date) -> CountySummary:
    """Totals over townships: completion against quota, participation against base, groups."""
    table = standings(data, as_of)
    quota = int(table[QUOTA].sum())
    enrolled = int(table[ENROLLED].sum())
    base = int(sum(table[BASE_POPULATION])) if data.has_base_population else None
    scheduled = scheduled_share(as_of, data.policy.campaign)
    return CountySummary(
        as_of=as_of,
        quota=quota,
        enrolled=enrolled,
        completion=completion_rate(enrolled, quota),
        base_population=base,
        participation=participation_rate(enrolled, base),
        townships=len(table),
        townships_met=sum(1 for r in table[COMPLETION] if r is not None and r >= 1),
        groups=group_coverage(data, as_of),
        scheduled=scheduled,
        townships_behind=sum(
            1 for r in table[COMPLETION] if r is not None and points_ahead(r, scheduled) < 0
        ),
        standings=in_rank_order(table),
    )


def _group_counts(data: CampaignData, as_of: date) -> pd.DataFrame:
    """Per township and group: roster size and members enrolled as of the date (the latest
    group report on or before it), in one pass over the group progress."""
    keys = [TOWNSHIP, GROUP]
    rosters = data.group_quotas.groupby(keys)[ROSTER].sum()
    progress = data.group_progress
    known = progress[progress[DATE] <= as_of].sort_values(DATE)
    enrolled = known.groupby(keys, sort=False)[ENROLLED].last()
    frame = pd.DataFrame({ROSTER: rosters}).join(enrolled, how="left")
    frame[ENROLLED] = frame[ENROLLED].fillna(0).astype("int64")
    return frame.reset_index()


def _coverage_rows(data: CampaignData, counts: pd.DataFrame) -> list[dict[str, object]]:
    """One row per policy group with roster members in ``counts`` (rows of one township, or
    of several to be added up), in policy order."""
    roster: dict[str, int] = {}
    enrolled: dict[str, int] = {}
    for code, size, paid in zip(counts[GROUP], counts[ROSTER], counts[ENROLLED], strict=True):
        roster[code] = roster.get(code, 0) + int(size)
        enrolled[code] = enrolled.get(code, 0) + int(paid)
    return [
        {
            GROUP: g.code,
            "label": g.label,
            ROSTER: roster[g.code],
            ENROLLED: enrolled[g.code],
            COVERAGE: coverage(enrolled[g.code], roster[g.code]),
        }
        for g in data.policy.groups
        if roster.get(g.code, 0) > 0
    ]


def group_coverage(data: CampaignData, as_of: date, township: str | None = None) -> pd.DataFrame:
    """Coverage of each special group with a roster, for one township or the whole county.

    Columns: group (code), label, roster_size, enrolled, coverage; groups in policy order;
    groups without any roster member are left out.
    """
    counts = _group_counts(data, as_of)
    if township is not None:
        counts = counts[counts[TOWNSHIP] == township]
    return pd.DataFrame(
        _coverage_rows(data, counts), columns=[GROUP, "label", ROSTER, ENROLLED, COVERAGE]
    )


def known_curves(data: CampaignData, as_of: date) -> pd.DataFrame:
    """Enrolled per township on each day from the campaign start to ``as_of``, blank (NA)
    on the days it is not known: a township whose figures come from progress reports is
    known on its report dates (and, at 0 unless reported, on the campaign's first day);
    person-level lists and simulated data are known every day. A weekly or half-monthly
    report is a point on the curve, not a step after days without any enrolment."""
    start = data.policy.campaign.start
    daily = daily_enrolled(data.progress, data.townships, start=start, end=as_of)
    known = pd.DataFrame(True, index=daily.index, columns=daily.columns)
    reports = data.progress[data.progress[DATE] <= as_of]
    for township in (t for t in data.townships if data.sources.get(t) == REPORT_SOURCE):
        reported = set(reports.loc[reports[TOWNSHIP] == township, DATE]) | {start}
        known[township] = daily.index.isin(reported)
    return daily.astype("Int64").where(known)


def county_curve(known: pd.DataFrame) -> pd.Series:
    """The county's enrolled on the days any township's count is known (``known_curves``):
    each township counts with its latest known figure."""
    return known.ffill().sum(axis=1)[known.notna().any(axis=1)].astype("int64")


def enrolled_lately(curve: pd.Series, *, days: int = 7) -> tuple[int, date] | None:
    """How many enrolled from the last known day at least ``days`` before the curve's last
    one (``county_curve``), and that day; None early on, before there is such a day."""
    before = curve[curve.index <= curve.index[-1] - timedelta(days=days)]
    if before.empty:
        return None
    return int(curve.iloc[-1]) - int(before.iloc[-1]), before.index[-1]


def forecasts(data: CampaignData, as_of: date) -> dict[str, Forecast]:
    """Each township's forecast from its recent pace (dashboard.forecast) up to ``as_of``,
    projected no further than its pool (pools)."""
    campaign = data.policy.campaign
    known = known_curves(data, as_of)
    quotas = dict(zip(data.quotas[TOWNSHIP], data.quotas[QUOTA], strict=True))
    pool = pools(data)
    return {
        township: forecast(
            {d: int(n) for d, n in known[township].dropna().items()},
            int(quotas[township]),
            as_of=as_of,
            campaign_start=campaign.start,
            campaign_end=campaign.end,
            pool=pool[township],
        )
        for township in data.townships
    }


def pools(data: CampaignData) -> dict[str, int | None]:
    """The people each township is to enrol, as far as the quota table knows: its base
    population (应参保人数), else last year's enrolment; None where it gives neither."""
    quotas = data.quotas
    known = quotas[BASE_POPULATION].fillna(quotas[LAST_YEAR_ENROLLED])
    return {t: None if pd.isna(n) else int(n) for t, n in zip(quotas[TOWNSHIP], known, strict=True)}


def coverage_by_township(
    data: CampaignData, as_of: date, *, township: str | None = None
) -> pd.DataFrame:
    """Special-group coverage of every township (or of one): long form with township, group,
    label, order (the group's place in the policy), roster_size, enrolled and coverage."""
    order = {g.code: i for i, g in enumerate(data.policy.groups)}
    counts = _group_counts(data, as_of)
    by_township = dict(tuple(counts.groupby(TOWNSHIP, sort=False)))
    rows = [
        {TOWNSHIP: t, **row, "order": order[str(row[GROUP])]}
        for t in (data.townships if township is None else [township])
        if t in by_township
        for row in _coverage_rows(data, by_township[t])
    ]
    columns = [TOWNSHIP, GROUP, "label", "order", ROSTER, ENROLLED, COVERAGE]
    return pd.DataFrame(rows, columns=columns)


def known_villages(villages: pd.DataFrame, quotas: dict[str, int]) -> dict[str, int | None]:
    """A township's villages — those with figures (village_enrolled's, most enrolled first),
    then those with only a quota — and each one's enrolled (None: no figure yet)."""
    enrolled: dict[str, int | None] = {
        v: int(n) for v, n in zip(villages[VILLAGE], villages[ENROLLED], strict=True)
    }
    return enrolled | {v: None for v in quotas if v not in enrolled}


def village_standings(villages: pd.DataFrame, quotas: dict[str, int]) -> pd.DataFrame:
    """A township's villages against the quotas it set them, best first: village, quota (None
    where it set none), enrolled (village_enrolled's; 0 for a village with a quota and no one
    enrolled yet), completion_rate and rank (competition rank among the villages with a quota
    above 0; None for the others, which come last, most enrolled first)."""
    known = known_villages(villages, quotas)
    names = list(known)
    counts = [known[v] or 0 for v in names]
    targets = [quotas.get(v) for v in names]
    rates = [
        None if q is None else completion_rate(e, q) for e, q in zip(counts, targets, strict=True)
    ]
    frame = pd.DataFrame(
        {
            VILLAGE: names,
            QUOTA: pd.Series(targets, dtype="object"),
            ENROLLED: counts,
            COMPLETION: pd.Series(rates, dtype="object"),
            RANK: pd.Series(competition_ranks(rates), dtype="object"),
        }
    )
    return in_rank_order(frame)


def village_enrolled(progress: pd.DataFrame, township: str, as_of: date) -> pd.DataFrame:
    """Enrolled per village of a township as of a date (latest report on or before it), most
    first, from progress rows that name villages; empty when there are none."""
    mine = progress[(progress[TOWNSHIP] == township) & (progress[VILLAGE] != "")]
    known = mine[mine[DATE] <= as_of].sort_values(DATE)
    latest = known.groupby(VILLAGE, sort=False)[ENROLLED].last().sort_values(ascending=False)
    return latest.rename_axis(VILLAGE).reset_index()
