"""上年同期: the same day of the county's previous campaign beside this year's figures."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from marks import needs_font
from next_year import opened_next_year
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.bulletin import build_bulletin
from dashboard.bulletin_png import phone_ranking
from dashboard.charts import progress_curve
from dashboard.cli import run
from dashboard.figures import county_summary, known_curves, period_for_date
from dashboard.periods import years_apart
from dashboard.samples import load_sample
from dashboard.store import load_campaign
from dashboard.views import (
    last_year_kpi,
    last_year_line,
    last_year_ranking_note,
    ranking_view,
    same_day_compared,
    same_day_sentence,
)
from dashboard.year_on_year import (
    SameDayLastYear,
    same_day_last_year,
    townships_a_year_before,
    whole_curves,
)

from apptest import start, table
from filemaker import csv_bytes

NEIXIANG = load_sample("neixiang")  # benefit year 2023: 2022-10-15 .. 2022-12-31, simulated
THIS_YEAR = date(2023, 11, 22)  # a day of the 2024 campaign (2023-10-15 .. 2023-12-31)


def test_a_day_a_year_apart_keeps_its_calendar_day() -> None:
    assert years_apart(date(2023, 11, 22), -1) == date(2022, 11, 22)
    assert years_apart(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert years_apart(date(2023, 2, 28), 1) == date(2024, 2, 28)


def test_the_county_a_year_before_is_its_figure_on_that_day() -> None:
    last = same_day_last_year(NEIXIANG, THIS_YEAR)
    assert last is not None
    then = county_summary(NEIXIANG, date(2022, 11, 22))  # the figure the pages showed then
    assert (last.benefit_year, last.day, last.enrolled, last.quota) == (
        2023,
        date(2022, 11, 22),
        then.enrolled,
        604120,
    )
    assert last.enrolled == 502818 and last.completion == Fraction(502818, 604120)
    assert last.simulated
    # the whole curve, to its last figure, each day moved on a year
    assert (last.curve.index[0], last.curve.iloc[0]) == (date(2023, 10, 15), 1450)
    assert (last.curve.index[-1], last.curve.iloc[-1]) == (date(2023, 12, 31), 600492)
    assert len(last.curve) == 78
    # the same from the curves a page keeps (whole_curves), whatever day is asked for
    kept = same_day_last_year(NEIXIANG, THIS_YEAR, known=whole_curves(NEIXIANG))
    assert kept is not None and kept.enrolled == last.enrolled
    assert list(kept.curve.items()) == list(last.curve.items())


def test_a_township_a_year_before_and_when_there_is_nothing_to_compare() -> None:
    township = same_day_last_year(NEIXIANG, THIS_YEAR, "湍东镇")
    assert township is not None
    assert (township.enrolled, township.quota) == (51445, 62010)
    curve = known_curves(NEIXIANG, date(2022, 12, 31))["湍东镇"]
    assert list(township.curve) == list(curve)
    assert same_day_last_year(NEIXIANG, THIS_YEAR, "新设街道") is None  # not a township then
    # a day before last year's campaign began, or a campaign without a figure: nothing
    assert same_day_last_year(NEIXIANG, date(2023, 10, 14)) is None
    assert same_day_last_year(NEIXIANG, date(2023, 10, 15)).enrolled == 1450  # type: ignore[union-attr]
    empty = dataclasses.replace(NEIXIANG, progress=NEIXIANG.progress.iloc[0:0])
    assert same_day_last_year(empty, THIS_YEAR) is None
    # after last year's last figure, its final count
    assert same_day_last_year(NEIXIANG, date(2024, 3, 1)).enrolled == 600492  # type: ignore[union-attr]


def last_year(enrolled: int, quota: int, *, simulated: bool = False) -> SameDayLastYear:
    rate = Fraction(enrolled, quota) if quota else None
    return SameDayLastYear(
        2023, date(2022, 11, 22), enrolled, quota, rate, pd.Series(dtype="int64"), simulated
    )


def test_the_sentence_says_more_fewer_or_level_and_the_points_as_shown() -> None:
    then = last_year(502818, 604120, simulated=True)
    assert same_day_sentence(513497, Fraction(513497, 604120), then) == (
        "上年同期（2022年11月22日，模拟数据）全县参保502,818人，完成当年任务的83.2%；"
        "本年度多参保10,679人，完成率高1.8个百分点。"
    )
    # a smaller quota this year: fewer enrolled, yet a higher completion
    assert same_day_sentence(
        500000, Fraction(500000, 590000), last_year(502818, 604120), place="湍东镇"
    ) == (
        "上年同期（2022年11月22日）湍东镇参保502,818人，完成当年任务的83.2%；"
        "本年度少参保2,818人，完成率高1.5个百分点。"
    )
    # 83.24 % and 83.16 % both read 83.2 %: level, as shown
    assert same_day_sentence(83160, Fraction(8316, 10000), last_year(8324, 10000)).endswith(
        "本年度多参保74,836人，完成率持平。"
    )
    assert same_day_sentence(8324, Fraction(8324, 10000), last_year(8324, 10000)).endswith(
        "本年度参保人数与之持平，完成率持平。"
    )
    # a quota of 0 either year: no rate to compare
    assert same_day_sentence(9, None, last_year(5, 0)) == (
        "上年同期（2022年11月22日）全县参保5人；本年度多参保4人。"
    )
    # nobody enrolled by that day in either year (a new year's first day): nothing to say
    assert not same_day_compared(last_year(0, 604120), 0)
    assert same_day_sentence(0, Fraction(0), last_year(0, 604120)) == ""
    assert not same_day_compared(None, 5)
    assert same_day_sentence(5, Fraction(5, 100), last_year(0, 604120)) == (
        "上年同期（2022年11月22日）全县参保0人，完成当年任务的0.0%；本年度多参保5人，"
        "完成率高5.0个百分点。"
    )
    assert last_year_kpi(then) == (
        "上年同期参保人数",
        "502,818人",
        "2022年11月22日，完成当年任务的83.2%，模拟数据",
    )
    assert last_year_line(then)[1] == "上年同期（2023年度，模拟数据）"  # type: ignore[index]
    assert last_year_line(None) is None


def test_the_curve_lies_under_this_years_within_the_charts_days() -> None:
    last = same_day_last_year(NEIXIANG, THIS_YEAR)
    assert last is not None
    this_year = pd.Series([0, 513497], index=[date(2023, 10, 15), THIS_YEAR])
    figure = progress_curve(
        this_year,
        604120,
        start=date(2023, 10, 20),  # a later start than last year's: its first days are left out
        centralised_end=date(2023, 11, 30),
        title="全县累计参保进度",
        last_year=last_year_line(last),
    )
    names = [trace.name for trace in figure.data]
    assert names == ["上年同期（2023年度，模拟数据）", "累计参保人数", "序时进度"]
    drawn = figure.data[0]
    assert (drawn.x[0], drawn.x[-1]) == (date(2023, 10, 20), date(2023, 11, 30))
    assert drawn.customdata[0] == "2022年10月20日"  # the hover says the day it really was
    assert drawn.y[drawn.x.index(THIS_YEAR)] == 502818


@pytest.fixture
def two_years(scratch_url, scratch, monkeypatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Neixiang's 2024 campaign opened beside the 2023 sample, with one progress report:
    each township at 85 % of its quota (rounded down) on 2023-11-22."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    opened_next_year(scratch)
    rows = [["日期", "乡镇", "参保人数"]] + [
        ["2023-11-22", t, q * 85 // 100] for t, q in NEIXIANG.quota_by_township.items()
    ]
    report = tmp_path / "进度.csv"
    report.write_bytes(csv_bytes(rows))
    assert run(["import", "--county", "neixiang", str(report)]) == 0
    return scratch_url


COUNTY_SENTENCE = (
    "上年同期（2022年11月22日，模拟数据）全县参保502,818人，完成当年任务的83.2%；"
    "本年度多参保10,679人，完成率高1.8个百分点。"
)


def test_overview_and_township_set_this_year_beside_last_year(two_years) -> None:
    at = start("leader", county="neixiang")
    assert not at.exception
    assert at.selectbox(key="year_neixiang").value == 2024
    assert COUNTY_SENTENCE in [m.value for m in at.markdown]
    curve = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert [trace["name"] for trace in curve][:2] == [
        "上年同期（2023年度，模拟数据）",
        "累计参保人数",
    ]
    township = start("township", county="neixiang", township="湍东镇")
    township.switch_page("../pages/township.py").run()
    assert not township.exception
    assert (
        "上年同期（2022年11月22日，模拟数据）湍东镇参保51,445人，完成当年任务的83.0%；"
        "本年度多参保1,263人，完成率高2.0个百分点。"
    ) in [m.value for m in township.markdown]
    # looking back at 2023: the county has no 2022 campaign, so nothing is compared
    at.selectbox(key="year_neixiang").set_value(2023).run()
    assert not any("上年同期" in m.value for m in at.markdown)


@needs_font
def test_the_bulletin_says_it_on_its_page_in_excel_and_in_the_pdf(two_years, tmp_path) -> None:
    argv = ["bulletin", "--county", "neixiang", "--period", "week", "--format"]
    assert run([*argv, "xlsx", "--out", str(tmp_path / "b.xlsx")]) == 0
    sheet = load_workbook(tmp_path / "b.xlsx").worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert ("上年同期参保人数", "502,818人") == tuple(cells[cells.index("上年同期参保人数") :][:2])
    assert any(COUNTY_SENTENCE in str(c) for c in cells)
    assert run([*argv, "pdf", "--out", str(tmp_path / "b.pdf")]) == 0
    text = "".join(
        page.extract_text().replace("\x00", "").replace("\n", "")
        for page in PdfReader(tmp_path / "b.pdf").pages
    )
    assert "上年同期参保人数502,818人" in text.replace(" ", "")
    assert COUNTY_SENTENCE in text.replace(" ", "")
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/bulletin.py").run()
    assert not at.exception
    assert any(COUNTY_SENTENCE in m.value for m in at.markdown)


def test_each_township_a_year_before_beside_this_years_ranking() -> None:
    last = townships_a_year_before(NEIXIANG, THIS_YEAR)
    assert last is not None
    assert (last.benefit_year, last.day, last.simulated) == (2023, date(2022, 11, 22), True)
    assert list(last.completion) == list(NEIXIANG.townships)
    for township in NEIXIANG.townships:  # what 乡镇 says of each, the same day
        alone = same_day_last_year(NEIXIANG, THIS_YEAR, township)
        assert alone is not None and last.completion[township] == alone.completion
    assert last.completion["湍东镇"] == Fraction(51445, 62010)
    assert townships_a_year_before(NEIXIANG, date(2023, 10, 14)) is None  # before it began
    # this year: 湍东镇 at 85 %, a new 街道 that was not there last year, 板场乡 behind
    table = pd.DataFrame(
        {
            "rank": [1, 2, 3],
            "rank_change": [None, None, None],
            "township": ["湍东镇", "新设街道", "板场乡"],
            "completion_rate": [Fraction(85, 100), Fraction(1, 2), Fraction(8000, 10680)],
            "enrolled": [52708, 500, 8000],
            "new_enrolled": [0, 0, 0],
            "quota": [62010, 1000, 10680],
            "flagged": [False, False, True],
        }
    )
    shown = ranking_view(table, last)
    assert list(shown.columns)[-3:] == ["上年同期完成率", "同比（百分点）", "后三名"]
    assert shown["上年同期完成率"].tolist() == [
        "83.0%",
        "—",
        f"{float(last.completion['板场乡']):.1%}",
    ]
    assert shown["同比（百分点）"].tolist() == ["+2.0", "—", "-11.8"]
    assert list(ranking_view(table).columns)[-1] == "后三名"  # no last year: no such columns
    assert last_year_ranking_note(last) == (
        "上年同期为2023年度征缴同一天（2022年11月22日，模拟数据）；"
        "同比为本期完成率高出（+）或低于（-）上年同期完成率的百分点。"
    )


def test_the_ranking_page_sets_each_township_beside_last_year(two_years) -> None:
    at = start("leader", county="neixiang")
    at.switch_page("../pages/ranking.py").run()
    assert not at.exception
    shown = table(at, "上年同期完成率").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", ["完成率", "上年同期完成率", "同比（百分点）"]].tolist() == [
        "85.0%", "83.0%", "+2.0",
    ]  # fmt: skip
    assert any(
        c.value.startswith("上年同期为2023年度征缴同一天（2022年11月22日") for c in at.caption
    )
    at.selectbox(key="year_neixiang").set_value(2023).run()  # no 2022 campaign to compare
    assert "上年同期完成率" not in table(at, "完成率").columns


@needs_font
def test_the_bulletin_ranks_each_township_beside_last_year_in_every_format(
    two_years, tmp_path
) -> None:
    argv = ["bulletin", "--county", "neixiang", "--period", "week", "--format"]
    assert run([*argv, "xlsx", "--out", str(tmp_path / "b.xlsx")]) == 0
    sheet = load_workbook(tmp_path / "b.xlsx")["排名"]
    columns = [c.value for c in sheet[1]]
    assert columns[-3:] == ["上年同期完成率", "同比（百分点）", "后三名"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "湍东镇")
    then, ahead = row[columns.index("上年同期完成率")], row[columns.index("同比（百分点）")]
    assert (then.value, then.number_format) == (0.829624, "0.0%")  # 51,445 of 62,010
    assert (ahead.value, ahead.number_format) == (2.0, "+0.0;-0.0;0.0")  # 85.0 % - 83.0 %
    notes = [c.value for c in sheet["A"] if str(c.value).startswith("上年同期为")]
    assert notes == [NOTE]
    assert run([*argv, "pdf", "--out", str(tmp_path / "b.pdf")]) == 0
    text = "".join(
        page.extract_text().replace("\x00", "") for page in PdfReader(tmp_path / "b.pdf").pages
    ).replace(" ", "")
    assert "湍东镇85.0%52,708" in text and "83.0%+2.0" in text
    assert NOTE in text.replace("\n", "")
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/bulletin.py").run()
    assert not at.exception
    shown = table(at, "同比（百分点）").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", ["上年同期完成率", "同比（百分点）"]].tolist() == ["83.0%", "+2.0"]
    assert NOTE in [c.value for c in at.caption]
    at.switch_page("../pages/meeting.py").run()  # the meeting-room screen: 同比 beside the rate
    assert not at.exception
    figure = next(
        json.loads(c.proto.spec)["data"][0]
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["data"][0]["type"] == "table"
    )
    assert figure["header"]["values"] == [
        "排名", "变化", "乡镇（街道）", "本期新增", "完成率", "同比", "后三名",
    ]  # fmt: skip
    row = figure["cells"]["values"][2].index("湍东镇")
    assert [column[row] for column in figure["cells"]["values"][4:6]] == ["85.0%", "+2.0"]
    assert NOTE in [c.value for c in at.caption]


NOTE = (
    "上年同期为2023年度征缴同一天（2022年11月22日，模拟数据）；"
    "同比为本期完成率高出（+）或低于（-）上年同期完成率的百分点。"
)


def test_the_phone_image_keeps_the_points_ahead_and_drops_last_years_rate(
    two_years, scratch
) -> None:
    this_year = load_campaign(scratch, "neixiang", year=2024)
    period = period_for_date(this_year, "week", THIS_YEAR)
    bulletin = build_bulletin(this_year, period, as_of=THIS_YEAR, last_year=NEIXIANG)
    assert bulletin.ranking_note == NOTE
    phone = phone_ranking(bulletin).set_index("乡镇（街道）")
    assert list(phone.columns) == [
        "排名", "变化", "本期新增", "完成率", "同比（百分点）", "差额", "后三名",
    ]  # fmt: skip
    assert phone.loc["湍东镇", "同比（百分点）"] == "+2.0"
    alone = build_bulletin(this_year, period, as_of=THIS_YEAR)
    assert "同比（百分点）" not in phone_ranking(alone).columns and alone.ranking_note == ""
