"""The look of the Excel files the app writes (bulletins, name lists): a blue header row that stays
in view, thin borders, number formats, and a workbook's bytes."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from weakref import WeakKeyDictionary

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.formatting import percent_places

HEADER_FILL = PatternFill("solid", fgColor="1F5FA8")
FLAG_FILL = PatternFill("solid", fgColor="FDE2E1")
TOTAL_FILL = PatternFill("solid", fgColor="EEF2F7")
THIN = Side(style="thin", color="C8D0DC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
COUNT = "#,##0"
PERCENT = "0.0%"
POINTS = "+0.0;-0.0;0.0"  # percentage points ahead (+) or behind (-)
MONEY = "#,##0.00"
TEXT = "@"
GREY = "596579"  # the lines under a title: what the table rests on


def header(sheet: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float]) -> None:
    """A header row in white on blue, with column widths; the rows above it and it stay in view."""
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row, column, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = sheet.cell(row + 1, 1)


def titled_sheet(name: str, title: str, lines: Sequence[str]) -> tuple[Workbook, Worksheet, int]:
    """A workbook of one sheet named ``name``: ``title`` large in A1, ``lines`` in grey under
    it; and the first row below them."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = name
    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    for row, text in enumerate(lines, start=2):
        sheet.cell(row, 1, text).font = Font(color=GREY)
    return workbook, sheet, 2 + len(lines)


def data_row(
    sheet: Worksheet,
    row: int,
    values: Sequence[object],
    formats: Sequence[str | None],
    fill: PatternFill | None = None,
) -> None:
    """One row of values with their number formats (None: Excel's general format), bordered.
    A text that begins with = stays text: openpyxl would write it as a formula, and a name
    =HYPERLINK(…) from an uploaded list would be a live link in the list sent back out."""
    styles = [_cell_style(sheet.parent, number_format, fill) for number_format in formats]
    for column, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
        cell = sheet.cell(row, column, value)
        cell.style = style
        if cell.data_type == "f":
            cell.data_type = "s"


_STYLES: WeakKeyDictionary[Workbook, dict[tuple[str | None, str | None], str]] = WeakKeyDictionary()


def _cell_style(workbook: Workbook, number_format: str | None, fill: PatternFill | None) -> str:
    """The workbook's named style for a border, a number format and a fill, made once: a cell
    styled by name takes half the time of one styled attribute by attribute, which counts in a
    list of tens of thousands of rows."""
    styles = _STYLES.setdefault(workbook, {})
    key = (number_format, fill.fgColor.rgb if fill is not None else None)
    if key not in styles:
        style = NamedStyle(name=f"cell_{len(styles)}", border=BORDER)
        style.number_format = number_format or "General"
        if fill is not None:
            style.fill = fill
        workbook.add_named_style(style)
        styles[key] = style.name
    return styles[key]


def percent_format(rate: Fraction | Decimal) -> str:
    """The number format of a rate's cell: one decimal, more where a rate short of 100 % would
    otherwise show 100.0 % (the same decimals as the app's text)."""
    return f"0.{'0' * percent_places(rate)}%"


def display_width(text: str) -> int:
    """Excel column units a text needs: two for a Chinese character, one for a digit."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def names_width(names: Iterable[str], *, least: int = 18, most: int = 40) -> int:
    """The width of a column of names (townships): the longest whole (石家庄村街道办事处 needs
    20 units), ``least`` at the fewest and ``most`` at the widest."""
    return min(max([least - 2, *(display_width(n) for n in names)]) + 2, most)


def fit_to_a4(sheet: Worksheet, *, landscape: bool = False) -> None:
    """Printed on A4, as wide as the page, as many pages down as it takes."""
    if landscape:
        sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def list_xlsx(frame: pd.DataFrame, *, sheet_name: str) -> bytes:
    """A list as a one-sheet workbook. A column of figures as the page shows them (10,473,
    98.1%, 1,234.00, +80.00; – for none) holds numbers in that format, so that Excel sums and
    sorts them; every other cell is text, so that an 18-digit ID number stays whole (opened
    from CSV, Excel shows 4.11326E+17 and drops the last digits)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_name
    columns = [str(c) for c in frame.columns]
    widths = [names_width([str(c), *map(str, frame[c])], least=2) for c in frame.columns]
    header(sheet, 1, columns, widths)
    figures = [_figures(frame[c]) for c in frame.columns]
    for row, values in enumerate(frame.itertuples(index=False), start=2):
        cells = [_cell(v, f) for v, f in zip(values, figures, strict=True)]
        data_row(sheet, row, [v for v, _ in cells], [f for _, f in cells])
    return workbook_bytes(workbook)


# A figure as the app writes it: a sign where it says a change, thousands separated (or a
# row number: up to nine digits, none leading 0, which a ticket's number may hold), the
# decimals it shows, a percentage
FIGURE = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})*|[1-9]\d{3,8})(?:\.(\d+))?(%?)")
NONE_SHOWN = frozenset({"", "–", "—", "-"})  # a figure's cell with nothing to show


def _figures(column: pd.Series) -> bool:
    """Whether a column holds figures only (and at least one)."""
    shown = [str(v) for v in column if not pd.isna(v) and str(v) not in NONE_SHOWN]
    return bool(shown) and all(FIGURE.fullmatch(t) for t in shown)


def _cell(value: object, figures: bool) -> tuple[object, str]:
    """A cell's value and number format: a figure of a column of figures as the number it
    shows, in the format it is shown in; anything else as text."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "", TEXT
    text = str(value)
    if not figures or (match := FIGURE.fullmatch(text)) is None:
        return text, TEXT
    sign, whole, places, percent = match.groups()
    number = Decimal(f"{sign}{whole.replace(',', '')}.{places or 0}")
    decimals = f".{'0' * len(places)}" if places else ""
    grouped = "#,##0" if len(whole) <= 3 or "," in whole else "0"  # as it is written
    shape = f"0{decimals}%" if percent else f"{grouped}{decimals}"
    if sign == "+":
        shape = f"+{shape};-{shape};{shape}"
    return (number / 100 if percent else number), shape
