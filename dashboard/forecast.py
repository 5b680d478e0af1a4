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

    ``status``: reached (already at quota; ``reach_date`` is the first day at or above it),
    on_track (``reach_date`` is the projected day, on or before the campaign end), short
    (``shortfall`` persons are projected to be missing at the campaign end) or not_started
    (nobody enrolled yet: there is no pace to project from; ``shortfall`` is the quota).
    ``pace_per_day`` is persons per day over the last seven days (or since the start).
    ``projected_end`` is the projected count at the campaign end.
    """

    status: Status
    reach_date: date | None
    shortfall: int
    pace_per_day: Fraction
    projected_end: int


def forecast(
    enrolled_by_day: Mapping[date, int],
    quota: int,
    *,
    as_of: date,
    campaign_start: date,
    campaign_end: date,
) -> Forecast:
    """Project one township's cumulative count forward at its recent pace.

    ``enrolled_by_day`` gives the cumulative count for each day from the campaign start to
    ``as_of`` (days missing count as the day before, or 0). The pace is the gain over the
    last seven days divided by seven (fewer days early in the campaign). The projection is
    linear and rounds persons down, days up: a township at 9 990 of 10 000 gaining 4 a day
    reaches its quota on the third day after ``as_of``. A quota of 0 counts as reached.
    """
    current = _count_on(enrolled_by_day, as_of)
    window_start = max(as_of - timedelta(days=PACE_WINDOW_DAYS), campaign_start)
    window = (as_of - window_start).days
    gained = current - _count_on(enrolled_by_day, window_start) if window else current
    pace = Fraction(gained, window or 1)
    days_left = max((campaign_end - as_of).days, 0)
    projected_end = current + math.floor(pace * days_left)

    if current >= quota:
        first = min((d for d, n in enrolled_by_day.items() if n >= quota), default=as_of)
        return Forecast("reached", first, 0, pace, projected_end)
    if current == 0:
        return Forecast("not_started", None, quota, pace, 0)
    if pace > 0:
        days_needed = math.ceil(Fraction(quota - current) / pace)
        if days_needed <= days_left:
            return Forecast("on_track", as_of + timedelta(days=days_needed), 0, pace, projected_end)
    return Forecast("short", None, quota - projected_end, pace, projected_end)


def _count_on(enrolled_by_day: Mapping[date, int], day: date) -> int:
    known = [d for d in enrolled_by_day if d <= day]
    return enrolled_by_day[max(known)] if known else 0
