"""A progress report or payment list of another year's campaign, given while the year selected
is not its own: said once, with the year to choose, before the rows outside the campaign."""

from __future__ import annotations

import pytest
from next_year import opened_next_year

from dashboard.cli import run
from dashboard.importing import ImportRefused, apply_import, check_file
from dashboard.samples import sample_policy
from dashboard.store import campaign_policy, load_campaign

from apptest import start, table
from filemaker import csv_bytes, people

HINT = (
    "文件中的日期都在2023年度的征缴期内（2022-10-15至2022-12-31），不在2024年度的征缴期内："
    "这是2023年度的数据？导入2023年度，请先在侧栏“征缴年度”中选择2023年度（命令行加 --year 2023）"
)
LAST_YEARS_REPORT = csv_bytes(
    [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 500], ["2022-11-08", "湍东镇", 900]]
)


def test_last_years_report_given_to_this_year_names_the_year_first(scratch) -> None:
    opened_next_year(scratch)
    this_year = campaign_policy(scratch, "neixiang", year=2024)
    checked = check_file(scratch, this_year, LAST_YEARS_REPORT, "进度.csv")
    first = checked.problems[0]
    assert (first.row, first.column, first.value, first.reason) == (
        None,
        "日期",
        "2022-11-01至2022-11-08",
        HINT,
    )
    assert [p.row for p in checked.problems[1:]] == [2, 3]  # each row's date still listed
    assert not checked.partly_importable
    # given to its own year, it is checked as any report is
    assert check_file(scratch, sample_policy("neixiang"), LAST_YEARS_REPORT, "进度.csv").importable


def test_a_file_with_a_day_of_this_year_or_of_no_stored_year_is_listed_row_by_row(
    scratch,
) -> None:
    opened_next_year(scratch)
    this_year = campaign_policy(scratch, "neixiang", year=2024)
    mixed = csv_bytes(
        [["日期", "乡镇", "参保人数"], ["2022-11-01", "湍东镇", 500], ["2023-11-01", "湍东镇", 900]]
    )
    assert [p.row for p in check_file(scratch, this_year, mixed, "进度.csv").problems] == [2]
    older = csv_bytes([["日期", "乡镇", "参保人数"], ["2021-11-01", "湍东镇", 500]])
    problems = check_file(scratch, this_year, older, "进度.csv").problems
    assert [p.row for p in problems] == [2]  # 2021: no campaign of the county to point to


def test_a_payment_list_of_last_year_and_the_import_command(
    scratch_url, scratch, monkeypatch, tmp_path, capsys
) -> None:
    opened_next_year(scratch)
    header = ["身份证号", "乡镇", "村（社区）", "缴费日期", "缴费金额"]
    raw = csv_bytes([header, *[[n, "湍东镇", "东村", "2022-11-02", "350"] for n in people(3)]])
    this_year = campaign_policy(scratch, "neixiang", year=2024)
    problems = check_file(scratch, this_year, raw, "缴费明细.csv").problems
    assert problems[0].row is None and problems[0].reason.startswith(
        "文件中的日期都在2023年度的征缴期内（2022-10-15至2022-12-31）"
    )
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    path = tmp_path / "进度.csv"
    path.write_bytes(LAST_YEARS_REPORT)
    assert run(["import", "--county", "neixiang", str(path)]) == 2
    assert HINT in capsys.readouterr().err
    assert run(["import", "--county", "neixiang", "--year", "2023", str(path)]) == 0


def test_the_import_page_says_which_year_to_choose(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    opened_next_year(scratch)
    at = start("clerk", county="neixiang")
    at.switch_page("../pages/imports.py").run()
    at.file_uploader[0].set_value(("进度.csv", LAST_YEARS_REPORT, "text/csv")).run()
    assert not at.exception
    assert table(at, "问题").iloc[0][["行号", "问题"]].tolist() == ["", HINT]
    at.selectbox(key="year_neixiang").set_value(2023).run()  # checked again, for 2023
    assert at.success[0].value == "检查通过：2行，可以导入。"
    at.selectbox(key="year_neixiang").set_value(2024).run()  # and not passed for 2024
    assert table(at, "问题").iloc[0]["问题"] == HINT
    assert next(b for b in at.button if b.label == "导入").disabled


def test_a_file_checked_for_one_year_is_not_written_into_another(scratch) -> None:
    opened_next_year(scratch)
    last_year = sample_policy("neixiang")
    checked = check_file(scratch, last_year, LAST_YEARS_REPORT, "进度.csv")
    assert checked.importable and checked.year == 2023
    this_year = campaign_policy(scratch, "neixiang", year=2024)
    with pytest.raises(ImportRefused, match="该文件是按2023年度检查的，未导入2024年度；请重新上传"):
        apply_import(scratch, this_year, checked, user="clerk")
    assert load_campaign(scratch, "neixiang", year=2024).progress.empty
