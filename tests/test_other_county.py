"""A file of another county, given while the county selected is not its own: said once, with
the county to choose, before the townships not of this county row by row."""

from __future__ import annotations

from dashboard.cli import run
from dashboard.importing import check_file
from dashboard.samples import SAMPLE_DIR, sample_policy

from apptest import start, table
from filemaker import csv_bytes, people

NEIXIANG = sample_policy("neixiang")
HINT = (
    "文件中的乡镇都是东明县的，不是内乡县的：这是东明县的数据？导入东明县，"
    "请先在侧栏“县（区）”中选择东明县（命令行用 --county dongming）"
)
DONGMING_QUOTAS = (SAMPLE_DIR / "dongming" / "quota.csv").read_bytes()
PAYMENTS = ["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]
DONGMING_PAYMENTS = csv_bytes(
    [PAYMENTS]
    + [[n, "渔沃街道", "东村", "2023-10-09", "380"] for n in people(2)]
    + [[n, "陆圈镇", "西村", "2023-10-10", "380"] for n in people(2, start=2)]
)


def test_another_countys_quota_table_names_the_county_first(engine) -> None:
    problems = check_file(engine, NEIXIANG, DONGMING_QUOTAS, "东明县任务表.csv").problems
    first = problems[0]
    assert (first.row, first.column, first.value, first.reason) == (
        None,
        "乡镇（街道）",
        "城关街道、渔沃街道、沙窝镇等14个",
        HINT,
    )
    assert any(p.row == 2 and p.value == "城关街道" for p in problems[1:]), "each row still"


def test_a_misspelt_township_or_names_of_no_county_are_listed_row_by_row(engine) -> None:
    # 城关街道 is Dongming's, but the file's other townships are Neixiang's: a slip, not a file
    # of Dongming
    slip = csv_bytes(
        [["日期", "乡镇", "参保人数"]]
        + [["2022-11-01", t, 500] for t in ("城关街道", "湍东镇", "板场乡")]
    )
    assert [p.row for p in check_file(engine, NEIXIANG, slip, "进度.csv").problems] == [2]
    nowhere = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-01", "甲镇", 5], ["2022-11-01", "乙乡", 6]])  # fmt: skip
    assert [p.row for p in check_file(engine, NEIXIANG, nowhere, "进度.csv").problems] == [2, 3]


def test_the_import_command_names_the_county(app_env, tmp_path, capsys) -> None:
    path = tmp_path / "缴费明细.csv"
    path.write_bytes(DONGMING_PAYMENTS)
    assert run(["import", "--county", "neixiang", str(path)]) == 2
    said = capsys.readouterr().err
    assert f"渔沃街道、陆圈镇\t{HINT}" in said


def test_the_import_page_names_the_county_to_choose(app_env) -> None:
    at = start("clerk", county="neixiang")
    at.switch_page("../pages/imports.py").run()
    at.file_uploader[0].set_value(("缴费明细.csv", DONGMING_PAYMENTS, "text/csv")).run()
    assert not at.exception
    assert table(at, "问题").iloc[0][["行号", "问题"]].tolist() == ["", HINT]
