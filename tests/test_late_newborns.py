"""Newborns paid for after the campaign (a list exported in the new year): left out with a
note, not refused as dates out of the campaign; anyone else's payment after it still is."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.idnumbers import make_id
from dashboard.late_newborns import newborn_window
from dashboard.parsing import parse_file
from dashboard.samples import sample_policy

from filemaker import csv_bytes

NEIXIANG = sample_policy("neixiang")
DONGMING = sample_policy("dongming")
HEADER = ["身份证号", "姓名", "乡镇", "缴费日期", "实缴金额"]
# born in the campaign, paid for 26 days after its end and 26 days after birth
DEC = make_id("411325", date(2022, 12, 20), 3)
# born after the campaign, paid for 15 days after birth
JAN = make_id("411325", date(2023, 1, 5), 6)
# born before the campaign, paid for 137 days after birth: past Neixiang's 90 days
OCT = make_id("411325", date(2022, 10, 1), 4)
ADULT = make_id("411325", date(1980, 5, 1), 7)


def parse(rows: list[list[object]], policy=NEIXIANG):  # type: ignore[no-untyped-def]
    return parse_file(csv_bytes([HEADER, *rows], "gbk"), "缴费.csv", policy, townships=None)


def test_the_windows_are_the_counties_own() -> None:
    assert (newborn_window(NEIXIANG), newborn_window(DONGMING)) == (90, 365)


def test_newborns_paid_for_after_the_campaign_are_left_out_with_a_note() -> None:
    parsed = parse(
        [
            [ADULT, "甲", "板场乡", "2022-11-01", "350"],
            [DEC, "乙", "板场乡", "2023-01-15", "350"],
            [JAN, "丙", "板场乡", "2023-01-20", "350"],
        ]
    )
    assert parsed.problems == []
    assert parsed.frame["id_number"].tolist() == [ADULT]
    assert parsed.notes == (
        "2行是征缴期结束（2022-12-31）后为出生90天内的新生儿缴费：新生儿出生后随时参保，"
        "不计入本次征缴，未导入：缴费.csv第3、4行",
    )


@pytest.mark.parametrize(
    ("number", "paid"),
    [
        (OCT, "2023-02-15"),  # 137 days after birth
        (ADULT, "2023-01-15"),  # no newborn
        (DEC[:-1] + ("0" if DEC[-1] != "0" else "1"), "2023-01-15"),  # a wrong check digit
    ],
)
def test_other_payments_after_the_campaign_are_still_refused(number: str, paid: str) -> None:
    parsed = parse([[number, "乙", "板场乡", paid, "350"]])
    assert "不在征缴期内（2022-10-15至2022-12-31）" in [p.reason for p in parsed.problems]
    assert parsed.notes == ()


def test_a_year_for_dongmings_newborns() -> None:
    """Dongming: up to 12 months from birth (covered from the month after paying)."""
    march = make_id("372928", date(2023, 3, 1), 5)
    adult = [make_id("372928", date(1980, 5, 1), 7), "甲", "武胜桥镇", "2023-10-01", "380"]
    parsed = parse([adult, [march, "乙", "武胜桥镇", "2024-02-01", "380"]], DONGMING)
    assert parsed.problems == [] and len(parsed.frame) == 1
    assert parsed.notes[0].startswith("1行是征缴期结束（2023-12-31）后为出生365天内的新生儿缴费")
    late = make_id("372928", date(2022, 12, 1), 5)  # 427 days
    parsed = parse([[late, "乙", "武胜桥镇", "2024-02-01", "380"]], DONGMING)
    assert "不在征缴期内（2023-09-01至2023-12-31）" in [p.reason for p in parsed.problems]
