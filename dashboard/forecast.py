"""Forecast from the recent weekly pace: when a township reaches 100 %, or how short it ends."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Literal

Status = Literal["reached", "on_track", "short", "not_started"]
PACE_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Forecast:
    """Outcome for one township.

    ``status``: reached (already at quota; ``reach_date`` is the first day known at or above
    it), on_track (``reach_date`` is the projected day, on or before the campaign end), short
    (``shortfall`` persons are projected to be missing at the campaign end) or not_started
    (nobody enrolled yet: there is no pace to project from; ``shortfall`` is the quota).
    ``pace_per_day`` is persons per day from ``pace_from`` (None: from the campaign start) to
    ``pace_to``, the last day the count is known. ``projected_end`` is the projected count at
    the campaign end; ``levels_off`` the day the projection reaches its ceiling and stays there
    (None when it does not before the end).
    """

    status: Status
    reach_date: date | None
    shortfall: int
    pace_per_day: Fraction
    projected_end: int
    pace_to: date
    pace_from: date | None
    levels_off: date | None = None

    def projects(self, *, as_of: date, campaign_end: date) -> bool:
        """Whether there is a projection to draw on from ``as_of``: the campaign still runs
        and somebody is enrolled (there is a pace)."""
        return as_of < campaign_end and self.status != "not_started"


def forecast(
    known: Mapping[date, int],
    quota: int,
    *,
    as_of: date,
    campaign_start: date,
    campaign_end: date,
    pool: int | None = None,
) -> Forecast:
    """Project one township's cumulative count forward at its recent pace.

    ``known`` gives the cumulative count on the days it is known: every day where it comes
    from person-level lists, the report dates where from progress reports (between two
    reports it is not known, so a half-monthly report is not a fortnight's gain in a week).
    The pace is the gain from the last known day on or before ``as_of`` back to the last
    known day at least seven days before it (or, early on, the campaign start: 0 unless known
    there), divided by the days between. The projection runs on from the last known day,
    linear, rounding persons down and days up: a township at 9 990 of 10 000 gaining 4 a
    day reaches its quota on the third day after. A quota of 0 counts as reached.

    The projection stops at a ceiling: the township's ``pool`` (the people there are to enrol:
    its base population, or last year's enrolment), or its quota where that is larger or no
    pool is known, and never below the count already reached. The pace of a campaign's busiest
    weeks does not run on for its last month once the people left to enrol run out: 36 days
    at 871 a day took a quota of 62 010 to 85 200. Without a pool nobody beyond the quota
    is projected.
    """
    days = sorted(d for d in known if d <= as_of)
    last = days[-1] if days else as_of
    current = known[last] if days else 0
    earlier = [d for d in days if d <= last - timedelta(days=PACE_WINDOW_DAYS)]
    since = earlier[-1] if earlier else None
    base = known[since] if since is not None else known.get(campaign_start, 0)
    window = (last - (since or campaign_start)).days
    pace = Fraction(current - base, window) if window else Fraction(current)
    days_left = max((campaign_end - last).days, 0)
    ceiling = max(quota, pool or 0, current)
    projected_end = min(current + math.floor(pace * days_left), ceiling)
    levels_off = None
    if projected_end == ceiling and pace > 0:
        levels_off = min(last + timedelta(days=math.ceil((ceiling - current) / pace)), campaign_end)

    def outcome(status: Status, reach: date | None, shortfall: int, end: int) -> Forecast:
        return Forecast(status, reach, shortfall, pace, end, last, since, levels_off)

    if current >= quota:
        first = min((d for d in days if known[d] >= quota), default=as_of)
        return outcome("reached", first, 0, projected_end)
    if current == 0:
        return outcome("not_started", None, quota, 0)
    if pace > 0:
        days_needed = math.ceil(Fraction(quota - current) / pace)
        if days_needed <= days_left:
            reach = last + timedelta(days=days_needed)
            return outcome("on_track", reach, 0, projected_end)
    return outcome("short", None, quota - projected_end, projected_end)
