"""Campaign weeks, half-months and months."""

from datetime import date

import pytest

from dashboard.periods import Period, campaign_periods, period_of, previous_period

NEIXIANG_START = date(2022, 10, 15)


@pytest.mark.parametrize(
    ("kind", "day", "index", "start", "end"),
    [
        ("week", date(2022, 10, 15), 1, date(2022, 10, 15), date(2022, 10, 21)),
        ("week", date(2022, 10, 21), 1, date(2022, 10, 15), date(2022, 10, 21)),
        ("week", date(2022, 10, 22), 2, date(2022, 10, 22), date(2022, 10, 28)),
        ("week", date(2022, 11, 30), 7, date(2022, 11, 26), date(2022, 12, 2)),
        ("half-month", date(2022, 10, 15), 1, date(2022, 10, 1), date(2022, 10, 15)),
        ("half-month", date(2022, 10, 16), 2, date(2022, 10, 16), date(2022, 10, 31)),
        ("half-month", date(2022, 11, 15), 3, date(2022, 11, 1), date(2022, 11, 15)),
        ("half-month", date(2022, 12, 31), 6, date(2022, 12, 16), date(2022, 12, 31)),
        ("month", date(2022, 10, 15), 1, date(2022, 10, 1), date(2022, 10, 31)),
        ("month", date(2022, 12, 1), 3, date(2022, 12, 1), date(2022, 12, 31)),
    ],
)
def test_period_of(kind, day, index, start, end) -> None:
    assert period_of(kind, day, campaign_start=NEIXIANG_START) == Period(kind, index, start, end)


def test_february_half_month_ends_on_the_last_day() -> None:
    p = period_of("half-month", date(2024, 2, 20), campaign_start=date(2024, 1, 1))
    assert (p.start, p.end) == (date(2024, 2, 16), date(2024, 2, 29))


def test_day_before_campaign_is_refused() -> None:
    with pytest.raises(ValueError):
        period_of("week", date(2022, 10, 14), campaign_start=NEIXIANG_START)


@pytest.mark.parametrize(
    ("kind", "count"),
    [("week", 12), ("half-month", 6), ("month", 3)],
)
def test_campaign_periods_neixiang(kind, count) -> None:
    periods = campaign_periods(kind, campaign_start=NEIXIANG_START, campaign_end=date(2022, 12, 31))
    assert len(periods) == count
    assert [p.index for p in periods] == list(range(1, count + 1))
    assert periods[0].contains(NEIXIANG_START)
    assert periods[-1].contains(date(2022, 12, 31))


def test_previous_period() -> None:
    week2 = period_of("week", date(2022, 10, 25), campaign_start=NEIXIANG_START)
    week1 = previous_period(week2, campaign_start=NEIXIANG_START)
    assert week1 is not None and week1.index == 1
    assert previous_period(week1, campaign_start=NEIXIANG_START) is None


@pytest.mark.parametrize(
    ("kind", "day", "label"),
    [
        ("week", date(2022, 10, 25), "第2周（10月22日–10月28日）"),
        ("half-month", date(2022, 11, 3), "2022年11月上半月"),
        ("half-month", date(2022, 11, 30), "2022年11月下半月"),
        ("month", date(2022, 12, 3), "2022年12月"),
    ],
)
def test_labels(kind, day, label) -> None:
    assert period_of(kind, day, campaign_start=NEIXIANG_START).label == label


def test_the_last_week_ends_with_the_campaign() -> None:
    end = date(2022, 12, 31)
    last = campaign_periods("week", campaign_start=NEIXIANG_START, campaign_end=end)[-1]
    assert (last.index, last.start, last.end) == (12, date(2022, 12, 31), date(2022, 12, 31))
    assert last.label == "第12周（12月31日）"
    assert last.short_label == "第12周"
    month = period_of("month", end, campaign_start=NEIXIANG_START, campaign_end=date(2022, 12, 20))
    assert month.label == "2022年12月"
