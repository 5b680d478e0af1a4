"""A count or a day as counties write it in a cell, read as a number or a date."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from dashboard.layout import normalise_name
from dashboard.money import DIGITS

# 2023-11-30, 2023/11/30, 2023.11.30, 2023年11月30日 or 20231130, optionally followed by a time of
# day (the tax system's exports stamp each payment: 2023-11-30 10:23:11, or ISO's T).
DATE_PATTERN = re.compile(
    r"(?P<y>\d{4})(?:(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})|年(?P<cm>\d{1,2})月(?P<cd>\d{1,2})日"
    r"|(?P<pm>\d{2})(?P<pd>\d{2}))"
)
# A time of day after a date, apart from it (2023/11/2 18:03, 2023-11-02T18:03:05.123): read
# off before the date, so that 2023/11/2 18:03 is not taken for 2023/11/21 8:03
TIME_OF_DAY = re.compile(r"(?:T|\s+)\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?\Z")

# A day Excel keeps as a number (its serial: 45260 is 2023-11-30), read so when the column is
# not formatted as dates; taken only in this century's range
EXCEL_SERIAL = re.compile(r"(?P<n>\d{5})(?:\.\d+)?")
EXCEL_EPOCH = date(1899, 12, 30)
SERIALS = range(36526, 73051)  # 2000-01-01 .. 2099-12-31


def parse_count(text: str) -> int | None:
    """A non-negative whole number, thousands separators and a unit of persons allowed:
    '10,598' -> 10598, '10598人' -> 10598; else None."""
    cleaned = normalise_name(text).removesuffix("人")
    if COUNT_PATTERN.fullmatch(cleaned):
        return int(cleaned.replace(",", "").split(".")[0])
    return None


COUNT_PATTERN = re.compile(DIGITS + r"(?:\.0+)?")


MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日?")


def day_in_window(text: str, first: date, last: date) -> date | None:
    """A day written without its year (11月8日) as the day of that name from ``first`` to
    ``last`` (a campaign, less than a year long: there is one), or in ``first``'s year when
    none is (to be named as outside the campaign); None for any other text."""
    found = MONTH_DAY.fullmatch(normalise_name(text))
    if found is None:
        return None
    days = []
    for year in sorted({first.year, last.year}):
        try:
            days.append(date(year, int(found[1]), int(found[2])))
        except ValueError:  # 2月30日, or 2月29日 of a year without it
            continue
    within = [d for d in days if first <= d <= last]
    return (within or days)[0] if days else None


MONTH_PATTERN = re.compile(r"(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})月?|(?P<pm>\d{2}))")


def first_of_month(text: str) -> date | None:
    """The first day of a month written without its day (2022-11, 2022/11, 2022.11, 2022年11月,
    202211); None for anything else."""
    found = MONTH_PATTERN.fullmatch(normalise_name(text))
    if found is None:
        return None
    month = int(found["m"] or found["pm"])
    return date(int(found["y"]), month, 1) if 1 <= month <= 12 else None


def parse_date(text: str) -> date | None:
    """A date written as 2023-11-30, 2023/11/30, 2023.11.30, 2023年11月30日 or 20231130, with or
    without a time of day after it (kept to the day), or kept by Excel as its serial number
    (45260, a time of day as its fraction); None for anything else or a day that does not
    exist (2023-02-30). Month-first forms like 11/30/2023 are refused, not guessed."""
    day = TIME_OF_DAY.sub("", unicodedata.normalize("NFKC", text).strip(), count=1)
    found = DATE_PATTERN.fullmatch(normalise_name(day))
    if found is None:
        serial = EXCEL_SERIAL.fullmatch(text.strip())
        if serial is not None and int(serial["n"]) in SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(serial["n"]))
        return None
    parts = found.groupdict()
    month = parts["m"] or parts["cm"] or parts["pm"]
    day = parts["d"] or parts["cd"] or parts["pd"]
    try:
        return date(int(parts["y"]), int(month), int(day))
    except ValueError:
        return None
