"""Workbooks whose formulas hold no result (written by a program, never saved in Excel)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from dashboard import formulas
from dashboard.files import read_sheets
from dashboard.parsing import parse_file
from dashboard.problems import InputError
from dashboard.samples import sample_policy

from filemaker import xlsx_bytes

NEIXIANG = sample_policy("neixiang")
NO_RESULT = (
    "是公式，但文件中没有保存计算结果（由程序生成、未用 Excel 或 WPS 保存过的文件常见）："
    "请用 Excel 或 WPS 打开此文件，保存后再导入"
)
QUOTAS = [["乡镇", "征缴任务数"], ["湍东镇", 62010], ["板场乡", 10680]]


TOWNSHIPS = ["湍东镇", "板场乡"]


def parsed(raw: bytes, name: str = "任务表.xlsx"):  # type: ignore[no-untyped-def]
    return parse_file(raw, name, NEIXIANG, townships=TOWNSHIPS)


def refused(raw: bytes, name: str = "任务表.xlsx") -> list[str]:
    with pytest.raises(InputError) as error:
        parsed(raw, name)
    return [str(p) for p in error.value.problems]


def rewritten(raw: bytes, change) -> bytes:
    """The workbook with each worksheet's XML passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


def test_a_count_written_as_a_formula_without_its_result_is_named() -> None:
    raw = xlsx_bytes({"任务表": [*QUOTAS, ["桃溪镇", "=24000+130"]]})
    assert refused(raw) == [f"任务表.xlsx[任务表] 第4行 “B”列：{NO_RESULT}"]


def test_a_totals_row_summed_by_a_formula_without_its_result_is_named() -> None:
    """Read as empty, the totals row would not be checked against the townships."""
    raw = xlsx_bytes({"说明": [["2023年度任务表"]], "任务表": [*QUOTAS, ["合计", "=SUM(B2:B3)"]]})
    assert refused(raw) == [f"任务表.xlsx[任务表] 第4行 “B”列：{NO_RESULT}"]


def test_the_same_formulas_with_their_results_saved_are_read() -> None:
    raw = xlsx_bytes({"任务表": [*QUOTAS, ["合计", "=SUM(B2:B3)"]]})
    saved = rewritten(raw, lambda xml: xml.replace(b"<v />", b"<v>72690</v>"))
    read = parsed(saved)
    assert read.problems == []
    assert list(read.frame["quota"]) == [62010, 10680]


def test_a_formula_whose_result_is_empty_text_has_a_result() -> None:
    raw = xlsx_bytes({"任务表": [*QUOTAS, ["", '=IF(1,"","x")']]})
    saved = rewritten(raw, lambda xml: xml.replace(b'<c r="B4">', b'<c r="B4" t="str">'))
    assert [len(sheet.cells) for sheet in read_sheets(saved, "任务表.xlsx")] == [3]


def test_a_writer_that_prefixes_every_element_is_read_the_same() -> None:
    raw = xlsx_bytes({"任务表": [*QUOTAS, ["桃溪镇", "=24000+130"]]})

    def prefixed(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)(c|f|v|row|is|t)\b", rb"<\1x:\2", xml)
        return xml.replace(
            b"<worksheet ",
            b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
            1,
        )

    assert refused(rewritten(raw, prefixed)) == [f"任务表.xlsx[任务表] 第4行 “B”列：{NO_RESULT}"]


def test_a_column_of_formulas_is_named_by_its_first_twenty_cells() -> None:
    rows = [["乡镇", "征缴任务数"]] + [["湍东镇", f"={n}"] for n in range(2, 32)]
    problems = refused(xlsx_bytes({"任务表": rows}))
    assert problems[0] == "任务表.xlsx[任务表]：共30个公式单元格没有计算结果，逐个列出前20个"
    assert problems[1:] == [f"任务表.xlsx[任务表] 第{r}行 “B”列：{NO_RESULT}" for r in range(2, 22)]


@pytest.mark.parametrize("chunk", [formulas.CHUNK, 50])
def test_shared_formulas_are_found_across_the_chunks_a_sheet_is_read_in(
    chunk: int, monkeypatch
) -> None:
    """A formula filled down is stored once; the cells below hold only <f si="0"/>."""
    monkeypatch.setattr(formulas, "CHUNK", chunk)
    rows = [["乡镇", "征缴任务数"], ["湍东镇", 1], ["板场乡", "=B2+1"], ["桃溪镇", "=B3+1"]]

    def shared(xml: bytes) -> bytes:
        xml = xml.replace(b"<f>B2+1</f>", b'<f t="shared" ref="B3:B4" si="0">B2+1</f>')
        return xml.replace(b"<f>B3+1</f>", b'<f t="shared" si="0" />')

    assert refused(rewritten(xlsx_bytes({"任务表": rows}), shared)) == [
        f"任务表.xlsx[任务表] 第{r}行 “B”列：{NO_RESULT}" for r in (3, 4)
    ]


def test_formulas_without_results_in_columns_not_imported_do_not_matter() -> None:
    """A program's report with a completion-rate column and a note worked out by formulas:
    neither is read, so the file is read as it is."""
    rows = [
        ["日期", "乡镇", "参保人数", "任务数", "完成率", "备注"],
        ["2022-11-08", "湍东镇", 31000, 62010, "=C2/D2", '=IF(E2<1,"未完成","")'],
        ["2022-11-08", "板场乡", 5400, 10680, "=C3/D3", '=IF(E3<1,"未完成","")'],
    ]
    read = parsed(xlsx_bytes({"进度": rows}), "进度.xlsx")
    assert read.problems == []
    assert list(read.frame["enrolled"]) == [31000, 5400]


def test_formulas_without_results_on_a_sheet_not_imported_do_not_matter() -> None:
    summary = [["乡镇", "合计"], ["全县", "=SUM(任务表!B2:B3)"]]
    read = parsed(xlsx_bytes({"汇总": summary, "任务表": QUOTAS}))
    assert read.problems == []
    assert list(read.frame["quota"]) == [62010, 10680]


def test_a_header_written_as_a_formula_without_its_result_is_named_beside_the_missing_column() -> (
    None
):
    raw = xlsx_bytes({"任务表": [["乡镇", '="征缴"&"任务数"'], *QUOTAS[1:]]})
    problems = refused(raw)
    assert problems[0] == f"任务表.xlsx[任务表] 第1行 “B”列：{NO_RESULT}"
    assert problems[1:] == [
        "任务表.xlsx：未找到任务表、进度表、缴费明细或资助名单所需的列，请使用模板"
    ]


def test_a_sheet_of_nothing_but_formulas_without_results_is_named_not_called_empty() -> None:
    assert refused(xlsx_bytes({"任务表": [["=A2"], ["=1"]]})) == [
        f"任务表.xlsx[任务表] 第{r}行 “A”列：{NO_RESULT}" for r in (1, 2)
    ]


def test_formulas_in_the_columns_of_a_table_kept_one_column_per_day_are_named() -> None:
    rows = [["乡镇", "任务数", "11月1日", "11月8日"]] + [
        [t, "=1000+1", 100, "=C2+50"] for t in ("湍东镇", "板场乡")
    ]
    assert refused(xlsx_bytes({"进度": rows}), "进度.xlsx") == [
        f"进度.xlsx[进度] 第{r}行 “D”列：{NO_RESULT}" for r in (2, 3)
    ]
