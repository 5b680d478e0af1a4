"""Forecast from the recent weekly pace."""

from datetime import date, timedelta
from fractions import Fraction

import pandas as pd
import pytest

from dashboard import views
from dashboard.charts import township_trajectory
from dashboard.forecast import forecast
from data_models.policy import CampaignDates

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


HALF_MONTHLY = {date(2023, 10, 31): 4000, date(2023, 11, 15): 5500}


def test_half_monthly_reports_give_the_pace_between_them() -> None:
    # 1 500 in the fifteen days between two reports is 100 a day, not 1 500 in a week
    as_of = date(2023, 11, 15)
    result = forecast(HALF_MONTHLY, 7000, as_of=as_of, campaign_start=START, campaign_end=END)
    assert (result.pace_per_day, result.pace_from, result.pace_to) == (
        Fraction(100),
        date(2023, 10, 31),
        as_of,
    )
    assert (result.status, result.reach_date) == ("on_track", date(2023, 11, 30))
    assert views.forecast_sentence(result, quota=7000, as_of=as_of, campaign_end=END) == (
        "按10月31日至11月15日日均100人的进度，预计2023年11月30日完成任务。"
    )
    assert views.forecast_basis(result, as_of=as_of, campaign_end=END) == (
        "按10月31日至11月15日进度"
    )


def test_between_reports_the_projection_runs_on_from_the_last_one() -> None:
    # five days after the last report: the same pace, the same day, and no week of nothing
    as_of = date(2023, 11, 20)
    result = forecast(HALF_MONTHLY, 7000, as_of=as_of, campaign_start=START, campaign_end=END)
    assert (result.pace_per_day, result.reach_date) == (Fraction(100), date(2023, 11, 30))
    # 35 days from the last report to the end at 100 a day
    short = forecast(HALF_MONTHLY, 9500, as_of=as_of, campaign_start=START, campaign_end=END)
    assert (short.status, short.projected_end, short.shortfall) == ("short", 9000, 500)


def test_reports_a_few_days_apart_reach_back_to_one_a_week_before() -> None:
    known = {date(2023, 11, 1): 1000, date(2023, 11, 6): 1500, date(2023, 11, 10): 1900}
    as_of = date(2023, 11, 10)
    result = forecast(known, 5000, as_of=as_of, campaign_start=START, campaign_end=END)
    # 11-06 is only four days back: the pace runs from 11-01, 900 in 9 days
    assert (result.pace_from, result.pace_per_day) == (date(2023, 11, 1), Fraction(100))


def test_the_first_report_is_paced_from_the_campaign_start() -> None:
    as_of = date(2023, 9, 16)
    result = forecast({as_of: 750}, 3000, as_of=as_of, campaign_start=START, campaign_end=END)
    assert (result.pace_from, result.pace_per_day) == (None, Fraction(50))
    assert views.forecast_basis(result, as_of=as_of, campaign_end=END) == "按征缴开始以来进度"
    assert views.pace_window(result, as_of=as_of) == "征缴开始以来"


TUANDONG = {date(2026, 11, 18): 47747, date(2026, 11, 25): 53844}  # 871 a day
RUNNING = {"campaign_start": date(2026, 10, 15), "campaign_end": date(2026, 12, 31)}


def test_the_projection_stops_at_the_quota_where_no_pool_is_known() -> None:
    # 36 days at 871 a day would be 85 200 of a 62 010 quota: 137 %
    as_of = date(2026, 11, 25)
    result = forecast(TUANDONG, 62010, as_of=as_of, **RUNNING)
    assert (result.status, result.reach_date) == ("on_track", date(2026, 12, 5))
    assert (result.projected_end, result.levels_off) == (62010, date(2026, 12, 5))


@pytest.mark.parametrize(
    ("pool", "projected_end", "levels_off"),
    [
        (63000, 63000, date(2026, 12, 6)),  # 9 156 more at 871 a day: 10.5 days, 11 up
        (90000, 85200, None),  # the pool is not reached by the end
        (60000, 62010, date(2026, 12, 5)),  # a pool below the quota: the quota
    ],
)
def test_the_projection_stops_at_the_pool(pool: int, projected_end: int, levels_off) -> None:
    result = forecast(TUANDONG, 62010, as_of=date(2026, 11, 25), pool=pool, **RUNNING)
    assert (result.status, result.reach_date) == ("on_track", date(2026, 12, 5))
    assert (result.projected_end, result.levels_off) == (projected_end, levels_off)


def test_a_township_over_its_pool_is_projected_at_its_count() -> None:
    result = forecast(TUANDONG, 50000, as_of=date(2026, 11, 25), pool=52000, **RUNNING)
    assert (result.status, result.reach_date) == ("reached", date(2026, 11, 25))
    assert (result.projected_end, result.levels_off) == (53844, date(2026, 11, 25))


def test_a_short_township_is_projected_as_before() -> None:
    result = forecast(TUANDONG, 90000, as_of=date(2026, 11, 25), pool=95000, **RUNNING)
    assert (result.status, result.projected_end, result.shortfall) == ("short", 85200, 4800)
    assert result.levels_off is None


def test_the_drawn_projection_levels_off_at_the_pool() -> None:
    enrolled = pd.Series(TUANDONG).rename_axis("date")
    as_of, end = date(2026, 11, 25), RUNNING["campaign_end"]
    campaign = CampaignDates(start=date(2026, 10, 15), end=end, centralised_end=date(2026, 11, 30))
    over = forecast(TUANDONG, 50000, as_of=as_of, pool=60000, **RUNNING)
    drawn = township_trajectory(enrolled, 50000, over, as_of=as_of, campaign=campaign, title="")
    (line,) = [t for t in drawn.data if t.name == "按近期进度预测"]
    # 6 156 more at 871 a day: 8 days (7.1 up), then level to the end
    assert list(line.x) == [as_of, date(2026, 12, 3), end]
    assert list(line.y) == [53844, 60000, 60000]
    on_track = forecast(TUANDONG, 62010, as_of=as_of, **RUNNING)
    drawn = township_trajectory(enrolled, 62010, on_track, as_of=as_of, campaign=campaign, title="")
    (line,) = [t for t in drawn.data if t.name == "按近期进度预测"]
    assert (list(line.x), list(line.y)) == ([as_of, date(2026, 12, 5)], [53844, 62010])
    # the township's 序时进度, as the caption under its figures and the county's curve have it:
    # 0 on the first day, the whole quota at the centralised end
    (schedule,) = [t for t in drawn.data if t.name == "序时进度"]
    assert list(schedule.x) == [date(2026, 10, 15), date(2026, 11, 30)]
    assert list(schedule.y) == [0, 62010]
