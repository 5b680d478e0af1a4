"""A later list that places a stored payment or roster member in another township or village:
the later list is taken at its word, said before the import and in its summary, and undone."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from dashboard.figures import group_coverage, standings
from dashboard.importing import ImportRefused, apply_import, check_file, undo_import
from dashboard.samples import sample_policy
from dashboard.store import load_campaign, roster_members, township_payments
from data_models.tables import AuditLog, PlaceChange

from filemaker import csv_bytes, people
from invariants import (
    assert_aggregates_as_rebuilt,
    orphan_payments,
    orphan_place_changes,
    stale_held_rows,
)

NEIXIANG = sample_policy("neixiang")
HEADER = ["证件号码", "纳税人名称", "乡镇", "村", "缴款日期", "实缴金额", "电子税票号码"]
A, B, C = people(3)
DAY = date(2022, 11, 30)


def pay(number: str, township: str, village: str, *, ticket: str = "", day: str = "2022-11-01"):  # type: ignore[no-untyped-def]
    return [number, "某", township, village, day, "350", ticket]


def payments(*rows: list[object], header: list[str] = HEADER) -> bytes:
    return csv_bytes([header, *rows], "gbk")


def do_import(engine, raw: bytes, name: str):  # type: ignore[no-untyped-def]
    checked = check_file(engine, NEIXIANG, raw, name)
    assert checked.importable, [str(p) for p in checked.problems]
    return checked, apply_import(engine, NEIXIANG, checked, user="clerk")


def placed(engine) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Each of A, B and C's payment: (township, village)."""
    found = {}
    for township in ("湍东镇", "板场乡"):
        rows = township_payments(engine, "neixiang", township, paid_by=DAY)
        for number, village in rows.loc[rows["id_number"].isin([A, B, C]), ["id_number", "village"]].itertuples(index=False):  # fmt: skip
            found[number] = (township, village)
    return found


def consistent(engine) -> None:  # type: ignore[no-untyped-def]
    """No row points nowhere (nor holds rows of an import undone), and the aggregates are as
    a full rebuild makes them."""
    assert orphan_payments(engine) == 0 and orphan_place_changes(engine) == 0
    assert stale_held_rows(engine) == 0
    assert_aggregates_as_rebuilt(engine, "neixiang")


def enrolled(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    table = standings(load_campaign(engine, "neixiang"), DAY).set_index("township")
    return {t: int(table.loc[t, "enrolled"]) for t in ("湍东镇", "板场乡")}


def test_a_later_export_moves_a_stored_payment_to_another_township_until_undone(scratch) -> None:
    """Week 1 places A in 板场乡; the export from the start, a week later, in 湍东镇 (the tax
    system corrected it). A counts in 湍东镇 from then on, said before and after the import;
    undoing week 2 puts A back, and week 1 is undone only after week 2."""
    _, first = do_import(
        scratch, payments(pay(A, "板场乡", "王营村"), pay(B, "板场乡", "王营村")), "第1周.csv"
    )
    before = enrolled(scratch)
    checked, second = do_import(
        scratch,
        payments(pay(A, "湍东镇", "城西村"), pay(B, "板场乡", "王营村"), pay(C, "湍东镇", "")),
        "第2周.csv",
    )
    assert checked.parsed is not None and checked.parsed.notes[-1] == (
        "1行是之前导入过的人员，本文件所列的乡镇或村与之前不同：导入后改按本文件计入"
        "（板场乡→湍东镇1行；撤销本次导入可恢复）"
    )
    assert second.summary() == (
        f"已导入缴费明细（第{second.import_id}号）：1行；已存在未重复计入2行；"
        "其中1行改按本文件的乡镇或村计入；有问题未导入0行。"
    )
    assert placed(scratch) == {A: ("湍东镇", "城西村"), B: ("板场乡", "王营村"), C: ("湍东镇", "")}
    assert enrolled(scratch) == {"湍东镇": 2, "板场乡": before["板场乡"] - 1}
    consistent(scratch)
    with Session(scratch) as session:
        entry = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        assert (
            entry is not None and json.loads(entry.after or "{}")["改按本文件的乡镇或村计入"] == 1
        )

    with pytest.raises(ImportRefused) as refused:
        undo_import(scratch, NEIXIANG, first.import_id, user="clerk")
    later = f"第{second.import_id}号"
    assert str(refused.value) == (
        f"之后的导入（{later}）改变了第{first.import_id}号导入人员的所属乡镇或村：请先撤销{later}导入"
    )
    undo_import(scratch, NEIXIANG, second.import_id, user="clerk")
    assert placed(scratch) == {A: ("板场乡", "王营村"), B: ("板场乡", "王营村")}
    assert enrolled(scratch)["板场乡"] == before["板场乡"]
    consistent(scratch)
    undo_import(scratch, NEIXIANG, first.import_id, user="clerk")
    with Session(scratch) as session:
        assert session.exec(select(func.count()).select_from(PlaceChange)).one() == 0


def test_a_village_is_changed_only_where_the_later_list_gives_one(scratch) -> None:
    """A list without a village column keeps the stored villages; one that names another
    village in the same township moves the payment there."""
    do_import(
        scratch, payments(pay(A, "板场乡", "王营村"), pay(B, "板场乡", "王营村")), "第1周.csv"
    )
    no_village = [c for c in HEADER if c != "村"]
    checked, outcome = do_import(
        scratch,
        payments(
            *([n, "某", "板场乡", "2022-11-01", "350", ""] for n in (A, B)), header=no_village
        ),
        "无村.csv",
    )
    assert outcome.moved == 0 and placed(scratch) == {
        A: ("板场乡", "王营村"),
        B: ("板场乡", "王营村"),
    }
    checked, outcome = do_import(
        scratch, payments(pay(A, "板场乡", "王营村"), pay(B, "板场乡", "东庄村")), "第2周.csv"
    )
    assert checked.parsed is not None and checked.parsed.notes[-1] == (
        "1行是之前导入过的人员，本文件所列的乡镇或村与之前不同：导入后改按本文件计入"
        "（1行只是村不同；撤销本次导入可恢复）"
    )
    assert outcome.moved == 1 and placed(scratch)[B] == ("板场乡", "东庄村")


def test_a_second_payment_elsewhere_moves_nothing(scratch) -> None:
    """Another payment of the person (another day, or another ticket), listed in another
    township, is a second payment: the one that stands stays where it was."""
    do_import(
        scratch, payments(pay(A, "板场乡", "王营村", ticket="332016221100000001")), "第1周.csv"
    )
    checked, outcome = do_import(
        scratch,
        payments(
            pay(A, "板场乡", "王营村", ticket="332016221100000001"),
            pay(A, "湍东镇", "城西村", ticket="332016221100000002"),
        ),
        "第2周.csv",
    )
    assert (outcome.moved, outcome.second_rows) == (0, 1)
    assert placed(scratch) == {A: ("板场乡", "王营村")}
    # the same ticket exported again on another day in another township is the payment stored
    _, outcome = do_import(
        scratch,
        payments(pay(A, "湍东镇", "城西村", ticket="332016221100000001", day="2022-11-02")),
        "第3周.csv",
    )
    assert outcome.moved == 1 and placed(scratch) == {A: ("湍东镇", "城西村")}


def test_a_payment_moved_twice_is_set_back_one_import_at_a_time(scratch) -> None:
    do_import(scratch, payments(pay(A, "板场乡", "王营村")), "第1周.csv")
    _, second = do_import(scratch, payments(pay(A, "湍东镇", "城西村")), "第2周.csv")
    _, third = do_import(scratch, payments(pay(A, "板场乡", "东庄村")), "第3周.csv")
    assert placed(scratch) == {A: ("板场乡", "东庄村")}
    consistent(scratch)
    with pytest.raises(ImportRefused, match=f"之后的导入（第{third.import_id}号）改变了"):
        undo_import(scratch, NEIXIANG, second.import_id, user="clerk")
    undo_import(scratch, NEIXIANG, third.import_id, user="clerk")
    assert placed(scratch) == {A: ("湍东镇", "城西村")}
    undo_import(scratch, NEIXIANG, second.import_id, user="clerk")
    assert placed(scratch) == {A: ("板场乡", "王营村")}


ROSTER = ["身份证号", "姓名", "乡镇", "村", "人员类别"]


def test_a_roster_member_listed_in_another_township_moves_there(scratch) -> None:
    """December's roster lists A, 监测对象 in 板场乡 in November, in 湍东镇: A leaves 板场乡's
    group and its list of people to enrol, and joins 湍东镇's; undone, A is back."""

    def monitored(township: str) -> int:
        coverage = group_coverage(load_campaign(scratch, "neixiang"), DAY, township=township)
        return int(coverage.set_index("group").loc["monitored", "roster_size"])

    def members(township: str) -> list[str]:
        rows = roster_members(scratch, "neixiang", township)
        return sorted(rows.loc[rows["id_number"].isin([A, B]), "id_number"])

    november = [ROSTER, [A, "甲", "板场乡", "王营村", "监测对象"], [B, "乙", "板场乡", "王营村", "监测对象"]]  # fmt: skip
    do_import(scratch, csv_bytes(november, "gbk"), "11月名单.csv")
    sizes = monitored("板场乡"), monitored("湍东镇")
    december = [ROSTER, [A, "甲", "湍东镇", "城西村", "监测对象"], [B, "乙", "板场乡", "王营村", "监测对象"]]  # fmt: skip
    checked, outcome = do_import(scratch, csv_bytes(december, "gbk"), "12月名单.csv")
    assert checked.parsed is not None and "板场乡→湍东镇1行" in checked.parsed.notes[-1]
    assert outcome.moved == 1
    assert members("板场乡") == [B] and members("湍东镇") == [A]
    # 湍东镇 has an imported member now: its simulated roster is left out, as everywhere
    assert sizes[0] == 2 and (monitored("板场乡"), monitored("湍东镇")) == (1, 1)
    consistent(scratch)
    undo_import(scratch, NEIXIANG, outcome.import_id, user="clerk")
    assert members("板场乡") == [A, B] and members("湍东镇") == []
    assert (monitored("板场乡"), monitored("湍东镇")) == sizes
    consistent(scratch)


def test_a_member_moved_then_struck_off_is_put_back_where_each_undo_found_it(scratch) -> None:
    """November's roster lists A in 板场乡, December's in 湍东镇, January's says A has died.
    December is undone only after January; January's undo puts A back in 湍东镇, under the
    id December's move knows, and December's then back in 板场乡."""
    status = [*ROSTER, "人员状态"]

    def roster(township: str, village: str, state: str = "在册") -> bytes:
        return csv_bytes([status, [A, "甲", township, village, "监测对象", state]], "gbk")

    def where() -> list[tuple[str, str]]:
        rows = roster_members(scratch, "neixiang")
        return [tuple(r) for r in rows.loc[rows["id_number"] == A, ["township", "village"]].to_numpy()]  # fmt: skip

    do_import(scratch, roster("板场乡", "王营村"), "11月名单.csv")
    _, december = do_import(scratch, roster("湍东镇", "城西村"), "12月名单.csv")
    _, january = do_import(scratch, roster("湍东镇", "城西村", "死亡"), "1月名单.csv")
    assert january.struck == 1 and where() == []
    with pytest.raises(ImportRefused) as refused:
        undo_import(scratch, NEIXIANG, december.import_id, user="clerk")
    later = f"第{january.import_id}号"
    assert str(refused.value) == (
        f"之后的导入（{later}）把第{december.import_id}号导入改过乡镇或村的人员移出了名单"
        f"（死亡、注销等）：请先撤销{later}导入"
    )
    undo_import(scratch, NEIXIANG, january.import_id, user="clerk")
    assert where() == [("湍东镇", "城西村")]
    undo_import(scratch, NEIXIANG, december.import_id, user="clerk")
    assert where() == [("板场乡", "王营村")]
    consistent(scratch)


def test_a_member_struck_off_before_ids_were_kept_is_put_back_under_a_new_one(scratch) -> None:
    """A member struck off by 0.9.15, before migration 0015 kept its id, is put back all the
    same."""
    status = [*ROSTER, "人员状态"]
    listed = [status, [A, "甲", "板场乡", "王营村", "监测对象", "在册"]]
    do_import(scratch, csv_bytes(listed, "gbk"), "11月名单.csv")
    died = [status, [A, "甲", "板场乡", "王营村", "监测对象", "死亡"]]
    _, outcome = do_import(scratch, csv_bytes(died, "gbk"), "12月名单.csv")
    with scratch.begin() as connection:
        connection.execute(text("UPDATE struckmember SET member_id = NULL"))
    undo_import(scratch, NEIXIANG, outcome.import_id, user="clerk")
    rows = roster_members(scratch, "neixiang", "板场乡")
    assert list(rows.loc[rows["id_number"] == A, "village"]) == ["王营村"]
