"""The county's clock: Beijing time, whatever the server's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today's date in Beijing (a server on UTC is a day behind until 08:00)."""
    return datetime.now(BEIJING).date()


def day_start(day: date) -> datetime:
    """The moment a Beijing day begins, in UTC (as the database keeps moments)."""
    return datetime.combine(day, time(), BEIJING).astimezone(UTC)


def _in_beijing(moment: datetime) -> datetime:
    """A stored moment in Beijing time; naive values are taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING)


def local_time(moment: datetime) -> str:
    """A stored moment in Beijing time: '2023-11-30 14:05'. Naive values are taken as UTC."""
    return f"{_in_beijing(moment):%Y-%m-%d %H:%M}"


def local_day(moment: datetime) -> date:
    """The Beijing day of a stored moment. Naive values are taken as UTC."""
    return _in_beijing(moment).date()
