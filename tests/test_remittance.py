"""The "双限" remittance check of a village collectors' cash ledger (资金报解)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from next_year import next_year_policy, opened_next_year
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import NumberInput

from dashboard.parsing import parse_file
from dashboard.remittance import (
    RemittanceRule,
    check_day,
    check_ledger,
    collectors,
    ledger_totals,
)
from dashboard.remittance_views import collectors_view, overdue_view, rule_sentence
from dashboard.samples import sample_policy
from dashboard.templates import template_xlsx

from apptest import start, table
from filemaker import csv_bytes

NEIXIANG = sample_policy("neixiang")
RULE = RemittanceRule(5, Decimal(10000))
HEADER = ["乡镇", "村（社区）", "经办人", "缴费人", "收款日期", "金额", "存入日期"]
ROWS = [
    # 张会计 holds 3 000 + 4 000 + 3 500 = 10 500 on 3 November: all three due that day
    ["湍东镇", "老马村", "张会计", "甲", "2022-11-01", "3000", "2022-11-03"],
    ["湍东镇", "老马村", "张会计", "乙", "2022-11-02", "4000", "2022-11-04"],
    ["湍东镇", "老马村", "张会计", "丙", "2022-11-03", "3500", ""],
    # 李会计 holds little: each receipt is due five days on
    ["湍东镇", "前刘村", "李会计", "丁", "2022-11-01", "350", "2022-11-08"],
    ["湍东镇", "前刘村", "李会计", "戊", "2022-11-20", "350", ""],
    ["湍东镇", "前刘村", "李会计", "己", "2022-11-28", "350", ""],
    ["板场乡", "东村", "王会计", "庚", "2022-11-10", "350", "2022-11-12"],
]
LEDGER = csv_bytes([HEADER, *ROWS], "gbk")


def ledger() -> pd.DataFrame:
    parsed = parse_file(LEDGER, "台账.csv", NEIXIANG, townships=["湍东镇", "板场乡"], kind="ledger")
    assert parsed.problems == []
    return parsed.frame


def test_each_receipt_is_due_after_the_days_or_on_the_day_the_limit_is_held() -> None:
    checked = check_ledger(ledger(), RULE, as_of=date(2022, 11, 30))
    assert checked[["name", "deadline", "trigger", "status", "days_late"]].values.tolist() == [
        ["甲", date(2022, 11, 3), "额度", "按时存入", 0],
        ["乙", date(2022, 11, 3), "额度", "逾期存入", 1],
        ["丙", date(2022, 11, 3), "额度", "逾期未存", 27],
        ["丁", date(2022, 11, 6), "期限", "逾期存入", 2],
        ["戊", date(2022, 11, 25), "期限", "逾期未存", 5],
        ["己", date(2022, 12, 3), "期限", "未到期", 0],
        ["庚", date(2022, 11, 15), "期限", "按时存入", 0],
    ]
    totals = ledger_totals(checked)
    assert (totals.receipts, totals.collectors, totals.overdue) == (7, 3, 4)
    assert (totals.received, totals.overdue_amount, totals.held_overdue) == (
        Decimal("11900.00"),
        Decimal("8200.00"),
        Decimal("3850.00"),
    )


def test_the_day_looked_at_decides_what_is_known() -> None:
    checked = check_ledger(ledger(), RULE, as_of=date(2022, 11, 3))
    assert checked["name"].tolist() == ["甲", "乙", "丙", "丁"], "later receipts not yet made"
    assert checked["status"].tolist() == ["按时存入", "未到期", "未到期", "未到期"]
    assert checked["deposited_on"].tolist()[1:] == [None, None, None], "paid in after that day"


def test_a_ledger_is_checked_at_its_last_entry_when_that_is_later() -> None:
    assert check_day(ledger(), date(2022, 11, 10)) == date(2022, 11, 28)
    assert check_day(ledger(), date(2022, 12, 31)) == date(2022, 12, 31)


def test_exactly_the_limit_is_due_that_day_and_a_lower_limit_comes_sooner() -> None:
    rows = pd.DataFrame(
        {
            "township": "湍东镇",
            "village": "老马村",
            "collector": "张会计",
            "name": ["甲", "乙"],
            "received_on": [date(2022, 11, 1), date(2022, 11, 2)],
            "amount_fen": [600000, 400000],
            "deposited_on": [date(2022, 11, 2), date(2022, 11, 2)],
        }
    )
    checked = check_ledger(rows, RULE, as_of=date(2022, 11, 30))
    assert checked["status"].tolist() == ["按时存入", "按时存入"]
    assert checked["deadline"].tolist() == [date(2022, 11, 2)] * 2
    strict = check_ledger(rows, RemittanceRule(5, Decimal(5000)), as_of=date(2022, 11, 30))
    assert strict["deadline"].tolist() == [date(2022, 11, 1), date(2022, 11, 2)]
    assert strict["status"].tolist() == ["逾期存入", "按时存入"]


def test_collectors_with_overdue_receipts_come_first_with_exact_sums() -> None:
    checked = check_ledger(ledger(), RULE, as_of=date(2022, 11, 30))
    shown = collectors_view(collectors(checked))
    assert shown.to_dict("records")[0] == {
        "乡镇（街道）": "湍东镇",
        "村（社区）": "老马村",
        "经办人": "张会计",
        "收款笔数": "3",
        "收款金额（元）": "10,500.00",
        "已存入（元）": "7,000.00",
        "未存入（元）": "3,500.00",
        "逾期笔数": "2",
        "逾期金额（元）": "7,500.00",
        "最长逾期（天）": "27",
    }
    assert shown.iloc[-1].tolist() == [
        "合计", "", "", "7", "11,900.00", "7,700.00", "4,200.00", "4", "8,200.00", "27"
    ]  # fmt: skip
    overdue = overdue_view(checked)
    assert overdue["缴费人"].tolist() == ["丙", "戊", "丁", "乙"]
    assert overdue.iloc[0]["存入日期"] == "未存入"


def test_the_rule_comes_from_the_county_policy_or_neixiangs() -> None:
    assert RemittanceRule.of(NEIXIANG) == RULE
    assert rule_sentence(NEIXIANG, RULE).startswith(
        "依据内乡县2023年度城乡居民基本医疗保险征缴方案：村（社区）征缴经办人员收取的保费，"
        "收款后5天内，或手中累计满10,000元之日"
    )
    dongming = sample_policy("dongming")
    assert RemittanceRule.of(dongming) == RULE
    assert rule_sentence(dongming, RULE).startswith("本县政策未规定“双限”报解")


def test_a_bad_ledger_says_where() -> None:
    rows = [
        HEADER,
        ["湍东镇", "老马村", "", "甲", "2022-11-01", "300", ""],
        ["湍东乡", "老马村", "张会计", "乙", "2022-11-01", "300", ""],
        ["湍东镇", "老马村", "张会计", "丙", "2022-11-05", "3o0", "2022-11-01"],
        ["湍东镇", "老马村", "张会计", "丁", "2022-11-05", "－300", ""],
        ["湍东镇", "老马村", "张会计", "戊", "2022-11-05", "-3o0", ""],
    ]
    parsed = parse_file(csv_bytes(rows), "台账.csv", NEIXIANG, townships=["湍东镇"], kind="ledger")
    assert [(p.row, p.column, p.reason) for p in parsed.problems] == [
        (2, "经办人", "不能为空"),
        (3, "乡镇", "不是本县的乡镇，是否为“湍东镇”？"),
        (4, "金额", "不是有效金额（元，最多两位小数）"),
        (4, "存入日期", "存入日期早于收款日期"),
        (5, "金额", "金额不能为负数"),  # a full-width minus is a minus
        (6, "金额", "不是有效金额（元，最多两位小数）"),
    ]


def test_a_ledger_kept_without_years_reads_both_its_dates() -> None:
    """A collector's book writes 11月1日: the receipt and the deposit are both that day of the
    campaign (a deposit may come after the campaign's end, but its year is the campaign's)."""
    rows = [HEADER, ["湍东镇", "老马村", "张会计", "甲", "12月30日", "300", "1月3日"], ["湍东镇", "老马村", "张会计", "乙", "11月1日", "300", "11月3日"]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "台账.csv", NEIXIANG, townships=["湍东镇"], kind="ledger")
    assert parsed.problems == []
    assert list(parsed.frame["received_on"]) == [date(2022, 12, 30), date(2022, 11, 1)]
    assert list(parsed.frame["deposited_on"]) == [date(2023, 1, 3), date(2022, 11, 3)]
    early = [HEADER, ["湍东镇", "老马村", "张会计", "甲", "2022-10-20", "300", "2022-10-01"]]
    refused = parse_file(
        csv_bytes(early), "台账.csv", NEIXIANG, townships=["湍东镇"], kind="ledger"
    )
    assert [p.reason for p in refused.problems] == [
        "早于征缴开始日（2022-10-15）",
        "存入日期早于收款日期",
    ]


def test_a_ledger_is_never_taken_for_a_file_to_import() -> None:
    from dashboard.problems import InputError

    with pytest.raises(InputError) as refused:
        parse_file(LEDGER, "台账.csv", NEIXIANG, townships=["湍东镇", "板场乡"])
    assert [str(p) for p in refused.value.problems] == [
        "台账.csv：这是现金台账：在“资金报解”中检查，不作为数据导入"
    ]


def test_the_template_reads_back_as_a_ledger() -> None:
    raw = template_xlsx("ledger", NEIXIANG)
    parsed = parse_file(raw, "模板.xlsx", NEIXIANG, townships=None, kind="ledger")
    assert parsed.kind == "ledger" and len(parsed.frame) == 1


def upload(at, raw: bytes) -> None:
    at.file_uploader(key="ledger").set_value(("台账.csv", raw, "text/csv"))
    at.run()


def test_the_supervision_office_checks_a_ledger_in_the_page(app_env) -> None:
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/remittance.py").run()
    assert not at.exception
    assert at.title[0].value == "内乡县征缴资金“双限”报解检查"
    assert at.download_button(key="ledger_example").label == "下载示例台账（模拟数据）"
    upload(at, LEDGER)
    assert not at.exception
    assert not any("模拟数据" in m.value for m in at.markdown), "not on a county's own ledger"
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["收款笔数"] == ("7", "11,900.00元")
    assert metrics["逾期笔数"] == ("5", "8,550.00元"), "己 is overdue by 31 December"
    assert metrics["逾期未存（元）"][0] == "4,200.00"
    assert at.error[0].value.startswith("截至2022年12月31日，5笔保费未按“双限”要求存入")
    assert table(at, "逾期天数")["缴费人"].tolist()[0] == "丙"
    [day] = [d for d in at.date_input if d.label == "检查截至"]
    assert day.value == date(2022, 12, 31)
    day.set_value(date(2022, 11, 30)).run()
    assert at.error[0].value.startswith("截至2022年11月30日，4笔")
    [day] = [d for d in at.date_input if d.label == "检查截至"]
    day.set_value(date(2022, 12, 31)).run()
    days_field(at).set_value(10).run()
    assert at.error[0].value.startswith("截至2022年12月31日，4笔"), "丁 on time within 10 days"


def test_the_example_ledger_is_labelled_simulated_when_checked(app_env) -> None:
    from dashboard.samples import read_sample_quotas
    from dashboard.simulate_ledger import ledger_example_csv

    at = start("leader", county="zhashui")
    at.switch_page("../pages/remittance.py").run()
    townships = list(read_sample_quotas("zhashui")[0]["township"])
    upload(at, ledger_example_csv(sample_policy("zhashui"), townships, days=5))
    assert not at.exception
    assert any("模拟数据" in m.value for m in at.markdown)
    assert at.metric[0].value == "684"


def days_field(at: AppTest) -> NumberInput:
    [field] = [n for n in at.number_input if n.label == "报解期限（天）"]
    return field


def test_each_year_is_checked_by_its_own_rule(scratch_url, scratch, monkeypatch) -> None:
    """A county that changes its 双限 for the next year: each year's page starts from that
    year's rule, whichever year was looked at (and its rule tried) first."""
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    opened_next_year(
        scratch, next_year_policy().replace(b"remittance_days = 5", b"remittance_days = 7")
    )
    at = start("supervisor", county="neixiang")
    at.switch_page("../pages/remittance.py").run()

    assert days_field(at).value == 7
    assert "收款后7天内" in at.markdown[0].value
    at.selectbox(key="year_neixiang").set_value(2023).run()
    assert days_field(at).value == 5
    assert "收款后5天内" in at.markdown[0].value
    days_field(at).set_value(3).run()
    at.selectbox(key="year_neixiang").set_value(2024).run()
    assert days_field(at).value == 7, "2023's tried rule stays with 2023"


def test_a_township_user_checks_only_their_own_ledger(app_env) -> None:
    at = start("township", county="neixiang", township="湍东镇")
    at.switch_page("../pages/remittance.py").run()
    upload(at, LEDGER)
    assert at.error[0].value == "发现1个问题，未检查。请修正后重新上传。"
    assert table(at, "问题")["问题"].tolist() == ["不属于湍东镇，只能检查本乡镇的台账"]
    own = csv_bytes([HEADER, *[r for r in ROWS if r[0] == "湍东镇"]])
    upload(at, own)
    assert [m.value for m in at.metric][:2] == ["6", "5"]
    # their own ledger, kept without a township column, is their township's
    bare = csv_bytes([HEADER[1:], *[r[1:] for r in ROWS if r[0] == "湍东镇"]])
    upload(at, bare)
    assert not any(e.value.startswith("发现") for e in at.error), "no problem"
    assert [m.value for m in at.metric][:2] == ["6", "5"]
    assert "台账.csv没有乡镇列：乡镇按“登录用户的乡镇”记为湍东镇" in [c.value for c in at.caption]


def test_the_command_prints_every_receipt_and_refuses_a_bad_ledger(
    app_env, tmp_path, capsys
) -> None:
    from dashboard.cli import run

    good = tmp_path / "台账.csv"
    good.write_bytes(LEDGER)
    assert run(["remittance", "--county", "neixiang", "--as-of", "2022-11-30", str(good)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "township,village,collector,name,received_on,amount,deposited_on,deadline,trigger,"
        "status,days_late"
    )
    assert lines[3] == "湍东镇,老马村,张会计,丙,2022-11-03,3500.00,,2022-11-03,额度,逾期未存,27"
    assert (
        lines[4]
        == "湍东镇,前刘村,李会计,丁,2022-11-01,350.00,2022-11-08,2022-11-06,期限,逾期存入,2"
    )
    strict = ["--days", "10", "--limit", "5000"]
    assert (
        run(["remittance", "--county", "neixiang", "--as-of", "2022-11-30", *strict, str(good)])
        == 0
    )
    assert capsys.readouterr().out.splitlines()[1].endswith("2022-11-02,额度,逾期存入,1")

    bad = tmp_path / "坏台账.csv"
    bad.write_bytes(
        csv_bytes([["乡镇", "经办人", "收款日期", "金额"], ["湍东镇", "张", "2022-11-01", "3x"]])
    )
    assert run(["remittance", "--county", "neixiang", str(bad)]) == 2
    assert "第2行 “金额”列：不是有效金额（元，最多两位小数）（值：“3x”）" in capsys.readouterr().err
    assert run(["remittance", "--county", "neixiang", "--limit", "abc", str(good)]) == 2
    assert run(["remittance", "--county", "neixiang", "--days", str(10**11), str(good)]) == 2
    assert capsys.readouterr().err.endswith("错误：--days：报解期限应为1至60天\n")  # it overflowed


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_the_example_ledger_is_simulated_reads_cleanly_and_has_both_kinds(code: str) -> None:
    from dashboard.samples import read_sample_quotas
    from dashboard.simulate_ledger import ledger_example_csv

    policy = sample_policy(code)
    townships = list(read_sample_quotas(code)[0]["township"])
    raw = ledger_example_csv(policy, townships, days=5)
    assert raw == ledger_example_csv(policy, townships, days=5), "a fixed seed"
    assert raw.decode("utf-8-sig").splitlines()[1].endswith(",模拟数据")
    parsed = parse_file(raw, "示例.csv", policy, townships=townships, kind="ledger")
    assert parsed.problems == []
    assert set(parsed.frame["township"]) == set(townships)
    checked = check_ledger(parsed.frame, RemittanceRule.of(policy), as_of=policy.campaign.end)
    statuses = set(checked["status"])
    assert {"按时存入", "逾期存入", "逾期未存"} <= statuses
