"""Rates as exact fractions: completion, participation, special-group coverage, 序时进度."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from data_models.policy import CampaignDates


def ratio(part: int, whole: int | None) -> Fraction | None:
    """``part / whole`` as an exact fraction; None when the whole is unknown or zero.

    Counts must be non-negative integers. A zero whole (a quota of 0, an empty roster) has
    no rate rather than an infinite one.
    """
    if part < 0 or (whole is not None and whole < 0):
        raise ValueError(f"counts must not be negative: {part} / {whole}")
    if not whole:
        return None
    return Fraction(part, whole)


def completion_rate(enrolled: int, quota: int) -> Fraction | None:
    """任务完成率 = enrolled / quota (target 100 %). None for a quota of 0."""
    return ratio(enrolled, quota)


def participation_rate(enrolled: int, base_population: int | None) -> Fraction | None:
    """参保率 = enrolled / base population (target 98 %). None where no base is known."""
    return ratio(enrolled, base_population)


def coverage(enrolled: int, roster_size: int) -> Fraction | None:
    """Special-group coverage = enrolled roster members / roster size (target 100 %)."""
    return ratio(enrolled, roster_size)


def as_decimal(rate: Fraction | None, places: int = 4) -> Decimal | None:
    """A rate rounded half up to ``places`` decimals, e.g. 63000/62010 -> Decimal('1.0160')."""
    if rate is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(rate.numerator) / Decimal(rate.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def meets(rate: Fraction | None, target: Decimal | Fraction) -> bool:
    """True when a rate reaches its target (exactly, no float slack). A missing rate never does."""
    return rate is not None and rate >= Fraction(target)


def scheduled_share(day: date, campaign: CampaignDates) -> Fraction:
    """序时进度: the share of the quota due by ``day`` if the campaign kept an even pace from 0
    on its start day to the whole quota at the end of its centralised period (as the 总览
    curve draws it); 0 before the start, 1 from the centralised end on."""
    span = (campaign.centralised_end - campaign.start).days
    if span <= 0 or day >= campaign.centralised_end:
        return Fraction(1)
    return Fraction(max((day - campaign.start).days, 0), span)


def points_ahead(completion: Fraction, scheduled: Fraction) -> Decimal:
    """Percentage points by which a completion is ahead of the 序时进度 (negative: behind),
    between the two as shown to one decimal: 89.5 % against 89.1 % is 0.4 (not 0.34 read as
    0.3), and 89.06 % against 89.1 % is level."""
    shown = [as_decimal(rate, 3) or Decimal(0) for rate in (completion, scheduled)]
    return (shown[0] - shown[1]) * 100
