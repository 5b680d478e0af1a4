"""The same day of the county's previous campaign (上年同期): how many were enrolled then, against
that year's quota, and its curve moved on a year to lie beside this year's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard.campaign import CampaignData
from dashboard.figures import county_curve, known_curves
from dashboard.glossary import QUOTA
from dashboard.periods import years_apart
from dashboard.rates import completion_rate, points_ahead


@dataclass(frozen=True)
class SameDayLastYear:
    """The previous campaign on ``day``, a year before the day looked at, for the county or
    one township: ``enrolled`` then (the latest known figure), that year's ``quota`` and
    ``completion``; ``curve``, the previous campaign's cumulative curve (figures.county_curve,
    or the township's known days) to its last figure, each point moved on a year;
    ``simulated`` when that campaign's figures are 模拟数据."""

    benefit_year: int
    day: date
    enrolled: int
    quota: int
    completion: Fraction | None
    curve: pd.Series
    simulated: bool


def whole_curves(previous: CampaignData) -> pd.DataFrame:
    """The previous campaign's known curves to its last figure (figures.known_curves), the
    same whatever day is looked at; empty before its first figure."""
    latest = previous.latest_date
    return pd.DataFrame() if latest is None else known_curves(previous, latest)


def same_day_last_year(
    previous: CampaignData,
    as_of: date,
    township: str | None = None,
    *,
    known: pd.DataFrame | None = None,
) -> SameDayLastYear | None:
    """The previous campaign a year before ``as_of``, for the county or ``township``; None
    where it has no figure yet, had not begun on that day (nothing to set beside this
    year's), or had no such township. ``known``: its whole_curves, where the caller keeps
    them (a page asks for one day after another)."""
    day = _a_year_before(previous, as_of)
    if day is None or (township is not None and township not in previous.townships):
        return None
    known = whole_curves(previous) if known is None else known
    if township is None:
        curve, quota = county_curve(known), int(previous.quotas[QUOTA].sum())
    else:
        curve, quota = known[township].dropna(), previous.quota_by_township[township]
    then = curve[curve.index <= day]
    enrolled = int(then.iloc[-1]) if len(then) else 0
    moved = pd.Series(curve.to_numpy(), index=[years_apart(d, 1) for d in curve.index])
    return SameDayLastYear(
        previous.policy.benefit_year,
        day,
        enrolled,
        quota,
        completion_rate(enrolled, quota),
        moved[~moved.index.duplicated(keep="last")],
        previous.simulated,
    )


@dataclass(frozen=True)
class TownshipsLastYear:
    """Each township's ``completion`` in the previous campaign (of ``benefit_year``) on
    ``day``, a year before the day looked at (its latest figure by then against that year's
    quota; None for a quota of 0), for the townships that campaign had; ``simulated`` when
    its figures are 模拟数据."""

    benefit_year: int
    day: date
    completion: dict[str, Fraction | None]
    simulated: bool

    def points_ahead(self, township: str, now: Fraction | None) -> Decimal | None:
        """How many points ``now`` is ahead of the township's completion then (negative:
        behind), between the two as shown (rates.points_ahead); None where either is
        missing (a township new this year, a quota of 0)."""
        then = self.completion.get(township)
        return None if now is None or then is None else points_ahead(now, then)


def townships_a_year_before(
    previous: CampaignData, as_of: date, *, known: pd.DataFrame | None = None
) -> TownshipsLastYear | None:
    """The townships' completion in the previous campaign a year before ``as_of``; None
    where it has no figure yet or had not begun that day. ``known`` as same_day_last_year
    takes it."""
    day = _a_year_before(previous, as_of)
    if day is None:
        return None
    known = whole_curves(previous) if known is None else known
    then = known[known.index <= day].ffill()
    quotas = previous.quota_by_township
    latest = then.iloc[-1] if len(then) else pd.Series(dtype="Int64")
    completion = {
        t: completion_rate(0 if pd.isna(latest.get(t)) else int(latest[t]), quotas[t])
        for t in previous.townships
    }
    return TownshipsLastYear(previous.policy.benefit_year, day, completion, previous.simulated)


def _a_year_before(previous: CampaignData, as_of: date) -> date | None:
    """The day a year before ``as_of``, where the previous campaign has figures and had
    begun by then."""
    day = years_apart(as_of, -1)
    if previous.latest_date is None or day < previous.policy.campaign.start:
        return None
    return day
