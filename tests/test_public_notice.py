"""The payment notice (缴费信息公示表) a township posts in each village."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from dashboard.importing import apply_import, check_file
from dashboard.public_notice import (
    NO_VILLAGE,
    _sheet_names,
    notice_footer,
    notice_lists,
    notice_summary,
    public_notice_xlsx,
)
from dashboard.samples import sample_policy
from dashboard.store import township_payments

from apptest import start
from filemaker import csv_bytes, people

PAYMENTS = pd.DataFrame(
    {
        "village": ["西村", "东村", "东村", ""],
        "id_number": ["411325196001020016", "41132519600101001X", "411325196001030011", "4113251"],
        "name": ["王五", "张三", "李四", "赵六"],
        "paid_on": [date(2022, 11, 2), date(2022, 11, 3), date(2022, 11, 1), date(2022, 11, 4)],
        "amount_fen": [35000, 27000, 0, 35000],
    }
)


def test_each_village_lists_its_payers_masked_in_payment_order() -> None:
    lists = notice_lists(PAYMENTS)
    assert list(lists) == ["东村", "西村", NO_VILLAGE], "villages by name, none last"
    assert lists["东村"].to_dict("records") == [
        {
            "序号": 1,
            "姓名": "李四",
            "身份证号": "4113**********0011",
            "缴费日期": date(2022, 11, 1),
            "缴费金额（元）": Decimal("0.00"),
        },
        {
            "序号": 2,
            "姓名": "张三",
            "身份证号": "4113**********001X",
            "缴费日期": date(2022, 11, 3),
            "缴费金额（元）": Decimal("270.00"),
        },
    ]
    summary = notice_summary(lists)
    assert summary.values.tolist() == [
        ["东村", 2, Decimal("270.00")],
        ["西村", 1, Decimal("350.00")],
        [NO_VILLAGE, 1, Decimal("350.00")],
        ["合计", 4, Decimal("970.00")],
    ]


def test_sheet_names_are_valid_and_distinct() -> None:
    long = "很长的村名" * 8
    assert _sheet_names(["东村", "a/b:c", long, long, "汇总"]) == [
        "东村",
        "a_b_c",
        long[:31],
        long[:28] + "(2)",
        "汇总(2)",
    ]


def test_the_footer_says_how_long_the_notice_is_posted() -> None:
    assert notice_footer(sample_policy("neixiang"), "湍东镇") == (
        "公示期：自张榜之日起不少于5个工作日（依据：内乡县2023年度城乡居民基本医疗保险征缴方案）。"
        "对公示内容有异议的，请在公示期内向湍东镇医保经办人员反映。"
    )
    assert "按县里规定的期限" in notice_footer(sample_policy("dongming"), "城关街道")


def test_the_workbook_has_a_summary_then_a_sheet_per_village() -> None:
    raw = public_notice_xlsx(
        sample_policy("neixiang"), "板场乡", PAYMENTS, as_of=date(2022, 11, 30)
    )
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["汇总", "东村", "西村", NO_VILLAGE]
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][0] == "内乡县板场乡2023年度城乡居民医疗保险缴费信息公示（汇总）"
    assert summary[-1] == ("合计", 4, 970)
    east = list(book["东村"].iter_rows(values_only=True))
    assert east[1][0] == "截至2022年11月30日 · 共2人 · 缴费金额合计270.00元"
    assert east[2] == ("序号", "姓名", "身份证号", "缴费日期", "缴费金额（元）")
    assert east[3] == (1, "李四", "4113**********0011", datetime(2022, 11, 1), 0)
    assert east[5] == ("合计", "2人", None, None, 270)
    assert east[7][0].startswith("公示期：自张榜之日起不少于5个工作日")
    assert book["东村"].print_title_rows == "$3:$3"
    assert book["东村"]["C4"].number_format == "@", "ID numbers stay text"


def test_the_township_payments_are_the_imported_ones_once_it_has_any(scratch) -> None:
    policy = sample_policy("neixiang")
    simulated = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 12, 31))
    assert len(simulated) > 100, "the sample's simulated payments of its roster members"
    earlier = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 1))
    assert (earlier["paid_on"] <= date(2022, 11, 1)).all() and len(earlier) < len(simulated)

    rows = [["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]]
    rows += [[n, "板场乡", "东村", "2022-11-01", "350"] for n in people(3, start=600)]
    apply_import(scratch, policy, check_file(scratch, policy, csv_bytes(rows), "pay.csv"))
    imported = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 12, 31))
    assert sorted(imported["id_number"]) == sorted(people(3, start=600))
    assert set(imported["amount_fen"]) == {35000}
    other = township_payments(scratch, "neixiang", "湍东镇", paid_by=date(2022, 12, 31))
    assert len(other) > 100, "another township keeps its simulated payments"


def test_the_township_page_offers_the_notice(app_env) -> None:
    at = start("leader", county="neixiang")
    at.switch_page("../pages/township.py").run()
    button = at.download_button(key="public_notice")
    assert button.label == "下载缴费信息公示表（Excel，每村一表）"
    at = start("township", county="zhashui", township="营盘镇")
    at.switch_page("../pages/township.py").run()
    assert at.download_button(key="public_notice").label.startswith("下载缴费信息公示表")


def test_the_command_writes_the_notice_of_a_township(app_env, engine, tmp_path, capsys) -> None:
    from dashboard.cli import run

    out = tmp_path / "公示表.xlsx"
    assert run(["notice", "--county", "neixiang", "--township", "湍东镇", "--out", str(out)]) == 0
    paid = township_payments(engine, "neixiang", "湍东镇", paid_by=date(2022, 12, 31))
    assert (
        capsys.readouterr().out.strip() == f"已生成湍东镇缴费信息公示表：{out}（{len(paid):,}人）"
    )
    summary = list(load_workbook(out)["汇总"].iter_rows(values_only=True))
    assert summary[-1][:2] == ("合计", len(paid))
    assert run(["notice", "--county", "neixiang", "--township", "湍东乡", "--out", str(out)]) == 2
    assert "--township：内乡县没有“湍东乡”" in capsys.readouterr().err
