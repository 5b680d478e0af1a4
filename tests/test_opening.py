"""Opening a campaign: next year's for a stored county, or a county new to the system."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from next_year import NEIXIANG_QUOTA, next_year_policy, opened_next_year
from pydantic import ValidationError
from sqlmodel import Session, func, select

from dashboard import admin_views, clock
from dashboard.audit import data_version, entries
from dashboard.auth import users
from dashboard.cli import run
from dashboard.db import make_engine
from dashboard.importing import check_file
from dashboard.opening import (
    carry_last_year,
    check_opening,
    open_campaign,
    policy_toml,
    prepare_campaign,
    read_policy,
)
from dashboard.problems import InputError, Problem
from dashboard.samples import load_sample, sample_policy
from dashboard.store import campaign_policy, list_counties, load_campaign
from dashboard.toml_errors import toml_problem
from dashboard.verified import verify_counts
from data_models.policy import CountyPolicy
from data_models.tables import Campaign, Township

from apptest import chart_titles, edit, start, table
from filemaker import csv_bytes

NEW_COUNTY_POLICY = """
code = "xinxian"
name = "新县"
province = "河南省"
city = "南阳市"
benefit_year = 2025
source = "新县2025年度征缴方案"
contribution_standard = "400"

[campaign]
start = 2024-09-01
end = 2024-12-31
centralised_end = 2024-12-31

[settlement]
work_fund_per_head = "2"
reward_per_head = "100"
deduction_per_head = "100"
"""


def test_next_year_is_the_county_campaign_with_its_own_policy_and_no_progress(scratch) -> None:
    before = data_version(scratch)
    opened = opened_next_year(scratch)
    assert opened.summary() == (
        "已建立内乡县2024年度城乡居民医保征缴：16个乡镇（街道），任务数合计604,120人。"
    )
    data = load_campaign(scratch, "neixiang")
    assert data.policy.benefit_year == 2024
    assert data.policy.campaign.start == date(2023, 10, 15)
    assert str(data.policy.settlement.reward_per_head) == "50"
    assert data.policy == campaign_policy(scratch, "neixiang")
    assert (
        data.quota_by_township["湍东镇"] == 62010 and sum(data.quota_by_township.values()) == 604120
    )
    assert data.progress.empty and data.latest_date is None and not data.simulated
    assert data.default_as_of() == date(2023, 10, 15)
    with Session(scratch) as session:  # the townships are the county's, not copies
        assert session.exec(select(func.count()).select_from(Township)).one() == 9 + 16 + 14
    entry = entries(scratch, action="campaign_opened")[0]
    assert (entry.username, entry.county_code, entry.target) == (
        "admin",
        "neixiang",
        "内乡县2024年度城乡居民医保征缴",
    )
    after = json.loads(entry.after)
    assert after["征缴期"] == "2023-10-15至2023-12-31" and after["任务数"]["城关镇"] == 43160
    assert (
        after["个人缴费标准（元）"] == "350"
        and after["工作经费、奖励、扣减（元/人）"] == "1.5、50、100"
    )
    assert after["资助标准（元/人）"]["城乡最低生活保障对象"] == "80"
    assert after["目标（完成率、参保率、特殊群体）"] == "100%、98%、100%"
    assert after["“双限”报解"] == "5天或10000元"
    assert data_version(scratch) != before, "a running app reloads its figures"


def test_the_same_year_twice_is_refused_and_writes_nothing(scratch) -> None:
    opened_next_year(scratch)
    with Session(scratch) as session:
        campaigns = session.exec(select(func.count()).select_from(Campaign)).one()
    with pytest.raises(InputError) as refused:
        opened_next_year(scratch)
    assert str(refused.value) == (
        "policy.toml：设置项 benefit_year：内乡县2024年度城乡居民医保征缴已经建立；数据请用导入补充"
        "（值：“2024”）"
    )
    with Session(scratch) as session:
        assert session.exec(select(func.count()).select_from(Campaign)).one() == campaigns


def test_a_new_county_is_listed_settled_and_takes_imports_in_its_own_dates(
    scratch_url, scratch, monkeypatch, capsys, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    (tmp_path / "policy.toml").write_text(NEW_COUNTY_POLICY, encoding="utf-8")
    quota = [["乡镇", "征缴任务数"], ["城关镇", 12000], ["东岳乡", 8000], ["合计", 20000]]
    (tmp_path / "quota.csv").write_bytes(csv_bytes(quota, "gbk"))
    args = ["--policy", str(tmp_path / "policy.toml"), "--quota", str(tmp_path / "quota.csv")]
    assert run(["new-campaign", *args, "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert (
        out
        == "已建立新县2025年度城乡居民医保征缴（新增县）：2个乡镇（街道），任务数合计20,000人。\n"
    )
    assert "xinxian" in [c.code for c in list_counties(scratch)]

    progress = tmp_path / "progress.csv"
    progress.write_bytes(csv_bytes([["日期", "乡镇", "参保人数"], ["2023-10-01", "城关镇", 10]]))
    assert run(["import", "--county", "xinxian", str(progress)]) == 2
    assert "不在征缴期内（2024-09-01至2024-12-31）" in capsys.readouterr().err
    rows = [
        ["日期", "乡镇", "参保人数"],
        ["2024-10-01", "城关镇", 12500],
        ["2024-10-01", "东岳乡", 7000],
    ]
    progress.write_bytes(csv_bytes(rows))
    assert run(["import", "--county", "xinxian", str(progress)]) == 0
    capsys.readouterr()
    assert run(["settle", "--county", "xinxian"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "township,quota,enrolled,completion_rate,rank,work_fund,reward,deduction,net",
        "城关镇,12000,12500,1.0417,1,25000.00,50000.00,0.00,75000.00",
        "东岳乡,8000,7000,0.8750,2,14000.00,0.00,100000.00,-86000.00",
        "合计,20000,19500,0.9750,,39000.00,50000.00,100000.00,-11000.00",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            NEW_COUNTY_POLICY.replace('name = "新县"', 'name "新县"'),
            "policy.toml 第3行：不是有效的 TOML：第6列：设置项名后面缺少等号（=）",
        ),
        (
            NEW_COUNTY_POLICY.replace('name = "新县"', "name = 新县"),
            "policy.toml 第3行：不是有效的 TOML：第8列：值的写法不对（文字要用英文双引号括起，"
            "日期写作 2023-09-01）",
        ),
        (
            NEW_COUNTY_POLICY + "\n[campaign]\nend = 2025-01-31\n",
            f"policy.toml 第{NEW_COUNTY_POLICY.count(chr(10)) + 2}行：不是有效的 TOML："
            "第10列：小节 [campaign] 写了不止一次",
        ),
        (
            NEW_COUNTY_POLICY.replace("start = 2024-09-01\n", ""),
            "policy.toml：设置项 campaign.start：缺少此项",
        ),
        (
            NEW_COUNTY_POLICY.replace(
                'contribution_standard = "400"', 'contribution_standard = "四百"'
            ),
            "policy.toml：设置项 contribution_standard：应为数字（值：“四百”）",
        ),
        (
            NEW_COUNTY_POLICY.replace('code = "xinxian"', 'code = "新县"'),
            "policy.toml：设置项 code：县代码应以小写字母开头，只含小写字母、数字、-、_（如 neixiang）"
            "（值：“新县”）",
        ),
        (
            NEW_COUNTY_POLICY.replace("end = 2024-12-31\n", "end = 2024-08-31\n", 1),
            "policy.toml：设置项 campaign：征缴期应满足 start ≤ centralised_end ≤ end",
        ),
        (
            NEW_COUNTY_POLICY
            + '[[groups]]\ncode = "a"\nlabel = "低保对象"\naliases = ["低保"]\n'
            + '[[groups]]\ncode = "b"\nlabel = "低保边缘户"\naliases = ["低保"]\n',
            "policy.toml：资助人员类别“低保对象”与“低保边缘户”都叫“低保”",
        ),
        (
            NEW_COUNTY_POLICY.replace('name = "新县"', f'name = "{"新" * 41}"', 1),
            f"policy.toml：设置项 name：过长（最多40个字符）（值：“{'新' * 41}”）",
        ),
        (
            NEW_COUNTY_POLICY.replace("source =", "remittance_days = 100000000000\nsource =", 1),
            "policy.toml：设置项 remittance_days：应不大于60（值：“100000000000”）",
        ),
        (
            NEW_COUNTY_POLICY.replace('deduction_per_head = "100"', 'deduction_per_head = "1e30"'),
            "policy.toml：设置项 settlement.deduction_per_head：应不大于1,000,000（值：“1e30”）",
        ),  # a settlement at that rate failed to round
        (
            NEW_COUNTY_POLICY.replace('"400"', '"400.001"'),
            "policy.toml：设置项 contribution_standard：最多2位小数（值：“400.001”）",
        ),
        (
            NEW_COUNTY_POLICY + "[targets]\nparticipation = 98\n",
            "policy.toml：设置项 targets.participation：应不大于1（值：“98”）",
        ),
        (
            NEW_COUNTY_POLICY.replace("benefit_year = 2025", "benefit_year = 2205", 1),
            "policy.toml：征缴期应在2205年度待遇的上一年或当年开始",
        ),
        (
            NEW_COUNTY_POLICY + "remittance = 5\n",
            "policy.toml：设置项 settlement.remittance：不认识的设置项（值：“5”）",
        ),
        # pydantic's own words for these were left in English
        (
            NEW_COUNTY_POLICY.replace(
                'contribution_standard = "400"', "contribution_standard = inf"
            ),
            "policy.toml：设置项 contribution_standard：应为数字（不能是 inf 或 nan）（值：“inf”）",
        ),
        (
            NEW_COUNTY_POLICY.replace("end = 2024-12-31", "end = 2024-12-31T10:00:00", 1),
            "policy.toml：设置项 campaign.end：应为日期（YYYY-MM-DD），不带时刻（值：“2024-12-31 10:00:00”）",
        ),
        (
            NEW_COUNTY_POLICY.replace("benefit_year = 2025", "benefit_year = 2025.5", 1),
            "policy.toml：设置项 benefit_year：应为整数（值：“2025.5”）",
        ),
        (
            NEW_COUNTY_POLICY + '[[groups]]\ncode = "a"\nlabel = "低保对象"\naliases = "低保"\n',
            "policy.toml：设置项 groups.0.aliases：应为写在方括号里的列表（[…, …]）（值：“低保”）",
        ),
        (
            NEW_COUNTY_POLICY
            + '[[groups]]\ncode = "a"\nlabel = "特困"\nsubsidy = "400"\nsources = ["医疗救助基金"]\n',
            "policy.toml：设置项 groups.0.sources.0：应为花括号里的一组设置"
            '（如 { source = "医疗救助基金", amount = "380" }）（值：“医疗救助基金”）',
        ),
    ],
)
def test_a_bad_policy_file_says_where(text: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        read_policy(text.encode("utf-8"), "policy.toml")
    assert str(refused.value) == message


def test_a_toml_complaint_not_known_keeps_its_words_after_a_chinese_heading() -> None:
    error = tomllib.TOMLDecodeError("Something new (at line 2, column 1)")
    assert toml_problem("p.toml", error) == Problem(
        "p.toml", 2, None, None, "不是有效的 TOML：第1列：Something new"
    )
    with pytest.raises(InputError) as twice:  # found at the end: no line to name
        read_policy(b"a = 1\na = 2", "p.toml")
    assert str(twice.value) == "p.toml：不是有效的 TOML：同一设置项写了不止一次"


def test_a_bad_quota_table_writes_nothing(scratch) -> None:
    policy = read_policy(NEW_COUNTY_POLICY.encode("utf-8"), "policy.toml")
    bad = csv_bytes([["乡镇", "征缴任务数"], ["城关镇", -5], ["城关镇东关街道" * 6, 5]])
    with pytest.raises(InputError) as refused:
        prepare_campaign(policy, bad, "quota.csv")
    assert [(p.column, p.reason) for p in refused.value.problems] == [
        ("征缴任务数", "不是非负整数"),
        ("乡镇", "超过40个字符，请核对"),  # the database keeps a township's name in 40
    ]
    assert "xinxian" not in [c.code for c in list_counties(scratch)]


def test_every_page_of_a_campaign_without_progress_says_so(
    scratch_url, scratch, monkeypatch
) -> None:
    opened_next_year(scratch)
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("admin", county="neixiang")
    for page in ("overview", "ranking", "township", "settlement", "whatif", "bulletin", "groups"):
        at.switch_page(f"../pages/{page}.py").run()
        assert not at.exception, page
        assert at.info[0].value.startswith("本年度尚无进度数据"), page
        titles = chart_titles(at)
        assert not [t for t in titles if "完成率" in t or "排名" in t], (page, titles)  # all empty
    no_money_yet = "尚无参保数据，奖惩在导入第一份进度表或缴费明细后按参保人数测算。"
    at.switch_page("../pages/overview.py").run()
    assert f"**奖惩结算**：{no_money_yet}（详见“结算”页）" in [m.value for m in at.markdown]
    at.switch_page("../pages/township.py").run()
    assert f"**奖惩**：{no_money_yet}" in [m.value for m in at.markdown]
    assert "尚无参保人数，无从按进度预测；距任务数还差62,010人。" in [i.value for i in at.info]
    assert "湍东镇尚无每周排名（排名从报送参保数据的第一周起）。" in [c.value for c in at.caption]
    assert chart_titles(at) == ["湍东镇累计参保"], "nobody enrolled: no pace, nothing projected"
    at.switch_page("../pages/settlement.py").run()
    assert at.caption[0].value.startswith("内乡县2024年度城乡居民医保征缴 · 征缴期2023年10月15日")
    settled = table(at, "乡镇（街道）").set_index("乡镇（街道）")
    assert settled.loc["湍东镇", "扣减（元）"] == "6,201,000.00"  # 62,010 short × 100 yuan
    assert sample_policy("neixiang").benefit_year == 2023, "the sample file is left as it was"


def test_a_campaign_stored_before_policies_were_kept_uses_the_sample_file(scratch) -> None:
    with Session(scratch) as session:
        for campaign in session.exec(select(Campaign)):
            campaign.policy = None
            session.add(campaign)
        session.commit()
    assert load_campaign(scratch, "zhashui").policy == sample_policy("zhashui")


def test_a_policy_stored_before_a_rule_was_made_is_read_as_it_was_opened(scratch) -> None:
    """The benefit year's rule came after campaigns were opened without it: one stored with a
    benefit year its dates do not fit is read back as stored, not refused on every page."""
    with Session(scratch) as session:
        campaign = session.exec(select(Campaign).where(Campaign.benefit_year == 2023)).one()
        stored = json.loads(campaign.policy or "") | {"benefit_year": 2204}
        campaign.policy = json.dumps(stored, ensure_ascii=False)
        session.add(campaign)
        session.commit()
    assert load_campaign(scratch, "neixiang", year=2023).policy.benefit_year == 2204
    with pytest.raises(ValidationError, match="征缴期应在2204年度待遇的上一年或当年开始"):
        CountyPolicy.model_validate(stored)  # a policy opened now is checked


def test_last_year_stays_readable_beside_the_new_one(
    scratch_url, scratch, monkeypatch, capsys, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    assert run(["settle", "--county", "neixiang"]) == 0
    last_year = capsys.readouterr().out
    opened_next_year(scratch)

    assert run(["settle", "--county", "neixiang", "--year", "2023"]) == 0
    assert capsys.readouterr().out == last_year
    assert run(["settle", "--county", "neixiang"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "合计,604120,0,0.0000,,0.00,0.00,60412000.00,-60412000.00"
    )
    assert run(["rank", "--county", "neixiang", "--year", "2021", "--period", "week"]) == 2
    assert "--year：neixiang 没有2021年度的征缴（可用：2024、2023）" in capsys.readouterr().err

    # a late correction of last year's figures goes into last year's campaign
    file = tmp_path / "进度.csv"
    file.write_bytes(csv_bytes([["日期", "乡镇", "参保人数"], ["2022-12-31", "城关镇", 43500]]))
    assert run(["import", "--county", "neixiang", str(file)]) == 2, "outside 2024's dates"
    assert run(["import", "--county", "neixiang", "--year", "2023", str(file)]) == 0
    capsys.readouterr()

    at = start("admin", county="neixiang")
    year = at.selectbox(key="year_neixiang")
    assert year.options == ["2024年度（当前）", "2023年度"] and year.value == 2024
    assert at.metric[0].value == "0"
    year.set_value(2023).run()
    assert at.metric[0].value == "600,632"  # 600,492 + the 140 more in 城关镇 (43,360 → 43,500)
    assert at.caption[0].value.startswith("内乡县2023年度城乡居民医保征缴")
    at.switch_page("../pages/groups.py").run()
    assert table(at, "身份证号").shape[0] > 0, "last year's roster"
    at.switch_page("../pages/whatif.py").run()
    assert at.info[-1].value == "模拟测算只针对当前征缴年度。请在侧栏“征缴年度”中选择当前年度。"
    at.switch_page("../pages/imports.py").run()
    assert at.warning[0].value.startswith("正在查看2023年度：在此导入的文件写入2023年度")
    at.selectbox(key="year_neixiang").set_value(2024).run()
    at.switch_page("../pages/groups.py").run()
    assert not at.exception and not list(at.dataframe), "no roster imported for 2024 yet"


def test_a_running_app_shows_a_year_opened_meanwhile(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("leader", county="neixiang")
    assert at.metric[0].value == "600,492" and "征缴年度" not in [s.label for s in at.selectbox]
    opened_next_year(scratch)  # as the command would, from another process
    at.run()
    assert at.selectbox(key="year_neixiang").value == 2024
    assert at.metric[0].value == "0"


def test_figures_older_than_a_week_or_short_of_the_end_say_so(
    scratch_url, scratch, monkeypatch, capsys, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    monkeypatch.setattr(clock, "today", lambda: date(2023, 11, 25))
    opened_next_year(scratch)
    progress = tmp_path / "进度.csv"
    rows = [["日期", "乡镇", "参保人数"], ["2023-11-03", "湍东镇", 30000]]
    progress.write_bytes(csv_bytes([*rows, ["2023-11-10", "湍东镇", 40000]]))
    assert run(["import", "--county", "neixiang", str(progress)]) == 0
    capsys.readouterr()
    running = (
        "最新数据截至11月10日，已有15天没有导入新的进度或缴费明细：人数、排名、预测和结算"
        "都按11月10日的数据计，不是今天的进度。"
    )
    assert run(["rank", "--county", "neixiang", "--period", "week"]) == 0
    said = capsys.readouterr().err.splitlines()
    assert said[0] == f"注意：{running}"
    assert said[1].startswith(
        "排名期：第4周（11月5日–11月11日），按截至2023年11月10日的参保人数排名。"
    )
    assert run(["settle", "--county", "neixiang", "--as-of", "2023-11-10"]) == 0
    assert capsys.readouterr().err == "", "a day asked for is what was asked"

    at = start("leader", county="neixiang")
    for page in ("overview", "ranking", "township", "settlement", "meeting"):
        at.switch_page(f"../pages/{page}.py").run()
        assert running in [w.value for w in at.warning], page
    at.switch_page("../pages/overview.py").run()
    at.date_input(key="as_of_neixiang").set_value(date(2023, 11, 3)).run()
    assert not [w.value for w in at.warning if "最新数据截至" in w.value], "an earlier day picked"

    monkeypatch.setattr(clock, "today", lambda: date(2024, 1, 4))
    ended = (
        "征缴期已于2023年12月31日结束，最新数据截至2023年11月10日，征缴期末的数据尚未导入："
        "人数、排名和结算都按11月10日的数据计，不是最终结果。"
    )
    at = start("leader", county="neixiang")
    at.switch_page("../pages/settlement.py").run()
    assert ended in [w.value for w in at.warning]
    progress.write_bytes(csv_bytes([rows[0], ["2023-12-31", "湍东镇", 62010]]))
    assert run(["import", "--county", "neixiang", str(progress)]) == 0
    at.run()
    assert not [w.value for w in at.warning if "最新数据截至" in w.value], "the final count is in"
    at.switch_page("../pages/overview.py").run()
    finished = {m.label: m for m in at.metric}["完成任务乡镇"]  # no rosters: in 特殊群体's place
    assert (finished.value, finished.delta) == ("1 / 16", "15个未完成")


@pytest.fixture
def next_year_elsewhere(scratch_url, scratch, monkeypatch, capsys, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Next year's campaign opened, and a way to import progress reports into it from the
    command line, as another office would while the app is open."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    opened_next_year(scratch)
    progress = tmp_path / "进度.csv"

    def import_progress(*rows: list[object]) -> None:
        progress.write_bytes(csv_bytes([["日期", "乡镇", "参保人数"], *rows]))
        assert run(["import", "--county", "neixiang", str(progress)]) == 0
        capsys.readouterr()

    return import_progress


def test_a_page_on_the_newest_day_follows_newer_figures_and_a_picked_day_stays(
    next_year_elsewhere,
) -> None:
    next_year_elsewhere(["2023-11-03", "湍东镇", 30000])
    following, picked = start("leader", county="neixiang"), start("leader", county="neixiang")
    assert following.date_input(key="as_of_neixiang").value == date(2023, 11, 3)
    picked.date_input(key="as_of_neixiang").set_value(date(2023, 10, 20)).run()

    next_year_elsewhere(["2023-11-10", "湍东镇", 40000])
    following.run()
    assert following.date_input(key="as_of_neixiang").value == date(2023, 11, 10)
    assert following.metric[0].value == "40,000"
    picked.run()
    assert picked.date_input(key="as_of_neixiang").value == date(2023, 10, 20), "as picked"


def test_a_period_picked_stays_when_newer_figures_come_in_and_the_latest_moves_on(
    next_year_elsewhere,
) -> None:
    next_year_elsewhere(
        ["2023-10-20", "湍东镇", 10000],
        ["2023-10-27", "湍东镇", 20000],
        ["2023-11-03", "湍东镇", 30000],
    )
    picked, latest = start("leader", county="neixiang"), start("leader", county="neixiang")
    for at in (picked, latest):
        at.switch_page("../pages/ranking.py").run()
    week = picked.selectbox(key="period_neixiang_week_2023-11-03")
    assert week.options[:2] == ["第3周（10月29日–11月4日）", "第2周（10月22日–10月28日）"]
    week.select_index(2).run()  # 第1周

    next_year_elsewhere(["2023-11-10", "湍东镇", 40000])
    for at in (picked, latest):
        at.run()
        assert at.date_input(key="as_of_neixiang").value == date(2023, 11, 10)
    assert picked.selectbox(key="period_neixiang_week_2023-11-10").value.index == 1, "as picked"
    assert latest.selectbox(key="period_neixiang_week_2023-11-10").value.index == 4, "the newest"


def test_a_what_if_drawn_on_last_years_quotas_starts_afresh_on_next_years(
    scratch_url, scratch, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("leader", county="neixiang")
    at.switch_page("../pages/whatif.py").run()
    edit(at, 0, "测算任务数", 60010)
    assert {m.label: m.delta for m in at.metric}["全县任务数"] == "较正式 -2,000"
    opened_next_year(scratch)  # the same townships and quotas
    at.run()
    assert at.selectbox(key="year_neixiang").value == 2024
    assert {m.label: m.delta for m in at.metric}["全县任务数"] == "较正式 无变化"


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_a_policy_written_back_as_toml_reads_the_same(code: str) -> None:
    policy = sample_policy(code)
    text = policy_toml(policy)
    assert read_policy(text.encode("utf-8"), "policy.toml") == policy
    assert f"benefit_year = {policy.benefit_year}" in text
    assert f"start = {policy.campaign.start.isoformat()}" in text, "a TOML date, not a string"


def test_the_admin_opens_next_year_in_the_page(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("admin", county="neixiang")
    at.switch_page("../pages/campaigns.py").run()
    assert not at.exception
    listed = table(at, "征缴年度")
    assert listed.to_dict("records") == [
        {
            "征缴年度": "2023年度（当前）",
            "征缴期": "2022年10月15日至2022年12月31日",
            "集中征缴期止": "2022年11月30日",
            "乡镇（街道）数": "16",
            "任务数合计": "604,120",
            "政策依据": "内乡县2023年度城乡居民基本医疗保险征缴方案",
        }
    ]
    template = at.download_button(key="policy_download")
    assert template.label == "下载2023年度政策文件（作为下一年度的模板）"

    at.radio(key="opening_method").set_value("file").run()
    bad = next_year_policy().replace(b"benefit_year = 2024", b"benefit_year = 2023")
    at.file_uploader(key="opening_policy").set_value(("policy.toml", bad, "application/toml"))
    signed = NEIXIANG_QUOTA + "制表人：张三\n".encode()
    at.file_uploader(key="opening_quota").set_value(("任务表.csv", signed, "text/csv"))
    at.run()
    assert at.error[0].value == "发现1个问题，未建立。请修正后重新上传。"
    good = ("policy.toml", next_year_policy(), "application/toml")
    at.file_uploader(key="opening_policy").set_value(good).run()
    assert at.success[0].value.startswith("检查通过：将建立内乡县2024年度城乡居民医保征缴")
    # what the quota table's check notes, as 数据导入 says it
    assert "表下的落款与说明未导入：任务表.csv第19行“制表人：张三”" in [c.value for c in at.caption]
    # last year's final enrolment comes along: Neixiang 2023 ended at 600,492
    assert table(at, "任务数").iloc[-1].tolist() == ["合计", "604,120", "600,492"]
    at.button(key="opening_button").click().run()
    assert not at.exception
    assert "已建立内乡县2024年度城乡居民医保征缴：16个乡镇（街道），任务数合计604,120人。" in [
        s.value for s in at.success
    ]
    assert list(table(at, "征缴年度")["征缴年度"]) == ["2024年度（当前）", "2023年度（往年）"]
    assert at.selectbox(key="year_neixiang").value == 2024
    assert entries(scratch, action="campaign_opened")[0].username == "admin"


def test_a_county_of_its_own_without_the_samples(tmp_path: Path, monkeypatch, capsys) -> None:
    """DASHBOARD_SAMPLE_DATA=0: no sample county and no demo user; the first admin comes from
    the command line, the county from new-campaign, and the log-in page lists no demo users."""
    from streamlit.testing.v1 import AppTest

    from apptest import APP

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'own.sqlite3'}")
    monkeypatch.setenv("DASHBOARD_SAMPLE_DATA", "0")
    empty = AppTest.from_file(APP, default_timeout=60).run()
    assert empty.info[0].value.startswith("系统中还没有用户。系统管理员请在服务器上运行")
    monkeypatch.setenv("DASHBOARD_NEW_PASSWORD", "short")
    assert run(["add-user", "--username", "wang", "--role", "admin"]) == 2
    assert "密码至少8位" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_NEW_PASSWORD", "county-secret-1")
    args = ["add-user", "--username", "wang", "--role", "admin", "--display-name", "县医保局"]
    assert run([*args, "--user", "installer"]) == 0
    out = capsys.readouterr().out
    assert out == "已新建用户“wang”（系统管理员）。\n" and "county-secret-1" not in out
    engine = make_engine()
    assert list_counties(engine) == []
    assert [(u.username, u.role) for u in users(engine)] == [("wang", "admin")]
    created = entries(engine, action="user_created")[0]
    assert created.username == "installer" and "county-secret-1" not in (created.after or "")

    login = AppTest.from_file(APP, default_timeout=60).run()
    assert not [m for m in login.markdown if "演示账号" in m.value] and not login.info
    login.text_input(key="login_username").set_value("wang")
    login.text_input(key="login_password").set_value("county-secret-1")
    login.button[0].click().run()
    assert not login.exception
    assert login.info[0].value.startswith("系统中还没有本县的征缴数据")

    (tmp_path / "policy.toml").write_text(NEW_COUNTY_POLICY, encoding="utf-8")
    (tmp_path / "quota.csv").write_bytes(csv_bytes([["乡镇", "征缴任务数"], ["城关镇", 12000]]))
    opening = ["--policy", str(tmp_path / "policy.toml"), "--quota", str(tmp_path / "quota.csv")]
    assert run(["new-campaign", *opening]) == 0
    login.run()
    assert login.title[0].value == "新县城乡居民医保征缴总览"
    assert [c.code for c in list_counties(engine)] == ["xinxian"]
    engine.dispose()


def test_next_year_carries_last_years_final_enrolment(scratch) -> None:
    """A quota table without 上年参保人数 gets each township's final count of the previous
    campaign (Neixiang 2023 ends on 2022-12-31: 湍东镇 59,982); a new township gets none."""
    rows = [["乡镇", "征缴任务数"], ["湍东镇", 62000], ["城关镇", 43000], ["新设街道", 5000]]
    policy = read_policy(next_year_policy(), "policy.toml")
    data, source = carry_last_year(scratch, prepare_campaign(policy, csv_bytes(rows), "q.csv").data)
    carried = dict(zip(data.quotas["township"], data.quotas["last_year_enrolled"], strict=True))
    assert carried["湍东镇"] == 59982 and carried["城关镇"] == 43360
    assert source == (
        "上年参保人数取自2023年度征缴截至2022年12月31日的参保人数（尚未录入核定人数，模拟数据）。"
    )
    assert carried["新设街道"] is pd.NA
    preview = admin_views.opening_preview(data).set_index("乡镇（街道）")
    assert preview.loc["合计"].tolist() == ["110,000", "103,342"]
    assert preview.loc["新设街道", "上年参保人数"] == "—"
    open_campaign(scratch, data, policy_file="policy.toml", user="admin")
    stored = load_campaign(scratch, "neixiang").quotas.set_index("township")["last_year_enrolled"]
    assert stored["湍东镇"] == 59982
    # a table that gives the column keeps its own figures; a county's first year has none
    first = read_policy(NEW_COUNTY_POLICY.encode("utf-8"), "policy.toml")
    alone = prepare_campaign(
        first, csv_bytes([["乡镇", "征缴任务数"], ["城关镇", 9]]), "q.csv"
    ).data
    assert carry_last_year(scratch, alone) == (alone, None)
    # a county back after years away: 2024's campaign (just opened) is not last year's
    later = policy.model_copy(update={"benefit_year": 2027})
    gap = prepare_campaign(later, csv_bytes(rows), "q.csv").data
    assert carry_last_year(scratch, gap) == (
        gap,
        "上年参保人数未填：系统中没有2026年度的征缴（最近一次为2024年度）；"
        "如需按上年参保人数测算，请在任务表中加“上年参保人数”列",
    )


def test_next_year_carries_the_verified_counts_where_recorded(scratch) -> None:
    """Once the bureaus' 核定 counts of 2023 are recorded, they are last year's enrolment, not
    the system's latest figure; the page and `new-campaign` say so."""
    final = load_sample("neixiang").quota_by_township
    counts = {t: q + 7 for t, q in final.items()}  # every township 7 over its quota
    verify_counts(
        scratch,
        "neixiang",
        2023,
        counts=counts,
        verified_on=date(2023, 1, 10),
        note="",
        user="admin",
        today=date(2023, 1, 11),
    )
    policy = read_policy(next_year_policy(), "policy.toml")
    data, source = carry_last_year(scratch, prepare_campaign(policy, NEIXIANG_QUOTA, "q.csv").data)
    carried = data.quotas.set_index("township")["last_year_enrolled"]
    assert carried["湍东镇"] == 62017 and int(carried.sum()) == 604120 + 16 * 7
    assert (
        source == "上年参保人数取自2023年度征缴中县税务局、医保局2023年1月10日核定的最终参保人数。"
    )
    check = check_opening(scratch, next_year_policy(), "policy.toml", NEIXIANG_QUOTA, "q.csv")
    assert check.data is not None and source in check.notes


def test_a_township_dropped_next_year_is_not_asked_for_nor_taken(scratch) -> None:
    """Next year's table leaves out 城关镇 (merged, say): a quota table for next year need not
    name it and a progress report may not; last year's still takes it."""
    fifteen = NEIXIANG_QUOTA.replace("城关镇,43160\n".encode(), b"").replace(b"604120", b"560960")
    assert len(fifteen) < len(NEIXIANG_QUOTA)
    policy = read_policy(next_year_policy(), "policy.toml")
    open_campaign(
        scratch, prepare_campaign(policy, fifteen, "q.csv").data, policy_file="p", user="u"
    )
    again = check_file(
        scratch, policy, fifteen.replace(b"62010", b"62000").replace(b"560960", b"560950"), "q2.csv"
    )
    assert again.importable, again.problems
    report = csv_bytes([["日期", "乡镇", "参保人数"], ["2023-11-01", "城关镇", 100]])
    refused = check_file(scratch, policy, report, "p.csv")
    assert [(p.column, p.value) for p in refused.problems] == [("乡镇", "城关镇")]
    last = sample_policy("neixiang")
    report = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-12-31", "城关镇", 43400]])
    assert check_file(scratch, last, report, "p.csv").importable


def test_a_township_user_of_a_township_gone_next_year_still_sees_last_year(
    scratch_url, scratch, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    without = NEIXIANG_QUOTA.replace("湍东镇,62010\n".encode(), b"").replace(b"604120", b"542110")
    policy = read_policy(next_year_policy(), "policy.toml")
    open_campaign(
        scratch, prepare_campaign(policy, without, "q.csv").data, policy_file="p", user="u"
    )
    at = start("township", county="neixiang", township="湍东镇")
    assert not at.exception
    assert (
        at.info[0].value == "湍东镇不在内乡县2024年度城乡居民医保征缴的任务表中，没有本年度的数据。"
    )
    at.selectbox(key="year_neixiang").set_value(2023).run()
    assert not at.exception and at.title[0].value == "内乡县湍东镇征缴进度"
