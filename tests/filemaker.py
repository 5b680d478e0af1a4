"""Build input files for tests: CSV in a given encoding, xlsx with merged headers and sheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook

from dashboard.idnumbers import make_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # an upload's type


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(
    sheets: dict[str, Sequence[Sequence[object]]],
    merges: dict[str, Sequence[str]] | None = None,
    *,
    hidden: Sequence[str] = (),
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.sheet_state = "hidden" if name in hidden else "visible"
        for row in rows:
            sheet.append(list(row))
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


ZHASHUI_ROWS = [
    ["营盘镇", 11130, 10065, 10598, 178, 0, 945, 2951, 54, 0],
    ["乾佑街道办事处", 9489, 16485, 16650, 111, 6, 931, 1157, 10, 15],
    ["下梁镇", 23964, 17139, 20552, 207, 5, 904, 3432, 54, 24],
    ["小岭镇", 11447, 9844, 10645, 155, 1, 472, 3297, 54, 38],
    ["凤凰镇", 16797, 15104, 15950, 217, 3, 612, 3111, 21, 41],
    ["杏坪镇", 24914, 21648, 23281, 349, 4, 1310, 6242, 106, 195],
    ["红岩寺镇", 15796, 14316, 15056, 149, 1, 843, 3505, 21, 2],
    ["瓦房口镇", 14754, 12597, 13675, 202, 8, 965, 4400, 77, 37],
    ["曹坪镇", 15552, 14147, 14850, 246, 8, 1019, 4514, 142, 59],
]
ZHASHUI_TOTAL = ["合计", 143843, 131345, 141257, 1814, 36, 8001, 32609, 539, 411]


def zhashui_printed_form(total: Sequence[object] = ZHASHUI_TOTAL, *, year: int = 2023) -> bytes:
    """Zhashui's quota table as printed: a title, three header rows with merged cells (the
    2023 quota over 合计 and 其中：特殊人群 over six groups, with the print's spacing and typo),
    nine townships and the 合计 row. ``year`` moves the years its headers name."""
    header = [
        [f"柞水县 {year} 年城乡居民医保费征缴计划表", *[""] * 9],
        [
            "镇办",
            f"{year - 2} 年乡村 人口数 (人)",
            f"{year - 1} 年度城 乡居民 实际参 保人数",
            f"{year} 年城乡居民医保征缴任务数",
            *[""] * 6,
        ],
        ["", "", "", "合计", "其中：特殊人群", *[""] * 5],
        [
            "",
            "",
            "",
            "",
            "特困供 养人员",
            "孤 儿 及实 事无 人扶 养儿 童",
            "低保户",
            "建档立卡 脱贫人数",
            "监测户",
            "低保 边缘 户",
        ],
    ]
    merges = ["A1:J1", "A2:A4", "B2:B4", "C2:C4", "D2:J2", "D3:D4", "E3:J3"]
    return xlsx_bytes({"征缴计划表": [*header, *ZHASHUI_ROWS, total]}, {"征缴计划表": merges})


def people(n: int, start: int = 0) -> list[str]:
    """``n`` valid ID numbers of Neixiang (411325), distinct for distinct ``start`` ranges."""
    return [
        make_id("411325", date(1960, 1, 1 + (start + i) % 28), (start + i) // 28) for i in range(n)
    ]
