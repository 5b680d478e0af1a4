"""Files in and out: bytes of .xlsx/.xls/.csv to text cells, and CSV/xlsx bytes back out.

Text files are UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or
GBK/GB18030; the encoding is detected (encodings.py), and a file that fits none of them is
refused rather than guessed.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from openpyxl.utils.cell import column_index_from_string
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from dashboard.encodings import detect_encoding
from dashboard.formulas import formulas_without_results
from dashboard.problems import InputError, Problem

# The upload boxes' types; a file is read by its content, not its name: .txt is what Excel and
# WPS save as 文本文件（制表符分隔） or Unicode 文本 (UTF-16), read as a CSV is
SPREADSHEET_TYPES = ["xlsx", "xls", "csv", "txt"]
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
HEAD_ROWS = 15
EXCEL_EXACT = 10**15  # whole numbers below this survive a spreadsheet's 15 significant digits
FORMULAS_NAMED = 20  # formula cells without a result named one by one, per sheet
NO_RESULT = (
    "是公式，但文件中没有保存计算结果（由程序生成、未用 Excel 或 WPS 保存过的文件常见）："
    "请用 Excel 或 WPS 打开此文件，保存后再导入"
)


# What the system says when a file cannot be read or written, in Chinese (strerror is English)
OS_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘只读，不能写入",
    errno.EEXIST: "文件已存在",
}


def os_reason(error: OSError) -> str:
    """Why a file could not be read or written, in Chinese where the system's error is a
    common one (the system's own words otherwise)."""
    return OS_REASONS.get(error.errno or 0) or error.strerror or str(error)


@dataclass(frozen=True)
class Sheet:
    """One table of text cells; ``cells`` is indexed by the row number a spreadsheet shows."""

    file: str
    name: str | None
    cells: pd.DataFrame
    # A workbook's cells merged down a column: (first row, last row, column) in ``cells``'
    # row numbers and column positions; only the first row holds the value.
    merged_down: tuple[tuple[int, int, int], ...] = ()
    # Formula cells saved without their result (formulas.py), read as empty: row number,
    # column position in ``cells`` (None once a blank column is dropped) and column letter.
    unresolved: tuple[tuple[int, int | None, str], ...] = ()
    hidden: bool = False  # a workbook's sheet hidden from sight in Excel

    @property
    def label(self) -> str:
        """The file name, with the sheet for a workbook: 'q.xlsx[任务表]'."""
        return f"{self.file}[{self.name}]" if self.name else self.file


def _delimiter(sample: str) -> str:
    """The delimiter the first line holding one holds most of: a title line above the header
    (内乡县进度表) holds none, and a note further down may hold any (a;b in a 备注 cell)."""
    delimiters = [",", "\t", ";"]
    split = (line for line in sample.splitlines() if any(d in line for d in delimiters))
    first = next(split, "")
    return max(delimiters, key=first.count)


def _csv_cells(raw: bytes, encoding: str) -> pd.DataFrame:
    sample = raw[:100_000].decode(encoding, errors="ignore").lstrip("\ufeff")
    delimiter = _delimiter(sample)
    # newline="": a stray CR in a line ends the row, as pandas' and Arrow's readers take it
    head = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[:200]
    widths = {len(r) for r in head}
    if len(widths) == 1:
        frame = _rectangular_cells(raw, encoding, delimiter, widths.pop())
        if frame is not None:
            return frame
    width = max(widths, default=1) + 8
    frame = pd.read_csv(
        io.BytesIO(raw),
        encoding=encoding,
        sep=delimiter,
        header=None,
        names=range(width),
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        engine="c",
    )
    frame.index = frame.index + 1
    return frame


def _rectangular_cells(
    raw: bytes, encoding: str, delimiter: str, width: int
) -> pd.DataFrame | None:
    """Every row of a rectangular file (as exports are) as text, read by Arrow's CSV reader on
    both cores, about three times as fast as pandas' for a county's payment list; None when a
    row has another number of cells (a blank line, a note), for pandas' reader to pad."""
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(encoding=encoding, column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    frame = table.to_pandas()
    frame.columns = range(width)
    frame.index = frame.index + 1
    return frame


def _without_nul(raw: bytes, encoding: str) -> tuple[bytes, str]:
    """A text file's bytes without NUL characters, the padding some systems export: no cell
    holds one, and PostgreSQL refuses text that does (a UTF-16 file is read as UTF-8 first,
    as its every other byte is NUL)."""
    if encoding == "utf-16":
        raw, encoding = raw.decode("utf-16").encode("utf-8"), "utf-8-sig"
    return (raw.replace(b"\x00", b"") if b"\x00" in raw else raw), encoding


def _cell_text(value: object) -> str:
    if type(value) is str:  # most cells: names, ID numbers kept as text
        return value.replace("\x00", "") if "\x00" in value else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        # Excel keeps 15 significant digits: a longer number (an ID number typed into a number
        # cell) has lost its last digits, so it reads as Excel shows it, 4.11325199001010E+17,
        # and the ID check can say why, instead of a made-up 18-digit number failing its check.
        return str(int(value)) if abs(value) < EXCEL_EXACT else f"{value:.15G}"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# A workbook saved with a password to open it is an OLE file holding the encrypted package
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def unopened_reason(raw: bytes, error: Exception) -> str:
    """Why a workbook could not be opened, in Chinese: a password on it (tax bureaus send
    payment lists so), or a file broken, cut short or not a workbook; what the reader said
    where it is neither."""
    text = str(error)
    if (raw.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in raw) or re.search(
        "password|encrypt", text, re.IGNORECASE
    ):
        return (
            "无法打开 Excel 文件：文件设有打开密码，请在 Excel 中输入密码打开，取消密码后另存再上传"
        )
    if "Cannot detect file format" in text:
        return (
            "无法打开 Excel 文件：文件已损坏、不完整或不是 Excel 工作簿，"
            "请在 Excel 中打开并另存为 .xlsx 后再上传"
        )
    return f"无法打开 Excel 文件：{text}"


def _workbook_sheets(raw: bytes, file: str) -> list[Sheet]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputError([Problem(file, None, None, None, unopened_reason(raw, exc))]) from exc
    found = _formulas_without_results(raw)
    hidden = {m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    sheets = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        cells = pd.DataFrame(
            [[_cell_text(v) for v in row] + [""] * (width - len(row)) for row in rows],
            dtype=object,
        )
        cells.index = cells.index + 1
        down = tuple(
            (top + 1, bottom + 1, column)
            for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()
            if bottom > top
            for column in range(left, right + 1)
        )
        unresolved = tuple(
            (row, column_index_from_string(letter) - 1, letter)
            for row, letter in found.get(name, ())
        )
        sheets.append(Sheet(file, name, cells, down, unresolved, name in hidden))
    return sheets


def _formulas_without_results(raw: bytes) -> dict[str, list[tuple[int, str]]]:
    if not raw.startswith(ZIP_MAGIC):  # an old .xls: its formulas always keep their results
        return {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return formulas_without_results(archive)


def unresolved_problems(
    sheet: Sheet, cells: Sequence[tuple[int, int | None, str]]
) -> list[Problem]:
    """The problems that name formula ``cells`` of ``sheet`` holding no result: they read as
    empty, and an empty count or a totals row left unchecked is not what the file says. The
    first FORMULAS_NAMED one by one, after a line with their number when there are more."""
    named = cells[:FORMULAS_NAMED]
    problems = [Problem(sheet.label, row, letter, None, NO_RESULT) for row, _, letter in named]
    if len(cells) > len(named):
        many = f"共{len(cells):,}个公式单元格没有计算结果，逐个列出前{FORMULAS_NAMED}个"
        problems.insert(0, Problem(sheet.label, None, None, None, many))
    return problems


# pandas' complaints about a CSV file's text, with the row they are on (1 = the first line)
UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
TOO_MANY_FIELDS = re.compile(r"Expected \d+ fields in line (\d+), saw (\d+)")


def csv_problem(file: str, error: pd.errors.ParserError) -> Problem:
    """What is wrong with a CSV file's text, in Chinese and on its line where pandas says which;
    a complaint not known keeps pandas' words after a Chinese heading."""
    text = str(error)
    if found := UNCLOSED_QUOTE.search(text):
        reason = '这一行的英文双引号（"）直到文件末尾都没有闭合，请补上或删去'
        return Problem(file, int(found.group(1)) + 1, None, None, f"CSV 格式错误：{reason}")
    if found := TOO_MANY_FIELDS.search(text):
        reason = f"这一行分成了{found.group(2)}列，远多于前面各行（文字中的逗号须用英文双引号括起）"
        return Problem(file, int(found.group(1)), None, None, f"CSV 格式错误：{reason}")
    return Problem(file, None, None, None, f"CSV 格式错误：{text}")


def read_sheets(raw: bytes, file: str) -> list[Sheet]:
    """Every table in a file as text cells: each worksheet of a workbook, or the one CSV table.

    Blank rows and columns are dropped (row numbers keep counting them). An empty file, or
    one whose sheets are all empty, is refused.
    """
    if raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
        sheets = _workbook_sheets(raw, file)
    elif markup := _markup_kind(raw):
        reason = (
            f"这是{markup}，不是 Excel 工作簿或 CSV（有的系统导出的 .xls 就是这样）："
            "请用 Excel 或 WPS 打开，另存为 Excel 工作簿（.xlsx）后再导入"
        )
        raise InputError([Problem(file, None, None, None, reason)])
    else:
        try:
            cells = _csv_cells(*_without_nul(raw, detect_encoding(raw, file)))
        except pd.errors.ParserError as exc:
            raise InputError([csv_problem(file, exc)]) from exc
        sheets = [Sheet(file, None, cells)]
    tidy = [drop_blank(s) for s in sheets]
    if all(s.cells.empty for s in tidy):
        # nothing but formulas without their results, or nothing at all
        unread = [p for s in tidy for p in unresolved_problems(s, s.unresolved)]
        raise InputError(unread or [Problem(file, None, None, None, "文件为空")])
    return [s for s in tidy if not s.cells.empty]


def _markup_kind(raw: bytes) -> str | None:
    """What a file saved as a web page or as Excel 2003's XML table is, by its first bytes
    (in any encoding these tags are ASCII); None for any other file."""
    head = raw[:4096].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head and b"<workbook" in head:
        return "Excel 2003 XML 表格"
    if any(tag in head for tag in (b"<html", b"<table", b"<!doctype html")):
        return "网页（HTML）格式的表格"
    return None


def drop_blank(sheet: Sheet) -> Sheet:
    """Strip every cell; drop the rows and columns with nothing in them (column by column, so
    a million-row sheet is not copied as a whole); merged cells follow their columns."""
    cells = sheet.cells
    if cells.empty:
        return sheet
    keep_rows = np.zeros(len(cells), dtype=bool)
    keep_columns = []
    for column in cells.columns:
        values = cells[column].fillna("").astype(str).str.strip()
        filled = (values != "").to_numpy()
        if filled.any():
            cells[column] = values
            keep_rows |= filled
            keep_columns.append(column)
    cells = cells.loc[keep_rows, keep_columns]
    cells.columns = range(cells.shape[1])
    position = {column: at for at, column in enumerate(keep_columns)}
    down = tuple(
        (top, bottom, position[column])
        for top, bottom, column in sheet.merged_down
        if column in position
    )
    unresolved = tuple(
        (row, None if at is None else position.get(at), letter)
        for row, at, letter in sheet.unresolved
    )
    return Sheet(sheet.file, sheet.name, cells, down, unresolved, sheet.hidden)


# A CSV cell Excel takes for a formula: = or @ first, or + or - before anything but a figure
# (-5 and +2,000 are numbers), or a tab or carriage return first
FORMULA_START = re.compile(r"[=@\t\r]|[+-](?![\d.])")


def inert_in_excel(text: str) -> str:
    """A text from a file or a user as a CSV opened in Excel shows it, not runs it: a name
    =HYPERLINK("http://…","点此") or -cmd|… gets a leading apostrophe (OWASP's advice on CSV
    injection); figures and every other text are left as they are."""
    return "'" + text if FORMULA_START.match(text) else text


def write_csv(rows: Iterable[Sequence[object]], header: Sequence[str]) -> str:
    """CSV text with a header row, '\\n' line ends, no index."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_frame_csv(frame: pd.DataFrame, path: Path, *, bom: bool = False) -> None:
    """A large frame as a UTF-8 CSV file (optionally with a BOM), written by pyarrow: 10 M rows
    in seconds and without a Python object per cell. Values are quoted only if any must be."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    header = ("\ufeff" if bom else "") + write_csv([], [str(c) for c in frame.columns])
    with path.open("wb") as out:
        out.write(header.encode("utf-8"))
        body = out.tell()
        try:
            pacsv.write_csv(table, out, _body_options("none"))
        except pa.ArrowInvalid:  # a comma, quote or line break in some value
            out.seek(body)
            out.truncate()
            pacsv.write_csv(table, out, _body_options("needed"))


def _body_options(quoting: str) -> pacsv.WriteOptions:
    return pacsv.WriteOptions(include_header=False, quoting_style=quoting)
