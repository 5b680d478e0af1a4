"""模拟测算's comparison met again as a file: read back as the scenario it shows (its 合计 left
out, so a quota changed in Excel reads), refused as a table to import."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dashboard.exports import whatif_csv
from dashboard.parsing import parse_file
from dashboard.problems import InputError, Problem
from dashboard.samples import load_sample
from dashboard.scenario_files import parse_scenario, read_scenario
from dashboard.whatif import compare, expected_enrolled
from dashboard.whatif_xlsx import whatif_workbook

NEIXIANG = load_sample("neixiang")
POLICY = NEIXIANG.policy
END = date(2022, 12, 31)
SCENARIO = {**NEIXIANG.quota_by_township, "湍东镇": 60010, "王店镇": 60000}
NOTE = (
    "这是模拟测算的测算结果：只读入“{}”一列（其余各列和合计行不读）；"
    "测算标准不从表中读入，沿用当前设置"
)


def comparison_xlsx(quotas: dict[str, int]) -> bytes:
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    result = compare(NEIXIANG, quotas=quotas, rates=POLICY.settlement, enrolled=enrolled)
    return whatif_workbook(
        NEIXIANG,
        result,
        rates=POLICY.settlement,
        expectation="latest",
        as_of=END,
        today=date(2026, 12, 7),
    )


def read_back(raw: bytes, name: str):
    parsed = parse_scenario(raw, name, POLICY, townships=NEIXIANG.townships)
    return parsed, read_scenario(parsed, NEIXIANG.quota_by_township)


def test_the_downloaded_comparison_reads_back_as_its_scenario() -> None:
    parsed, read = read_back(comparison_xlsx(SCENARIO), "测算结果.xlsx")
    assert (read.quotas, read.problems, read.missing, read.listed) == (SCENARIO, (), (), 16)
    assert parsed.notes == (NOTE.format("测算任务数"),)  # not the 制表日期 under the 合计


def test_a_quota_changed_in_the_comparison_reads_though_its_total_is_stale() -> None:
    book = load_workbook(io.BytesIO(comparison_xlsx(SCENARIO)))
    sheet = book["测算对比"]
    assert (sheet["A7"].value, sheet["D7"].value) == ("湍东镇", 60010)
    assert sheet["A23"].value == "合计" and sheet["D23"].value == 614800
    sheet["D7"] = 58010  # the 合计 still says 614,800
    out = io.BytesIO()
    book.save(out)
    _, read = read_back(out.getvalue(), "测算结果.xlsx")
    assert read.problems == ()
    assert read.quotas == {**SCENARIO, "湍东镇": 58010}

    sheet["D8"] = "一万"
    out = io.BytesIO()
    book.save(out)
    _, read = read_back(out.getvalue(), "测算结果.xlsx")
    assert read.problems == (
        Problem("测算结果.xlsx[测算对比]", 8, "测算任务数", "一万", "不是非负整数"),
    )


def test_the_commands_comparison_csv_reads_back_as_its_scenario() -> None:
    enrolled = expected_enrolled(NEIXIANG, END, "latest")
    result = compare(NEIXIANG, quotas=SCENARIO, rates=POLICY.settlement, enrolled=enrolled)
    raw = whatif_csv(result).encode()
    assert raw.startswith(b"township,enrolled,quota,scenario_quota,")
    parsed, read = read_back(raw, "whatif.csv")
    assert (read.quotas, read.problems) == (SCENARIO, ())
    assert parsed.notes == (NOTE.format("scenario_quota"),)


def test_a_plain_quota_table_reads_as_ever() -> None:
    raw = "乡镇,征缴任务数\n湍东镇,60010\n".encode()
    parsed, read = read_back(raw, "方案.csv")
    assert parsed.notes == ()
    assert read.quotas["湍东镇"] == 60010 and read.listed == 1


def test_a_countys_own_table_of_quotas_called_so_is_no_comparison() -> None:
    """A 任务测算表 of the county may head its quotas 测算任务数: without 正式任务数 beside it,
    it is a quota table, to import or to read as a scenario."""
    raw = "乡镇（街道）,测算任务数\n湍东镇,60010\n".encode()
    parsed = parse_file(raw, "任务测算表.csv", POLICY, townships=NEIXIANG.townships, kind="quota")
    assert parsed.problems[0].reason == "缺少该乡镇的任务数"  # a table of one township
    parsed, read = read_back(raw, "任务测算表.csv")
    assert parsed.notes == () and read.quotas["湍东镇"] == 60010


@pytest.mark.parametrize("kind", ["quota", None])
def test_the_comparison_is_not_a_table_to_import(kind) -> None:
    with pytest.raises(InputError) as refused:
        parse_file(
            comparison_xlsx(SCENARIO),
            "测算结果.xlsx",
            POLICY,
            townships=NEIXIANG.townships,
            kind=kind,
        )
    assert refused.value.problems == [
        Problem(
            "测算结果.xlsx[测算对比]",
            6,
            "测算任务数",
            None,
            "这是“模拟测算”的测算结果，不能导入：测算不改变正式任务数。要按其中的测算任务数改正式"
            "任务数，请在“模拟测算”页“从文件载入任务数”上传，保存为方案后由系统管理员应用",
        )
    ]
