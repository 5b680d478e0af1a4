"""The payment notice (缴费信息公示表) a township posts in each village after collection.

Notices say the payments are posted publicly, village by village, for some working days once
collection ends (Neixiang: at least 5). The list is made from the imported payment list of one
township: per village, who paid (name, ID number with its middle hidden), when and how much,
with the village's count and sum; a first sheet sums the villages. Nothing here knows
Streamlit or the database.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import formatting as fmt
from dashboard.glossary import AMOUNT, ID_NUMBER, NAME, PAID_ON, VILLAGE
from dashboard.idnumbers import mask_ids
from dashboard.money import from_fen
from dashboard.sheets import (
    COUNT,
    MONEY,
    TEXT,
    TOTAL_FILL,
    data_row,
    fit_to_a4,
    header,
    workbook_bytes,
)
from data_models.policy import CountyPolicy

NO_VILLAGE = "未填村（社区）"
COLUMNS = ["序号", "姓名", "身份证号", "缴费日期", "缴费金额（元）"]
WIDTHS = [8, 14, 24, 14, 16]
FORMATS = [COUNT, TEXT, TEXT, "yyyy-mm-dd", MONEY]
SUMMARY_COLUMNS = ["村（社区）", "缴费人数", "缴费金额（元）"]
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def notice_lists(payments: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per village (in the order of their names; payments without a village last), the rows
    of its notice: 序号, 姓名, 身份证号 (masked), 缴费日期, 缴费金额（元） (Decimal yuan), in
    order of payment date and ID number. ``payments`` has village, id_number, name, paid_on,
    amount (integer fen)."""
    frame = payments.assign(**{VILLAGE: payments[VILLAGE].replace("", NO_VILLAGE)})
    frame = frame.sort_values([PAID_ON, ID_NUMBER], kind="stable")
    villages = sorted(v for v in frame[VILLAGE].unique() if v != NO_VILLAGE)
    villages += [NO_VILLAGE] if (frame[VILLAGE] == NO_VILLAGE).any() else []
    lists = {}
    for village in villages:
        rows = frame[frame[VILLAGE] == village]
        lists[village] = pd.DataFrame(
            {
                COLUMNS[0]: range(1, len(rows) + 1),
                COLUMNS[1]: rows[NAME].to_numpy(),
                COLUMNS[2]: mask_ids(rows[ID_NUMBER]).to_numpy(),
                COLUMNS[3]: rows[PAID_ON].to_numpy(),
                COLUMNS[4]: [from_fen(int(f)) for f in rows[AMOUNT]],
            }
        )
    return lists


def notice_summary(lists: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Persons and yuan per village, then 合计 (exact Decimal sums)."""
    persons = [len(rows) for rows in lists.values()]
    amounts = [sum(rows[COLUMNS[4]], Decimal("0.00")) for rows in lists.values()]
    table = {
        SUMMARY_COLUMNS[0]: [*lists, "合计"],
        SUMMARY_COLUMNS[1]: [*persons, sum(persons)],
        SUMMARY_COLUMNS[2]: [*amounts, sum(amounts, Decimal("0.00"))],
    }
    return pd.DataFrame(table, columns=SUMMARY_COLUMNS)


def notice_footer(policy: CountyPolicy, township: str) -> str:
    """What the posted sheet says under the list: how long it is posted, and where to object."""
    days = policy.public_notice_working_days
    period = f"不少于{days}个工作日" if days else "按县里规定的期限"
    return (
        f"公示期：自张榜之日起{period}（依据：{policy.source}）。"
        f"对公示内容有异议的，请在公示期内向{township}医保经办人员反映。"
    )


def public_notice_xlsx(
    policy: CountyPolicy, township: str, payments: pd.DataFrame, *, as_of: date
) -> bytes:
    """The township's notice as a workbook: a 汇总 sheet, then one sheet per village with a
    title, its list, its count and sum, and the footer; set up to print on A4 (the header row
    repeated on every page)."""
    lists = notice_lists(payments)
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "汇总"
    title = f"{policy.name}{township}{policy.benefit_year}年度城乡居民医疗保险缴费信息公示"
    frame = notice_summary(lists)
    _titles(summary, f"{title}（汇总）", f"截至{fmt.day(as_of)}", len(SUMMARY_COLUMNS))
    header(summary, 3, SUMMARY_COLUMNS, [24, 12, 18])
    for offset, row in enumerate(frame.itertuples(index=False), start=4):
        fill = TOTAL_FILL if row[0] == "合计" else None
        data_row(summary, offset, list(row), [TEXT, COUNT, MONEY], fill)
    footer = notice_footer(policy, township)
    names = _sheet_names(list(lists))
    for (village, rows), name in zip(lists.items(), names, strict=True):
        sheet = workbook.create_sheet(name)
        total = sum(rows[COLUMNS[4]], Decimal("0.00"))
        line = f"截至{fmt.day(as_of)} · 共{len(rows):,}人 · 缴费金额合计{total:,.2f}元"
        _titles(sheet, f"{title}（{village}）", line, len(COLUMNS))
        header(sheet, 3, COLUMNS, WIDTHS)
        for offset, values in enumerate(rows.itertuples(index=False), start=4):
            data_row(sheet, offset, list(values), FORMATS)
        end = len(rows) + 4
        data_row(sheet, end, ["合计", f"{len(rows):,}人", "", "", total], FORMATS, TOTAL_FILL)
        sheet.cell(end + 2, 1, footer).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=end + 2, start_column=1, end_row=end + 2, end_column=5)
        sheet.row_dimensions[end + 2].height = 36
    return workbook_bytes(workbook)


def _titles(sheet: Worksheet, title: str, line: str, width: int) -> None:
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    sheet.cell(2, 1, line)
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.print_title_rows = "3:3"
    fit_to_a4(sheet)


def _sheet_names(villages: list[str]) -> list[str]:
    """Excel sheet names for the villages: no []:*?/\\, at most 31 characters, none twice
    (nor 汇总)."""
    taken, names = {"汇总"}, []
    for village in villages:
        base = SHEET_FORBIDDEN.sub("_", village)[:31] or NO_VILLAGE
        name, number = base, 2
        while name in taken:
            suffix = f"({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        taken.add(name)
        names.append(name)
    return names
