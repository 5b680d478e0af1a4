"""Files in and out: bytes of .xlsx/.xls/.csv to text cells, and CSV/xlsx bytes back out.

Text files are UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or
GBK/GB18030; the encoding is detected, and a file that fits none of them is refused rather
than guessed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import charset_normalizer
import pandas as pd
from python_calamine import CalamineWorkbook

from dashboard.problems import InputError, Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "cp936", "hz", "utf_8", "ascii"}
HEAD_ROWS = 15


@dataclass(frozen=True)
class Sheet:
    """One table of text cells; ``cells`` is indexed by the row number a spreadsheet shows."""

    file: str
    name: str | None
    cells: pd.DataFrame

    @property
    def label(self) -> str:
        """The file name, with the sheet for a workbook: 'q.xlsx[任务表]'."""
        return f"{self.file}[{self.name}]" if self.name else self.file


def decode(raw: bytes, file: str) -> str:
    """Decode a text file: a BOM decides; else UTF-8, else GB18030 (a superset of GBK).

    A GB18030 decode is accepted only when charset-normalizer agrees the text is Chinese
    (GB family) or plain; Big5, Shift-JIS and the like are refused with a message instead of
    being read as garbage.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    guess = charset_normalizer.from_bytes(raw[:200_000]).best()
    if text is not None and (guess is None or guess.encoding in CHINESE_ENCODINGS):
        return text
    found = f"（疑似 {guess.encoding}）" if guess is not None else ""
    raise InputError(
        [
            Problem(
                file, None, None, None, f"无法识别文件编码{found}，请另存为 UTF-8 或 GBK 编码的 CSV"
            )
        ]
    )


def _delimiter(text: str) -> str:
    first = next((line for line in text[:20_000].splitlines() if line.strip()), "")
    return max([",", "\t", ";"], key=first.count) if first else ","


def _csv_cells(text: str) -> pd.DataFrame:
    delimiter = _delimiter(text)
    head = list(csv.reader(io.StringIO(text[:100_000]), delimiter=delimiter))[:200]
    width = max((len(r) for r in head), default=1) + 8
    frame = pd.read_csv(
        io.StringIO(text),
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


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _workbook_sheets(raw: bytes, file: str) -> list[Sheet]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputError([Problem(file, None, None, None, f"无法打开 Excel 文件：{exc}")]) from exc
    sheets = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        cells = pd.DataFrame(
            [[_cell_text(v) for v in row] + [""] * (width - len(row)) for row in rows],
            dtype=object,
        )
        cells.index = cells.index + 1
        sheets.append(Sheet(file, name, cells))
    return sheets


def read_sheets(raw: bytes, file: str) -> list[Sheet]:
    """Every table in a file as text cells: each worksheet of a workbook, or the one CSV table.

    Blank rows and columns are dropped (row numbers keep counting them). An empty file, or
    one whose sheets are all empty, is refused.
    """
    if raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
        sheets = _workbook_sheets(raw, file)
    else:
        try:
            cells = _csv_cells(decode(raw, file))
        except pd.errors.ParserError as exc:
            raise InputError([Problem(file, None, None, None, f"CSV 格式错误：{exc}")]) from exc
        sheets = [Sheet(file, None, cells)]
    tidy = [Sheet(s.file, s.name, _drop_blank(s.cells)) for s in sheets]
    tidy = [s for s in tidy if not s.cells.empty]
    if not tidy:
        raise InputError([Problem(file, None, None, None, "文件为空")])
    return tidy


def _drop_blank(cells: pd.DataFrame) -> pd.DataFrame:
    if cells.empty:
        return cells
    cells = cells.fillna("").astype(str).apply(lambda c: c.str.strip())
    cells = cells.loc[(cells != "").any(axis=1), (cells != "").any(axis=0)]
    cells.columns = range(cells.shape[1])
    return cells


def write_csv(rows: Iterable[Sequence[object]], header: Sequence[str]) -> str:
    """CSV text with a header row, '\\n' line ends, no index."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
