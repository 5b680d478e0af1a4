"""The final counts verified (核定) after the campaign: checked, recorded with the audit entry,
replaced, withdrawn, loaded with the campaign, and settled on to the cent."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.audit import entries
from dashboard.cli import run
from dashboard.figures import settlement, verified_settlement
from dashboard.parsing import parse_file
from dashboard.problems import InputError
from dashboard.settlement_xlsx import settlement_workbook
from dashboard.store import load_campaign
from dashboard.templates import verified_template_xlsx
from dashboard.verified import (
    VerificationRefused,
    checked_counts,
    file_counts,
    verify_counts,
    withdraw_verification,
)
from dashboard.verified_views import (
    system_counts,
    township_money_sentence,
    verified_total_sentence,
)
from data_models.tables import MAX_COUNT, NOTE_TEXT

from apptest import start, table
from filemaker import XLSX, csv_bytes

NEIXIANG_QUOTAS = {
    "湍东镇": 62010, "板场乡": 10680, "桃溪镇": 24130, "七里坪乡": 15980, "余关镇": 33830,
    "岞镇": 27330, "夏馆镇": 24070, "师岗镇": 60200, "大桥乡": 33950, "王店镇": 47320,
    "赤眉镇": 45790, "马山口镇": 52410, "灌涨镇": 50150, "赵店乡": 43850, "瓦亭镇": 29260,
    "城关镇": 43160,
}  # fmt: skip
# DOMAIN.md's two examples, every other township exactly at its quota
FINAL = {**NEIXIANG_QUOTAS, "湍东镇": 63000, "板场乡": 10000}
END = date(2022, 12, 31)  # Neixiang's campaign ends
TODAY = date(2023, 2, 1)


def verify(engine, counts, *, on=date(2023, 1, 10), note="内医保〔2023〕2号", user="clerk"):
    verify_counts(
        engine, "neixiang", 2023, counts=counts, verified_on=on, note=note, user=user,
        today=TODAY,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("counts", "day", "note", "problems"),
    [
        (FINAL, END, "", []),  # the campaign's last day will do
        (FINAL | {"湍东镇": 63000.0}, END, "", []),  # as an editor gives a whole number
        (
            {k: v for k, v in FINAL.items() if k != "城关镇"},
            END,
            "",
            ["城关镇：核定参保人数为空，应为非负整数"],
        ),
        (FINAL | {"湍东镇": -1}, END, "", ["湍东镇：核定参保人数不能为负数（-1）"]),
        (FINAL | {"湍东镇": 6300.5}, END, "", ["湍东镇：核定参保人数为“6300.5”，应为非负整数"]),
        (
            FINAL | {"湍东镇": MAX_COUNT + 1},
            END,
            "",
            ["湍东镇：核定参保人数过大（10,000,001，超过10,000,000）"],
        ),
        (FINAL | {"营盘镇": 100}, END, "", ["本年度任务表中没有乡镇：营盘镇"]),
        (
            FINAL,
            date(2022, 12, 30),
            "",
            [
                "核定日期2022年12月30日早于征缴结束日2022年12月31日：征缴全部结束后才能核定最终参保人数"
            ],
        ),
        (FINAL, date(2023, 2, 2), "", ["核定日期2023年2月2日晚于今天"]),
        (FINAL, END, "据" * (NOTE_TEXT + 1), [f"依据最多{NOTE_TEXT}个字（现有{NOTE_TEXT + 1}个）"]),
    ],
)
def test_counts_are_checked_before_they_are_recorded(counts, day, note, problems) -> None:
    enrolled, found = checked_counts(
        counts, list(NEIXIANG_QUOTAS), verified_on=day, campaign_end=END, today=TODAY, note=note
    )
    assert found == problems
    if not problems:
        assert enrolled == FINAL and all(type(n) is int for n in enrolled.values())


def test_verified_counts_are_settled_on_to_the_cent(scratch) -> None:
    assert load_campaign(scratch, "neixiang").verified is None
    verify(scratch, FINAL)
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None
    assert list(data.verified.enrolled) == list(NEIXIANG_QUOTAS)  # the quota table's order
    assert (data.verified.verified_on, data.verified.note) == (
        date(2023, 1, 10),
        "内医保〔2023〕2号",
    )
    assert data.verified.recorded_by == "clerk" and data.verified.total == 604_430
    result, ranked = verified_settlement(data, data.verified)
    lines = {line.township: line for line in result.lines}
    assert (lines["湍东镇"].work_fund, lines["湍东镇"].reward, lines["湍东镇"].net) == (
        Decimal("94500.00"), Decimal("99000.00"), Decimal("193500.00"),
    )  # fmt: skip
    assert (lines["板场乡"].work_fund, lines["板场乡"].deduction, lines["板场乡"].net) == (
        Decimal("15000.00"), Decimal("68000.00"), Decimal("-53000.00"),
    )  # fmt: skip
    total = result.total
    assert (total.enrolled, total.work_fund, total.reward, total.deduction, total.net) == (
        604_430, Decimal("906645.00"), Decimal("99000.00"), Decimal("68000.00"),
        Decimal("937645.00"),
    )  # fmt: skip
    assert list(ranked["township"])[0] == "湍东镇" and list(ranked["rank"])[0] == 1
    assert list(ranked["township"])[-1] == "板场乡" and list(ranked["rank"])[-1] == 16
    assert set(ranked["rank"][1:-1]) == {2}  # fourteen at their quota share rank 2


def test_verifying_again_replaces_and_withdrawing_clears_with_audit_entries(scratch) -> None:
    verify(scratch, FINAL)
    verify(scratch, FINAL | {"板场乡": 10680}, on=date(2023, 1, 12), note="更正", user="admin")
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None
    assert (data.verified.enrolled["板场乡"], data.verified.note) == (10680, "更正")
    assert data.verified.recorded_by == "admin"
    assert data.verified.total == 604_430 + 680
    withdraw_verification(scratch, "neixiang", 2023, user="admin")
    assert load_campaign(scratch, "neixiang").verified is None
    logged = entries(scratch, county="neixiang")
    assert [e.action for e in logged[:3]] == [
        "verification_withdrawn", "counts_verified", "counts_verified",
    ]  # fmt: skip
    withdrawn, again, first = logged[:3]
    assert first.before is None and '"湍东镇": 63000' in (first.after or "")
    assert '"板场乡": 10000' in (again.before or "") and '"板场乡": 10680' in (again.after or "")
    assert '"核定日期": "2023-01-12"' in (withdrawn.before or "") and withdrawn.after is None
    assert {e.target for e in logged[:3]} == {"2023年度核定参保人数"}


def test_refused_counts_change_nothing(scratch) -> None:
    verify(scratch, FINAL)
    before = entries(scratch)
    with pytest.raises(VerificationRefused) as refused:
        verify(scratch, FINAL | {"湍东镇": -5}, on=date(2022, 12, 1))
    assert refused.value.problems == [
        "湍东镇：核定参保人数不能为负数（-5）",
        "核定日期2022年12月1日早于征缴结束日2022年12月31日：征缴全部结束后才能核定最终参保人数",
    ]
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None and data.verified.enrolled["湍东镇"] == 63000
    assert len(entries(scratch)) == len(before)


def test_nothing_to_withdraw_is_refused(scratch) -> None:
    with pytest.raises(VerificationRefused, match="2023年度尚未核定最终参保人数"):
        withdraw_verification(scratch, "neixiang", 2023, user="admin")
    assert entries(scratch, action="verification_withdrawn") == []


def test_files_of_progress_drop_the_stored_verified_counts(scratch) -> None:
    verify(scratch, FINAL)
    data = load_campaign(scratch, "neixiang")
    assert data.with_progress(data.progress).verified is None
    assert data.with_quotas(data.quotas).verified == data.verified


def settlement_page(user: str) -> AppTest:
    """结算 of Neixiang as ``user`` sees it."""
    at = start(user, county="neixiang")
    return at.switch_page("../pages/settlement.py").run()


def settle_rows(capsys, *args: str) -> list[dict[str, str]]:
    assert run(["settle", "--county", "neixiang", *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_the_clerk_enters_the_counts_and_the_settlement_rests_on_them(
    scratch_url, scratch, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = settlement_page("clerk")
    assert not at.segmented_control, "nothing verified: no choice of basis"
    key = "verify_neixiang_2023_"
    editor = at.data_editor(key=f"{key}_editor").value.set_index("乡镇（街道）")
    assert editor.loc["湍东镇"].to_dict() == {
        "任务数": 62010, "系统统计": 59982, "核定参保人数": 59982,
    }  # fmt: skip
    at.session_state[f"{key}_editor"] = {
        "edited_rows": {0: {"核定参保人数": 63000}, 1: {"核定参保人数": 10000}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.date_input(key=f"{key}_day").set_value(date(2023, 1, 10))
    at.text_input(key=f"{key}_note").input("内医保〔2023〕2号")
    next(b for b in at.button if b.label == "保存核定结果").click().run()
    assert not at.exception
    saved, basis = (s.value for s in at.success)
    assert saved == "已保存核定的最终参保人数（已记入审计日志），结算按核定人数。"
    assert basis.startswith(
        "按县税务局、医保局2023年1月10日核定的最终参保人数结算（依据：内医保〔2023〕2号）；clerk于"
    )
    assert basis.endswith("录入。“系统统计”为征缴期末（2022年12月31日）系统中的参保人数。")
    shown = table(at, "核定参保人数").set_index("乡镇（街道）")
    assert shown.loc["湍东镇", ["核定参保人数", "系统统计", "核定差额", "净额（元）"]].tolist() == [
        "63,000", "59,982", "+3,018", "193,500.00",
    ]  # fmt: skip
    assert shown.loc["板场乡", ["核定参保人数", "系统统计", "核定差额", "净额（元）"]].tolist() == [
        "10,000", "10,860", "-860", "-53,000.00",
    ]  # fmt: skip
    rows = settle_rows(capsys, "--verified")
    assert [r["township"] for r in rows] == list(shown.index)
    assert rows[-1]["net"] == shown.loc["合计", "净额（元）"].replace(",", "")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["净额合计（元）"] == shown.loc["合计", "净额（元）"]
    # the leader reads it, may look at the system's figures instead, and cannot change it
    leader = settlement_page("leader")
    assert leader.segmented_control(key="settlement_basis_neixiang_2023").value == "verified"
    assert "核定参保人数" in table(leader, "净额（元）").columns
    assert not leader.data_editor
    leader.segmented_control(key="settlement_basis_neixiang_2023").set_value("figures").run()
    assert list(table(leader, "净额（元）")["乡镇（街道）"]) == [
        r["township"] for r in settle_rows(capsys)
    ]


def test_the_admin_withdraws_the_counts(scratch_url, scratch, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    verify(scratch, FINAL)
    at = settlement_page("admin")
    assert at.expander[-1].label == "修改核定的最终参保人数"
    next(b for b in at.button if b.label == "确认撤销核定").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "已撤销核定的最终参保人数（已记入审计日志），结算按系统统计。"
    ]
    assert "核定参保人数" not in table(at, "净额（元）").columns
    capsys.readouterr()
    assert run(["settle", "--county", "neixiang", "--verified"]) == 2
    assert capsys.readouterr().err == (
        "错误：内乡县2023年度城乡居民医保征缴尚未核定最终参保人数（征缴结束后在“结算”页录入）\n"
    )


def test_a_refused_entry_says_why_and_saves_nothing(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = settlement_page("clerk")
    key = "verify_neixiang_2023_"
    at.session_state[f"{key}_editor"] = {
        "edited_rows": {2: {"核定参保人数": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "保存核定结果").click().run()
    assert [e.value for e in at.error] == [
        "核定结果未保存：\n\n- 桃溪镇：核定参保人数为空，应为非负整数"
    ]
    assert load_campaign(scratch, "neixiang").verified is None


def test_settle_verified_refuses_a_day(scratch_url, scratch, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    verify(scratch, FINAL)
    assert run(["settle", "--county", "neixiang", "--verified", "--as-of", "2022-12-31"]) == 2
    assert capsys.readouterr().err == (
        "错误：--verified 按核定人数结算，不能与 --progress 或 --as-of 同用\n"
    )


def test_the_overview_says_the_verified_total_and_settles_on_it(
    scratch_url, scratch, monkeypatch, samples
) -> None:
    assert verified_total_sentence(samples["neixiang"], {}) is None
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    verify(scratch, FINAL)
    at = start("leader", county="neixiang")
    assert [s.value for s in at.success] == [
        "县税务局、医保局已于2023年1月10日核定全县最终参保604,430人，完成任务的100.1%"
        "（征缴期末系统统计600,492人）；奖惩按核定人数结算。"
    ]
    assert (
        "**奖惩结算**：按2023年1月10日核定的最终参保人数，全县工作经费906,645.00元，奖励"
        "99,000.00元，扣减68,000.00元，净额937,645.00元；净额为负的乡镇：板场乡-53,000.00元。"
        "（详见“结算”页）"
    ) in [m.value for m in at.markdown]


def test_a_townships_money_in_one_line(samples, scratch) -> None:
    data = samples["neixiang"]
    assert township_money_sentence(data, END, "湍东镇") == (
        "按当前参保人数测算，湍东镇参保59,982人，工作经费89,973.00元，扣减202,800.00元，"
        "净额-112,827.00元。"
    )
    assert township_money_sentence(data, END, "板场乡") == (
        "按当前参保人数测算，板场乡参保10,860人，工作经费16,290.00元，奖励18,000.00元，"
        "净额34,290.00元。"
    )
    verify(scratch, FINAL)
    verified = load_campaign(scratch, "neixiang")
    assert township_money_sentence(verified, END, "湍东镇") == (
        "按2023年1月10日核定的最终参保人数，湍东镇参保63,000人，工作经费94,500.00元，"
        "奖励99,000.00元，净额193,500.00元。"
    )
    none = data.policy.settlement.model_copy(
        update={"work_fund_per_head": 0, "reward_per_head": 0, "deduction_per_head": 0}
    )
    unpaid = replace(data, policy=data.policy.model_copy(update={"settlement": none}))
    assert township_money_sentence(unpaid, END, "湍东镇") is None


def test_the_township_page_says_what_the_township_gets(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    verify(scratch, FINAL)
    at = start("township", county="neixiang", township="湍东镇")
    at.switch_page("../pages/township.py").run()
    assert (
        "**奖惩**：按2023年1月10日核定的最终参保人数，湍东镇参保63,000人，工作经费94,500.00元，"
        "奖励99,000.00元，净额193,500.00元。"
    ) in [m.value for m in at.markdown]
    assert [c.value for c in at.caption if c.value.startswith("依据：")] == [
        "依据：内乡县征缴方案 三（八）：每参保1人拨付工作经费1.5元；超过任务数部分每人奖励100元；"
        "未完成任务的差额部分每人扣减100元。"
    ]


def test_the_settlement_sheet_to_print_and_sign(samples, scratch) -> None:
    verify(scratch, FINAL)
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None
    result, ranked = verified_settlement(data, data.verified)
    raw = settlement_workbook(
        data, result, ranked, verified=data.verified, as_of=END, today=date(2023, 1, 12)
    )
    sheet = load_workbook(io.BytesIO(raw))["结算表"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "内乡县2023年度城乡居民医保征缴工作经费及奖惩结算表"
    assert (
        rows[1][0]
        == "按县税务局、医保局2023年1月10日核定的最终参保人数结算（依据：内医保〔2023〕2号）"
    )
    assert rows[2][0] == "进度为模拟数据，仅供演示"
    assert rows[3] == [
        "排名", "乡镇（街道）", "任务数", "核定参保人数", "完成率",
        "工作经费（元）", "奖励（元）", "扣减（元）", "净额（元）",
    ]  # fmt: skip
    assert rows[4][:4] == [1, "湍东镇", 62010, 63000]
    assert [Decimal(str(v)) for v in rows[4][5:]] == [
        Decimal("94500"), Decimal("99000"), Decimal("0"), Decimal("193500"),
    ]  # fmt: skip
    total = rows[4 + 16]
    assert total[:4] == [None, "合计", 604_120, 604_430]
    assert [Decimal(str(v)) for v in total[5:]] == [
        Decimal("906645"), Decimal("99000"), Decimal("68000"), Decimal("937645"),
    ]  # fmt: skip
    assert sheet.cell(21, 9).number_format == "#,##0.00"
    below = [r[0] for r in rows[21:]]
    assert below == [
        None,
        "结算标准：工作经费每参保1人1.5元；超过任务数部分每人奖励100元；未完成差额部分每人扣减100元。",
        "依据：内乡县征缴方案 三（八）：每参保1人拨付工作经费1.5元；超过任务数部分每人奖励100元；"
        "未完成任务的差额部分每人扣减100元",
        None,
        "制表：　　　　　　　　审核：　　　　　　　　单位负责人：",
        "制表日期：2023年1月12日",
    ]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
    # before the bureaus verify: the day's figures, said to be an estimate
    estimate, ranked = settlement(samples["neixiang"], END)
    raw = settlement_workbook(
        samples["neixiang"], estimate, ranked, verified=None, as_of=END, today=END
    )
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet["A2"].value == (
        "按截至2022年12月31日的参保人数测算（非最终结算：最终以县税务局、医保局核定的参保人数为准）"
    )
    assert sheet["D4"].value == "参保人数"


# --- the 核定人数表: downloaded, filled in by the bureaus, read on 结算 or by `verify` ---------


def filled_table(samples, counts: dict[str, object], *, total: object = None) -> bytes:
    """The 核定人数表 结算 offers, its 核定参保人数 filled in with ``counts`` (a 合计 row
    with ``total`` where given)."""
    data = samples["neixiang"]
    raw = verified_template_xlsx(data.policy, data.quota_by_township, system_counts(data))
    workbook = load_workbook(io.BytesIO(raw))
    sheet = workbook["核定人数表"]
    for row in sheet.iter_rows(min_row=2):
        row[3].value = counts.get(str(row[0].value))
    if total is not None:
        sheet.append(["合计", None, None, total])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_table(samples, raw: bytes, name: str = "核定.xlsx"):
    data = samples["neixiang"]
    return parse_file(raw, name, data.policy, townships=data.townships, kind="verified")


def test_the_table_to_fill_in_lists_every_township_with_its_figures(samples) -> None:
    data = samples["neixiang"]
    raw = verified_template_xlsx(data.policy, data.quota_by_township, system_counts(data))
    workbook = load_workbook(io.BytesIO(raw))
    assert workbook.sheetnames == ["核定人数表", "填写说明"]
    rows = list(workbook["核定人数表"].values)
    assert rows[0] == ("乡镇", "征缴任务数", "系统统计", "核定参保人数")
    assert rows[1] == ("湍东镇", 62010, 59982, None)
    assert [r[0] for r in rows[1:]] == list(NEIXIANG_QUOTAS)
    sheet = workbook["核定人数表"]
    assert (sheet["B2"].number_format, sheet["D17"].number_format) == ("#,##0", "#,##0")
    assert sheet["D2"].fill.fgColor.rgb == "00FFF4CC" and sheet["C2"].fill.fgColor.rgb != "00FFF4CC"
    assert workbook["填写说明"]["A1"].value == "内乡县核定人数表填写说明"
    # as it comes, nothing filled in: every township is named, nothing is read
    problems = read_table(samples, raw).problems
    assert len(problems) == 16
    assert str(problems[0]) == "核定.xlsx[核定人数表] 第2行 “核定参保人数”列：不能为空（值：“”）"


def test_a_filled_in_table_gives_the_counts_and_checks_its_total(samples) -> None:
    parsed = read_table(samples, filled_table(samples, FINAL, total=604_430))
    assert parsed.problems == [] and file_counts(parsed) == FINAL
    assert parsed.notes == ("“征缴任务数”列不导入：以正式任务表为准",)
    wrong = read_table(samples, filled_table(samples, FINAL, total=604_431))
    assert [str(p) for p in wrong.problems] == [
        "核定.xlsx[核定人数表] 第18行 “核定参保人数”列：合计行与各行之和（604430）不符（值：“604431”）"
    ]


def test_a_bureaus_own_csv_in_gbk_with_its_problems(samples) -> None:
    rows = [["乡 镇", "核定人数", "备注"]]
    rows += [[t, n, ""] for t, n in FINAL.items() if t not in ("城关镇", "瓦亭镇", "赵店乡")]
    rows += [
        ["湍东镇", 63000, "重复"],
        ["赵店乡", "四万", ""],
        ["瓦亭", 29260, ""],
        ["湍东", 1, ""],
        ["营盘镇", 5, ""],
    ]
    found = read_table(samples, csv_bytes(rows, "gbk"), "核定.csv").problems
    assert [str(p) for p in found] == [
        "核定.csv “乡 镇”列：缺少该乡镇的核定参保人数（值：“城关镇”）",
        "核定.csv 第15行 “乡 镇”列：乡镇重复（已见于第2行）（值：“湍东镇”）",
        "核定.csv 第16行 “核定人数”列：不是非负整数（值：“四万”）",
        "核定.csv 第18行 “乡 镇”列：乡镇重复（已见于第2行）（值：“湍东”）",
        "核定.csv 第19行 “乡 镇”列：不是本县的乡镇（值：“营盘镇”）",
    ]
    english = [["township", "verified"], *FINAL.items()]
    parsed = read_table(samples, csv_bytes(english), "verified.csv")
    assert parsed.problems == [] and file_counts(parsed) == FINAL


def test_the_import_page_sends_the_table_to_the_settlement(samples) -> None:
    data = samples["neixiang"]
    with pytest.raises(InputError) as refused:
        parse_file(filled_table(samples, FINAL), "核定.xlsx", data.policy, townships=data.townships)
    assert [str(p) for p in refused.value.problems] == [
        "核定.xlsx：这是核定人数表：征缴结束后在“结算”页录入核定结果，不作为数据导入"
    ]


def test_verify_records_the_tables_counts_and_settle_rests_on_them(
    scratch_url, scratch, monkeypatch, capsys, samples, tmp_path
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    path = tmp_path / "核定.xlsx"
    path.write_bytes(filled_table(samples, FINAL, total=604_430))
    args = ["verify", "--county", "neixiang", str(path), "--user", "医保局张三"]
    assert run([*args, "--verified-on", "2023-01-10", "--note", "内医保〔2023〕2号"]) == 0
    assert capsys.readouterr().out == (
        "已录入内乡县2023年度城乡居民医保征缴16个乡镇核定的最终参保人数（已记入审计日志）。\n"
        "县税务局、医保局已于2023年1月10日核定全县最终参保604,430人，完成任务的100.1%"
        "（征缴期末系统统计600,492人）；奖惩按核定人数结算。\n"
        "注意：“征缴任务数”列不导入：以正式任务表为准\n"
    )
    verified = load_campaign(scratch, "neixiang").verified
    assert verified is not None and verified.enrolled == FINAL
    assert (verified.verified_on, verified.note, verified.recorded_by) == (
        date(2023, 1, 10), "内医保〔2023〕2号", "医保局张三",
    )  # fmt: skip
    rows = settle_rows(capsys, "--verified")
    assert (rows[0]["township"], rows[0]["net"]) == ("湍东镇", "193500.00")
    assert (rows[-1]["township"], rows[-1]["net"]) == ("合计", "937645.00")
    audited = entries(scratch)[0]
    assert (audited.action, audited.username) == ("counts_verified", "医保局张三")
    assert json.loads(audited.after or "{}")["读入自文件"] == "核定.xlsx"
    assert run(["verify", "--county", "neixiang", "--withdraw"]) == 0
    assert capsys.readouterr().out == (
        "已撤销内乡县2023年度城乡居民医保征缴核定的最终参保人数（已记入审计日志），结算按系统统计。\n"
    )
    assert load_campaign(scratch, "neixiang").verified is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--verified-on", "2022-12-30"], (
            "错误：核定日期2022年12月30日早于征缴结束日2022年12月31日：征缴全部结束后才能核定最终参保人数\n"
        )),
        (["--verified-on", "2023-13-01"], (
            "错误：--verified-on：“2023-13-01”不是有效日期（应为 YYYY-MM-DD）\n"
        )),
        ([], "错误：请给出核定人数表文件和 --verified-on 核定日期（撤销核定用 --withdraw）\n"),
        (["--verified-on", "2023-01-10", "--withdraw"], (
            "错误：--withdraw 撤销核定，不能同时给出核定人数表或 --verified-on\n"
        )),
    ],
)  # fmt: skip
def test_verify_refuses_and_writes_nothing(
    scratch_url, scratch, monkeypatch, capsys, samples, tmp_path, extra, message
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    path = tmp_path / "核定.xlsx"
    path.write_bytes(filled_table(samples, FINAL))
    assert run(["verify", "--county", "neixiang", str(path), *extra]) == 2
    assert capsys.readouterr().err == message
    assert load_campaign(scratch, "neixiang").verified is None


def test_verify_names_each_bad_row_and_writes_nothing(
    scratch_url, scratch, monkeypatch, capsys, samples, tmp_path
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    path = tmp_path / "核定.xlsx"
    path.write_bytes(filled_table(samples, FINAL | {"板场乡": -5, "桃溪镇": "24,130.5"}))
    assert run(["verify", "--county", "neixiang", str(path), "--verified-on", "2023-01-10"]) == 2
    assert capsys.readouterr().err == (
        f"错误：{path}[核定人数表] 第3行 “核定参保人数”列：不是非负整数（值：“-5”）\n"
        f"错误：{path}[核定人数表] 第4行 “核定参保人数”列：不是非负整数（值：“24,130.5”）\n"
    )
    assert load_campaign(scratch, "neixiang").verified is None
    assert run(["verify", "--county", "neixiang", "--withdraw"]) == 2
    assert capsys.readouterr().err == "错误：2023年度尚未核定最终参保人数\n"


def test_the_clerk_uploads_the_table_looks_it_over_and_saves(
    scratch_url, scratch, monkeypatch, samples
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = settlement_page("clerk")
    key = "verify_neixiang_2023_"
    assert any("或下载核定人数表，由两局填好后上传读入" in c.value for c in at.caption)
    bad = filled_table(samples, {k: v for k, v in FINAL.items() if k != "城关镇"})
    at.file_uploader(key=f"{key}_file").set_value(("核定.xlsx", bad, XLSX)).run()
    assert [e.value for e in at.error] == ["核定.xlsx有1个问题，未读入。请修正后重新上传。"]
    assert table(at, "问题").iloc[0].to_dict() == {
        "文件": "核定.xlsx[核定人数表]", "行号": "17", "列": "核定参保人数", "值": "",
        "问题": "不能为空",
    }  # fmt: skip
    editor = at.data_editor(key=f"{key}_editor").value.set_index("乡镇（街道）")
    assert editor.loc["湍东镇", "核定参保人数"] == 59982, "the system's figures stay"
    good = filled_table(samples, FINAL, total=604_430)
    at.file_uploader(key=f"{key}_file").set_value(("核定.xlsx", good, XLSX)).run()
    assert not at.error
    assert [i.value for i in at.info][-1] == (
        "已从核定.xlsx读入16个乡镇的核定参保人数，合计604,430人，填入下表；核对后点“保存核定结果”。"
    )
    editor = next(e for e in at.data_editor if e.key.startswith(f"{key}_editor_"))
    shown = editor.value.set_index("乡镇（街道）")
    assert shown.loc[["湍东镇", "板场乡"], "核定参保人数"].tolist() == [63000, 10000]
    assert shown.loc["湍东镇", "系统统计"] == 59982
    assert load_campaign(scratch, "neixiang").verified is None, "read, not yet saved"
    at.date_input(key=f"{key}_day").set_value(date(2023, 1, 10))
    next(b for b in at.button if b.label == "保存核定结果").click().run()
    assert not at.exception
    assert at.success[0].value == "已保存核定的最终参保人数（已记入审计日志），结算按核定人数。"
    verified = load_campaign(scratch, "neixiang").verified
    assert verified is not None and verified.enrolled == FINAL
    after = json.loads(entries(scratch, action="counts_verified")[0].after or "{}")
    assert (after["读入自文件"], after["核定参保人数"]) == ("核定.xlsx", FINAL)
