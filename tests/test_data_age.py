"""How old the newest figures are against today (data_age_sentence)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.data_age import data_age_sentence
from data_models.policy import CampaignDates

NEIXIANG_2024 = CampaignDates(
    start=date(2023, 10, 15), end=date(2023, 12, 31), centralised_end=date(2023, 11, 30)
)
RUNNING = (
    "最新数据截至11月10日，已有{}天没有导入新的进度或缴费明细：人数、排名、预测和结算"
    "都按11月10日的数据计，不是今天的进度。"
)
ENDED = (
    "征缴期已于2023年12月31日结束，最新数据截至2023年{}，征缴期末的数据尚未导入："
    "人数、排名和结算都按{}的数据计，不是最终结果。"
)


@pytest.mark.parametrize(
    ("latest", "today", "expected"),
    [
        (None, date(2023, 11, 25), ""),  # before the first figure: the pages say so
        (date(2023, 11, 10), date(2023, 11, 10), ""),
        (date(2023, 11, 10), date(2023, 11, 17), ""),  # a week on: the next report is due
        (date(2023, 11, 10), date(2023, 11, 18), RUNNING.format(8)),
        (date(2023, 11, 10), date(2023, 12, 31), RUNNING.format(51)),  # the last day
        (date(2023, 11, 10), date(2024, 1, 1), ENDED.format("11月10日", "11月10日")),
        (date(2023, 12, 30), date(2024, 1, 1), ENDED.format("12月30日", "12月30日")),
        (date(2023, 12, 31), date(2024, 1, 1), ""),  # the final count is in
        (date(2024, 1, 20), date(2026, 12, 4), ""),  # catch-up figures after the end
        (date(2023, 10, 15), date(2023, 10, 15), ""),  # the first day
    ],
)
def test_data_age_sentence(latest: date | None, today: date, expected: str) -> None:
    assert data_age_sentence(NEIXIANG_2024, latest, today) == expected
