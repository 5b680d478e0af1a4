"""Completion, participation and coverage rates, exact."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from dashboard.rates import (
    as_decimal,
    completion_rate,
    coverage,
    meets,
    participation_rate,
    points_ahead,
    scheduled_share,
)
from data_models.policy import CampaignDates


@pytest.mark.parametrize(
    ("enrolled", "quota", "rate", "four_places"),
    [
        (63000, 62010, Fraction(63000, 62010), Decimal("1.0160")),
        (10000, 10680, Fraction(10000, 10680), Decimal("0.9363")),
        (62010, 62010, Fraction(1), Decimal("1.0000")),
        (0, 10598, Fraction(0), Decimal("0.0000")),
        (1, 3, Fraction(1, 3), Decimal("0.3333")),
        (2, 3, Fraction(2, 3), Decimal("0.6667")),
        (5, 0, None, None),
    ],
)
def test_completion_rate(enrolled: int, quota: int, rate: Fraction | None, four_places) -> None:
    assert completion_rate(enrolled, quota) == rate
    assert as_decimal(completion_rate(enrolled, quota)) == four_places


def test_rounding_is_half_up_not_bankers() -> None:
    assert as_decimal(Fraction(1, 8), 2) == Decimal("0.13")
    assert as_decimal(Fraction(3, 8), 2) == Decimal("0.38")


def test_participation_needs_a_base() -> None:
    assert participation_rate(141257, 143843) == Fraction(141257, 143843)
    assert participation_rate(141257, None) is None


def test_coverage_of_an_empty_roster_is_undefined() -> None:
    assert coverage(0, 0) is None
    assert coverage(35, 36) == Fraction(35, 36)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        completion_rate(-1, 10)


@pytest.mark.parametrize(
    ("rate", "target", "expected"),
    [
        (Fraction(1), Decimal(1), True),
        (Fraction(9999, 10000), Decimal(1), False),
        (Fraction(98, 100), Decimal("0.98"), True),
        (Fraction(979999, 1000000), Decimal("0.98"), False),
        (None, Decimal("0.98"), False),
    ],
)
def test_meets_target_exactly(rate, target, expected) -> None:
    assert meets(rate, target) is expected


NEIXIANG = CampaignDates(
    start=date(2022, 10, 15), end=date(2022, 12, 31), centralised_end=date(2022, 11, 30)
)  # 46 days


@pytest.mark.parametrize(
    ("day", "share"),
    [
        (date(2022, 10, 14), Fraction(0)),
        (date(2022, 10, 15), Fraction(0)),
        (date(2022, 11, 20), Fraction(36, 46)),  # 78.3 %
        (date(2022, 11, 29), Fraction(45, 46)),
        (date(2022, 11, 30), Fraction(1)),
        (date(2022, 12, 31), Fraction(1)),
    ],
)
def test_scheduled_share_runs_evenly_to_the_centralised_end(day: date, share: Fraction) -> None:
    assert scheduled_share(day, NEIXIANG) == share


def test_a_campaign_all_centralised_on_its_first_day_is_due_at_once() -> None:
    day = date(2022, 10, 15)
    assert scheduled_share(day, CampaignDates(start=day, end=day, centralised_end=day)) == 1


@pytest.mark.parametrize(
    ("completion", "scheduled", "points"),
    [
        (Fraction(89468, 100000), Fraction(41, 46), Decimal("0.4")),  # 89.5 % against 89.1 %
        (Fraction(8906, 10000), Fraction(41, 46), Decimal("0")),  # 89.1 % both: level
        (Fraction(3, 4), Fraction(36, 46), Decimal("-3.3")),  # 75.0 % against 78.3 %
    ],
)
def test_points_ahead_of_the_schedule_are_those_between_the_percentages_shown(
    completion: Fraction, scheduled: Fraction, points: Decimal
) -> None:
    assert points_ahead(completion, scheduled) == points
