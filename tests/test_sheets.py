"""Excel files of lists: ID numbers and names text, so ID numbers stay whole; columns of
figures numbers, as shown; a header that stays; a text that looks like a formula is not run
(in the workbook nor in the CSV beside it)."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.exports import csv_bytes
from dashboard.sheets import display_width, list_xlsx, names_width

# What an uploaded file may hold in a name or village (echoed in problem lists and name lists)
FORMULAS = ['=HYPERLINK("http://x.cn","点此")', "@SUM(A1:A9)", "-cmd|' /C calc'!A0", "+A1"]
FIGURES = ["-5", "+2,000", "-0.5", "张三", "2022-11-08", ""]


def test_a_list_keeps_its_id_numbers_whole() -> None:
    frame = pd.DataFrame(
        {
            "乡镇（街道）": ["湍东镇", "湍东镇"],
            "村（社区）": ["前刘村", ""],
            "姓名": ["付丽飞", "宋凤飞"],
            "身份证号": ["411325199001015000", "41132519900101500X"],
            "人员类别": ["特困人员救助供养对象", None],
        }
    )
    workbook = load_workbook(io.BytesIO(list_xlsx(frame, sheet_name="未参保名单")))
    sheet = workbook["未参保名单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        ["乡镇（街道）", "村（社区）", "姓名", "身份证号", "人员类别"],
        ["湍东镇", "前刘村", "付丽飞", "411325199001015000", "特困人员救助供养对象"],
        ["湍东镇", None, "宋凤飞", "41132519900101500X", None],  # Excel keeps '' as an empty cell
    ]
    assert sheet["D2"].number_format == "@" and isinstance(sheet["D2"].value, str)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["D"].width == 20  # 18 digits and a margin
    assert sheet.column_dimensions["E"].width == 22  # ten Chinese characters


def test_a_lists_figures_are_numbers_in_the_format_shown() -> None:
    """A downloaded ranking or list of amounts sums and sorts in Excel: each column of
    figures holds the numbers the page shows, in its format; – stays a dash."""
    frame = pd.DataFrame(
        {
            "乡镇（街道）": ["湍东镇", "板场乡", "合计"],
            "参保人数": ["63,000", "10,000", "73,000"],
            "完成率": ["101.6%", "93.6%", "99.5%"],
            "排名": ["1", "16", ""],
            "变化": ["▲2", "–", ""],
            "净额（元）": ["193,500.00", "-53,000.00", "140,500.00"],
            "差额（元）": ["+80.00", "–", "-20.00"],
            "身份证号": ["411325199001015000", "4113**********1234", ""],
            "行号": ["2", "12345", ""],
            "税票号码": ["330012", "012345", ""],
        }
    )
    sheet = load_workbook(io.BytesIO(list_xlsx(frame, sheet_name="排名")))["排名"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["湍东镇", 63000, 1.016, 1, "▲2", 193500, 80, "411325199001015000", 2, "330012"],
        ["板场乡", 10000, 0.936, 16, "–", -53000, "–", "4113**********1234", 12345, "012345"],
        ["合计", 73000, 0.995, None, None, 140500, -20, None, None, None],
    ]  # fmt: skip
    formats = [c.number_format for c in sheet[2]]
    assert formats == ["@", "#,##0", "0.0%", "#,##0", "@", "#,##0.00", "+#,##0.00;-#,##0.00;#,##0.00", "@", "#,##0", "@"]  # fmt: skip
    assert sheet["I3"].number_format == "0", "12345 as written, not 12,345"
    assert sheet["G3"].number_format == "@" and sheet["H2"].data_type == "s"


def test_display_width_counts_chinese_characters_twice() -> None:
    assert display_width("411325199001015000") == 18
    assert display_width("湍东镇") == 6
    assert display_width("第1周") == 5


def test_a_formula_from_an_uploaded_file_stays_text_in_the_workbook() -> None:
    frame = pd.DataFrame({"姓名": FORMULAS + FIGURES})
    workbook = load_workbook(io.BytesIO(list_xlsx(frame, sheet_name="名单")))
    cells = [row[0] for row in workbook["名单"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == [*FORMULAS, *FIGURES[:-1], None]
    assert {c.data_type for c in cells if c.value is not None} == {"s"}  # no "f": not run


def test_a_formula_from_an_uploaded_file_stays_text_in_the_csv() -> None:
    frame = pd.DataFrame({"姓名": FORMULAS + FIGURES, "人数": range(10)})
    lines = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == [
        "姓名,人数",
        '"\'=HYPERLINK(""http://x.cn"",""点此"")",0',
        "'@SUM(A1:A9),1",
        "'-cmd|' /C calc'!A0,2",
        "'+A1,3",
        "-5,4",
        '"+2,000",5',
        "-0.5,6",
        "张三,7",
        "2022-11-08,8",
        ",9",
    ]


def test_a_column_of_names_is_as_wide_as_the_longest() -> None:
    """18 units hold 湍东镇 and 马山口镇; 石家庄村街道办事处 needs 20, and a name of 30
    characters is held to 40 (Excel wraps or cuts past that, a page still prints)."""
    assert names_width(["湍东镇", "马山口镇"]) == 18
    assert names_width(["湍东镇", "石家庄村街道办事处"]) == 20
    assert names_width(["经济技术开发区" * 4]) == 40
    assert names_width([]) == 18
