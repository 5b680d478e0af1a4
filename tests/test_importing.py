"""Imports against a real database: all or nothing, idempotent, recorded, undoable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from dashboard import importing
from dashboard.figures import group_coverage, standings, village_enrolled
from dashboard.group_views import mismatch_sentence, mismatch_view, subsidy_losses
from dashboard.idnumbers import make_id, make_ids
from dashboard.importing import ImportRefused, apply_import, check_file, import_history, undo_import
from dashboard.persons import amount_mismatches, fund_totals, subsidies, unenrolled
from dashboard.samples import sample_policy
from dashboard.store import load_campaign, payment_villages, roster_members
from dashboard.views import sources_view
from data_models.tables import (
    GroupProgress,
    ImportRecord,
    Payment,
    ProgressReport,
    RosterMember,
)

from filemaker import csv_bytes, people, xlsx_bytes
from invariants import assert_aggregates_as_rebuilt, orphan_payments

NEIXIANG = sample_policy("neixiang")
QUOTAS = {"湍东镇": 62010, "板场乡": 10680}


def count(engine, table) -> int:
    """Rows of a table that did not come with the simulated sample."""
    statement = select(func.count()).select_from(table)
    if hasattr(table, "simulated"):
        statement = statement.where(table.simulated == False)  # noqa: E712
    with Session(engine) as session:
        return session.exec(statement).one()


def do_import(engine, raw: bytes, name: str, **options):
    checked = check_file(engine, NEIXIANG, raw, name)
    return checked, apply_import(engine, NEIXIANG, checked, **options)


def payments_csv(ids: list[str], village: str, paid_on: str) -> bytes:
    """A payment list of Banchang township: everyone in one village, paying on one day."""
    header = ["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]
    return csv_bytes([header, *[[n, "板场乡", village, paid_on, "350"] for n in ids]])


PROGRESS = csv_bytes(
    [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000], ["2022-11-08", "湍东镇", 60000]]
)


def test_progress_import_replaces_simulated_figures_of_that_township_only(scratch) -> None:
    before = load_campaign(scratch, "neixiang")
    _, outcome = do_import(scratch, PROGRESS, "p.csv", user="clerk")
    after = load_campaign(scratch, "neixiang")
    assert outcome.rows == 2 and outcome.kind == "progress"
    table = standings(after, date(2022, 11, 10)).set_index("township")
    assert table.loc["湍东镇", "enrolled"] == 60000
    assert after.sources["湍东镇"] == "进度报表" and after.sources["板场乡"] == "模拟数据"
    old = standings(before, date(2022, 11, 10)).set_index("township")
    assert table.loc["板场乡", "enrolled"] == old.loc["板场乡", "enrolled"]
    record = import_history(scratch, NEIXIANG).iloc[0]
    assert (
        record["文件"],
        record["类型"],
        record["导入行数"],
        record["操作人"],
        record["状态"],
    ) == ("p.csv", "进度表", "2", "clerk", "有效")


def test_the_same_file_twice_changes_nothing(scratch) -> None:
    do_import(scratch, PROGRESS, "p.csv")
    rows = count(scratch, ProgressReport)
    again = check_file(scratch, NEIXIANG, PROGRESS, "p-copy.csv")
    assert again.already is not None and not again.importable
    with pytest.raises(ImportRefused, match="未重复导入"):
        apply_import(scratch, NEIXIANG, again)
    assert count(scratch, ProgressReport) == rows
    assert count(scratch, ImportRecord) == 1


def test_a_township_reported_by_village_after_a_township_figure_is_not_counted_twice(
    scratch,
) -> None:
    do_import(scratch, PROGRESS, "p.csv", user="clerk")  # 湍东镇 60 000 on 11-08
    villages = csv_bytes(
        [
            ["日期", "乡镇", "村（社区）", "参保人数"],
            ["2022-11-15", "湍东镇", "东村", 35000],
            ["2022-11-15", "湍东镇", "西村", 29000],
        ]
    )
    do_import(scratch, villages, "villages.csv", user="clerk")
    data = load_campaign(scratch, "neixiang")
    enrolled = standings(data, date(2022, 11, 15)).set_index("township")["enrolled"]
    assert enrolled["湍东镇"] == 64000  # not 60 000 + 64 000
    assert standings(data, date(2022, 11, 10)).set_index("township").loc["湍东镇", "enrolled"] == 60000  # fmt: skip


def test_overlapping_progress_from_another_file_is_a_problem(scratch) -> None:
    """A corrected report of a day already imported names the import to undo first."""
    _, first = do_import(scratch, PROGRESS, "p.csv")
    other = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-08", "湍东镇", 61000]])
    checked = check_file(scratch, NEIXIANG, other, "p2.csv")
    assert [str(p) for p in checked.problems] == [
        f"p2.csv 第2行 “日期”列：该乡镇该日期的进度已由第{first.import_id}号导入（p.csv）导入过"
        "（60,000人），如需更正请先撤销该导入（值：“2022-11-08”）"
    ]


def test_a_report_sent_again_with_its_new_day_adds_the_day_only(scratch) -> None:
    """A clerk's progress file kept adding each week's day and sent whole (or the same report
    saved in GBK): the days imported as they are stand as stored, not as problems."""
    _, first = do_import(scratch, PROGRESS, "p.csv")
    rows = [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 50000], ["2022-11-08", "湍东镇", 60000]]  # fmt: skip
    checked, outcome = do_import(scratch, csv_bytes(rows, "gbk"), "p-gbk.csv")
    assert checked.problems == [] and (outcome.rows, outcome.existing_rows) == (0, 2)
    week = csv_bytes([*rows, ["2022-11-15", "湍东镇", 61000]])
    checked, outcome = do_import(scratch, week, "p-week3.csv")
    assert checked.problems == [] and (outcome.rows, outcome.existing_rows) == (1, 2)
    assert count(scratch, ProgressReport) == 3
    data = load_campaign(scratch, "neixiang")
    assert standings(data, date(2022, 11, 15)).set_index("township").loc["湍东镇", "enrolled"] == 61000  # fmt: skip
    # the first import holds the two days the later files listed again: undone after them
    with pytest.raises(ImportRefused) as refused:
        undo_import(scratch, NEIXIANG, first.import_id, user="clerk")
    n = first.import_id
    assert str(refused.value) == (
        f"之后的导入（第{n + 1}号、第{n + 2}号）也列有第{n}号导入的数据（当时已存在，未重复计入），"
        f"撤销第{n}号会使这些数据一并丢失：请先撤销第{n + 1}号、第{n + 2}号导入"
    )
    for import_id in (n + 2, n + 1, n):
        undo_import(scratch, NEIXIANG, import_id, user="clerk")
    assert count(scratch, ProgressReport) == 0
    # imported again, the week-3 file stores all its days itself, and is undone alone
    _, again = do_import(scratch, week, "p-week3.csv")
    assert (again.rows, again.existing_rows, count(scratch, ProgressReport)) == (3, 0, 3)


ZHASHUI = sample_policy("zhashui")
GROUP_HEADER = ["日期", "乡镇", "村（社区）", "参保人数", "特困人员参保人数"]


def zhashui_import(engine, rows: list[list[object]], name: str):
    checked = check_file(engine, ZHASHUI, csv_bytes([GROUP_HEADER, *rows]), name)
    if checked.problems:
        return [p.describe(file=False) for p in checked.problems]
    return apply_import(engine, ZHASHUI, checked, user="clerk")


def test_a_special_groups_figure_of_a_day_imported_is_refused_from_another_file(scratch) -> None:
    """A township's group figure of a day is its villages' sum, sent in one file: another
    file's village of that day, or a changed figure, is refused with the import that holds it
    (until now the second file clashed in the database and was said to be another user's)."""
    first = zhashui_import(scratch, [["2023-11-01", "营盘镇", "东村", 500, 10]], "a.csv")
    held = "该乡镇该日期的此项特殊群体人数已由第{n}号导入（a.csv）导入过（10人），如需更正请先撤销该导入（分村报送的，同一日期各村的特殊群体人数须在同一文件中导入）"  # fmt: skip
    other_village = zhashui_import(scratch, [["2023-11-01", "营盘镇", "西村", 600, 12]], "b.csv")
    assert other_village == [
        f"第2行 “特困人员参保人数”列：{held.format(n=first.import_id)}（值：“12”）"
    ]
    changed = zhashui_import(scratch, [["2023-11-01", "营盘镇", "东村", 500, 11]], "c.csv")
    assert changed == [f"第2行 “特困人员参保人数”列：{held.format(n=first.import_id)}（值：“11”）"]
    # the same day again as it is, with the next week's: the next week goes in
    again = [["2023-11-01", "营盘镇", "东村", 500, 10], ["2023-11-08", "营盘镇", "东村", 700, 12]]
    outcome = zhashui_import(scratch, again, "d.csv")
    assert (outcome.rows, outcome.existing_rows) == (1, 1)
    with Session(scratch) as session:
        stored = session.exec(
            select(GroupProgress.report_date, GroupProgress.enrolled, GroupProgress.import_id)
            .where(GroupProgress.simulated == False)  # noqa: E712
            .order_by(GroupProgress.report_date)
        ).all()
    assert [tuple(r) for r in stored] == [
        (date(2023, 11, 1), 10, first.import_id),
        (date(2023, 11, 8), 12, outcome.import_id),
    ]


def test_a_special_groups_figure_added_to_a_day_imported_goes_in(scratch) -> None:
    header = ["日期", "乡镇", "参保人数"]
    apply_import(scratch, ZHASHUI, check_file(scratch, ZHASHUI, csv_bytes([header, ["2023-11-15", "营盘镇", 900]]), "e.csv"))  # fmt: skip
    rows = [[*header, "低保对象参保人数"], ["2023-11-15", "营盘镇", 900, 50]]
    outcome = apply_import(scratch, ZHASHUI, check_file(scratch, ZHASHUI, csv_bytes(rows), "f.csv"))
    assert (outcome.rows, outcome.existing_rows) == (1, 0)
    assert count(scratch, ProgressReport) == 1 and count(scratch, GroupProgress) == 1


def test_a_later_report_lower_than_an_imported_one_is_a_problem(scratch) -> None:
    """A township's cumulative count checked against the reports of earlier files: a later
    figure lower than an imported one and an earlier one higher than an imported later one are
    refused, and so is a village report whose sum (the township's figure) is lower than the
    township's own figure a week before in the same file; a rise goes in."""
    _, first = do_import(scratch, PROGRESS, "p.csv")  # 湍东镇 50 000 on 11-01, 60 000 on 11-08
    lower = csv_bytes(
        [
            ["日期", "乡镇", "村（社区）", "参保人数"],
            ["2022-11-15", "湍东镇", "", 59000],
            ["2022-11-22", "湍东镇", "东村", 35000],
            ["2022-11-22", "湍东镇", "西村", 20000],
            ["2022-11-15", "板场乡", "", 9000],
        ]
    )
    earlier = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-05", "湍东镇", 61000]])
    said = [
        str(p)
        for raw in (lower, earlier)
        for p in check_file(scratch, NEIXIANG, raw, "p2.csv").problems
    ]
    held = f"11月8日已导入（第{first.import_id}号导入）的60,000"
    undo = "累计人数不能减少，如需更正请先撤销该导入"
    assert said == [
        f"p2.csv 第2行 “参保人数”列：湍东镇累计参保人数将为59,000，比{held}少：{undo}（值：“59000”）",
        "p2.csv 第3行 “参保人数”列：湍东镇累计参保人数将为55,000，比11月15日本文件中的59,000少："
        "累计人数不能减少（值：“35000”）",
        "p2.csv 第4行 “参保人数”列：湍东镇累计参保人数将为55,000，比11月15日本文件中的59,000少："
        "累计人数不能减少（值：“20000”）",
        f"p2.csv 第2行 “参保人数”列：湍东镇累计参保人数将为61,000，比之后{held}还多：{undo}"
        "（值：“61000”）",
    ]
    rising = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-15", "湍东镇", 60000]])
    assert check_file(scratch, NEIXIANG, rising, "p3.csv").importable


def test_a_report_checked_before_another_went_in_is_checked_again_as_it_is_written(
    scratch,
) -> None:
    """Two clerks: one checks a report, the other imports a higher count of a later day; the
    first report, written on its stale check, would drop the township's count and is refused."""
    stale = check_file(
        scratch, NEIXIANG, csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-15", "湍东镇", 59000]]),
        "first.csv",
    )  # fmt: skip
    assert stale.importable
    _, other = do_import(scratch, PROGRESS, "other.csv")  # 湍东镇 60 000 on 11-08
    with pytest.raises(ImportRefused) as refused:
        apply_import(scratch, NEIXIANG, stale, user="clerk")
    assert str(refused.value) == (
        "其他用户刚导入的进度与本文件不符，未导入，请重新检查：first.csv 第2行 “参保人数”列："
        f"湍东镇累计参保人数将为59,000，比11月8日已导入（第{other.import_id}号导入）的60,000少："
        "累计人数不能减少，如需更正请先撤销该导入（值：“59000”）"
    )
    assert count(scratch, ImportRecord) == 1


def test_a_special_groups_count_lower_than_an_imported_one_is_a_problem(scratch) -> None:
    first = csv_bytes([["日期", "乡镇", "参保人数", "低保"], ["2022-11-08", "湍东镇", 60000, 500]])
    _, held = do_import(scratch, first, "p.csv")
    later = csv_bytes([["日期", "乡镇", "参保人数", "低保"], ["2022-11-15", "湍东镇", 61000, 450]])
    assert [str(p) for p in check_file(scratch, NEIXIANG, later, "p2.csv").problems] == [
        f"p2.csv 第2行 “低保”列：湍东镇“低保”累计参保人数将为450，比11月8日已导入（第{held.import_id}号"
        "导入）的500少：累计人数不能减少，如需更正请先撤销该导入（值：“450”）"
    ]


def test_a_file_with_problems_writes_nothing(scratch) -> None:
    bad = csv_bytes(
        [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 5], ["2022-11-01", "北京", 5]]
    )
    checked = check_file(scratch, NEIXIANG, bad, "bad.csv")
    with pytest.raises(ImportRefused):
        apply_import(scratch, NEIXIANG, checked)
    assert count(scratch, ImportRecord) == 0


def test_only_the_valid_rows_when_asked_and_recorded(scratch) -> None:
    bad = csv_bytes(
        [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 5], ["2022-11-01", "北京", 5]]
    )
    checked, outcome = do_import(scratch, bad, "bad.csv", valid_only=True)
    assert (outcome.rows, outcome.skipped_rows) == (1, 1)
    record = import_history(scratch, NEIXIANG).iloc[0]
    assert (record["仅导入无问题行"], record["有问题未导入"]) == ("是", "1")


def test_a_file_whose_problems_are_all_in_its_header_has_no_valid_rows_to_offer(scratch) -> None:
    # Leaving rows out cannot mend a header: the file is refused whole, valid rows or not.
    raw = csv_bytes([["日期", "乡镇", "参保人数", "缴费金额"], ["2022-11-01", "湍东镇", 500, 1]])
    checked = check_file(scratch, NEIXIANG, raw, "p.csv")
    assert [str(p) for p in checked.problems] == [
        "p.csv 第1行 “缴费金额”列：无法识别的列名（进度表中没有此列）"
    ]
    assert not checked.importable and not checked.partly_importable
    with pytest.raises(ImportRefused):
        apply_import(scratch, NEIXIANG, checked, valid_only=True)
    assert count(scratch, ImportRecord) == 0


def test_what_postgresql_would_refuse_is_named_or_mended_before_the_write(scratch) -> None:
    # NUL padding is dropped, an over-long cell is a problem of its row, a file name as long as
    # a file system allows is recorded: on either database, nothing fails at the write.
    ids = people(3, start=700)
    raw = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "村（社区）", "缴费日期", "缴费金额"],
            [ids[0], "张\x00三", "湍东镇", "老马村\x00", "2022-11-05", "350"],
            [ids[1], "某" * 61, "湍东镇", "老马村", "2022-11-05", "350"],
            [ids[2], "李四", "湍东镇", "老马村", "2022-11-05", "411325199001011234"],
        ]
    )
    name = "内乡县湍东镇缴费明细" * 25 + ".csv"  # 254 characters
    checked = check_file(scratch, NEIXIANG, raw, name)
    assert [(p.row, p.column, p.reason) for p in checked.problems] == [
        (3, "姓名", "超过60个字符，请核对"),
        (4, "缴费金额", "金额过大（一行超过1,000,000元），请核对"),
    ]
    outcome = apply_import(scratch, NEIXIANG, checked, valid_only=True, user="clerk")
    assert (outcome.rows, outcome.skipped_rows) == (1, 2)
    with Session(scratch) as session:
        stored = session.exec(select(Payment).where(Payment.import_id == outcome.import_id)).one()
        record = session.get(ImportRecord, outcome.import_id)
    assert (stored.name, stored.village) == ("张三", "老马村")
    assert record is not None and record.file_name == name


def test_a_workbook_of_one_sheet_per_township_imports_every_sheet(scratch) -> None:
    header = ["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]
    ids = people(7, start=900)
    raw = xlsx_bytes(
        {
            "湍东镇": [header, *[[n, "湍东镇", "东村", "2022-11-01", 350] for n in ids[:4]]],
            "板场乡": [header, *[[n, "板场乡", "北村", "2022-11-02", 350] for n in ids[4:6]], [ids[6], "板场乡", "北村", "2022-09-01", 350]],
        }
    )  # fmt: skip
    checked = check_file(scratch, NEIXIANG, raw, "缴费.xlsx")
    assert [str(p) for p in checked.problems] == [
        "缴费.xlsx[板场乡] 第4行 “缴费日期”列：不在征缴期内（2022-10-15至2022-12-31）（值：“2022-09-01”）"
    ]
    outcome = apply_import(scratch, NEIXIANG, checked, valid_only=True)
    assert (outcome.rows, outcome.skipped_rows) == (6, 1)  # 湍东镇's row 4 stays
    assert count(scratch, Payment) == 6


def test_an_import_is_one_transaction(scratch, monkeypatch) -> None:
    raw = csv_bytes(
        [
            ["身份证号", "乡镇", "缴费日期", "缴费金额"],
            *[[n, "湍东镇", "2022-11-01", "350"] for n in people(10)],
        ]
    )
    checked = check_file(scratch, NEIXIANG, raw, "pay.csv")
    original = importing.bulk_insert

    def failing(session, table, frame, **options):
        original(session, table, frame.head(5), **options)
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "bulk_insert", failing)
    with pytest.raises(RuntimeError):
        apply_import(scratch, NEIXIANG, checked)
    assert count(scratch, Payment) == 0
    assert count(scratch, ImportRecord) == 0


def test_payments_count_distinct_people_and_overlaps_are_not_doubled(scratch) -> None:
    # The 52 094 simulated payments stored outnumber the file: its numbers are looked up.
    ids = people(30)
    do_import(scratch, payments_csv(ids[:20], "东村", "2022-11-01"), "week1.csv")
    checked, outcome = do_import(scratch, payments_csv(ids[10:], "西村", "2022-11-05"), "week2.csv")
    assert (outcome.rows, outcome.existing_rows) == (10, 10)
    # paid again on another day: said as second payments before the import as after it
    assert (checked.known_rows, checked.second_rows, outcome.second_rows) == (10, 10, 10)
    assert checked.known_note().startswith("其中10行已导入过，不会重复计入（含10行是已缴费人员")
    data = load_campaign(scratch, "neixiang")
    assert data.sources["板场乡"] == "缴费明细"
    table = standings(data, date(2022, 11, 3)).set_index("township")
    assert table.loc["板场乡", "enrolled"] == 20
    assert standings(data, date(2022, 11, 30)).set_index("township").loc["板场乡", "enrolled"] == 30


def test_rows_stored_already_are_counted_before_the_import_where_they_can_be(scratch) -> None:
    a, b, c = people(3, start=600)
    header = ["身份证号", "姓名", "乡镇", "村（社区）", "人员类别"]
    listed = [a, "甲", "板场乡", "东村", "城乡最低生活保障对象"]
    do_import(scratch, csv_bytes([header, listed]), "roster1.csv")
    # the same person in the same group is known; in another group, or another person, not
    again = [header, listed, [a, "甲", "板场乡", "东村", "监测对象"], [b, "乙", "板场乡", "东村", "监测对象"]]  # fmt: skip
    checked, outcome = do_import(scratch, csv_bytes(again), "roster2.csv")
    assert (checked.known_rows, outcome.existing_rows, outcome.rows) == (1, 1, 2)
    # a refund in the list changes which payments stand: not counted ahead, said after
    pay = [["身份证号", "乡镇", "缴费日期", "缴费金额"], [c, "板场乡", "2022-11-01", "350"]]
    do_import(scratch, csv_bytes(pay), "pay1.csv")
    back = [*pay, [c, "板场乡", "2022-11-09", "-350"], [a, "板场乡", "2022-11-09", "350"]]
    checked = check_file(scratch, NEIXIANG, csv_bytes(back), "pay2.csv")
    assert checked.importable and checked.known_rows is None and checked.known_note() == ""


def test_each_townships_source_and_a_payment_list_a_progress_report_outranks(scratch) -> None:
    # 板场乡 has a payment list and then a progress report: the report counts, and the
    # 数据导入 page says the list to 11-05 is not used; 湍东镇 has only simulated data
    ids = people(30)
    do_import(scratch, payments_csv(ids[:20], "东村", "2022-11-01"), "week1.csv")
    do_import(scratch, payments_csv(ids[20:], "西村", "2022-11-05"), "week2.csv")
    report = [["日期", "乡镇", "参保人数"], ["2022-11-08", "板场乡", 5000]]
    do_import(scratch, csv_bytes(report), "进度.csv")
    data = load_campaign(scratch, "neixiang")
    assert data.passed_over == {"板场乡": ("缴费明细", date(2022, 11, 5))}
    shown = sources_view(data).set_index("乡镇（街道）")
    assert shown.loc["板场乡"].tolist() == [
        "进度报表",
        "11月8日",
        "另有缴费明细（至11月5日）未采用：同一乡镇以进度报表为准",
    ]
    assert shown.loc["湍东镇", "参保人数来源"] == "模拟数据"
    assert (
        standings(data, date(2022, 11, 8)).set_index("township").loc["板场乡", "enrolled"] == 5000
    )


def test_a_file_larger_than_what_is_stored_is_not_doubled_either(scratch) -> None:
    # 60 000 rows against 52 094 simulated payments stored: those are read whole instead.
    n = 60_000
    days = np.datetime64("1950-01-01") + np.arange(n) // 400
    ids = make_ids("411325", days, np.arange(n) % 400).to_pylist()
    do_import(scratch, payments_csv(ids[:20], "东村", "2022-11-01"), "week1.csv")
    _, outcome = do_import(scratch, payments_csv(ids, "西村", "2022-11-05"), "week2.csv")
    assert (outcome.rows, outcome.existing_rows) == (n - 20, 20)
    assert count(scratch, Payment) == n


def test_undo_restores_what_was_there(scratch) -> None:
    before = standings(load_campaign(scratch, "neixiang"), date(2022, 11, 10))
    _, outcome = do_import(scratch, PROGRESS, "p.csv")
    record = undo_import(scratch, NEIXIANG, outcome.import_id, user="admin")
    assert record.undone_at is not None and record.undone_by == "admin"
    after = standings(load_campaign(scratch, "neixiang"), date(2022, 11, 10))
    assert after.equals(before)
    with pytest.raises(ImportRefused, match="撤销"):
        undo_import(scratch, NEIXIANG, outcome.import_id)
    again = check_file(scratch, NEIXIANG, PROGRESS, "p.csv")
    assert again.importable, "an undone file can be imported again"


def test_quota_import_and_undo_in_order(scratch) -> None:
    rows = [
        ["乡镇", "征缴任务数"],
        *[
            [t, q]
            for t, q in zip(load_campaign(scratch, "neixiang").townships, [1000] * 16, strict=True)
        ],
    ]
    _, first = do_import(scratch, csv_bytes(rows), "q1.csv")
    rows[1][1] = 2000
    _, second = do_import(scratch, csv_bytes(rows), "q2.csv")
    assert load_campaign(scratch, "neixiang").quotas["quota"].iloc[0] == 2000
    with pytest.raises(ImportRefused, match="请先撤销之后的任务表导入"):
        undo_import(scratch, NEIXIANG, first.import_id)
    with pytest.raises(ImportRefused, match="只有系统管理员可以导入或撤销"):
        undo_import(scratch, NEIXIANG, second.import_id, user="clerk", sets_quotas=False)
    assert load_campaign(scratch, "neixiang").quotas["quota"].iloc[0] == 2000
    undo_import(scratch, NEIXIANG, second.import_id)
    assert load_campaign(scratch, "neixiang").quotas["quota"].iloc[0] == 1000
    undo_import(scratch, NEIXIANG, first.import_id)
    assert load_campaign(scratch, "neixiang").quotas["quota"].iloc[0] == 62010
    assert int(load_campaign(scratch, "neixiang").quotas["quota"].sum()) == 604120


def test_undoable_imports_leave_quota_tables_to_the_admin() -> None:
    history = pd.DataFrame(
        {
            "编号": [3, 2, 1],
            "文件": ["进度.csv", "任务表.xlsx", "名单.xlsx"],
            "类型": ["进度表", "任务表", "资助名单"],
            "状态": ["有效", "有效", "已撤销（2022-11-02 10:00）"],
        }
    )
    files = {3: "进度.csv", 2: "任务表.xlsx", 1: "名单.xlsx"}
    assert importing.undoable_imports(history, sets_quotas=True) == ([3, 2], files, False)
    assert importing.undoable_imports(history, sets_quotas=False) == ([3], files, True)
    undone = history.assign(状态=["有效", "已撤销（2022-11-02 10:00）", "有效"])
    assert importing.undoable_imports(undone, sets_quotas=False) == ([3, 1], files, False)


def test_roster_coverage_unenrolled_and_subsidies(scratch) -> None:
    a, b, c, d = people(4, start=100)
    roster = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "村（社区）", "人员类别", "认定日期"],
            [a, "甲", "板场乡", "东村", "城乡最低生活保障对象", "2022-10-01"],
            [a, "甲", "板场乡", "东村", "特困人员救助供养对象", "2022-10-01"],
            [b, "乙", "板场乡", "东村", "监测对象", "2022-10-01"],
            [c, "丙", "板场乡", "西村", "一般脱贫户", "2022-12-05"],
            [d, "丁", "湍东镇", "南村", "一般脱贫户", "2022-10-01"],
        ]
    )
    pay = csv_bytes(
        [
            ["身份证号", "乡镇", "缴费日期", "缴费金额"],
            [a, "板场乡", "2022-11-01", "0"],
            [c, "板场乡", "2022-12-10", "350"],
        ]
    )
    do_import(scratch, roster, "roster.csv")
    do_import(scratch, pay, "pay.csv")
    data = load_campaign(scratch, "neixiang")
    coverage = group_coverage(data, date(2022, 12, 31), township="板场乡").set_index("group")
    assert coverage["roster_size"].to_dict() == {
        "extreme_poverty": 1,
        "minimum_living": 1,
        "monitored": 1,
        "poverty_alleviated": 1,
    }
    assert coverage["enrolled"].to_dict() == {
        "extreme_poverty": 1,
        "minimum_living": 1,
        "monitored": 0,
        "poverty_alleviated": 1,
    }
    members = roster_members(scratch, "neixiang")
    # 湍东镇's other groups keep their simulated members
    assert set(members[members["township"] == "湍东镇"]["group"]) == {
        "extreme_poverty",
        "minimum_living",
        "monitored",
        "poverty_alleviated",
    }
    members = members[members["id_number"].isin([a, b, c, d])]
    waiting = unenrolled(members, date(2022, 12, 31))
    assert list(waiting["id_number"]) == [b, d]
    table = subsidies(members, NEIXIANG, as_of=date(2022, 12, 31)).set_index("id_number")
    assert (table.loc[a, "group"], table.loc[a, "subsidy"], table.loc[a, "pays"]) == (
        "extreme_poverty",
        Decimal("350.00"),
        Decimal("0.00"),
    )
    assert (table.loc[b, "subsidy"], table.loc[b, "pays"], table.loc[b, "is_enrolled"]) == (
        Decimal("80.00"),
        Decimal("270.00"),
        False,
    )
    assert (table.loc[c, "subsidy"], table.loc[c, "reason"]) == (
        Decimal("0.00"),
        "集中缴费期结束后认定，当年不享受资助",
    )
    assert subsidy_losses(table) == [
        "名单中1人集中缴费期结束后认定，当年不享受资助；其中已参保1人，按个人缴费标准全额缴费。"
    ]
    funds = fund_totals(subsidies(members, NEIXIANG, as_of=date(2022, 12, 31)), NEIXIANG)
    assert funds.to_dict("records") == [
        {"source": "医疗救助基金", "persons": 1, "amount": Decimal("350.00")},
        {"source": "合计", "persons": 1, "amount": Decimal("350.00")},
    ]
    assert count(scratch, RosterMember) == 5


def test_payments_checked_against_what_each_member_owes(scratch) -> None:
    """Neixiang: 特困 owe 0, 低保 and 监测 270 (350 − 80), one recognised after 11-30 the full
    350. A 低保 member who paid the full 350 (the subsidy not applied where they paid) is
    owed 80 back; a 监测 member who paid 200 owes 70 more; the others paid what they owe."""
    a, b, c, d, e = people(5, start=400)
    roster = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "村（社区）", "人员类别", "认定日期"],
            [a, "甲", "板场乡", "东村", "城乡最低生活保障对象", "2022-10-01"],
            [a, "甲", "板场乡", "东村", "特困人员救助供养对象", "2022-10-01"],
            [b, "乙", "板场乡", "东村", "城乡最低生活保障对象", "2022-10-01"],
            [c, "丙", "板场乡", "西村", "监测对象", "2022-10-01"],
            [d, "丁", "板场乡", "西村", "一般脱贫户", "2022-12-05"],
            [e, "戊", "湍东镇", "南村", "一般脱贫户", "2022-10-01"],
        ]
    )
    pay = csv_bytes(
        [
            ["身份证号", "乡镇", "缴费日期", "缴费金额"],
            [a, "板场乡", "2022-11-01", "0"],
            [b, "板场乡", "2022-11-02", "350"],
            [c, "板场乡", "2022-11-03", "200"],
            [d, "板场乡", "2022-12-10", "350"],
        ]
    )
    do_import(scratch, roster, "roster.csv")
    do_import(scratch, pay, "pay.csv")
    members = roster_members(scratch, "neixiang", amounts=True)
    members = members[members["id_number"].isin([a, b, c, d, e])]
    amounts = members.drop_duplicates("id_number").set_index("id_number")["amount_fen"]
    assert pd.isna(amounts[e]), "no payment"
    assert amounts.drop(e).to_dict() == {a: 0, b: 35000, c: 20000, d: 35000}
    found = amount_mismatches(subsidies(members, NEIXIANG, as_of=date(2022, 12, 31)), members)
    assert found[["id_number", "pays", "paid", "overpaid"]].to_dict("records") == [
        {"id_number": b, "pays": Decimal("270.00"), "paid": Decimal("350.00"), "overpaid": 80},
        {"id_number": c, "pays": Decimal("270.00"), "paid": Decimal("200.00"), "overpaid": -70},
    ]
    assert mismatch_sentence(found) == (
        "已参保的名单人员中，1人多缴共80.00元，应退还；1人少缴共70.00元，应补缴。"
    )
    shown = mismatch_view(found, NEIXIANG)
    assert shown.iloc[0].to_dict() == {
        "乡镇（街道）": "板场乡",
        "村（社区）": "东村",
        "姓名": "乙",
        "身份证号": f"{b[:4]}{'*' * 10}{b[-4:]}",
        "人员类别（就高）": "城乡最低生活保障对象",
        "应缴（元）": "270.00",
        "实缴（元）": "350.00",
        "差额（元）": "+80.00",
        "处理": "多缴，应退还差额",
    }
    assert shown.iloc[1][["差额（元）", "处理"]].tolist() == ["-70.00", "少缴，应补缴差额"]
    # before the day they paid they are not enrolled: nothing to check yet
    early = amount_mismatches(subsidies(members, NEIXIANG, as_of=date(2022, 11, 1)), members)
    assert early.empty and mismatch_sentence(early) == "已参保的名单人员实缴金额均与应缴一致。"


def test_the_simulated_payments_are_what_each_member_owes(engine) -> None:
    # the sample's payments follow each county's rules (Neixiang's late-recognised pay 350)
    for code, day in (("zhashui", date(2023, 12, 20)), ("neixiang", date(2022, 12, 31))):
        members = roster_members(engine, code, amounts=True)
        people = subsidies(members, sample_policy(code), as_of=day)
        assert people["is_enrolled"].sum() > 10_000
        assert amount_mismatches(people, members).empty


def test_zhashui_sample_fund_accounting(engine) -> None:
    policy = sample_policy("zhashui")
    members = roster_members(engine, "zhashui")
    funds = fund_totals(subsidies(members, policy, as_of=date(2023, 12, 20)), policy).set_index(
        "source"
    )
    # 特困 1804 × 380 + 孤儿 35 × 380 + 低保 7983 × 190 from the assistance fund; 监测 536 × 45/29/116.
    assert funds["amount"].to_dict() == {
        "医疗救助基金": Decimal("2215590.00"),
        "省级财政": Decimal("24120.00"),
        "市级财政": Decimal("15544.00"),
        "县级财政": Decimal("62176.00"),
        "合计": Decimal("2317430.00"),
    }


def test_village_figures_from_payments(scratch) -> None:
    ids = people(5, start=300)
    rows = [["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]]
    rows += [
        [n, "板场乡", "东村" if i < 3 else "西村", "2022-11-01", "350"] for i, n in enumerate(ids)
    ]
    do_import(scratch, csv_bytes(rows), "pay.csv")
    table = village_enrolled(
        payment_villages(scratch, "neixiang", "板场乡"), "板场乡", date(2022, 11, 30)
    )
    assert table.to_dict("records") == [
        {"village": "东村", "enrolled": 3},
        {"village": "西村", "enrolled": 2},
    ]


def test_progress_is_reported_in_order(scratch) -> None:
    seen: list[tuple[float, str]] = []
    raw = csv_bytes(
        [
            ["身份证号", "乡镇", "缴费日期", "缴费金额"],
            *[[n, "湍东镇", "2022-11-01", "350"] for n in people(5, start=700)],
        ]
    )
    checked = check_file(
        scratch, NEIXIANG, raw, "pay.csv", progress=lambda f, t: seen.append((f, t))
    )
    apply_import(scratch, NEIXIANG, checked, progress=lambda f, t: seen.append((f, t)))
    fractions = [f for f, _ in seen]
    assert fractions[0] < 1 and fractions[-1] == 1.0
    assert seen[-1][1] == "已导入 5 行"
    assert any("正在写入" in t for _, t in seen) and any("更新汇总" in t for _, t in seen)


def test_an_imported_roster_replaces_the_simulated_one_of_its_township_and_group(scratch) -> None:
    zhashui = sample_policy("zhashui")
    a, b = (make_id("611026", date(1950, 3, 1 + i), 900) for i in range(2))
    day = date(2023, 12, 20)
    before = group_coverage(load_campaign(scratch, "zhashui"), day, township="营盘镇")
    roster = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "村（社区）", "人员类别"],
            [a, "甲", "营盘镇", "河陈村", "特困供养人员"],
            [b, "乙", "营盘镇", "河陈村", "特困供养人员"],
        ]
    )
    pay = csv_bytes(
        [["身份证号", "乡镇", "缴费日期", "缴费金额"], [a, "营盘镇", "2023-11-01", "0"]]
    )
    for raw, name in ((roster, "roster.csv"), (pay, "pay.csv")):
        apply_import(scratch, zhashui, check_file(scratch, zhashui, raw, name), user="clerk")
    after = group_coverage(load_campaign(scratch, "zhashui"), day, township="营盘镇")
    shown = after.set_index("group")[["roster_size", "enrolled"]]
    assert shown.loc["extreme_poverty"].to_dict() == {"roster_size": 2, "enrolled": 1}
    # the township's other groups keep their simulated figures
    others = before.set_index("group").drop("extreme_poverty")[["roster_size", "enrolled"]]
    pd.testing.assert_frame_equal(shown.drop("extreme_poverty"), others)
    members = roster_members(scratch, "zhashui", "营盘镇")
    poverty = members[members["group"] == "extreme_poverty"]
    assert sorted(poverty["id_number"]) == sorted([a, b])
    assert list(unenrolled(poverty, day)["id_number"]) == [b]
    # an imported payment list counts before simulated reports (the rule of sources.py)
    assert load_campaign(scratch, "zhashui").sources["营盘镇"] == "缴费明细"


def test_the_orphan_check_finds_a_payment_of_no_township(scratch) -> None:
    assert orphan_payments(scratch) == 0  # the simulated payments of the samples
    with scratch.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO payment (campaign_id, township_id, village, id_number, name,"
                " paid_on, amount_fen, channel, simulated)"
                " SELECT min(id), -1, '', 'x', '', :day, 0, '', false FROM campaign"
            ),
            {"day": date(2022, 11, 1)},
        )
    assert orphan_payments(scratch) == 1


def test_each_import_and_undo_leaves_the_aggregates_as_a_full_rebuild_would(scratch) -> None:
    # Each import rebuilds only the aggregates its kind of rows feeds (and adds its payments to
    # the payment aggregate); after any sequence the aggregates must equal those rebuilt from
    # every payment and roster member.
    a, b, c = people(3, start=300)
    roster = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "村（社区）", "人员类别"],
            [a, "甲", "板场乡", "东村", "城乡最低生活保障对象"],
            [b, "乙", "板场乡", "东村", "监测对象"],
            [c, "丙", "湍东镇", "南村", "一般脱贫户"],
        ]
    )
    header = ["身份证号", "乡镇", "缴费日期", "缴费金额"]
    first = csv_bytes([header, [a, "板场乡", "2022-11-01", "0"]])
    second = csv_bytes([header, [c, "湍东镇", "2022-11-03", "350"]])
    third = csv_bytes([header, [b, "板场乡", "2022-11-01", "0"]])  # adds to the first's day
    outcomes = [
        do_import(scratch, first, "pay1.csv")[1],
        do_import(scratch, roster, "roster.csv")[1],
        do_import(scratch, second, "pay2.csv")[1],
        do_import(scratch, third, "pay3.csv")[1],
    ]
    steps = [lambda: None] + [
        lambda o=o: undo_import(scratch, NEIXIANG, o.import_id) for o in outcomes
    ]
    for step in steps:
        step()
        assert orphan_payments(scratch) == 0
        assert_aggregates_as_rebuilt(scratch, "neixiang")
