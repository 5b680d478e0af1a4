"""Second payments to pay back (重复缴费): the list read from the database, its figures as of
a day, and the 重复缴费 page as a clerk and as township staff see it."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.cli import run
from dashboard.db import make_engine
from dashboard.importing import apply_import, check_file
from dashboard.repeat_list import (
    Refunds,
    has_payment_lists,
    refund_totals,
    refunds_by_township,
    second_payment_list,
    second_payments_on,
    select_seconds,
)
from dashboard.repeat_views import refund_summary_view, second_payments_view
from dashboard.samples import sample_policy

from apptest import start, table
from filemaker import csv_bytes, people

NEIXIANG = sample_policy("neixiang")
HEADER = ["证件号码", "纳税人名称", "乡镇", "村", "缴款日期", "实缴金额"]
A, B, C, D = people(4, start=200)


def pay(number: str, day: str, amount: str = "350", where: str = "板场乡") -> list[object]:
    name = {A: "甲", B: "乙", C: "丙", D: "丁"}[number]
    return [number, name, where, "东岗村" if where == "板场乡" else "城南社区", day, amount]


def do_import(engine, name: str, *rows: list[object]) -> None:  # type: ignore[no-untyped-def]
    checked = check_file(engine, NEIXIANG, csv_bytes([HEADER, *rows], "gbk"), name)
    assert checked.importable, [str(p) for p in checked.problems]
    apply_import(engine, NEIXIANG, checked, user="clerk")


@pytest.fixture
def paid_twice(scratch):  # type: ignore[no-untyped-def]
    """B (板场乡) paid on 11-01 and again on 11-08, paid back on 11-15; D (湍东镇) paid 350
    and 270 in one list, neither paid back; A and C paid once."""
    do_import(scratch, "第1周.csv", pay(A, "2022-11-01"), pay(B, "2022-11-01"))
    do_import(
        scratch,
        "第2周.csv",
        pay(B, "2022-11-08"),
        pay(C, "2022-11-08"),
        pay(D, "2022-11-09", "270", "湍东镇"),
        pay(D, "2022-11-06", "350", "湍东镇"),
    )
    do_import(scratch, "第3周.csv", pay(B, "2022-11-15", "-350"))
    return scratch


def test_the_list_places_each_second_payment_beside_the_payment_that_stands(paid_twice) -> None:
    listed = second_payment_list(paid_twice, "neixiang")
    assert listed.to_dict("records") == [
        {
            "township": "湍东镇",
            "village": "城南社区",
            "name": "丁",
            "id_number": D,
            "stood_on": date(2022, 11, 6),
            "stood_amount": 35000,
            "paid_on": date(2022, 11, 9),
            "amount_fen": 27000,
            "voucher": "",
            "refunded_on": None,
        },
        {
            "township": "板场乡",
            "village": "东岗村",
            "name": "乙",
            "id_number": B,
            "stood_on": date(2022, 11, 1),
            "stood_amount": 35000,
            "paid_on": date(2022, 11, 8),
            "amount_fen": 35000,
            "voucher": "",
            "refunded_on": date(2022, 11, 15),
        },
    ]
    assert list(second_payment_list(paid_twice, "neixiang", "板场乡")["id_number"]) == [B]
    assert second_payment_list(paid_twice, "neixiang", "赤眉镇").empty
    assert second_payment_list(paid_twice, "zhashui").empty


def test_which_townships_have_an_imported_payment_list(paid_twice) -> None:
    assert has_payment_lists(paid_twice, "neixiang")
    assert has_payment_lists(paid_twice, "neixiang", "板场乡")
    assert not has_payment_lists(paid_twice, "neixiang", "赤眉镇")
    assert not has_payment_lists(paid_twice, "dongming")  # simulated payments only


def test_figures_as_of_a_day(paid_twice) -> None:
    listed = second_payment_list(paid_twice, "neixiang")
    assert second_payments_on(listed, date(2022, 11, 7)).empty
    on_10th = second_payments_on(listed, date(2022, 11, 10))
    assert refund_totals(on_10th) == Refunds(2, 2, 62000, 2, 62000, 0, 0)
    on_15th = second_payments_on(listed, date(2022, 11, 15))
    assert refund_totals(on_15th) == Refunds(2, 2, 62000, 1, 27000, 1, 35000)
    assert refunds_by_township(on_15th) == [
        ("湍东镇", Refunds(1, 1, 27000, 1, 27000, 0, 0)),
        ("板场乡", Refunds(1, 1, 35000, 0, 0, 1, 35000)),
    ]
    assert list(select_seconds(on_15th, refunded=True)["id_number"]) == [B]
    assert list(select_seconds(on_15th, township="湍东镇", refunded=False)["id_number"]) == [D]
    assert select_seconds(on_15th, township="板场乡", refunded=False).empty
    # the list itself is left as read
    assert listed["refunded_on"].notna().sum() == 1


def test_a_person_whose_payments_were_all_paid_back_is_still_listed(paid_twice) -> None:
    do_import(paid_twice, "第4周.csv", pay(B, "2022-11-20", "-350"))
    listed = second_payment_list(paid_twice, "neixiang", "板场乡")
    assert listed[["id_number", "stood_on", "refunded_on"]].values.tolist() == [
        [B, date(2022, 11, 1), date(2022, 11, 15)]
    ]


def test_a_second_payment_standing_in_place_of_one_paid_back_is_not_listed(scratch) -> None:
    # B paid 350, then 270 (the subsidised amount); the 350 was paid back: the 270 stands now
    do_import(scratch, "第1周.csv", pay(B, "2022-11-01"))
    do_import(scratch, "第2周.csv", pay(B, "2022-11-08", "270"))
    assert len(second_payment_list(scratch, "neixiang")) == 1
    do_import(scratch, "第3周.csv", pay(B, "2022-11-15", "-350"))
    assert second_payment_list(scratch, "neixiang").empty


def test_the_tables_read_in_yuan_with_ids_masked(paid_twice) -> None:
    on_15th = second_payments_on(second_payment_list(paid_twice, "neixiang"), date(2022, 11, 15))
    summary = refund_summary_view(refunds_by_township(on_15th), refund_totals(on_15th))
    assert summary.values.tolist() == [
        ["湍东镇", "1", "1", "270.00", "1", "270.00", "0", "0.00"],
        ["板场乡", "1", "1", "350.00", "0", "0.00", "1", "350.00"],
        ["合计", "2", "2", "620.00", "1", "270.00", "1", "350.00"],
    ]
    shown = second_payments_view(on_15th)
    assert shown.iloc[1].tolist() == [
        "板场乡",
        "东岗村",
        "乙",
        f"{B[:4]}**********{B[-4:]}",
        "2022-11-01",
        "350.00",
        "2022-11-08",
        "350.00",
        "已退费（11月15日）",
    ]
    assert second_payments_view(on_15th, full_ids=True).iloc[0]["身份证号"] == D
    assert shown.iloc[0]["退费情况"] == "待退费"


def test_the_page_as_a_clerk_sees_it(paid_twice, scratch_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("clerk", county="neixiang")
    at.switch_page("../pages/repeats.py").run()
    assert not at.exception
    assert at.title[0].value == "内乡县重复缴费与退费"
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics == {
        "重复缴费人数": ("2", "2笔，620.00元"),
        "待退费（元）": ("270.00", "1笔"),
        "已退费（元）": ("350.00", "1笔"),
    }
    assert table(at, "待退费笔数").iloc[-1].tolist()[0] == "合计"
    listed = table(at, "退费情况")
    assert listed["身份证号"].tolist() == [D, B]  # a clerk corrects records: full numbers
    at.selectbox(key="repeats_state").set_value(False).run()
    assert table(at, "退费情况")["姓名"].tolist() == ["丁"]
    assert "共1笔。" in [c.value for c in at.caption]
    assert [b.label for b in at.download_button][-2:] == ["下载重复缴费名单（Excel）", "下载 CSV"]


def test_township_staff_see_their_own_with_ids_masked(paid_twice, scratch_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("township", county="neixiang", township="板场乡")
    at.switch_page("../pages/repeats.py").run()
    assert not at.exception
    assert at.title[0].value == "内乡县板场乡重复缴费与退费"
    assert {m.label: m.value for m in at.metric}["已退费（元）"] == "350.00"
    assert "各乡镇重复缴费情况" not in [h.value for h in at.subheader]
    listed = table(at, "退费情况")
    assert listed["身份证号"].tolist() == [f"{B[:4]}**********{B[-4:]}"]
    assert "湍东镇" not in str(at.selectbox(key="repeats_township").options)
    other = start("township", county="neixiang", township="赤眉镇")
    other.switch_page("../pages/repeats.py").run()
    assert other.info[-1].value.startswith("赤眉镇本年度尚未导入缴费明细")


def test_before_any_second_payment_the_page_says_there_is_none(
    paid_twice, scratch_url, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("leader", county="neixiang")
    at.date_input(key="as_of_neixiang").set_value(date(2022, 11, 7)).run()
    at.switch_page("../pages/repeats.py").run()
    assert not at.exception
    assert at.info[-1].value == "截至2022年11月7日，本县没有重复缴费记录。"
    assert not at.metric


def test_without_a_payment_list_the_page_says_so(app_env) -> None:
    # the sample's payments are simulated: no list was imported to find second payments in
    at = start("leader", county="dongming")
    at.switch_page("../pages/repeats.py").run()
    assert not at.exception
    assert at.info[-1].value.startswith("本县本年度尚未导入缴费明细（税务部门导出的缴费名单）")
    assert any("重复缴费按规定办理退费" in c.value for c in at.caption)


def test_a_refund_list_imported_with_the_list_it_pays_back(
    scratch_url, monkeypatch, tmp_path, capsys
) -> None:
    # weeks of a tax export imported at once: week 2's refund pays back a payment of week 1
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    week1 = tmp_path / "第1周.csv"
    week1.write_bytes(
        csv_bytes([HEADER, pay(A, "2022-11-01"), pay(B, "2022-11-01"), pay(B, "2022-11-03")], "gbk")
    )
    week2 = tmp_path / "第2周.csv"
    week2.write_bytes(
        csv_bytes([HEADER, pay(B, "2022-11-10", "-350"), pay(C, "2022-11-10")], "gbk")
    )
    stray = tmp_path / "退费.csv"
    stray.write_bytes(csv_bytes([HEADER, pay(D, "2022-11-10", "-350")], "gbk"))
    # the other way round, or a refund of nobody's payment: refused, nothing written; the
    # other way round says which file to put first
    for files, hint in (
        ([week2, week1], f"提示：{week2}的退费记录冲抵{week1}中的缴费：请把该文件放在本文件之前"),
        ([week1, week2, stray], None),
    ):
        assert run(["import", "--county", "neixiang", *map(str, files)]) == 2
        err = capsys.readouterr().err
        assert "所有文件均未写入" in err and "退费记录找不到可冲抵的缴费" in err
        assert (hint in err) if hint else "提示" not in err
    assert run(["import", "--county", "neixiang", str(week1), str(week2)]) == 0
    out = capsys.readouterr().out
    assert "第2周.csv：已导入缴费明细（第2号）：2行" in out
    assert "注意：1行退费记录冲抵之前导入的同一人、同金额的重复缴费" in out
    listed = second_payment_list(make_engine(scratch_url), "neixiang")
    assert listed[["id_number", "paid_on", "refunded_on"]].values.tolist() == [
        [B, date(2022, 11, 3), date(2022, 11, 10)]
    ]


@pytest.mark.parametrize("refunds_first", [False, True])
def test_the_import_page_says_a_refund_list_waits_for_another_upload(
    scratch_url, monkeypatch, refunds_first: bool
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("clerk", county="neixiang")
    at.switch_page("../pages/imports.py").run()
    week1 = csv_bytes([HEADER, pay(A, "2022-11-01"), pay(B, "2022-11-01")], "gbk")
    week2 = csv_bytes([HEADER, pay(B, "2022-11-10", "-350")], "gbk")
    files = [("第1周.csv", week1, "text/csv"), ("第2周.csv", week2, "text/csv")]
    at.file_uploader[0].set_value(files[::-1] if refunds_first else files).run()
    assert not at.exception and not at.error
    waits = "本文件的退费记录冲抵同批文件第1周.csv中的缴费：请先导入该文件，之后本文件重新检查即可导入。"
    assert waits in [w.value for w in at.warning]
    buttons = [b for b in at.button if b.label == "导入"]
    assert [b.disabled for b in buttons] == ([True, False] if refunds_first else [False, True])
    [b for b in buttons if not b.disabled][0].click().run()
    assert waits not in [w.value for w in at.warning]
    buttons = [b for b in at.button if b.label == "导入"]
    assert [b.disabled for b in buttons] == [False]
    buttons[0].click().run()
    assert [s.value for s in at.success][-1].startswith("已导入缴费明细（第2号）：1行；")


def test_a_waiting_file_that_still_fails_stops_the_batch_there(
    scratch_url, monkeypatch, tmp_path, capsys
) -> None:
    # two refund lists pay back one payment of week 1: the first goes in after week 1, the
    # second, checked again, has nothing left to pay back; what went in is said, and stays
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    files = {
        "第1周.csv": [pay(A, "2022-11-01"), pay(B, "2022-11-01")],
        "退费1.csv": [pay(B, "2022-11-05", "-350")],
        "退费2.csv": [pay(B, "2022-11-06", "-350")],
    }
    paths = []
    for name, rows in files.items():
        (path := tmp_path / name).write_bytes(csv_bytes([HEADER, *rows], "gbk"))
        paths.append(str(path))
    assert run(["import", "--county", "neixiang", *paths]) == 2
    out, err = capsys.readouterr()
    assert (
        "第1周.csv：已导入缴费明细（第1号）" in out and "退费1.csv：已导入缴费明细（第2号）" in out
    )
    assert (
        f"未导入：{paths[2]}在{paths[0]}导入之后复查仍有问题，本文件及之后的文件均未写入"
        "（之前的文件已导入，可撤销）。"
    ) in err
    assert "此人的缴费已于2022-11-05退费" in err


def test_the_township_page_says_what_is_still_to_be_paid_back(
    paid_twice, scratch_url, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    shown, links = {}, {}
    for township in ("湍东镇", "板场乡"):
        at = start("township", county="neixiang", township=township)
        at.switch_page("../pages/township.py").run()
        assert not at.exception
        shown[township] = [w.value for w in at.warning if "重复缴费" in w.value]
        links[township] = [
            (link.proto.label, link.proto.page)
            for link in at.get("page_link")
            if link.proto.page == "repeats"
        ]
    assert shown == {
        "湍东镇": ["湍东镇有1笔重复缴费待退费，共270.00元，名单见“重复缴费”页。"],
        "板场乡": [],  # B's was paid back
    }
    assert links == {"湍东镇": [("查看湍东镇重复缴费人员名单", "repeats")], "板场乡": []}
    # where the link leads: the list opened on 湍东镇 (a clerk's, who sees every township)
    clerk = start("clerk", county="neixiang")
    clerk.query_params["township"] = "湍东镇"
    clerk.switch_page("../pages/repeats.py").run()
    assert clerk.selectbox(key="repeats_township").value == "湍东镇"
    assert set(table(clerk, "退费情况")["乡镇（街道）"]) == {"湍东镇"}
