"""Reporting periods: campaign weeks, half-months and calendar months."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["week", "half-month", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("week", "half-month", "month")


@dataclass(frozen=True)
class Period:
    """A closed date range ``start..end`` of one kind; ``index`` counts from 1 in the campaign."""

    kind: PeriodKind
    index: int
    start: date
    end: date

    @property
    def label(self) -> str:
        """Chinese name: 第3周（9月15日–9月21日）, 11月上半月, 11月."""
        if self.kind == "week":
            days = (
                _md(self.start) if self.start == self.end else f"{_md(self.start)}–{_md(self.end)}"
            )
            return f"第{self.index}周（{days}）"
        if self.kind == "half-month":
            half = "上半月" if self.start.day == 1 else "下半月"
            return f"{self.start.year}年{self.start.month}月{half}"
        return f"{self.start.year}年{self.start.month}月"

    @property
    def short_label(self) -> str:
        """Axis label: 第3周, 11月上, 11月."""
        if self.kind == "week":
            return f"第{self.index}周"
        if self.kind == "half-month":
            return f"{self.start.month}月{'上' if self.start.day == 1 else '下'}"
        return f"{self.start.month}月"

    def contains(self, day: date) -> bool:
        """True when ``day`` falls within the period, both ends included."""
        return self.start <= day <= self.end


def years_apart(day: date, years: int) -> date:
    """The same calendar day ``years`` later (earlier when negative); 29 February falls on the
    28th in a year without one."""
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _week(campaign_start: date, day: date) -> tuple[int, date, date]:
    index = (day - campaign_start).days // 7 + 1
    start = campaign_start + timedelta(days=7 * (index - 1))
    return index, start, start + timedelta(days=6)


def _half_month(day: date) -> tuple[date, date]:
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=16), day.replace(day=last)


def _month(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def period_of(
    kind: PeriodKind, day: date, *, campaign_start: date, campaign_end: date | None = None
) -> Period:
    """The period of ``kind`` that contains ``day``.

    A campaign week is seven days counted from the campaign start (week 1 starts on it); a
    half-month is the 1st–15th or the 16th–month end; a month is a calendar month. Half-months
    and months are numbered from the one holding the campaign start. With ``campaign_end``,
    the last period ends on it (a campaign's last week may be short). Days before the start
    are refused.
    """
    if day < campaign_start:
        raise ValueError(f"{day} is before the campaign start {campaign_start}")
    if kind == "week":
        index, start, end = _week(campaign_start, day)
    else:
        bounds = _half_month if kind == "half-month" else _month
        start, end = bounds(day)
        index = 1
        cursor = bounds(campaign_start)[0]
        while cursor < start:
            cursor = bounds(bounds(cursor)[1] + timedelta(days=1))[0]
            index += 1
    if campaign_end is not None and start <= campaign_end < end:
        end = campaign_end
    return Period(kind, index, start, end)


def campaign_periods(kind: PeriodKind, *, campaign_start: date, campaign_end: date) -> list[Period]:
    """Every period of ``kind`` that overlaps the campaign, in order."""
    periods = []
    day = campaign_start
    while day <= campaign_end:
        period = period_of(kind, day, campaign_start=campaign_start, campaign_end=campaign_end)
        periods.append(period)
        day = period.end + timedelta(days=1)
    return periods


def previous_period(period: Period, *, campaign_start: date) -> Period | None:
    """The period of the same kind just before, or None for the campaign's first period."""
    before = period.start - timedelta(days=1)
    if before < campaign_start:
        return None
    return period_of(period.kind, before, campaign_start=campaign_start)


def period_label(kind: PeriodKind, index: int, *, campaign_start: date, campaign_end: date) -> str:
    """The label of the campaign's ``index``-th period of ``kind`` (第3周（9月15日–9月21日）);
    第N期 for a number the campaign has no period for (its dates since amended)."""
    periods = campaign_periods(kind, campaign_start=campaign_start, campaign_end=campaign_end)
    return periods[index - 1].label if 0 < index <= len(periods) else f"第{index}期"
