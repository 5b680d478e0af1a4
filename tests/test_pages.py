"""AppTest: every page, every county, and what the user sees matches the figures and the CLI."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import formatting as fmt
from dashboard.charts import RED
from dashboard.cli import run
from dashboard.failures import DATABASE_DOWN
from dashboard.figures import (
    county_summary,
    flag_record,
    forecasts,
    rank_history,
    ranking_for_date,
    settlement,
)
from dashboard.importing import apply_import, check_file
from dashboard.samples import sample_policy
from dashboard.store import load_campaign
from dashboard.views import forecast_sentence

from apptest import APP, cell_style, chart_titles, period_picker, start, table
from browser import free_port
from filemaker import csv_bytes

PAGES = [
    "../pages/overview.py",
    "../pages/ranking.py",
    "../pages/township.py",
    "../pages/settlement.py",
]
COUNTIES = ["zhashui", "neixiang", "dongming"]


def open_app(county: str, page: str | None = None, as_of: date | None = None) -> AppTest:
    at = start("admin", county=county)
    if as_of is not None:
        at.date_input(key=f"as_of_{county}").set_value(as_of).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def cli_rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert run(list(args)) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("county", COUNTIES)
def test_every_page_renders_for_every_county_with_the_simulated_label(
    app_env, county, page
) -> None:
    at = open_app(county, page)
    assert at.title, "every page has a title"
    assert "模拟数据" in markdown_text(at)
    assert any("模拟数据" in w.value for w in at.warning)


def test_a_database_out_of_reach_is_said_in_chinese_not_a_traceback(monkeypatch) -> None:
    nothing_there = f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/none"
    monkeypatch.setenv("DATABASE_URL", nothing_there)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATABASE_DOWN]


def test_a_database_url_it_does_not_run_on_is_said_not_a_traceback(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://u:secret@db/medins")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "不支持的数据库 mysql：DATABASE_URL 应为 sqlite:///文件路径 或 "
        "postgresql+psycopg://用户:密码@主机:端口/库名"
    ]


def test_overview_kpis_for_zhashui(app_env, samples) -> None:
    at = open_app("zhashui")
    data = samples["zhashui"]
    summary = county_summary(data, date(2023, 12, 20))
    metrics = {m.label: m for m in at.metric}
    assert metrics["全县参保人数"].value == fmt.count(summary.enrolled) == "140,559"
    assert metrics["任务完成率"].value == fmt.percent(summary.completion) == "99.5%"
    assert metrics["任务完成率"].delta == "-0.5个百分点（目标100%）"
    assert metrics["参保率"].value == "97.7%"
    assert metrics["参保率"].delta == "-0.3个百分点（目标98%）"
    assert metrics["特殊群体参保"].value == "99.8%"
    groups = table(at, "群体")
    assert list(groups["群体"]) == [
        "特困供养人员",
        "孤儿及事实无人抚养儿童",
        "低保户",
        "建档立卡脱贫人口",
        "监测户",
        "低保边缘户",
    ]
    assert list(groups["名单人数"]) == ["1,814", "36", "8,001", "32,609", "539", "411"]
    # the money on the leaders' one screen, the same figures as 结算 and `settle`
    assert (
        "**奖惩结算**：按当前参保人数测算，全县工作经费210,838.50元，奖励136,000.00元，扣减"
        "205,800.00元，净额141,038.50元；净额为负的乡镇：下梁镇-41,135.50元、小岭镇-33,970.50元、"
        "杏坪镇-21,614.00元等4个。（详见“结算”页）"
    ) in markdown_text(at)


def test_overview_without_base_population_says_so(app_env) -> None:
    at = open_app("neixiang")
    metrics = {m.label: m for m in at.metric}
    assert metrics["参保率"].value == "—"
    assert metrics["参保率"].delta == "本县未提供应参保人数"
    assert "全县累计参保600,492人" in markdown_text(at)
    assert "16个乡镇（街道）中" in markdown_text(at)


def test_as_of_date_moves_every_figure(app_env, samples) -> None:
    at = open_app("neixiang", as_of=date(2022, 11, 15))
    summary = county_summary(samples["neixiang"], date(2022, 11, 15))
    assert {m.label: m.value for m in at.metric}["全县参保人数"] == fmt.count(summary.enrolled)
    week_before = county_summary(samples["neixiang"], date(2022, 11, 8)).enrolled
    assert (
        f"全县累计参保{fmt.count(summary.enrolled)}人"
        f"（近7天新增{fmt.count(summary.enrolled - week_before)}人）"
    ) in markdown_text(at)
    assert "数据截至2022年11月15日" in at.caption[0].value


def test_ranking_page_matches_the_cli(app_env, capsys) -> None:
    at = open_app("neixiang", "../pages/ranking.py", as_of=date(2022, 11, 20))
    shown = table(at, "后三名")
    rows = cli_rows(
        capsys, "rank", "--county", "neixiang", "--period", "week", "--as-of", "2022-11-20"
    )
    assert list(shown["乡镇（街道）"]) == [r["township"] for r in rows]
    assert list(shown["排名"]) == [r["rank"] for r in rows]
    assert list(shown["参保人数"]) == [fmt.count(int(r["enrolled"])) for r in rows]
    flagged = [r["township"] for r in rows if r["flagged"] == "1"]
    assert list(shown.loc[shown["后三名"] != "", "乡镇（街道）"]) == flagged
    assert at.error[0].value == "后三名且未完成任务：" + "、".join(flagged)
    changes = [fmt.change(int(r["rank_change"])) for r in rows]
    assert list(shown["变化"]) == changes
    assert any(c.startswith(("▲", "▼")) for c in changes)
    # 11-20 is in week 6 (11-19 to 11-25): new since the end of week 5, 11-18
    before = cli_rows(
        capsys, "rank", "--county", "neixiang", "--period", "week", "--as-of", "2022-11-18"
    )
    previous = {r["township"]: int(r["enrolled"]) for r in before}
    assert list(shown["本期新增"]) == [
        fmt.count(int(r["enrolled"]) - previous[r["township"]]) for r in rows
    ]
    # the table as shown in Excel (bulletin_xlsx.ranking_xlsx), the CLI's CSV for scripts
    assert at.download_button(key="ranking_xlsx").label == "下载排名（Excel）"
    assert at.download_button(key="ranking_download").label == "下载排名（CSV）"


def test_a_township_that_did_not_report_this_week_is_named_beside_the_ranking(
    scratch_url, scratch, monkeypatch
) -> None:
    # every township reports on 11-01 (week 3) and all but 板场乡 on 11-08 (week 4, 11-05 to
    # 11-11): 板场乡's week-3 figure is carried over, and the ranking and the bulletin say so
    townships = list(load_campaign(scratch, "neixiang").townships)
    rows = [["2022-11-01", t, 1000] for t in townships]
    rows += [["2022-11-08", t, 2000] for t in townships if t != "板场乡"]
    _import_neixiang_reports(scratch, rows)
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = open_app("neixiang", "../pages/ranking.py", as_of=date(2022, 11, 8))
    said = "以下乡镇本期没有报送进度，按其最近一次报送的数据计入：板场乡（截至11月1日）。"
    assert said in [w.value for w in at.main.warning]
    at.switch_page("../pages/overview.py").run()
    assert said in [w.value for w in at.main.warning]
    # and on the township's own page, for its staff
    at.switch_page("../pages/township.py").run()
    at.selectbox(key="township_neixiang").set_value("板场乡").run()
    assert (
        "板场乡第4周（11月5日–11月11日）没有报送进度，仍按11月1日报送的数据计（其他乡镇已报送）。"
        in [w.value for w in at.main.warning]
    )
    at.switch_page("../pages/meeting.py").run()
    assert said in markdown_text(at)
    # the week before, everyone reported
    at.switch_page("../pages/ranking.py").run()
    at.date_input(key="as_of_neixiang").set_value(date(2022, 11, 1)).run()
    assert not at.main.warning


def _import_neixiang_reports(engine, rows: list[list[object]]) -> None:
    """Import a progress report (日期, 乡镇, 参保人数 rows) for 内乡县."""
    policy = sample_policy("neixiang")
    report = csv_bytes([["日期", "乡镇", "参保人数"], *rows])
    apply_import(engine, policy, check_file(engine, policy, report, "进度.csv"))


def test_half_monthly_reports_are_paced_and_drawn_between_their_dates(
    scratch_url, scratch, monkeypatch
) -> None:
    # reports on 10-31 and 11-15 only: 湍东镇 gains 1 500 in those fifteen days, 100 a day,
    # not 1 500 in the week before 11-15 as a day-by-day carried-over count would have it
    townships = list(load_campaign(scratch, "neixiang").townships)
    first = {t: 30000 if t == "湍东镇" else 1000 for t in townships}
    second = {t: 31500 if t == "湍东镇" else 2000 for t in townships}
    _import_neixiang_reports(
        scratch,
        [["2022-10-31", t, n] for t, n in first.items()]
        + [["2022-11-15", t, n] for t, n in second.items()],
    )
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = open_app("neixiang", as_of=date(2022, 11, 15))
    gain = sum(second.values()) - sum(first.values())
    assert f"（较10月31日新增{fmt.count(gain)}人）" in markdown_text(at)
    curve = at.get("plotly_chart")[0].proto.spec
    assert '"lines+markers"' in curve  # two reports and the campaign's first day, as points
    at.switch_page("../pages/township.py").run()
    at.selectbox(key="township_neixiang").set_value("湍东镇").run()
    assert {m.label: m.delta for m in at.metric}["预计完成"] == "按10月31日至11月15日进度"
    # 46 days left at 100 a day: 36 100 of 62 010 at the end
    assert [i.value for i in at.main.info] == [
        "按10月31日至11月15日日均100人的进度，至征缴期结束（2022年12月31日）预计完成58.2%，"
        "仍差25,910人。"
    ]
    # week 4 (11-05 to 11-11): nobody reported; the ranking and the bulletin say so
    at.date_input(key="as_of_neixiang").set_value(date(2022, 11, 11)).run()
    at.switch_page("../pages/ranking.py").run()
    said = "本期没有乡镇报送进度，各乡镇按其最近一次报送的数据计入（最近一次为10月31日）。"
    assert said in [w.value for w in at.main.warning]
    at.switch_page("../pages/meeting.py").run()
    assert said in markdown_text(at)
    at.switch_page("../pages/township.py").run()
    assert said in [w.value for w in at.main.warning]


def test_weeks_before_the_first_report_are_not_ranked(scratch_url, scratch, monkeypatch) -> None:
    # the county's first report is on 11-01 (week 3): weeks 1 and 2 would rank every township
    # first at 0 % and flag all sixteen; they rank no one, and the tally starts in week 3
    townships = list(load_campaign(scratch, "neixiang").townships)
    _import_neixiang_reports(
        scratch, [["2022-11-01", t, 1000 * (i + 1)] for i, t in enumerate(townships)]
    )
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = open_app("neixiang", "../pages/ranking.py", as_of=date(2022, 10, 21))
    said = "本期尚无乡镇报送参保数据，不排名，不标记后三名。"
    assert [i.value for i in at.main.info] == [said]
    assert not at.main.error
    assert set(table(at, "后三名")["排名"]) == {fmt.MISSING}
    at.switch_page("../pages/meeting.py").run()
    assert f"## {said}" in [i.value for i in at.main.info]
    assert said in markdown_text(at)  # the bulletin's summary
    at.switch_page("../pages/ranking.py").run()
    at.date_input(key="as_of_neixiang").set_value(date(2022, 11, 1)).run()
    assert period_picker(at).value.label == "第3周（10月29日–11月4日）"  # the latest
    assert not at.main.info
    assert {p for periods in table(at, "累计次数")["期次"] for p in periods.split("、")} == {
        "第3周"
    }


def test_ranking_page_tallies_the_bottom_three_as_each_weeks_ranking_flagged(
    app_env, capsys, samples
) -> None:
    at = open_app("neixiang", "../pages/ranking.py", as_of=date(2022, 11, 20))
    # weeks 1-5 end on 10-21 … 11-18; week 6 runs to the selected day, 11-20
    days = [date(2022, 10, 21) + timedelta(weeks=w) for w in range(5)] + [date(2022, 11, 20)]
    periods: dict[str, list[str]] = {}
    for week, day in enumerate(days, start=1):
        rows = cli_rows(
            capsys, "rank", "--county", "neixiang", "--period", "week", "--as-of", str(day)
        )
        for r in rows:
            if r["flagged"] == "1":
                periods.setdefault(r["township"], []).append(f"第{week}周")
    shown = table(at, "累计次数")
    order = list(samples["neixiang"].townships)  # ties in the quota table's order
    expected = sorted(periods.items(), key=lambda item: (-len(item[1]), order.index(item[0])))
    assert shown.values.tolist() == [[t, f"{len(p)}次", "、".join(p)] for t, p in expected]
    assert len(expected[0][1]) > 1
    assert "累计排名后三名且未完成任务（周排名，至第6周（11月19日–11月25日））" in [
        h.value for h in at.subheader
    ]


def test_ranking_page_half_month_picker(app_env, samples) -> None:
    at = open_app("neixiang", "../pages/ranking.py")
    at.segmented_control(key="period_kind").set_value("half-month").run()
    picker = period_picker(at)
    assert picker.options[0] == "2022年12月下半月"
    assert picker.options[-1] == "2022年10月上半月"
    picker.set_value(picker.options[-1]).run()
    expected = ranking_for_date(samples["neixiang"], "half-month", as_of=date(2022, 10, 15)).table
    shown = table(at, "后三名")
    assert list(shown["乡镇（街道）"]) == list(expected["township"])
    assert set(shown["变化"]) == {"–"}, "the first period has no rank change"
    assert "本期为首期" in markdown_text(at)


def test_a_new_as_of_date_shows_its_latest_period(app_env) -> None:
    at = open_app("neixiang", "../pages/ranking.py", as_of=date(2022, 11, 15))
    picker = period_picker(at)
    assert picker.value.label == "第5周（11月12日–11月18日）"
    picker.set_value(picker.options[2]).run()
    assert period_picker(at).value.label == "第3周（10月29日–11月4日）"
    at.date_input(key="as_of_neixiang").set_value(date(2022, 12, 10)).run()
    assert period_picker(at).value.label == "第9周（12月10日–12月16日）"
    assert "**周排名 · 第9周（12月10日–12月16日）**" in markdown_text(at)


def test_township_page(app_env, samples) -> None:
    at = open_app("zhashui", "../pages/township.py", as_of=date(2023, 11, 1))
    at.selectbox(key="township_zhashui").set_value("下梁镇").run()
    assert at.title[0].value == "柞水县下梁镇征缴进度"
    data = samples["zhashui"]
    row = (
        ranking_for_date(data, "week", as_of=date(2023, 11, 1))
        .table.set_index("township")
        .loc["下梁镇"]
    )
    metrics = {m.label: m for m in at.metric}
    assert metrics["累计参保人数"].value == fmt.count(int(row["enrolled"]))
    assert metrics["本周排名"].value == f"第{row['rank']}名 / 9"
    # 9,171 of 20,552 while 61 of the centralised period's 110 days have passed
    assert "下梁镇完成44.6%，序时进度55.5%，落后10.9个百分点（集中征缴期内按天均衡推进）。" in [
        c.value for c in at.caption
    ]
    assert chart_titles(at) == ["下梁镇累计参保与预测", "下梁镇每周排名"]
    forecast = forecasts(data, date(2023, 11, 1))["下梁镇"]
    assert at.info[0].value == forecast_sentence(
        forecast, quota=20552, as_of=date(2023, 11, 1), campaign_end=date(2023, 12, 20)
    )
    # in the bottom three this week, and how often before; 营盘镇 only in weeks 2 and 3
    record = flag_record(rank_history(data, "week", as_of=date(2023, 11, 1)))
    periods = "、".join(record.set_index("township").loc["下梁镇", "periods_flagged"])
    assert row["flagged"] and at.error[0].value == (
        f"下梁镇本周排名后三名且未完成任务，将被约谈；本年度已5次排名后三名且未完成任务（{periods}）。"
    )
    groups = table(at, "群体")
    assert groups.set_index("群体").loc["特困供养人员", "名单人数"] == "207"
    villages = table(at, "村（社区）").set_index("村（社区）")["参保人数"]
    counted = sum(int(n.replace(",", "")) for n in villages.drop("合计"))
    assert villages["合计"] == fmt.count(counted)
    enrolled = int(row["enrolled"])
    assert 0 < counted < enrolled  # the sample's payment lists cover special-group members only
    assert f"各村合计{fmt.count(counted)}人，占全镇累计参保人数{fmt.count(enrolled)}人" in (
        " ".join(c.value for c in at.caption)
    )


def test_the_ranking_links_each_township_in_the_bottom_three_to_its_page(app_env) -> None:
    at = open_app("neixiang", "../pages/ranking.py")
    flagged = at.error[0].value.removeprefix("后三名且未完成任务：").split("、")
    assert flagged == ["瓦亭镇", "马山口镇", "七里坪乡"]
    links = [
        (link.proto.label, link.proto.page, link.proto.query_string) for link in at.get("page_link")
    ]
    assert links == [
        (t, "township", f"county=neixiang&township={urllib.parse.quote(t)}") for t in flagged
    ]


@pytest.mark.parametrize(
    ("page", "chart"),
    [
        (None, "township_bars"),
        ("ranking", "ranking_chart"),
        ("meeting", "meeting_chart"),
        ("settlement", "settlement_chart"),
    ],
)
def test_a_townships_bar_picked_opens_its_page(app_env, page, chart) -> None:
    at = open_app("neixiang", page and f"../pages/{page}.py")
    assert "点击乡镇的条形，可查看该乡镇的详情。" in [c.value for c in at.caption]
    # what the browser sends when a bar is clicked (the click itself: test_e2e)
    at.session_state[chart] = {
        "selection": {"points": [{"y": "湍东镇", "x": 0.967}], "point_indices": [3]}
    }
    at.run()
    assert at.title[0].value == "内乡县湍东镇征缴进度"
    assert dict(at.query_params) == {"county": "neixiang", "township": "湍东镇"}


def test_the_bulletins_bars_are_the_documents_and_open_nothing(app_env) -> None:
    at = open_app("neixiang", "../pages/bulletin.py")
    assert "点击乡镇的条形，可查看该乡镇的详情。" not in [c.value for c in at.caption]


@pytest.mark.parametrize("written", ["七里坪乡", "七里坪", " 七里坪乡\u3000"])
def test_a_township_page_opens_on_the_township_its_address_names(app_env, written) -> None:
    at = start("admin", county="neixiang")
    at.query_params["township"] = written
    at.switch_page("../pages/township.py").run()
    assert at.title[0].value == "内乡县七里坪乡征缴进度"
    at.selectbox(key="township_neixiang").set_value("湍东镇").run()
    assert at.title[0].value == "内乡县湍东镇征缴进度"
    assert dict(at.query_params) == {"county": "neixiang", "township": "湍东镇"}


def test_a_township_page_links_to_its_unenrolled_list(app_env) -> None:
    at = open_app("zhashui", "../pages/township.py")
    at.selectbox(key="township_zhashui").set_value("下梁镇").run()
    [link] = at.get("page_link")
    assert (link.proto.label, link.proto.page) == ("查看下梁镇未参保人员名单", "groups")
    assert link.proto.query_string == f"county=zhashui&township={urllib.parse.quote('下梁镇')}"
    # where the link leads: the list opened on the township, and 全部乡镇 takes it off the address
    at.query_params["township"] = "下梁镇"
    at.switch_page("../pages/groups.py").run()
    assert at.selectbox(key="groups_township").value == "下梁镇"
    assert set(table(at, "身份证号")["乡镇（街道）"]) == {"下梁镇"}
    at.selectbox(key="groups_township").set_value(None).run()
    assert "township" not in at.query_params


def test_a_link_to_another_township_opens_a_township_account_on_its_own(app_env) -> None:
    at = start("township", county="neixiang", township="湍东镇")
    at.query_params["township"] = "七里坪乡"
    at.switch_page("../pages/township.py").run()
    assert at.title[0].value == "内乡县湍东镇征缴进度"
    assert at.query_params["township"] == "湍东镇"


def test_township_page_recalls_weeks_in_the_bottom_three(app_env) -> None:
    at = open_app("zhashui", "../pages/township.py", as_of=date(2023, 11, 1))
    at.selectbox(key="township_zhashui").set_value("营盘镇").run()
    assert not at.error
    assert "营盘镇本年度已2次排名后三名且未完成任务（第2周、第3周）。" in [
        w.value for w in at.warning
    ]


@pytest.fixture
def catch_up_report(scratch_url, scratch, monkeypatch, tmp_path, capsys) -> None:
    """A catch-up report (柞水's 补缴期 starts 2024-01-01) of 营盘镇 on 2024-01-10, imported
    into the scratch database the app is pointed at."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    report = tmp_path / "补缴.csv"
    report.write_bytes(csv_bytes([["日期", "乡镇", "参保人数"], ["2024-01-10", "营盘镇", 10500]]))
    assert run(["import", "--county", "zhashui", str(report)]) == 0
    capsys.readouterr()


def test_township_page_after_the_campaign_counts_on_and_keeps_the_final_rank(
    catch_up_report, capsys
) -> None:
    # the catch-up report is counted as of its day, ranked no more
    at = open_app("zhashui", "../pages/township.py")
    at.selectbox(key="township_zhashui").set_value("营盘镇").run()
    metrics = {m.label: m for m in at.metric}
    assert metrics["累计参保人数"].value == "10,500"
    rows = cli_rows(
        capsys, "rank", "--county", "zhashui", "--period", "week", "--as-of", "2024-01-10"
    )
    assert rows == cli_rows(
        capsys, "rank", "--county", "zhashui", "--period", "week", "--as-of", "2023-12-20"
    )
    rank = next(r["rank"] for r in rows if r["township"] == "营盘镇")
    assert metrics["征缴期末排名"].value == f"第{rank}名 / 9"
    assert metrics["征缴期末排名"].help == "第16周（12月15日–12月20日）"
    assert chart_titles(at)[0] == "营盘镇累计参保", "the campaign over: nothing projected"


def test_overview_after_the_campaign_shows_the_townships_as_of_the_day_unranked(
    catch_up_report,
) -> None:
    at = open_app("zhashui")
    assert at.session_state["as_of_zhashui"] == date(2024, 1, 10)
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)  # under the county's curve
    title = spec["layout"]["title"]
    assert (title["text"], title["subtitle"]["text"]) == (
        "各乡镇任务完成率",
        "截至2024年1月10日；征缴期已于12月20日结束，不再排名",
    )
    (trace,) = spec["data"]
    townships = trace["y"][::-1]  # best first
    yingpan = townships.index("营盘镇")
    assert trace["text"][::-1][yingpan] == "99.1%", "10,500 of 10,598, as of the day"
    assert RED not in trace["marker"]["color"], "no period ranks the catch-up: none flagged"


def test_ranking_page_after_the_campaign_says_the_ranking_stops_at_its_end(
    catch_up_report,
) -> None:
    at = open_app("zhashui", "../pages/ranking.py")
    assert period_picker(at).value.label == "第16周（12月15日–12月20日）"
    assert [i.value for i in at.info] == [
        "征缴期已于2023年12月20日结束，排名止于征缴期最后一期；此后（补缴期2024年1月1日至"
        "2024年6月30日）的参保计入总览、乡镇和结算，不再排名。"
    ]


def test_settlement_after_the_campaign_says_how_to_settle_on_its_end(
    catch_up_report, capsys
) -> None:
    at = open_app("zhashui", "../pages/settlement.py")
    assert [i.value for i in at.info] == [
        "数据截至2024年1月10日，在征缴期结束（2023年12月20日）之后，参保人数含此后补缴的人员；"
        "按征缴期末的参保人数结算，请将左侧“数据截至”改为2023年12月20日。"
    ]
    at = open_app("zhashui", "../pages/settlement.py", as_of=date(2023, 12, 20))
    assert not at.info
    assert run(["settle", "--county", "zhashui"]) == 0
    assert (
        "注意：数据截至2024年1月10日，在征缴期结束（2023年12月20日）之后，参保人数含此后补缴的人员；"
        "按征缴期末的参保人数结算，请加 --as-of 2023-12-20。"
    ) in capsys.readouterr().err
    assert run(["settle", "--county", "zhashui", "--as-of", "2023-12-20"]) == 0
    assert "征缴期结束" not in capsys.readouterr().err


def test_ranking_page_during_the_campaign_has_no_after_campaign_note(app_env) -> None:
    at = open_app("zhashui", "../pages/ranking.py")
    assert not [i for i in at.info if "征缴期已于" in i.value]


def test_settlement_page_matches_the_cli_to_the_cent(app_env, capsys, samples) -> None:
    at = open_app("neixiang", "../pages/settlement.py")
    shown = table(at, "净额（元）")
    rows = cli_rows(capsys, "settle", "--county", "neixiang")
    assert list(shown["乡镇（街道）"]) == [r["township"] for r in rows]
    for line, row in zip(shown.to_dict("records"), rows, strict=True):
        for label, column in [
            ("工作经费（元）", "work_fund"),
            ("奖励（元）", "reward"),
            ("扣减（元）", "deduction"),
            ("净额（元）", "net"),
        ]:
            assert line[label].replace(",", "") == row[column]
    total = rows[-1]
    assert total["township"] == "合计"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["净额合计（元）"].replace(",", "") == total["net"]
    result, _ = settlement(samples["neixiang"], date(2022, 12, 31))
    assert total["net"] == str(result.total.net)
    assert at.download_button(key="settlement_download").label == "下载结算表（CSV）"


def test_a_wide_table_keeps_the_township_in_sight_on_a_phone(app_env) -> None:
    """Scrolled sideways to the money, each row still says whose it is: the township column
    is pinned (sticky and opaque), a laggard's stays red and 合计 stays shaded."""
    at = open_app("neixiang", "../pages/settlement.py")
    for row in (None, 0):
        pinned = cell_style(at, "净额（元）", row, "乡镇（街道）")
        assert (pinned["position"], pinned["left"], pinned["background-color"]) == (
            "sticky",
            "0",
            "#ffffff",
        )
    assert "position" not in cell_style(at, "净额（元）", 0, "净额（元）")
    assert cell_style(at, "净额（元）", 16, "乡镇（街道）")["background-color"] == "#eef2f7"
    ranking = open_app("neixiang", "../pages/ranking.py")
    laggard = cell_style(ranking, "后三名", 15, "乡镇（街道）")
    assert (laggard["position"], laggard["background-color"]) == ("sticky", "#fde2e1")
    narrow = open_app("neixiang", "../pages/groups.py")  # five columns or fewer wrap instead
    assert "position" not in cell_style(narrow, "特困人员救助供养对象", None, "乡镇（街道）")


def test_a_list_of_people_keeps_their_names_in_sight(app_env) -> None:
    """The unenrolled list pins 姓名 at its left: scrolled sideways to the ID number and group
    on a phone, each row still says whose it is."""
    at = open_app("neixiang", "../pages/groups.py")
    [people] = [d for d in at.dataframe if "身份证号" in d.value.columns]
    assert json.loads(people.proto.columns)["姓名"] == {"pinned": True}


def test_switching_county_keeps_each_countys_date(app_env) -> None:
    at = open_app("neixiang", as_of=date(2022, 11, 1))
    at.selectbox(key="county").set_value("zhashui").run()
    assert at.date_input(key="as_of_zhashui").value == date(2023, 12, 20)
    at.selectbox(key="county").set_value("neixiang").run()
    assert at.date_input(key="as_of_neixiang").value == date(2022, 11, 1)
