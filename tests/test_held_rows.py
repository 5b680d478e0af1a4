"""Rows a later file lists again, stored already by an earlier import: the earlier import is
undone only after the later one, which would otherwise lose them (HeldRows)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session, col, select

from dashboard.figures import standings
from dashboard.held_rows import held_counts, imports_named
from dashboard.importing import ImportRefused, apply_import, check_file, undo_import
from dashboard.samples import sample_policy
from dashboard.store import load_campaign
from data_models.tables import AuditLog, HeldRows

from filemaker import csv_bytes, people
from invariants import assert_aggregates_as_rebuilt, orphan_payments

NEIXIANG = sample_policy("neixiang")
ZHASHUI = sample_policy("zhashui")
A, B, C = people(3)
PAYMENTS = ["证件号码", "纳税人名称", "乡镇", "缴款日期", "实缴金额"]
ROSTER = ["身份证号", "姓名", "乡镇", "人员类别"]


def pay(number: str, day: str = "2022-11-01") -> list[object]:
    return [number, "某", "板场乡", day, "350"]


def do_import(engine, policy, rows: list[list[object]], name: str):  # type: ignore[no-untyped-def]
    checked = check_file(engine, policy, csv_bytes(rows, "gbk"), name)
    assert checked.importable, [str(p) for p in checked.problems]
    return apply_import(engine, policy, checked, user="clerk")


def held(engine) -> dict[tuple[int, int], int]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return {(h.import_id, h.earlier_import_id): h.rows for h in session.exec(select(HeldRows))}


def enrolled(engine) -> int:  # type: ignore[no-untyped-def]
    table = standings(load_campaign(engine, "neixiang"), date(2022, 11, 30))
    return int(table.set_index("township").loc["板场乡", "enrolled"])


def known_note(rows: int, *imports: int) -> str:
    numbers = "、".join(f"第{n}号" for n in imports)
    return f"其中{rows}行已导入过（{numbers}导入），不会重复计入。"


def undone_in_order(engine, policy, earlier: int, later: int) -> None:  # type: ignore[no-untyped-def]
    """The earlier import is refused while the later one stands; then both are undone, the
    later first, and no held rows are left."""
    with pytest.raises(ImportRefused) as refused:
        undo_import(engine, policy, earlier, user="clerk")
    assert str(refused.value) == refusal(earlier, later)
    undo_import(engine, policy, later, user="clerk")
    undo_import(engine, policy, earlier, user="clerk")
    assert held(engine) == {}


def refusal(this: int, *later: int) -> str:
    numbers = "、".join(f"第{n}号" for n in later)
    return (
        f"之后的导入（{numbers}）也列有第{this}号导入的数据（当时已存在，未重复计入），"
        f"撤销第{this}号会使这些数据一并丢失：请先撤销{numbers}导入"
    )


def test_held_counts_count_the_rows_of_each_import_and_skip_simulated_ones() -> None:
    holders = pd.Series([3, None, 3, 5], dtype="Int64")
    assert held_counts(holders) == {3: 2, 5: 1}
    assert held_counts([None, 7, None]) == {7: 1}
    assert held_counts([]) == {}


def test_a_payment_list_sent_again_from_the_start_keeps_its_rows_through_undo(scratch) -> None:
    """Week 1 stores A and B; the export from the campaign's start a week later lists them
    again with C. Undoing week 1 first would leave week 2 without A and B: refused; undone in
    order, week 2 imported again stores all three itself."""
    week1 = do_import(scratch, NEIXIANG, [PAYMENTS, pay(A), pay(B)], "第1周.csv")
    since_start = [PAYMENTS, pay(A), pay(B), pay(C, "2022-11-08")]
    checked = check_file(scratch, NEIXIANG, csv_bytes(since_start, "gbk"), "截至第2周.csv")
    assert checked.known_note() == known_note(2, week1.import_id)
    week2 = do_import(scratch, NEIXIANG, since_start, "截至第2周.csv")
    assert (week2.rows, week2.existing_rows) == (1, 2)
    assert held(scratch) == {(week2.import_id, week1.import_id): 2}
    with Session(scratch) as session:  # the audit log says whose rows they are
        entry = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        assert entry is not None and entry.action == "import"
        assert json.loads(entry.after or "{}")["已存在的数据所属导入"] == {
            f"第{week1.import_id}号": 2
        }
    with pytest.raises(ImportRefused) as refused:
        undo_import(scratch, NEIXIANG, week1.import_id, user="clerk")
    assert str(refused.value) == refusal(week1.import_id, week2.import_id)
    assert enrolled(scratch) == 3  # nothing changed (counted from the lists)

    undo_import(scratch, NEIXIANG, week2.import_id, user="clerk")
    assert held(scratch) == {} and enrolled(scratch) == 2
    undo_import(scratch, NEIXIANG, week1.import_id, user="clerk")
    again = do_import(scratch, NEIXIANG, since_start, "截至第2周.csv")
    assert (again.rows, again.existing_rows, held(scratch)) == (3, 0, {})
    assert enrolled(scratch) == 3
    assert orphan_payments(scratch) == 0
    assert_aggregates_as_rebuilt(scratch, "neixiang")


def test_a_second_payment_is_the_later_lists_own_not_a_row_held(scratch) -> None:
    """The later list holds A's payment again and a second payment of A: only the first is
    week 1's row; the second is kept as the later list's own (重复缴费)."""
    week1 = do_import(scratch, NEIXIANG, [PAYMENTS, pay(A)], "第1周.csv")
    week2 = do_import(
        scratch, NEIXIANG, [PAYMENTS, pay(A), pay(A, "2022-11-05"), pay(B)], "截至第2周.csv"
    )
    assert week2.second_rows == 1
    assert held(scratch) == {(week2.import_id, week1.import_id): 1}


def test_a_second_payment_listed_again_is_held_by_the_import_that_kept_it(scratch) -> None:
    """Week 2 keeps A's second payment (and nothing else new); the export a week later lists
    both of A's payments again: the first is week 1's row, the second week 2's, so week 2 is
    undone only after it too, or the second payment to pay back would be gone."""
    week1 = do_import(scratch, NEIXIANG, [PAYMENTS, pay(A)], "第1周.csv")
    twice = [PAYMENTS, pay(A), pay(A, "2022-11-05")]
    week2 = do_import(scratch, NEIXIANG, twice, "截至第2周.csv")
    assert (week2.rows, week2.existing_rows, week2.second_rows) == (0, 2, 1)
    week3 = do_import(scratch, NEIXIANG, [*twice, pay(B)], "截至第3周.csv")
    assert (week3.rows, week3.existing_rows, week3.second_rows) == (1, 2, 0)
    assert held(scratch) == {
        (week2.import_id, week1.import_id): 1,
        (week3.import_id, week1.import_id): 1,
        (week3.import_id, week2.import_id): 1,
    }
    with pytest.raises(ImportRefused) as refused:
        undo_import(scratch, NEIXIANG, week2.import_id, user="clerk")
    assert str(refused.value) == refusal(week2.import_id, week3.import_id)


def test_a_file_listing_rows_of_two_earlier_imports_waits_for_both(scratch) -> None:
    first = do_import(scratch, NEIXIANG, [PAYMENTS, pay(A)], "1.csv")
    second = do_import(scratch, NEIXIANG, [PAYMENTS, pay(B)], "2.csv")
    checked = check_file(scratch, NEIXIANG, csv_bytes([PAYMENTS, pay(A), pay(B)]), "3.csv")
    assert checked.known_note() == known_note(2, first.import_id, second.import_id)
    both = do_import(scratch, NEIXIANG, [PAYMENTS, pay(A), pay(B), pay(C)], "3.csv")
    assert held(scratch) == {(both.import_id, first.import_id): 1, (both.import_id, second.import_id): 1}  # fmt: skip
    for earlier in (first, second):
        with pytest.raises(ImportRefused) as refused:
            undo_import(scratch, NEIXIANG, earlier.import_id, user="clerk")
        assert str(refused.value) == refusal(earlier.import_id, both.import_id)


def test_a_roster_sent_again_waits_for_its_later_copy(scratch) -> None:
    november = do_import(scratch, NEIXIANG, [ROSTER, [A, "甲", "板场乡", "监测对象"]], "11月.csv")
    december_rows = [ROSTER, [A, "甲", "板场乡", "监测对象"], [B, "乙", "板场乡", "监测对象"]]
    checked = check_file(scratch, NEIXIANG, csv_bytes(december_rows), "12月.csv")
    assert checked.known_note() == known_note(1, november.import_id)
    december = do_import(scratch, NEIXIANG, december_rows, "12月.csv")
    assert (december.rows, december.existing_rows) == (1, 1)
    assert held(scratch) == {(december.import_id, november.import_id): 1}
    undone_in_order(scratch, NEIXIANG, november.import_id, december.import_id)


def test_a_progress_reports_figures_held_count_its_special_groups(scratch) -> None:
    """Zhashui's village row of a day sent again with its special group's figure, and a new
    day: the township figure and the group's are the first file's (two held)."""
    header = ["日期", "乡镇", "村（社区）", "参保人数", "特困人员参保人数"]
    day1 = ["2023-11-01", "营盘镇", "东村", 500, 10]
    first = do_import(scratch, ZHASHUI, [header, day1], "a.csv")
    checked = check_file(scratch, ZHASHUI, csv_bytes([header, day1]), "a2.csv")
    assert checked.known_note() == known_note(1, first.import_id)
    second = do_import(scratch, ZHASHUI, [header, day1, ["2023-11-08", "营盘镇", "东村", 520, 11]], "b.csv")  # fmt: skip
    assert (second.rows, second.existing_rows) == (1, 1)
    assert held(scratch) == {(second.import_id, first.import_id): 2}
    undone_in_order(scratch, ZHASHUI, first.import_id, second.import_id)


def test_the_imports_holding_the_rows_are_named_three_at_most() -> None:
    assert imports_named(()) == ""
    assert imports_named((4,)) == "（第4号导入）"
    assert imports_named((1, 2, 3)) == "（第1号、第2号、第3号导入）"
    assert imports_named((1, 2, 3, 5, 8)) == "（第1号、第2号、第3号等5次导入）"
