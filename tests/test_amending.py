"""Amending a campaign's policy: extended, its rates changed, refused where data would not fit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.amending import amend_policy, check_amendment
from dashboard.audit import data_version, entries
from dashboard.cli import run
from dashboard.opening import policy_toml
from dashboard.policy_form import current_draft, drafted_policy
from dashboard.problems import InputError
from dashboard.samples import sample_policy
from dashboard.store import campaign_policy, load_campaign
from data_models.policy import CountyPolicy

from apptest import start, table
from filemaker import csv_bytes


def extended(policy: CountyPolicy, **days: date) -> CountyPolicy:
    """The policy with other campaign dates (and a notice saying so)."""
    return policy.model_copy(
        update={
            "campaign": policy.campaign.model_copy(update=days),
            "source": policy.source + "；关于延长征缴期的通知",
        }
    )


def refusal(engine, policy: CountyPolicy) -> list[str]:
    with pytest.raises(InputError) as refused:
        check_amendment(engine, policy, "policy.toml")
    return [str(p) for p in refused.value.problems]


def test_an_extended_campaign_takes_the_added_days(
    scratch_url, scratch, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    progress = tmp_path / "进度.csv"
    progress.write_bytes(csv_bytes([["日期", "乡镇", "参保人数"], ["2023-01-10", "湍东镇", 61000]]))
    assert run(["import", "--county", "neixiang", str(progress)]) == 2, "after the end"

    policy = campaign_policy(scratch, "neixiang")
    amendment = check_amendment(scratch, extended(policy, end=date(2023, 1, 15)), "页面修改")
    assert amendment.changes() == {
        "政策依据": (policy.source, policy.source + "；关于延长征缴期的通知"),
        "征缴期": ("2022-10-15至2022-12-31", "2022-10-15至2023-01-15"),
    }
    before = data_version(scratch)
    done = amend_policy(scratch, amendment.after, file="页面修改", user="admin")
    assert done.summary() == "已修改内乡县2023年度城乡居民医保征缴的政策：政策依据、征缴期。"
    assert campaign_policy(scratch, "neixiang").campaign.end == date(2023, 1, 15)
    assert data_version(scratch) != before, "a running app reloads"
    (entry,) = entries(scratch, action="policy_amended")
    assert (entry.username, entry.county_code, entry.target) == (
        "admin",
        "neixiang",
        "内乡县2023年度城乡居民医保征缴",
    )
    assert json.loads(entry.before)["征缴期"] == "2022-10-15至2022-12-31"
    assert json.loads(entry.after)["征缴期"] == "2022-10-15至2023-01-15"

    assert run(["import", "--county", "neixiang", str(progress)]) == 0
    data = load_campaign(scratch, "neixiang")
    assert data.latest_date == date(2023, 1, 10) and data.policy.campaign.end == date(2023, 1, 15)


def test_a_campaign_cut_short_of_its_figures_is_refused_and_unchanged(scratch) -> None:
    policy = campaign_policy(scratch, "neixiang")
    cut = extended(policy, end=date(2022, 12, 20))
    assert refusal(scratch, cut) == [
        f"policy.toml：设置项 campaign：已有的{what}数据日期为2022-10-15至2022-12-31，"
        "不在修改后的征缴期内（2022-10-15至2022-12-20）：请先撤销这些导入，或改动征缴期"
        "（值：“2022-10-15至2022-12-20”）"
        for what in ("进度", "缴费")
    ]
    with pytest.raises(InputError):
        amend_policy(scratch, cut, file="policy.toml", user="admin")
    assert campaign_policy(scratch, "neixiang") == policy
    assert entries(scratch, action="policy_amended") == []


def test_a_group_with_stored_members_stays_and_a_year_must_be_open(scratch) -> None:
    policy = campaign_policy(scratch, "zhashui")
    assert refusal(scratch, policy.model_copy(update={"groups": policy.groups[1:]})) == [
        "policy.toml：设置项 groups：已有的资助名单或任务表有“特困供养人员”，"
        "修改后的政策没有这一群体（值：“extreme_poverty”）"
    ]
    next_year = policy.model_copy(update={"benefit_year": 2025})
    assert refusal(scratch, next_year) == [
        "policy.toml：没有柞水县2025年度城乡居民医保征缴：修改的是已建立的征缴年度"
        "（新的年度请建立征缴年度）（值：“2025”）"
    ]
    with pytest.raises(InputError) as same:
        amend_policy(scratch, policy, file="policy.toml", user="admin")
    assert str(same.value) == "policy.toml：与现行政策相同，没有修改"


def test_a_rate_changed_by_file_from_the_command_line(
    scratch_url, scratch, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    policy = campaign_policy(scratch, "neixiang")
    rates = policy.settlement.model_copy(update={"reward_per_head": Decimal(50)})
    (tmp_path / "policy.toml").write_text(
        policy_toml(policy.model_copy(update={"settlement": rates})), encoding="utf-8"
    )
    assert run(["amend-policy", "--policy", str(tmp_path / "policy.toml"), "--user", "局长"]) == 0
    assert capsys.readouterr().out == (
        "已修改内乡县2023年度城乡居民医保征缴的政策：工作经费、奖励、扣减（元/人）。\n"
    )
    assert run(["settle", "--county", "neixiang"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "王店镇,47320,49268,1.0412,1,73902.00,97400.00,0.00,171302.00"
    )  # 1 948 over at 50 yuan
    assert run(["amend-policy", "--policy", str(tmp_path / "policy.toml")]) == 2
    assert capsys.readouterr().err == "错误：" + str(tmp_path / "policy.toml") + (
        "：与现行政策相同，没有修改\n"
    )


def test_the_admin_extends_the_campaign_on_the_page(scratch_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("admin", county="neixiang")
    at.switch_page("../pages/campaigns.py").run()
    assert "修改方式" not in [r.label for r in at.radio], "closed, nothing is read nor checked"
    at.session_state["amend_open"] = True  # as a click on the expander
    at.run()
    assert "与现行政策相同，没有要修改的内容；修改后这里列出修改前后的对比。" in [
        c.value for c in at.caption
    ]
    at.date_input(key="amend_neixiang_2023_征缴期结束").set_value(date(2023, 1, 15)).run()
    assert table(at, "项目").values.tolist() == [
        ["征缴期", "2022-10-15至2022-12-31", "2022-10-15至2023-01-15"]
    ]
    at.button(key="amend_button").click().run()
    assert not at.exception
    assert at.success[0].value == "已修改内乡县2023年度城乡居民医保征缴的政策：征缴期。"
    assert table(at, "征缴期").iloc[0]["征缴期"] == "2022年10月15日至2023年1月15日"
    at.switch_page("../pages/ranking.py").run()
    assert at.caption[0].value.startswith(
        "内乡县2023年度城乡居民医保征缴 · 征缴期2022年10月15日至2023年1月15日"
    )


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_the_form_left_as_it_is_amends_nothing(code: str) -> None:
    policy = sample_policy(code)
    assert drafted_policy(policy, current_draft(policy), "页面修改") == policy
