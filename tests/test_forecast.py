"""Forecast from the recent weekly pace."""

from datetime import date, timedelta
from fractions import Fraction

from dashboard import views
from dashboard.forecast import forecast

START = date(2023, 9, 1)
END = date(2023, 12, 20)


def linear(start_count: int, per_day: int, days: int) -> dict[date, int]:
    return {START + timedelta(d): start_count + per_day * d for d in range(days + 1)}


def test_on_track_reach_date() -> None:
    counts = linear(0, 100, 30)  # 3000 on day 30, pace 100 a day
    result = forecast(
        counts, 5000, as_of=START + timedelta(30), campaign_start=START, campaign_end=END
    )
    assert result.status == "on_track"
    assert result.pace_per_day == Fraction(100)
    assert result.reach_date == START + timedelta(50)
    assert result.shortfall == 0


def test_partial_day_rounds_up() -> None:
    counts = {START + timedelta(d): 9976 + 4 * d for d in range(8)}  # 10004 on day 7
    result = forecast(
        counts, 10010, as_of=START + timedelta(7), campaign_start=START, campaign_end=END
    )
    # 10010 - 10004 = 6 persons at 4 a day: 2 days (1.5 rounded up).
    assert result.reach_date == START + timedelta(9)


def test_short_at_campaign_end() -> None:
    as_of = END - timedelta(10)
    counts = {as_of - timedelta(7): 9000, as_of: 9070}  # 10 a day, 10 days left
    result = forecast(counts, 10000, as_of=as_of, campaign_start=START, campaign_end=END)
    assert result.status == "short"
    assert result.projected_end == 9170
    assert result.shortfall == 830
    assert result.reach_date is None


def test_stalled_township_is_short_by_what_it_lacks() -> None:
    as_of = date(2023, 11, 1)
    counts = {as_of - timedelta(7): 500, as_of: 500}
    result = forecast(counts, 800, as_of=as_of, campaign_start=START, campaign_end=END)
    assert (result.status, result.shortfall, result.pace_per_day) == ("short", 300, 0)


def test_already_reached_reports_the_first_day_at_quota() -> None:
    counts = linear(0, 100, 40)
    result = forecast(
        counts, 2550, as_of=START + timedelta(40), campaign_start=START, campaign_end=END
    )
    assert result.status == "reached"
    assert result.reach_date == START + timedelta(26)


def test_early_in_the_campaign_pace_uses_the_days_so_far() -> None:
    counts = linear(0, 50, 3)
    result = forecast(
        counts, 1000, as_of=START + timedelta(3), campaign_start=START, campaign_end=END
    )
    assert result.pace_per_day == Fraction(50)
    assert result.reach_date == START + timedelta(20)


def test_no_reports_yet() -> None:
    result = forecast({}, 1000, as_of=START, campaign_start=START, campaign_end=END)
    assert (result.status, result.shortfall) == ("not_started", 1000)


def test_a_township_nobody_enrolled_in_yet_is_not_projected() -> None:
    as_of = START + timedelta(10)
    result = forecast({as_of: 0}, 800, as_of=as_of, campaign_start=START, campaign_end=END)
    assert (result.status, result.reach_date, result.shortfall) == ("not_started", None, 800)
    assert (result.pace_per_day, result.projected_end) == (0, 0)
    assert views.forecast_sentence(result, quota=800, as_of=as_of, campaign_end=END) == (
        "尚无参保人数，无从按进度预测；距任务数还差800人。"
    )
    assert views.forecast_basis(result, as_of=as_of, campaign_end=END) == "尚无参保人数"
    assert views.forecast_sentence(result, quota=800, as_of=END, campaign_end=END) == (
        "征缴期已结束，完成任务的0.0%，还差800人。"
    )
