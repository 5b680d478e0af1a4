"""Next year's policy filled in on the 征缴年度 page's form instead of an edited TOML file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from dashboard.audit import entries
from dashboard.opening import policy_toml, read_policy
from dashboard.policy_form import (
    AMOUNT,
    GROUP,
    SOURCE,
    a_year_later,
    drafted_policy,
    next_year_draft,
)
from dashboard.problems import InputError
from dashboard.samples import SAMPLE_DIR, sample_policy
from dashboard.store import campaign_policy

from apptest import edit, start, table

FORM = "2025年度政策（页面填写）"


def filled(code: str, **changes):
    """The county's next-year draft with the notice filled in, and any other changes."""
    return replace(next_year_draft(sample_policy(code)), source="新文号〔2024〕1号", **changes)


def reasons(code: str, draft) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as refused:
        drafted_policy(sample_policy(code), draft, FORM)
    assert {p.file for p in refused.value.problems} == {FORM}
    return [(p.row, p.column, p.reason) for p in refused.value.problems]


def test_the_draft_is_this_years_policy_a_year_on() -> None:
    draft = next_year_draft(sample_policy("zhashui"))
    assert (draft.benefit_year, draft.source) == (2025, "")
    assert (draft.start, draft.end, draft.centralised_end) == (
        date(2024, 9, 1),
        date(2024, 12, 20),
        date(2024, 12, 20),
    )
    assert (draft.catch_up_start, draft.catch_up_end) == (date(2025, 1, 1), date(2025, 6, 30))
    assert draft.contribution_standard == Decimal("380")
    assert draft.fiscal.to_dict("list") == {
        SOURCE: ["中央财政", "省级财政", "市级财政", "县级财政"],
        AMOUNT: [512.0, 64.0, 12.8, 51.2],
    }
    monitored = draft.subsidies[draft.subsidies[GROUP] == "监测户"]
    assert monitored[[SOURCE, AMOUNT]].values.tolist() == [
        ["省级财政", 45.0],
        ["市级财政", 29.0],
        ["县级财政", 116.0],
    ]
    bare = draft.subsidies[draft.subsidies[GROUP] == "低保边缘户"]
    assert bare[[SOURCE, AMOUNT]].values.tolist() == [["", 0.0]]


def test_a_county_without_a_fiscal_subsidy_gets_no_row_of_it_to_clear() -> None:
    """Neixiang's notice sets no fiscal subsidy: its table starts empty, not with a row of
    0.00 without a source, and an unchanged draft keeps it unset."""
    draft = next_year_draft(sample_policy("neixiang"))
    assert draft.fiscal.empty
    assert list(draft.fiscal.dtypes) == [object, float]
    assert (
        drafted_policy(sample_policy("neixiang"), filled("neixiang"), FORM).fiscal_subsidy is None
    )


def test_29_february_moves_to_28_february() -> None:
    assert a_year_later(date(2024, 2, 29)) == date(2025, 2, 28)
    assert a_year_later(date(2023, 10, 15)) == date(2024, 10, 15)


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_an_unchanged_draft_keeps_everything_but_year_notice_and_dates(code: str) -> None:
    base = sample_policy(code)
    policy = drafted_policy(base, filled(code), FORM)
    assert (policy.benefit_year, policy.source) == (base.benefit_year + 1, "新文号〔2024〕1号")
    assert policy.campaign.start == a_year_later(base.campaign.start)
    moved_back = policy.model_copy(
        update={"benefit_year": base.benefit_year, "source": base.source, "campaign": base.campaign}
    )
    assert moved_back == base
    assert read_policy(policy_toml(policy).encode("utf-8"), "policy.toml") == policy


def test_new_amounts_make_the_subsidies_their_sources_and_the_rates() -> None:
    draft = filled("zhashui", contribution_standard=Decimal("400"), reward_per_head=Decimal("50"))
    subsidies = draft.subsidies.copy()
    subsidies.loc[subsidies[SOURCE] == "县级财政", AMOUNT] = 126.0  # 监测户 and 返贫致贫人口
    subsidies.loc[subsidies[GROUP] == "特困供养人员", AMOUNT] = 400.0
    fiscal = draft.fiscal.copy()
    fiscal.loc[0, AMOUNT] = 542.0
    policy = drafted_policy(
        sample_policy("zhashui"), replace(draft, subsidies=subsidies, fiscal=fiscal), FORM
    )
    assert policy.contribution_standard == Decimal("400.00")
    assert policy.settlement.reward_per_head == Decimal("50.00")
    assert policy.fiscal_subsidy == Decimal("670.00")
    assert policy.group("monitored").subsidy == Decimal("200.00")
    assert [s.amount for s in policy.group("monitored").sources] == [45, 29, 126]
    assert policy.group("extreme_poverty").subsidy == Decimal("400.00")
    assert policy.group("minimum_living").subsidy == Decimal("190.00")


def test_a_share_of_the_standard_is_kept_only_where_it_is_still_exact() -> None:
    draft = filled("dongming", contribution_standard=Decimal("400"))
    subsidies = draft.subsidies.copy()
    subsidies.loc[subsidies[GROUP] == "低保对象", AMOUNT] = 120.0  # 30 % of 400
    subsidies.loc[subsidies[GROUP] == "致贫返贫人员", AMOUNT] = 125.0  # 31.25 %
    policy = drafted_policy(sample_policy("dongming"), replace(draft, subsidies=subsidies), FORM)
    assert policy.group("minimum_living").share == Decimal("0.30")
    assert policy.group("returned_to_poverty").share is None


def test_a_draft_that_does_not_add_up_says_every_problem_and_where() -> None:
    draft = next_year_draft(sample_policy("zhashui"))  # no notice filled in
    subsidies = draft.subsidies.copy()
    subsidies.loc[0, AMOUNT] = 390.0  # 特困: not weighed against a standard that is wrong
    subsidies.loc[2, AMOUNT] = 190.005  # 低保: three decimals
    subsidies.loc[4, AMOUNT] = 1e30  # 监测户: a slip of the keyboard (it failed to round)
    subsidies.loc[3, SOURCE] = ""  # 脱贫: amount without source, beside none: fine
    subsidies.loc[3, AMOUNT] = 20.0
    subsidies.loc[len(subsidies)] = ["脱贫户", "医疗救助基金", 10.0]  # not a group of the county
    subsidies.loc[len(subsidies)] = [None, "县级财政", 5.0]  # no group picked
    fiscal = draft.fiscal.copy()
    fiscal.loc[len(fiscal)] = ["", 10.0]  # beside sourced amounts
    bad = replace(
        draft,
        subsidies=subsidies,
        fiscal=fiscal,
        centralised_end=date(2025, 1, 5),
        catch_up_end=None,
        contribution_standard=Decimal("0"),
    )
    assert reasons("zhashui", bad) == [
        (None, None, "个人缴费标准应为大于0、最多两位小数、不超过1,000,000元的金额"),
        (None, None, "请填写政策依据（本年度通知或方案的文号）"),
        (None, None, "集中征缴截止日应在征缴期之内"),
        (None, None, "补缴期应同时填写开始和结束日期，或都不填"),
        (None, SOURCE, "财政补助：有金额未填资金来源（各资金来源之和应等于资助标准）"),
        (3, AMOUNT, "低保户：金额应为不小于0、最多两位小数、不超过1,000,000元的数字"),
        (5, AMOUNT, "监测户：金额应为不小于0、最多两位小数、不超过1,000,000元的数字"),
        (12, GROUP, "不认识的群体“脱贫户”"),
        (13, GROUP, "请选择这一行的群体"),
    ]


def test_a_subsidy_above_the_standard_and_dates_out_of_order() -> None:
    draft = filled("neixiang", start=date(2024, 1, 10), end=date(2023, 12, 31))
    subsidies = draft.subsidies.copy()
    subsidies.loc[0, AMOUNT] = 360.0
    assert reasons("neixiang", replace(draft, subsidies=subsidies)) == [
        (None, None, "征缴期的开始日期应不晚于结束日期"),
        (None, None, "特困人员救助供养对象的资助标准360.00元高于个人缴费标准350.00元"),
    ]
    assert reasons("neixiang", filled("neixiang", start=date(2021, 10, 15))) == [
        (None, None, "征缴期应在2024年度待遇的上一年或当年开始")
    ]


def test_targets_the_remittance_rule_and_the_posting_period() -> None:
    draft = next_year_draft(sample_policy("neixiang"))
    assert draft.targets == {"completion": 100, "participation": 98, "special_groups": 100}
    assert (draft.remittance_days, draft.remittance_amount, draft.public_notice_working_days) == (
        5,
        Decimal(10000),
        5,
    )
    changed = filled(
        "neixiang",
        targets={"completion": Decimal(100), "participation": Decimal("97.5"), "special_groups": Decimal(100)},
        remittance_days=3,
        remittance_amount=Decimal("5000.00"),
        public_notice_working_days=7,
    )  # fmt: skip
    policy = drafted_policy(sample_policy("neixiang"), changed, FORM)
    assert policy.targets.participation == Decimal("0.975") and policy.targets.completion == 1
    assert (policy.remittance_days, policy.remittance_amount) == (3, Decimal("5000.00"))
    assert policy.public_notice_working_days == 7
    none = filled("zhashui", remittance_days=None, remittance_amount=None)
    assert drafted_policy(sample_policy("zhashui"), none, FORM).remittance_days is None
    bad = filled(
        "neixiang",
        targets={"completion": Decimal(0), "participation": Decimal("98.25"), "special_groups": Decimal(101)},
        remittance_days=None,
        public_notice_working_days=10**12,  # a slip: the days are counted one by one
    )  # fmt: skip
    assert reasons("neixiang", bad) == [
        (None, None, "任务完成率目标应为大于0、不超过100、最多一位小数的百分数"),
        (None, None, "参保率目标应为大于0、不超过100、最多一位小数的百分数"),
        (None, None, "特殊群体目标应为大于0、不超过100、最多一位小数的百分数"),
        (None, None, "公示期（工作日）应为1至60的整数"),
        (None, None, "“双限”报解的期限和额度应同时填写，或都不填"),
    ]


def test_the_admin_fills_in_next_year_and_opens_it(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("admin", county="neixiang")
    at.switch_page("../pages/campaigns.py").run()
    assert not at.exception
    assert at.radio(key="opening_method").value == "form"
    key = "draft_neixiang_2023_"
    assert at.number_input(key=key + "year").value == 2024
    assert at.date_input(key=key + "征缴期开始").value == date(2023, 10, 15)
    at.file_uploader(key="opening_quota").set_value(
        ("任务表.csv", (SAMPLE_DIR / "neixiang" / "quota.csv").read_bytes(), "text/csv")
    )
    at.run()
    assert (
        at.warning[0].value == "政策填写有1个问题：\n\n- 请填写政策依据（本年度通知或方案的文号）"
    )
    assert not at.success, "nothing to check while the form has problems"

    at.text_input(key=key + "source").input("内乡县2024年度城乡居民基本医疗保险征缴方案")
    at.number_input(key=key + "超额奖励（元/人）").set_value(50.0)
    at.run()
    edit(at, 1, AMOUNT, 90.0, key=key + "subsidies")  # 城乡最低生活保障对象 80 → 90
    assert not at.exception
    assert at.success[0].value.startswith("检查通过：将建立内乡县2024年度城乡居民医保征缴")
    at.button(key="opening_button").click().run()
    assert not at.exception
    assert list(table(at, "征缴年度")["征缴年度"]) == ["2024年度（当前）", "2023年度（往年）"]

    opened = campaign_policy(scratch, "neixiang", year=2024)
    assert opened.source == "内乡县2024年度城乡居民基本医疗保险征缴方案"
    assert opened.settlement.reward_per_head == Decimal("50.00")
    assert opened.group("minimum_living").subsidy == Decimal("90.00")
    assert opened.campaign.centralised_end == date(2023, 11, 30)
    assert entries(scratch, action="campaign_opened")[0].username == "admin"
