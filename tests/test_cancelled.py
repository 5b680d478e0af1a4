"""Voided and refunded payments in a payment list, as the tax system exports them: left out,
said so, and never counted as enrolled."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.cancelled import status_counts
from dashboard.figures import standings
from dashboard.importing import apply_import, check_file
from dashboard.parsing import parse_file
from dashboard.samples import sample_policy
from dashboard.store import load_campaign

from filemaker import csv_bytes, people, xlsx_bytes

NEIXIANG = sample_policy("neixiang")
TOWNSHIPS = ["湍东镇", "板场乡"]
HEADER = ["证件号码", "纳税人名称", "乡镇", "缴款日期", "实缴金额", "缴费状态"]
A, B, C, D = people(4)
UNMATCHED = (
    "金额为负数的退费记录，在本文件中找不到同一人、同金额的缴费记录可冲抵（原缴费记录在之前导入"
    "的文件中时，请撤销那次导入，再导入含两者的明细）"
)


def parse(rows: list[list[object]], name: str = "税务.csv"):  # type: ignore[no-untyped-def]
    return parse_file(csv_bytes([HEADER, *rows], "gbk"), name, NEIXIANG, townships=TOWNSHIPS)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("", True),
        ("正常", True),
        (" 有效 ", True),
        ("否", True),
        ("N", True),
        ("作废", False),
        ("已作废", False),
        ("冲正", False),
        ("已退费", False),
        ("退款", False),
        ("是", False),
        ("Y", False),
        ("待审核", None),
        ("正常?", None),
    ],
)
def test_status_words(text: str, counts: bool | None) -> None:
    assert status_counts(text) is counts


def test_voided_and_refunded_tickets_are_left_out_with_a_note() -> None:
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "正常"],
            [B, "乙", "湍东镇", "2022-11-01", "350", "作废"],
            [B, "乙", "湍东镇", "2022-11-02", "350", "正常"],  # paid again: not a duplicate
            [C, "丙", "板场乡", "2022-11-03", "350", "已退费"],
            [D, "丁", "板场乡", "2022-11-03", "350", "作废"],
        ]
    )
    assert parsed.problems == []
    assert parsed.frame[["id_number", "paid_on"]].values.tolist() == [
        [A, date(2022, 11, 1)],
        [B, date(2022, 11, 2)],
    ]
    assert parsed.notes == ("3行按“缴费状态”不计入参保（作废2行、已退费1行）：税务.csv第3、5、6行",)


def test_a_yes_no_flag_column() -> None:
    header = ["身份证号", "乡镇", "缴费日期", "缴费金额", "是否作废"]
    rows = [
        header,
        [A, "湍东镇", "2022-11-01", "350", "否"],
        [B, "湍东镇", "2022-11-01", "350", "是"],
    ]
    parsed = parse_file(xlsx_bytes({"明细": rows}), "m.xlsx", NEIXIANG, townships=TOWNSHIPS)
    assert parsed.problems == [] and list(parsed.frame["id_number"]) == [A]
    assert parsed.notes == ("1行按“是否作废”不计入参保（是1行）：m.xlsx[明细]第3行",)


def test_a_refund_row_cancels_the_persons_payment() -> None:
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "正常"],
            [B, "乙", "湍东镇", "2022-11-01", "350.00", "正常"],
            [B, "乙", "湍东镇", "2022-11-20", "-350", "退费"],
        ]
    )
    assert parsed.problems == [] and list(parsed.frame["id_number"]) == [A]
    assert parsed.notes == (
        "1行退费记录（负数金额）与本文件中同一人、同金额的缴费记录相抵，二者均不计入参保："
        "税务.csv第4行冲抵第3行",
    )


def test_a_refund_of_one_of_two_payments_leaves_the_person_enrolled() -> None:
    # paid twice by mistake, one paid back: the first payment stands
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "正常"],
            [A, "甲", "湍东镇", "2022-11-05", "350", "正常"],
            [A, "甲", "湍东镇", "2022-11-09", "-350", "退费"],
        ]
    )
    assert parsed.problems == []
    assert parsed.frame[["id_number", "paid_on"]].values.tolist() == [[A, date(2022, 11, 1)]]


def test_a_refund_whose_payment_is_marked_refunded_cancels_that_one() -> None:
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "已退费"],
            [A, "甲", "湍东镇", "2022-11-05", "350", "正常"],
            [A, "甲", "湍东镇", "2022-11-09", "-350", "退费"],
        ]
    )
    assert parsed.problems == []
    assert parsed.frame[["id_number", "paid_on"]].values.tolist() == [[A, date(2022, 11, 5)]]
    assert parsed.notes[1].endswith("税务.csv第4行冲抵第2行")


def test_a_refund_without_its_payment_and_an_unknown_status_are_problems() -> None:
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "待审核"],
            [B, "乙", "湍东镇", "2022-11-20", "-350", "退费"],
            [C, "丙", "湍东镇", "2022-11-01", "350", "正常"],
            [C, "丙", "湍东镇", "2022-11-20", "-300", "退费"],  # not the amount paid
        ]
    )
    assert [str(p) for p in parsed.problems] == [
        "税务.csv 第2行 “缴费状态”列：无法识别的缴费状态（计入：正常、有效、已缴费等；不计入：作废、"
        "冲正、已退费等）（值：“待审核”）",
        f"税务.csv 第3行 “实缴金额”列：{UNMATCHED}（值：“-350”）",
        f"税务.csv 第5行 “实缴金额”列：{UNMATCHED}（值：“-300”）",
        f"税务.csv 第5行 “证件号码”列：同一人重复缴费（已见于第4行）（值：“{C}”）",
    ]


def test_a_refunded_person_is_not_enrolled_once_imported(scratch) -> None:
    raw = csv_bytes(
        [
            HEADER,
            *[[n, "某", "板场乡", "2022-11-01", "350", "正常"] for n in (A, B, C)],
            [D, "丁", "板场乡", "2022-11-01", "350", "作废"],
            [C, "丙", "板场乡", "2022-11-10", "-350", "退费"],
        ],
        "gbk",
    )
    checked = check_file(scratch, NEIXIANG, raw, "税务.csv")
    assert checked.importable
    outcome = apply_import(scratch, NEIXIANG, checked, user="clerk")
    assert outcome.rows == 2
    table = standings(load_campaign(scratch, "neixiang"), date(2022, 11, 30)).set_index("township")
    assert table.loc["板场乡", "enrolled"] == 2
