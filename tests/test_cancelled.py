"""Voided and refunded payments in a payment list, as the tax system exports them: left out,
said so, and never counted as enrolled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from dashboard.audit import entries
from dashboard.cancelled import INSURANCES, MEMBER_STATUSES, NETTED, NETTED_ON, PAYMENT_STATUSES
from dashboard.figures import group_coverage, standings
from dashboard.glossary import VOUCHER
from dashboard.group_views import mismatch_sentence
from dashboard.importing import ImportRefused, apply_import, check_file, undo_import
from dashboard.parsing import parse_file
from dashboard.persons import amount_mismatches, part_refunds, subsidies, unenrolled
from dashboard.repeat_list import second_payment_list
from dashboard.repeat_views import second_payments_view
from dashboard.samples import sample_policy
from dashboard.store import load_campaign, roster_members, township_payments
from data_models.tables import PartialRefund

from filemaker import csv_bytes, people, xlsx_bytes

NEIXIANG = sample_policy("neixiang")
TOWNSHIPS = ["湍东镇", "板场乡"]
HEADER = ["证件号码", "纳税人名称", "乡镇", "缴款日期", "实缴金额", "缴费状态"]
A, B, C, D = people(4)
UNMATCHED = "退费记录找不到可冲抵的缴费：本文件和之前导入的缴费明细中都没有此人同金额的缴费"


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
    assert PAYMENT_STATUSES.counts(text) is counts


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


def test_a_payment_for_another_benefit_year_is_left_out_with_a_note() -> None:
    """During the campaign for 2023 the tax system also takes back payments of earlier years
    (补缴以前年度保费) and a newborn's contribution for the year of birth: its 费款所属期起 says
    which year a payment is for, and another year's enrols no one for 2023 (its refund
    neither). A blank period counts; one without a year is a problem, not a guess."""
    header = [*HEADER, "费款所属期起"]
    rows = [
        [A, "甲", "湍东镇", "2022-11-01", "350", "正常", "2023-01-01"],
        [B, "乙", "湍东镇", "2022-11-01", "320", "正常", "2022-01-01"],
        [B, "乙", "湍东镇", "2022-11-02", "350", "正常", "2023年度"],
        [C, "丙", "板场乡", "2022-11-03", "350", "正常", ""],
        [C, "丙", "板场乡", "2022-11-04", "-320", "退费", "2022-01-01"],
        [D, "丁", "板场乡", "2022-11-03", "350", "正常", "上年"],
    ]
    parsed = parse_file(
        csv_bytes([header, *rows], "gbk"), "税务.csv", NEIXIANG, townships=TOWNSHIPS
    )
    assert [(p.row, p.column, p.reason) for p in parsed.problems] == [
        (7, "费款所属期起", "无法识别的所属期（2023年度的保费写作2023、2023-01-01等）")
    ]
    assert parsed.frame[["id_number", "paid_on"]].values.tolist() == [
        [A, date(2022, 11, 1)],
        [B, date(2022, 11, 2)],
        [C, date(2022, 11, 3)],
        [D, date(2022, 11, 3)],
    ]
    assert parsed.notes == (
        "2行按“费款所属期起”不是2023年度的保费，不计入参保（2022年度2行）：税务.csv第3、6行",
    )


def test_a_year_column_of_a_roster_is_read_past() -> None:
    """A roster's 参保年度 says nothing a roster is read by: it goes into the campaign viewed."""
    rows = [
        ["身份证号", "姓名", "乡镇", "人员类别", "参保年度"],
        [A, "甲", "板场乡", "监测对象", "2023"],
    ]
    parsed = parse_file(csv_bytes(rows), "名单.csv", NEIXIANG, townships=TOWNSHIPS)
    assert (parsed.kind, parsed.problems, len(parsed.frame)) == ("roster", [], 1)
    assert parsed.notes == ("“参保年度”列不导入：按正在查看的征缴年度导入",)


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
    # the payment goes; the refund stays, marked, to pay back what an earlier list stored
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "正常"],
            [B, "乙", "湍东镇", "2022-11-01", "350.00", "正常"],
            [B, "乙", "湍东镇", "2022-11-20", "-350", "退费"],
        ]
    )
    assert parsed.problems == []
    got = parsed.frame[["id_number", "amount_fen", NETTED]].values.tolist()
    assert got == [[A, 35000, False], [B, -35000, True]]
    assert parsed.notes == (
        "1行退费记录（负数金额）与本文件中同一人、同金额的缴费记录相抵，这些缴费不计入参保："
        "税务.csv第4行冲抵第3行",
    )


def test_a_refund_of_one_of_two_payments_leaves_the_person_enrolled() -> None:
    # paid twice by mistake, one paid back: the first payment stands; the refund stays,
    # marked with the day of the one it cancelled, in case an earlier list stored that one
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "正常"],
            [A, "甲", "湍东镇", "2022-11-05", "350", "正常"],
            [A, "甲", "湍东镇", "2022-11-09", "-350", "退费"],
        ]
    )
    assert parsed.problems == []
    got = parsed.frame[["id_number", "paid_on", "amount_fen", NETTED]]
    assert got.values.tolist() == [
        [A, date(2022, 11, 1), 35000, False],
        [A, date(2022, 11, 9), -35000, True],
    ]
    assert parsed.frame[NETTED_ON].iloc[1] == date(2022, 11, 5)


def test_a_refund_whose_payment_is_marked_refunded_cancels_that_one() -> None:
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "已退费"],
            [A, "甲", "湍东镇", "2022-11-05", "350", "正常"],
            [A, "甲", "湍东镇", "2022-11-09", "-350", "退费"],
        ]
    )
    assert parsed.problems == []
    got = parsed.frame[["id_number", "paid_on", NETTED]].values.tolist()
    assert got == [[A, date(2022, 11, 5), False], [A, date(2022, 11, 9), True]]
    assert parsed.frame[NETTED_ON].iloc[1] == date(2022, 11, 1)
    assert parsed.notes[1].endswith("税务.csv第4行冲抵第2行")


def test_an_unknown_status_is_a_problem_and_refunds_are_not_duplicates_of_payments() -> None:
    parsed = parse(
        [
            [A, "甲", "湍东镇", "2022-11-01", "350", "待审核"],
            [B, "乙", "湍东镇", "2022-11-20", "-350", "退费"],
            [B, "乙", "湍东镇", "2022-11-21", "-350", "退费"],
            [C, "丙", "湍东镇", "2022-11-01", "350", "正常"],
            [C, "丙", "湍东镇", "2022-11-20", "-300", "退费"],  # not the amount paid
        ]
    )
    assert [str(p) for p in parsed.problems] == [
        "税务.csv 第2行 “缴费状态”列：无法识别的缴费状态（计入：正常、有效、已缴费等；不计入：作废、"
        "冲正、已退费等）（值：“待审核”）",
        f"税务.csv 第4行 “证件号码”列：同一人重复退费（已见于第3行）（值：“{B}”）",
    ]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("", True),
        ("城乡居民基本医疗保险费", True),
        ("城乡居民基本医疗保险（个人缴纳）", True),
        ("居民医保", True),
        ("新型农村合作医疗", True),
        ("城乡居民基本养老保险费", False),
        ("职工基本医疗保险", False),
        ("灵活就业人员医疗保险", False),
        ("长期护理保险", False),
        ("大病保险", None),
        ("390", None),
    ],
)
def test_insurance_words(text: str, counts: bool | None) -> None:
    assert INSURANCES.counts(text) is counts


MIXED = ["证件号码", "纳税人名称", "征收项目", "征收品目", "乡镇", "缴款日期", "实缴金额"]
MEDICAL, PENSION = "城乡居民基本医疗保险费", "城乡居民基本养老保险费"


def mixed_export(*rows: list[object]) -> bytes:
    """The tax office's export of a township's residents' social-insurance payments: the
    pension and the medical insurance side by side (征收项目), as it is often asked for."""
    return csv_bytes([MIXED, *[[*r[:2], r[2], "个人缴纳", *r[3:]] for r in rows]], "gbk")


def test_pension_payments_in_the_same_export_do_not_count(scratch) -> None:
    raw = mixed_export(
        [A, "甲", MEDICAL, "板场乡", "2022-11-01", "350"],
        [A, "甲", PENSION, "板场乡", "2022-11-01", "200"],  # the same person: not paid twice
        [B, "乙", PENSION, "板场乡", "2022-11-02", "100"],
        [B, "乙", PENSION, "板场乡", "2022-11-06", "-100"],  # a pension refund: not theirs
        [C, "丙", "", "板场乡", "2022-11-03", "350"],  # blank: the list is of medical payments
    )
    parsed = parse_file(raw, "社保费.csv", NEIXIANG, townships=TOWNSHIPS)
    assert parsed.problems == []
    assert list(parsed.frame["id_number"]) == [A, C]
    assert parsed.notes == (
        "这些列看板用不到，未导入：征收品目",
        "3行按“征收项目”不是城乡居民医保，不计入参保（城乡居民基本养老保险费3行）："
        "社保费.csv第3、4、5行",
    )
    _, outcome = do_import(scratch, raw, "社保费.csv")
    assert outcome.rows == 2 and enrolled(scratch) == 2


def test_an_unknown_insurance_is_a_problem() -> None:
    raw = mixed_export([A, "甲", "大病保险", "板场乡", "2022-11-01", "350"])
    parsed = parse_file(raw, "社保费.csv", NEIXIANG, townships=TOWNSHIPS)
    assert [str(p) for p in parsed.problems] == [
        "社保费.csv 第2行 “征收项目”列：无法识别的险种（计入：城乡居民基本医疗保险；不计入："
        "城乡居民养老保险、职工医保等其他险种）（值：“大病保险”）"
    ]


def tax_list(*rows: list[object]) -> bytes:
    return csv_bytes([HEADER, *rows], "gbk")


def pay(number: str, day: str = "2022-11-01", amount: str = "350") -> list[object]:
    return [number, "某", "板场乡", day, amount, "正常" if not amount.startswith("-") else "退费"]


def do_import(engine, raw: bytes, name: str):  # type: ignore[no-untyped-def]
    checked = check_file(engine, NEIXIANG, raw, name)
    assert checked.importable, [str(p) for p in checked.problems]
    return checked, apply_import(engine, NEIXIANG, checked, user="clerk")


def enrolled(engine) -> int:  # type: ignore[no-untyped-def]
    data = load_campaign(engine, "neixiang")
    return int(standings(data, date(2022, 11, 30)).set_index("township").loc["板场乡", "enrolled"])


def covered(engine) -> int:  # type: ignore[no-untyped-def]
    """Members of 板场乡's roster of 监测对象 enrolled by 11-30."""
    data = load_campaign(engine, "neixiang")
    coverage = group_coverage(data, date(2022, 11, 30), township="板场乡")
    return int(coverage.set_index("group").loc["monitored", "enrolled"])


def test_a_refunded_person_is_not_enrolled_once_imported(scratch) -> None:
    void = [D, "丁", "板场乡", "2022-11-01", "350", "作废"]
    raw = tax_list(pay(A), pay(B), pay(C), void, pay(B, "2022-11-05", "-350"))
    _, outcome = do_import(scratch, raw, "税务.csv")
    assert (outcome.rows, outcome.existing_rows) == (2, 0) and enrolled(scratch) == 2
    _, outcome = do_import(scratch, tax_list(pay(C, "2022-11-10", "-350")), "退费.csv")
    assert outcome.rows == 1 and enrolled(scratch) == 1


def test_a_refund_in_a_later_list_pays_back_the_stored_payment_until_undone(scratch) -> None:
    do_import(scratch, tax_list(pay(A), pay(B), pay(C)), "第1周.csv")
    checked, outcome = do_import(scratch, tax_list(pay(C, "2022-11-10", "-350")), "第2周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1行退费记录冲抵之前导入的同一人、同金额的缴费，这些人不再计入参保（撤销本次导入可恢复）："
        "第2周.csv第2行",
    )
    assert enrolled(scratch) == 2
    people = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert sorted(people["id_number"]) == sorted([A, B])
    undo_import(scratch, NEIXIANG, outcome.import_id)
    assert enrolled(scratch) == 3


def test_a_list_exported_from_the_start_pays_back_what_the_first_one_stored(scratch) -> None:
    # the second week's export holds the first week's payments again, and C's refund
    do_import(scratch, tax_list(pay(A), pay(B), pay(C)), "第1周.csv")
    _, outcome = do_import(
        scratch, tax_list(pay(A), pay(B), pay(C), pay(C, "2022-11-10", "-350")), "截至第2周.csv"
    )
    assert (outcome.rows, outcome.existing_rows) == (1, 2) and enrolled(scratch) == 2


def test_a_person_paid_back_who_pays_again_is_enrolled_again(scratch) -> None:
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    _, refund = do_import(scratch, tax_list(pay(B, "2022-11-10", "-350")), "第2周.csv")
    assert enrolled(scratch) == 1
    checked, outcome = do_import(scratch, tax_list(pay(B, "2022-11-20"), pay(C)), "第3周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1行是之前已退费的人再次缴费，按新的缴费计入参保：第3周.csv第2行",
    )
    assert (outcome.rows, outcome.existing_rows) == (2, 0) and enrolled(scratch) == 3
    # counted from the new payment's day, and listed with it in the township's notice
    data = load_campaign(scratch, "neixiang")
    on = [standings(data, date(2022, 11, d)).set_index("township") for d in (19, 20)]
    assert [t.loc["板场乡", "enrolled"] for t in on] == [2, 3]  # A and C, then B
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 20)
    # the same lists again change nothing, nor does the payment paid back, exported again
    sent_again = []
    for raw in (tax_list(pay(B, "2022-11-20"), pay(C)), tax_list(pay(A), pay(B))):
        _, again = do_import(scratch, raw + b"\r\n", "again.csv")
        assert (again.rows, again.existing_rows) == (0, 2)
        sent_again.append(again.import_id)
    assert enrolled(scratch) == 3
    # the refund is undone only after the new payment: B would hold two payments
    with pytest.raises(ImportRefused, match="请先撤销第3号导入"):
        undo_import(scratch, NEIXIANG, refund.import_id)
    for import_id in reversed(sent_again):  # they list the new payment again
        undo_import(scratch, NEIXIANG, import_id)
    undo_import(scratch, NEIXIANG, outcome.import_id)
    undo_import(scratch, NEIXIANG, refund.import_id)
    assert enrolled(scratch) == 2


def test_a_refund_and_a_new_payment_in_one_list(scratch) -> None:
    # a refund pays back a payment made on or before its day, never a later one: B's stored
    # payment is paid back and the new one counts, in a weekly list and in one exported from
    # the campaign's start alike
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    weekly = tax_list(pay(B, "2022-11-10", "-350"), pay(B, "2022-11-12"))
    _, outcome = do_import(scratch, weekly, "第2周.csv")
    assert (outcome.rows, outcome.existing_rows) == (2, 0) and enrolled(scratch) == 2
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 12)
    since_start = tax_list(pay(A), pay(B), pay(B, "2022-11-10", "-350"), pay(B, "2022-11-12"))
    _, again = do_import(scratch, since_start, "截至第2周.csv")
    assert (again.rows, again.existing_rows) == (0, 2) and enrolled(scratch) == 2


def test_a_second_payment_and_its_refund_in_a_weekly_list_leave_the_first_standing(
    scratch,
) -> None:
    # B paid on 11-01 (week 1), again by mistake on 11-08 and was paid back on 11-09 (week 2):
    # the refund cancels the second payment in its own list; the first one stands
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    weekly = tax_list(pay(B, "2022-11-08"), pay(B, "2022-11-09", "-350"))
    checked, outcome = do_import(scratch, weekly, "第2周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1行退费记录（负数金额）与本文件中同一人、同金额的缴费记录相抵，这些缴费不计入参保："
        "第2周.csv第3行冲抵第2行",
    )
    assert (outcome.rows, outcome.existing_rows) == (0, 0) and enrolled(scratch) == 2
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 1)
    # a list exported from the start with the first payment and a refund pays that one back
    since_start = tax_list(pay(A), pay(B), pay(B, "2022-11-09", "-350"))
    _, outcome = do_import(scratch, since_start, "截至第2周.csv")
    assert enrolled(scratch) == 1


def test_a_person_paid_twice_in_one_list_is_enrolled_once_and_the_later_one_kept(scratch) -> None:
    # B paid at the village on 11-05 and on the phone on 11-01, both in one export: enrolled
    # from 11-01, the 11-05 payment kept as a second one; its refund in a later list pays it
    # back and B stays enrolled; the same export again adds nothing
    weekly = tax_list(pay(A), pay(B, "2022-11-05"), pay(B, "2022-11-01"))
    checked, outcome = do_import(scratch, weekly, "第1周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1人在本文件中缴费两次以上（日期或金额不同）：每人按最早的一笔计入参保，另外1行记为"
        "重复缴费（应予退费）：第1周.csv第3行",
    )
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (2, 1, 1)
    assert enrolled(scratch) == 2
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 1)
    again = tax_list(pay(A), pay(B, "2022-11-05"), pay(B, "2022-11-01"), pay(C))
    _, outcome = do_import(scratch, again, "截至第2周.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (1, 3, 0)
    checked, _ = do_import(scratch, tax_list(pay(B, "2022-11-15", "-350")), "第3周.csv")
    assert checked.parsed is not None and checked.parsed.notes[0].startswith(
        "1行退费记录冲抵之前导入的同一人、同金额的重复缴费，这些人仍按原缴费计入参保"
    )
    assert enrolled(scratch) == 3


def test_two_payments_of_one_day_and_amount_told_apart_by_their_tax_tickets(scratch) -> None:
    """B paid on the phone and at the village on 11-01, 350 each: the tax export gives each
    its own ticket (电子税票号码), so they are two payments, not a row written twice. B is
    enrolled once and the other kept as a second payment; the export from the start again
    adds nothing; the refund that follows pays the second one back, and B stays enrolled."""
    head = [*HEADER, "电子税票号码"]
    tickets = [[*pay(A), "332016221100010001"], [*pay(B), "332016221100010002"], [*pay(B), "332016221100010003"]]  # fmt: skip
    checked, outcome = do_import(scratch, csv_bytes([head, *tickets], "gbk"), "第1周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1人在本文件中缴费两次以上（日期、金额或税票号码不同）：每人按最早的一笔计入参保，"
        "另外1行记为重复缴费（应予退费）：第1周.csv第4行",
    )
    assert (outcome.rows, outcome.second_rows) == (2, 1) and enrolled(scratch) == 2
    again = [*tickets, [*pay(C), "332016221100010004"]]
    _, outcome = do_import(scratch, csv_bytes([head, *again], "gbk"), "截至第2周.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (1, 3, 0)
    refund = [[*pay(B, "2022-11-15", "-350"), "332016221100010005"]]
    do_import(scratch, csv_bytes([head, *refund], "gbk"), "第3周.csv")
    assert enrolled(scratch) == 3
    # one ticket twice is one payment written twice: the clerk checks
    twice = csv_bytes([head, tickets[0], tickets[1], tickets[1]], "gbk")
    checked = check_file(scratch, NEIXIANG, twice, "重复.csv")
    assert [p.reason for p in checked.problems] == [
        "同一人同日同金额、同一税票号码的缴费出现两次，请核对是否重复录入（已见于第3行）"
    ]


TICKETED = [*HEADER, "电子税票号码"]


def ticketed(*rows: list[object]) -> bytes:
    return csv_bytes([TICKETED, *rows], "gbk")


def voided(number: str, day: str = "2022-11-01", status: str = "作废") -> list[object]:
    return [*pay(number, day)[:-1], status]


def test_a_stored_payment_the_next_export_says_was_voided_is_paid_back(scratch) -> None:
    """The export from the campaign's start a week on shows B's ticket voided (作废), with no
    refund row: B's stored payment no longer counts, said in a note; undoing the import puts
    it back. A list whose first import holds a voided payment says nothing of it."""
    checked, _ = do_import(scratch, tax_list(pay(A), pay(B), voided(D)), "第1周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1行按“缴费状态”不计入参保（作废1行）：第1周.csv第4行",
    )
    checked, outcome = do_import(scratch, tax_list(pay(A), voided(B), pay(C)), "截至第2周.csv")
    assert checked.parsed is not None and checked.parsed.notes[-1] == (
        "1行是之前导入的缴费，本文件的“缴费状态”为作废或已退费：这些缴费不再计入（其人另有缴费的，"
        "按另一笔计入参保；撤销本次导入可恢复）：截至第2周.csv第3行"
    )
    assert enrolled(scratch) == 2
    undo_import(scratch, NEIXIANG, outcome.import_id, user="clerk")
    assert enrolled(scratch) == 2  # A and B again
    assert set(
        township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 12, 31))["id_number"]
    ) == {A, B}


def test_a_ticket_voided_before_the_first_import_pays_back_nothing(scratch) -> None:
    """B's ticket T0 was voided and T1 issued the same day, for the same amount, before the
    first export: every export from the campaign's start lists both. T0 pays back only a
    payment stored with its own ticket, never T1's: B stays enrolled."""
    head = [*HEADER, "电子税票号码"]
    rows = [[*pay(A), "T9"], [*voided(B), "T0"], [*pay(B), "T1"]]
    do_import(scratch, csv_bytes([head, *rows], "gbk"), "第1周.csv")
    checked, _ = do_import(scratch, csv_bytes([head, *rows, [*pay(C), "T2"]], "gbk"), "第2周.csv")
    assert checked.parsed is not None
    assert not any("之前导入的缴费" in note for note in checked.parsed.notes)
    assert enrolled(scratch) == 3


def test_a_ticket_listed_both_voided_and_standing_pays_back_nothing(scratch) -> None:
    """An export that lists B's ticket twice, once 正常 and once 作废, still holds the
    payment: the stored one is not paid back."""
    head = [*HEADER, "电子税票号码"]
    do_import(scratch, csv_bytes([head, [*pay(B), "T1"]], "gbk"), "第1周.csv")
    again = [[*pay(B), "T1"], [*voided(B), "T1"], [*pay(C), "T2"]]
    do_import(scratch, csv_bytes([head, *again], "gbk"), "第2周.csv")
    assert enrolled(scratch) == 2


def test_a_voided_payment_reissued_stands_in_the_new_ones_place(scratch) -> None:
    """A ticket voided and issued again: on another day, the new payment stands (B enrolled
    from 11-03), not a second payment to pay back; on the same day and amount, tickets tell
    them apart (C); without tickets the two cannot be told apart and nothing changes (D)."""
    head = [*HEADER, "电子税票号码"]
    first = [[*pay(B), "T1"], [*pay(C), "T2"]]
    do_import(scratch, csv_bytes([head, *first], "gbk"), "第1周.csv")
    do_import(scratch, tax_list(pay(D)), "村里.csv")
    again = [[*voided(B), "T1"], [*pay(B, "2022-11-03"), "T3"], [*voided(C), "T2"], [*pay(C), "T4"]]
    _, outcome = do_import(scratch, csv_bytes([head, *again], "gbk"), "截至第2周.csv")
    assert outcome.second_rows == 0 and second_payment_list(scratch, "neixiang").empty
    paid = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 12, 31)).set_index(
        "id_number"
    )["paid_on"]
    assert paid.to_dict() == {B: date(2022, 11, 3), C: date(2022, 11, 1), D: date(2022, 11, 1)}
    do_import(scratch, tax_list(voided(D), pay(D)), "村里2.csv")
    assert enrolled(scratch) == 3


def test_a_second_payment_of_one_day_and_amount_in_a_later_export_is_told_by_its_ticket(
    scratch,
) -> None:
    """B's payment on the phone (ticket …02) is exported on 11-01 at noon; the export from the
    start a week on has it again and the one at the village that afternoon (…03), 350 too.
    The ticket kept with the payment tells the second apart: it is kept to be paid back, and
    the refund that follows pays it back; without tickets it would pass for the first."""
    first = [*pay(B), "332016221100010002"]
    do_import(scratch, ticketed([*pay(A), "332016221100010001"], first), "11月1日.csv")
    later = ticketed(first, [*pay(B), "332016221100010003"], [*pay(C), "332016221100010004"])
    _, outcome = do_import(scratch, later, "截至第2周.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (1, 2, 1)
    seconds = second_payment_list(scratch, "neixiang")
    assert seconds[["id_number", "paid_on", "amount_fen", VOUCHER]].values.tolist() == [
        [B, date(2022, 11, 1), 35000, "332016221100010003"]
    ]
    view = second_payments_view(seconds)  # the tax office refunds by ticket
    assert view.loc[0, "重复缴费税票号码"] == "332016221100010003"
    do_import(scratch, ticketed([*pay(B, "2022-11-15", "-350"), "332016221100010009"]), "退费.csv")
    assert enrolled(scratch) == 3
    assert second_payment_list(scratch, "neixiang")["refunded_on"].tolist() == [date(2022, 11, 15)]


def test_tickets_tell_apart_two_payments_of_one_stored_without_its_ticket(scratch) -> None:
    """B's payment was stored from a list without tickets; the tax export, with them, has it
    and a second of the same day and amount. One is the payment stored, the other a second
    payment; the export again, in another order, adds nothing."""
    do_import(scratch, tax_list(pay(A), pay(B)), "村里报的.csv")
    phone, village = [*pay(B), "332016221100010002"], [*pay(B), "332016221100010003"]
    _, outcome = do_import(scratch, ticketed(phone, village), "税务导出.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (0, 2, 1)
    assert second_payment_list(scratch, "neixiang")[VOUCHER].tolist() == ["332016221100010003"]
    again = ticketed(village, phone, [*pay(C), "332016221100010004"])
    _, outcome = do_import(scratch, again, "税务导出2.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (1, 2, 0)
    assert enrolled(scratch) == 3


def test_a_ticket_exported_again_on_another_day_is_the_payment_stored(scratch) -> None:
    """One export dates B's payment by 缴款日期 (11-01), a later one by the day it reached the
    treasury (11-02): the same ticket is the same payment, not a second one to pay back. A
    list without tickets is matched by day and amount, as before."""
    do_import(scratch, ticketed([*pay(B), "332016221100010002"]), "第1周.csv")
    again = ticketed([*pay(B, "2022-11-02"), "332016221100010002"])
    _, outcome = do_import(scratch, again, "第2周.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (0, 1, 0)
    _, outcome = do_import(scratch, tax_list(pay(B, "2022-11-03")), "村里.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (0, 1, 1)
    assert enrolled(scratch) == 1


def test_tickets_a_spreadsheet_cut_short_tell_nothing_apart() -> None:
    """Tickets kept as numbers in Excel lose their last digits (3.3201622110001E+17): they
    are read as no ticket, and a note says why, rather than as one ticket shared by two
    payments or two made-up numbers."""
    rows = [TICKETED, [*pay(A), 332016221100010001], [*pay(B), 332016221100010002]]
    parsed = parse_file(xlsx_bytes({"明细": rows}), "税务.xlsx", NEIXIANG, townships=TOWNSHIPS)
    assert parsed.problems == [] and list(parsed.frame[VOUCHER]) == ["", ""]
    assert parsed.notes == (
        "“电子税票号码”列有2个号码按数字保存、末几位已丢失（如3.3201622110001E+17），"
        "这些缴费不按税票号码区分：请在Excel中把该列设为文本后重新导出",
    )
    kept = [TICKETED, [*pay(A), "'332016221100010001"], [*pay(B), '="332016221100010002"']]
    parsed = parse_file(csv_bytes(kept, "gbk"), "税务.csv", NEIXIANG, townships=TOWNSHIPS)
    assert list(parsed.frame[VOUCHER]) == ["332016221100010001", "332016221100010002"]


def test_a_second_payment_is_kept_and_its_refund_in_a_later_list_pays_it_back(scratch) -> None:
    # weekly lists: B pays on 11-01, again by mistake on 11-08, and is paid back on 11-15;
    # the refund pays back the second payment, and B stays enrolled from 11-01
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    _, second = do_import(scratch, tax_list(pay(B, "2022-11-08"), pay(C)), "第2周.csv")
    assert second.summary() == (
        "已导入缴费明细（第2号）：1行；已存在未重复计入1行（其中1行是已缴费人员又一次缴费，"
        "日期、金额或税票号码不同，记为重复缴费：之后导入的退费先冲抵重复缴费）；有问题未导入0行。"
    )
    assert enrolled(scratch) == 3
    checked, refund = do_import(scratch, tax_list(pay(B, "2022-11-15", "-350")), "第3周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1行退费记录冲抵之前导入的同一人、同金额的重复缴费，这些人仍按原缴费计入参保"
        "（撤销本次导入可恢复）：第3周.csv第2行",
    )
    assert enrolled(scratch) == 3
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 1)
    # the second payment, exported again, is known; a second refund pays back the first one
    _, again = do_import(scratch, tax_list(pay(B, "2022-11-08"), pay(D)), "第2周补.csv")
    assert (again.rows, again.existing_rows, again.second_rows) == (1, 1, 0)
    assert enrolled(scratch) == 4
    _, last = do_import(scratch, tax_list(pay(B, "2022-11-20", "-350")), "第4周.csv")
    assert enrolled(scratch) == 3
    # undone in order: the imports that depend on one first
    undo_import(scratch, NEIXIANG, last.import_id)
    with pytest.raises(
        ImportRefused, match="之后的导入（第3号）中有第2号导入人员的重复缴费或其退费"
    ):
        undo_import(scratch, NEIXIANG, second.import_id)
    with pytest.raises(ImportRefused, match="请先撤销第2号"):
        undo_import(scratch, NEIXIANG, 1)  # B's payment that stands: 2 holds a second one
    undo_import(scratch, NEIXIANG, refund.import_id)
    undo_import(scratch, NEIXIANG, again.import_id)
    undo_import(scratch, NEIXIANG, second.import_id)
    assert enrolled(scratch) == 2
    # with no second payment left, a refund pays back the payment that stands
    do_import(scratch, tax_list(pay(B, "2022-11-15", "-350")), "第3周退费.csv")
    assert enrolled(scratch) == 1


def test_a_refund_of_the_payment_that_stands_leaves_a_second_one_of_another_amount_standing(
    scratch,
) -> None:
    # B (监测对象) paid the full 350 on 11-01 (week 1), then 270 on 11-08 (week 2: 350 less
    # the group's 80), and the 350 was paid back on 11-15 (week 3): B stays enrolled, by the
    # 270, from 11-08
    roster = csv_bytes([["身份证号", "姓名", "乡镇", "人员类别"], [B, "乙", "板场乡", "监测对象"]])
    do_import(scratch, roster, "名单.csv")
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    _, second = do_import(scratch, tax_list(pay(B, "2022-11-08", "270"), pay(C)), "第2周.csv")
    assert (second.rows, second.second_rows) == (1, 1) and enrolled(scratch) == 3
    checked, refund = do_import(scratch, tax_list(pay(B, "2022-11-15", "-350")), "第3周.csv")
    assert checked.parsed is not None and checked.parsed.notes == (
        "1行退费记录冲抵之前导入的同一人、同金额的缴费，这些人另有一笔金额不同的重复缴费，"
        "改按该笔缴费计入参保（自其缴费日期起）（撤销本次导入可恢复）：第3周.csv第2行",
    )
    assert enrolled(scratch) == 3 and covered(scratch) == 1
    data = load_campaign(scratch, "neixiang")
    on = [standings(data, date(2022, 11, d)).set_index("township") for d in (7, 8)]
    assert [t.loc["板场乡", "enrolled"] for t in on] == [2, 3]  # A and C; then B too
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    paid = notice.set_index("id_number").loc[B]
    assert (paid["paid_on"], paid["amount_fen"]) == (date(2022, 11, 8), 27000)
    # exported again from the start, nothing changes: the 270 is the payment that stands
    since_start = tax_list(
        pay(A), pay(B), pay(B, "2022-11-08", "270"), pay(C), pay(B, "2022-11-15", "-350")
    )
    _, again = do_import(scratch, since_start, "截至第3周.csv")
    assert (again.rows, again.existing_rows, again.second_rows) == (0, 3, 0)
    assert enrolled(scratch) == 3
    # a refund of the 270 pays it back: nothing else stands
    _, last = do_import(scratch, tax_list(pay(B, "2022-11-20", "-270")), "第4周.csv")
    assert enrolled(scratch) == 2 and covered(scratch) == 0
    # undone in order: the 270 stood by the refund of week 3, which goes before week 2
    for undone in (last, again):
        undo_import(scratch, NEIXIANG, undone.import_id)
    said = f"之后的导入（第{refund.import_id}号）中有第{second.import_id}号导入人员的重复缴费"
    with pytest.raises(ImportRefused, match=said):
        undo_import(scratch, NEIXIANG, second.import_id)
    undo_import(scratch, NEIXIANG, refund.import_id)
    assert enrolled(scratch) == 3
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 1)
    undo_import(scratch, NEIXIANG, second.import_id)
    assert enrolled(scratch) == 2


def test_lists_from_the_start_leave_the_second_payment_standing_too(scratch) -> None:
    # the same as above, the refund's list exported from the campaign's start: the refund
    # cancels the 350 in its file, and pays back the stored 350 it is
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    do_import(scratch, tax_list(pay(B, "2022-11-08", "270")), "第2周.csv")
    since_start = tax_list(
        pay(A), pay(B), pay(B, "2022-11-08", "270"), pay(B, "2022-11-15", "-350"), pay(C)
    )
    checked, outcome = do_import(scratch, since_start, "截至第3周.csv")
    assert checked.parsed is not None
    assert any("改按该笔缴费计入参保" in note for note in checked.parsed.notes), (
        checked.parsed.notes
    )
    # the refund that paid back, and C
    assert (outcome.rows, outcome.second_rows) == (2, 0) and enrolled(scratch) == 3
    notice = township_payments(scratch, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert notice.set_index("id_number").loc[B, "paid_on"] == date(2022, 11, 8)


def test_a_refund_of_the_payment_exported_again_beside_a_second_one(scratch) -> None:
    # a list exported from the start holds B's first payment, the second and its refund:
    # the refund cancels the second (the latest) in the file, nothing stored changes
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    since_start = tax_list(
        pay(A), pay(B), pay(B, "2022-11-08"), pay(B, "2022-11-09", "-350"), pay(C)
    )
    _, outcome = do_import(scratch, since_start, "截至第2周.csv")
    assert (outcome.rows, outcome.existing_rows, outcome.second_rows) == (1, 2, 0)
    assert enrolled(scratch) == 3


def test_a_refund_with_nothing_to_pay_back_is_a_problem(scratch) -> None:
    do_import(scratch, tax_list(pay(A), pay(B)), "第1周.csv")
    do_import(scratch, tax_list(pay(B, "2022-11-10", "-350")), "第2周.csv")
    raw = tax_list(
        pay(C, "2022-11-12", "-350"),  # never paid
        pay(A, "2022-11-12", "-400"),  # more than they paid (less is part of it paid back)
        pay(B, "2022-11-12", "-350"),  # already paid back
    )
    checked = check_file(scratch, NEIXIANG, raw, "第3周.csv")
    assert [str(p) for p in checked.problems] == [
        f"第3周.csv 第2行 “实缴金额”列：{UNMATCHED}（值：“-350.00”）",
        f"第3周.csv 第3行 “实缴金额”列：{UNMATCHED}，之前导入的缴费明细中此人缴费350.00元（值：“-400.00”）",
        f"第3周.csv 第4行 “实缴金额”列：{UNMATCHED}，之前导入的缴费明细中此人的缴费已于2022-11-10退费"
        "（值：“-350.00”）",
    ]


def test_a_roster_member_paid_back_is_not_covered(scratch) -> None:
    roster = csv_bytes(
        [["身份证号", "姓名", "乡镇", "人员类别"], [C, "丙", "板场乡", "监测对象"]], "gbk"
    )
    do_import(scratch, roster, "名单.csv")
    do_import(scratch, tax_list(pay(A), pay(C)), "第1周.csv")
    assert covered(scratch) == 1
    _, outcome = do_import(scratch, tax_list(pay(C, "2022-11-10", "-350")), "第2周.csv")
    assert covered(scratch) == 0
    undo_import(scratch, NEIXIANG, outcome.import_id)
    assert covered(scratch) == 1


ROSTER_HEADER = ["身份证号", "姓名", "乡镇", "人员类别", "人员状态"]


def test_members_who_died_or_were_struck_off_are_not_on_the_roster() -> None:
    rows = [
        ROSTER_HEADER,
        [A, "甲", "板场乡", "监测对象", "正常"],
        [B, "乙", "板场乡", "监测对象", "死亡"],
        [C, "丙", "板场乡", "一般脱贫户", "停保"],
        [D, "丁", "板场乡", "一般脱贫户", "待核实"],
    ]
    parsed = parse_file(csv_bytes(rows, "gbk"), "名单.csv", NEIXIANG, townships=TOWNSHIPS)
    assert parsed.kind == "roster"
    assert list(parsed.frame["id_number"]) == [A, D]
    assert parsed.notes == ("2行按“人员状态”不计入名单（死亡1行、停保1行）：名单.csv第3、4行",)
    assert [str(p) for p in parsed.problems] == [
        "名单.csv 第5行 “人员状态”列：无法识别的人员状态（计入：正常、在册、享受中等；不计入：死亡、"
        "注销、停保等）（值：“待核实”）"
    ]
    assert MEMBER_STATUSES.counts(" 在册 ") is True


def test_a_member_who_died_is_not_among_those_to_enrol(scratch) -> None:
    rows = [
        ROSTER_HEADER,
        [A, "甲", "板场乡", "监测对象", "在册"],
        [B, "乙", "板场乡", "监测对象", "已死亡"],
    ]
    do_import(scratch, csv_bytes(rows, "gbk"), "名单.csv")
    data = load_campaign(scratch, "neixiang")
    coverage = group_coverage(data, date(2022, 11, 30), township="板场乡").set_index("group")
    assert coverage.loc["monitored", "roster_size"] == 1
    members = roster_members(scratch, "neixiang", "板场乡")
    imported = members[members["id_number"].isin([A, B])]
    assert list(unenrolled(imported, date(2022, 11, 30))["id_number"]) == [A]


def test_a_member_a_later_roster_says_died_is_struck_off_the_one_imported(scratch) -> None:
    """November's roster lists A and B; December's says B has died. B leaves the group's size
    and the list of people to enrol, said before the import and in its summary; undoing it
    puts B back. November's roster is undone only after December's."""
    november = [ROSTER_HEADER, [A, "甲", "板场乡", "监测对象", "在册"], [B, "乙", "板场乡", "监测对象", "在册"]]  # fmt: skip
    _, first = do_import(scratch, csv_bytes(november, "gbk"), "11月名单.csv")
    december = [ROSTER_HEADER, [A, "甲", "板场乡", "监测对象", "在册"], [B, "乙", "板场乡", "监测对象", "死亡"], [C, "丙", "板场乡", "一般脱贫户", "注销"]]  # fmt: skip
    checked, outcome = do_import(scratch, csv_bytes(december, "gbk"), "12月名单.csv")
    assert checked.parsed is not None and checked.parsed.notes[-1] == (
        "1人是之前导入的名单中的人员，本文件的“人员状态”说已不在名单（死亡、注销等）：将从名单中"
        "移出，不再计入特殊群体人数和未参保名单（撤销本次导入可恢复）"
    )
    assert outcome.summary() == (
        f"已导入资助名单（第{outcome.import_id}号）：0行；已存在未重复计入1行；"
        "从之前导入的名单中移出1人；有问题未导入0行。"
    )

    def imported() -> list[str]:
        members = roster_members(scratch, "neixiang", "板场乡")
        return sorted(members.loc[members["id_number"].isin([A, B, C]), "id_number"])

    def roster_size() -> int:
        coverage = group_coverage(load_campaign(scratch, "neixiang"), date(2022, 11, 30), township="板场乡")  # fmt: skip
        return int(coverage.set_index("group").loc["monitored", "roster_size"])

    assert imported() == [A] and roster_size() == 1
    with pytest.raises(ImportRefused) as refused:
        undo_import(scratch, NEIXIANG, first.import_id, user="clerk")
    later = f"第{outcome.import_id}号"
    assert str(refused.value) == (
        f"之后的导入（{later}）把第{first.import_id}号导入名单中的人员移出了名单（死亡、注销等）："
        f"请先撤销{later}导入"
    )
    undo_import(scratch, NEIXIANG, outcome.import_id, user="clerk")
    assert imported() == sorted([A, B]) and roster_size() == 2
    undo_import(scratch, NEIXIANG, first.import_id, user="clerk")
    assert imported() == []


def test_a_whole_roster_strikes_off_whom_it_leaves_out_of_its_townships_and_groups(scratch) -> None:
    """November's roster lists A and B (监测对象, 板场乡), C (监测对象, 湍东镇) and D (一般脱贫户,
    板场乡). December's whole roster of 板场乡's 监测对象 lists A: B is struck off, C (another
    township) and D (another group) stay. The same file imported as part of a roster strikes
    no one; a file with problems cannot be a whole roster."""
    november = [ROSTER_HEADER, [A, "甲", "板场乡", "监测对象", "在册"], [B, "乙", "板场乡", "监测对象", "在册"], [C, "丙", "湍东镇", "监测对象", "在册"], [D, "丁", "板场乡", "一般脱贫户", "在册"]]  # fmt: skip
    do_import(scratch, csv_bytes(november, "gbk"), "11月名单.csv")
    december = csv_bytes([ROSTER_HEADER, [A, "甲", "板场乡", "监测对象", "在册"]], "gbk")
    checked = check_file(scratch, NEIXIANG, december, "12月名单.csv")
    assert checked.absent == 1, "said before the import"

    def on_roster() -> list[str]:
        return sorted(
            number
            for township in ("板场乡", "湍东镇")
            for number in roster_members(scratch, "neixiang", township)["id_number"]
            if number in (A, B, C, D)
        )

    outcome = apply_import(scratch, NEIXIANG, checked, full_roster=True, user="clerk")
    assert outcome.struck == 1 and "从之前导入的名单中移出1人" in outcome.summary()
    assert on_roster() == sorted([A, C, D])
    (entry,) = entries(scratch, action="import")[:1]
    assert '"全量名单": "是"' in entry.after and '"移出名单人数": 1' in entry.after
    undo_import(scratch, NEIXIANG, outcome.import_id, user="clerk")
    assert on_roster() == sorted([A, B, C, D]), "undoing the import puts B back"

    part = apply_import(scratch, NEIXIANG, checked, user="clerk")
    assert part.struck == 0 and on_roster() == sorted([A, B, C, D])

    broken = csv_bytes([ROSTER_HEADER, [A, "甲", "板场乡", "监测对象", "在册"], ["123", "戊", "板场乡", "监测对象", "在册"]], "gbk")  # fmt: skip
    flawed = check_file(scratch, NEIXIANG, broken, "12月名单（有误）.csv")
    assert flawed.partly_importable and flawed.absent == 0
    with pytest.raises(ImportRefused, match="只有没有问题的资助名单可以作为全量名单导入"):
        apply_import(scratch, NEIXIANG, flawed, valid_only=True, full_roster=True, user="clerk")


def owed(engine, day: date = date(2022, 12, 31)) -> tuple[list[tuple[str, Decimal]], str]:  # type: ignore[no-untyped-def]
    """板场乡's members who paid other than they owe by ``day`` (ID number, overpaid), and the
    sentence 特殊群体 says of them."""
    members = roster_members(engine, "neixiang", "板场乡", amounts=True, refunded_by=day)
    people = subsidies(members, NEIXIANG, as_of=day)
    found = amount_mismatches(people, members)
    pairs = list(zip(found["id_number"], found["overpaid"], strict=True))
    return pairs, mismatch_sentence(found, part_refunds(people, members))


def partial_refunds(engine) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        rows = session.exec(select(PartialRefund).order_by(col(PartialRefund.id))).all()
        return [(r.id_number, r.amount_fen, r.import_id) for r in rows]


@pytest.fixture
def monitored(scratch):  # type: ignore[no-untyped-def]
    """C on 板场乡's roster of 监测对象: owes 270 (350 less the subsidy of 80)."""
    roster = csv_bytes([["身份证号", "姓名", "乡镇", "人员类别"], [C, "丙", "板场乡", "监测对象"]])
    do_import(scratch, roster, "名单.csv")
    return scratch


def test_part_of_a_payment_paid_back_leaves_the_person_enrolled(monitored) -> None:
    """C paid the full 350 (the subsidy not applied where they paid): 80 too much. The tax
    system pays the 80 back; the refund row is part of the payment, not a refund of nothing:
    C stays enrolled, has paid what they owe, and the list sent again changes nothing."""
    _, paid = do_import(monitored, tax_list(pay(C)), "第1周.csv")
    assert owed(monitored) == (
        [(C, Decimal("80.00"))],
        "已参保的名单人员中，1人多缴共80.00元，应退还。",
    )
    checked, back = do_import(monitored, tax_list(pay(C, "2022-11-10", "-80")), "第2周.csv")
    assert any(
        note.startswith("1行退费记录退还同一人缴费的一部分（多缴的差额，如缴费时未享受的资助），")
        for note in checked.parsed.notes
    )
    assert covered(monitored) == 1
    assert partial_refunds(monitored) == [(C, 8000, back.import_id)]
    assert owed(monitored) == (
        [],
        "已参保的名单人员实缴金额均与应缴一致。另有1人多缴的80.00元已退还。",
    )
    assert owed(monitored, date(2022, 11, 9))[0] == [(C, Decimal("80.00"))], "not paid back yet"
    for day, fen in ((date(2022, 11, 9), 35000), (date(2022, 11, 10), 27000)):  # 公示表
        rows = township_payments(monitored, "neixiang", "板场乡", paid_by=day)
        assert rows.set_index("id_number").loc[C, "amount_fen"] == fen

    sent_again = tax_list(pay(C), pay(C, "2022-11-10", "-80"))  # exported from the start
    do_import(monitored, sent_again, "第3周.csv")
    assert partial_refunds(monitored) == [(C, 8000, back.import_id)]

    with pytest.raises(ImportRefused, match=f"退还了第{paid.import_id}号导入的缴费的一部分"):
        undo_import(monitored, NEIXIANG, paid.import_id)
    undo_import(monitored, NEIXIANG, back.import_id + 1)  # the list sent again
    undo_import(monitored, NEIXIANG, back.import_id)
    assert partial_refunds(monitored) == []
    assert owed(monitored)[0] == [(C, Decimal("80.00"))]
    undo_import(monitored, NEIXIANG, paid.import_id)
    assert covered(monitored) == 0


def test_a_payment_and_part_of_it_paid_back_in_one_list(monitored) -> None:
    # the first export already holds both: the payment is stored, then the refund recorded
    _, outcome = do_import(monitored, tax_list(pay(C), pay(C, "2022-11-10", "-80")), "第1周.csv")
    assert covered(monitored) == 1
    assert partial_refunds(monitored) == [(C, 8000, outcome.import_id)]
    assert owed(monitored)[0] == []
    undo_import(monitored, NEIXIANG, outcome.import_id)  # the refund goes before its payment
    assert partial_refunds(monitored) == [] and covered(monitored) == 0


def test_parts_paid_back_stop_short_of_the_payment(monitored) -> None:
    do_import(monitored, tax_list(pay(C)), "第1周.csv")
    do_import(monitored, tax_list(pay(C, "2022-11-10", "-80")), "第2周.csv")
    for more in ("-300", "-350"):  # than the 270 left
        checked = check_file(monitored, NEIXIANG, tax_list(pay(C, "2022-11-20", more)), "第3周.csv")
        assert [str(p) for p in checked.problems] == [
            f"第3周.csv 第2行 “实缴金额”列：{UNMATCHED}，之前导入的缴费明细中此人缴费350.00元，"
            f"其中80.00元已退还（值：“{more}.00”）"
        ]


def test_the_rest_of_a_payment_part_paid_back_is_paid_back(monitored) -> None:
    """C was paid back 80 of 350, then leaves (moved away, insured elsewhere): the tax system
    pays back the 270 left. C is no longer enrolled, from the day; the import that paid back
    the 80 is undone only after this one, which puts C back with the 80 still paid back."""
    _, paid = do_import(monitored, tax_list(pay(C)), "第1周.csv")
    _, part = do_import(monitored, tax_list(pay(C, "2022-11-10", "-80")), "第2周.csv")
    checked, rest = do_import(monitored, tax_list(pay(C, "2022-11-20", "-270")), "第3周.csv")
    assert (
        "1行退费记录退还同一人缴费在之前退还一部分后余下的金额，这些人不再计入参保"
        "（撤销本次导入可恢复）：第3周.csv第2行"
    ) in checked.parsed.notes
    assert covered(monitored) == 0
    assert partial_refunds(monitored) == [(C, 8000, part.import_id)]

    with pytest.raises(
        ImportRefused, match=f"退还了第{part.import_id}号导入退还一部分后余下的缴费"
    ):
        undo_import(monitored, NEIXIANG, part.import_id)
    undo_import(monitored, NEIXIANG, rest.import_id)
    assert covered(monitored) == 1
    assert owed(monitored)[0] == [], "the 80 still paid back"
    undo_import(monitored, NEIXIANG, part.import_id)
    undo_import(monitored, NEIXIANG, paid.import_id)
    assert covered(monitored) == 0 and partial_refunds(monitored) == []


def test_the_rest_paid_back_of_one_of_two_payments_leaves_the_other_standing(monitored) -> None:
    """C paid twice; 80 of the first, then the 270 left of it, paid back: the second payment
    stands in its place (from its day), the 80 too much on it still to pay back."""
    do_import(monitored, tax_list(pay(C), pay(C, "2022-11-05")), "第1周.csv")
    do_import(monitored, tax_list(pay(C, "2022-11-10", "-80")), "第2周.csv")
    checked, _ = do_import(monitored, tax_list(pay(C, "2022-11-20", "-270")), "第3周.csv")
    assert checked.parsed is not None and checked.parsed.notes[-1] == (
        "1行退费记录退还同一人缴费在之前退还一部分后余下的金额，这些人另有一笔重复缴费，"
        "改按该笔缴费计入参保（自其缴费日期起）（撤销本次导入可恢复）：第3周.csv第2行"
    )
    assert covered(monitored) == 1
    people = township_payments(monitored, "neixiang", "板场乡", paid_by=date(2022, 11, 30))
    assert people.set_index("id_number").loc[C, ["paid_on", "amount_fen"]].tolist() == [
        date(2022, 11, 5),
        35000,
    ]
    assert owed(monitored)[0] == [(C, Decimal("80.00"))]
