"""The bulletin as an Excel workbook: Chinese sheet names, frozen headers, widths, formats."""

from __future__ import annotations

import io
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import formatting as fmt
from dashboard.bulletin import NET_CHART_TITLE, PARAGRAPH_INDENT, REMARKS_HEADING, Bulletin
from dashboard.drawing import net_chart
from dashboard.fonts import has_cjk_font
from dashboard.glossary import (
    COMPLETION,
    ENROLLED,
    FLAGGED,
    LABELS,
    NEW_ENROLLED,
    QUOTA,
    RANK,
    RANK_CHANGE,
    TOWNSHIP,
)
from dashboard.settlement_xlsx import fraction_cell, rate_cell, write_settlement
from dashboard.sheets import (
    COUNT,
    FLAG_FILL,
    GREY,
    POINTS,
    data_row,
    header,
    names_width,
    workbook_bytes,
)
from dashboard.views import FLAG_TEXT, LAST_YEAR_COMPLETION, YEAR_ON_YEAR
from dashboard.year_on_year import TownshipsLastYear

LINE_CHARS = 38  # Chinese characters on a line across the three columns (18 + 18 + 44 wide)
MOST_ROW_HEIGHT = 409  # points: Excel's tallest row


def _title(sheet: Worksheet, bulletin: Bulletin) -> None:
    """The bulletin's title in A1, its period and date (模拟数据 where it is) in A2."""
    sheet["A1"] = bulletin.title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A2"] = bulletin.subtitle + ("（模拟数据）" if bulletin.simulated else "")
    sheet["A2"].font = Font(color=GREY)


def _overview(sheet: Worksheet, bulletin: Bulletin) -> None:
    notes = bulletin.notes
    _title(sheet, bulletin)
    sheet["A3"] = notes.number or None
    header(sheet, 4, ["指标", "数值", "说明"], [18, 18, 44])
    for offset, (label, value, note) in enumerate(bulletin.kpis(), start=5):
        data_row(sheet, offset, [label, value, note], [None, None, None])
    row = 6 + len(bulletin.kpis())
    sheet.cell(row, 1, "通报摘要").font = Font(bold=True)
    _paragraph(sheet, row + 1, bulletin.summary_text(), height=150)
    row += 2
    if notes.paragraphs:
        row += 1
        sheet.cell(row, 1, REMARKS_HEADING).font = Font(bold=True)
        for paragraph in notes.paragraphs:  # a row each: one cell would outgrow Excel's rows
            row += 1
            text = PARAGRAPH_INDENT + paragraph
            _paragraph(sheet, row, text, height=16 * (len(text) // LINE_CHARS + 1) + 6)
        row += 1
    for offset, line in enumerate(notes.sign_off, start=row + 1):
        sheet.cell(offset, 3, line).alignment = Alignment(horizontal="right")
    sheet.freeze_panes = None


def _paragraph(sheet: Worksheet, row: int, text: str, *, height: float) -> None:
    """A paragraph in ``row``, across the sheet's three columns, wrapped, ``height`` points
    tall (as tall as Excel lets a row be at most)."""
    sheet.cell(row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    sheet.row_dimensions[row].height = min(height, MOST_ROW_HEIGHT)


def _ranking(sheet: Worksheet, bulletin: Bulletin, top: int = 1) -> None:
    # the columns of the ranking as displayed, in its order, with numbers instead of text;
    # the header in row ``top``
    columns = list(bulletin.ranking_table().columns)
    widths = {
        LABELS[RANK]: 8,
        LABELS[RANK_CHANGE]: 8,
        LABELS[TOWNSHIP]: names_width(bulletin.ranking.table[TOWNSHIP]),
        LABELS[FLAGGED]: 16,
        LAST_YEAR_COMPLETION: 14,
        YEAR_ON_YEAR: 14,
    }
    header(sheet, top, columns, [widths.get(c, 11) for c in columns])
    last = bulletin.townships_last_year
    records = bulletin.ranking.table.to_dict("records")
    for index, record in enumerate(records, start=top + 1):
        rate, rate_format = rate_cell(record[ENROLLED], record[QUOTA])
        then = None if last is None else last.completion.get(record[TOWNSHIP])
        cells = {
            LABELS[RANK]: (record[RANK], None),
            LABELS[RANK_CHANGE]: (fmt.change(record[RANK_CHANGE]), None),
            LABELS[TOWNSHIP]: (record[TOWNSHIP], None),
            LABELS[COMPLETION]: (rate, rate_format),
            LABELS[ENROLLED]: (record[ENROLLED], COUNT),
            LABELS[NEW_ENROLLED]: (record[NEW_ENROLLED], COUNT),
            LABELS[QUOTA]: (record[QUOTA], COUNT),
            "差额": (max(record[QUOTA] - record[ENROLLED], 0), COUNT),
            LABELS[FLAGGED]: (FLAG_TEXT if record[FLAGGED] else "", None),
            LAST_YEAR_COMPLETION: fraction_cell(then),
            YEAR_ON_YEAR: (_points(last, record[TOWNSHIP], record[COMPLETION]), POINTS),
        }
        values, formats = zip(*(cells[c] for c in columns), strict=True)
        data_row(sheet, index, values, formats, FLAG_FILL if record[FLAGGED] else None)
    for row, note in enumerate(bulletin.ranking_notes, start=top + len(records) + 2):
        sheet.cell(row, 1, note).font = Font(color=GREY)


def _points(last: TownshipsLastYear | None, township: str, now: Fraction | None) -> float | None:
    """同比 as a number of points (as the page shows it), None where there is none."""
    ahead = None if last is None else last.points_ahead(township, now)
    return None if ahead is None else float(ahead)


def _groups(sheet: Worksheet, bulletin: Bulletin) -> None:
    header(sheet, 1, ["群体", "名单人数", "参保人数", "未参保人数", "覆盖率"], [24, 12, 12, 12, 10])
    groups = bulletin.summary.groups
    for index, record in enumerate(groups.to_dict("records"), start=2):
        rate, rate_format = rate_cell(record["enrolled"], record["roster_size"])
        values = [
            record["label"],
            record["roster_size"],
            record["enrolled"],
            record["roster_size"] - record["enrolled"],
            rate,
        ]
        below = record["coverage"] is not None and record["coverage"] < 1
        formats = [None, COUNT, COUNT, COUNT, rate_format]
        data_row(sheet, index, values, formats, FLAG_FILL if below else None)


def _charts(sheet: Worksheet, bulletin: Bulletin) -> None:
    sheet["A1"] = "图表"
    sheet["A1"].font = Font(size=14, bold=True)
    charts = [bulletin.completion_png(), net_chart(bulletin.settlement, title=NET_CHART_TITLE)]
    for anchor, png in zip(("A3", "A48"), [c for c in charts if c], strict=False):
        image = SheetImage(io.BytesIO(png))
        image.width, image.height = image.width // 2, image.height // 2
        sheet.add_image(image, anchor)


def ranking_xlsx(bulletin: Bulletin) -> bytes:
    """The ranking alone, for 排名's download: its title and period (模拟数据 where it is) above
    the bulletin's 排名 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "排名"
    _title(sheet, bulletin)
    _ranking(sheet, bulletin, top=4)
    return workbook_bytes(workbook)


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    """The workbook: 通报, 排名, 特殊群体 (where rosters exist), 结算, 图表 (with a CJK font)."""
    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = "通报"
    _overview(overview, bulletin)
    _ranking(workbook.create_sheet("排名"), bulletin)
    if not bulletin.summary.groups.empty:
        _groups(workbook.create_sheet("特殊群体"), bulletin)
    write_settlement(workbook.create_sheet("结算"), 1, bulletin.settlement, bulletin.ranked)
    if has_cjk_font():
        _charts(workbook.create_sheet("图表"), bulletin)
    return workbook_bytes(workbook)
