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


def refused(raw: bytes) -> list[str]:
    with pytest.raises(InputError) as error:
        read_sheets(raw, "任务表.xlsx")
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
    parsed = parse_file(saved, "任务表.xlsx", NEIXIANG, townships=["湍东镇", "板场乡"])
    assert parsed.problems == []
    assert list(parsed.frame["quota"]) == [62010, 10680]


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
