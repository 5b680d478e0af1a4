"""The downloadable templates: filled in as a clerk fills them in Excel, they import."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dashboard.parsing import parse_file
from dashboard.samples import sample_policy
from dashboard.templates import template_xlsx

from filemaker import people

NEIXIANG = sample_policy("neixiang")
A = people(1)[0]
FILLED = {  # each kind's example row as a clerk replaces it, column by column
    "progress": ["2022-11-08", "湍东镇", "", 5200],
    "payments": [
        A,
        "张三",
        "湍东镇",
        "东关村",
        date(2022, 11, 1),
        350,
        "微信",
        "337100000000000001",
    ],
    "roster": [A, "张三", "湍东镇", "东关村", "特困人员", "2022-11"],
}


@pytest.mark.parametrize("kind", sorted(FILLED))
def test_a_template_filled_in_imports(kind: str) -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(kind, NEIXIANG)))
    sheet = workbook.worksheets[0]
    for column, value in enumerate(FILLED[kind], start=1):
        sheet.cell(2, column).value = value
    out = io.BytesIO()
    workbook.save(out)
    parsed = parse_file(out.getvalue(), f"{kind}.xlsx", NEIXIANG, townships=["湍东镇", "板场乡"])
    assert parsed.problems == [] and len(parsed.frame) == 1


@pytest.mark.parametrize("kind", ["payments", "roster"])
def test_long_numbers_are_typed_into_text_cells(kind: str) -> None:
    """An ID number (or tax ticket) typed into a number cell keeps 15 digits in Excel: the
    template's columns for them are text, the rows below the example too."""
    sheet = load_workbook(io.BytesIO(template_xlsx(kind, NEIXIANG))).worksheets[0]
    text = {
        cell.value
        for cell in sheet[1]
        if sheet.column_dimensions[cell.column_letter].number_format == "@"
        and sheet.cell(2, cell.column).number_format == "@"
    }
    assert text == ({"身份证号", "电子税票号码"} if kind == "payments" else {"身份证号"})
