"""Files in and out: reading quota and progress tables (CSV in UTF-8 or GBK), writing CSV.

Every problem found names the file, the row (as a spreadsheet numbers it: the header is row
1) and the column, in Chinese; a file with any problem yields no data at all.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import charset_normalizer
import pandas as pd

from dashboard.campaign import (
    GROUP_PROGRESS_COLUMNS,
    GROUP_QUOTA_COLUMNS,
    PROGRESS_COLUMNS,
    QUOTA_COLUMNS,
)
from dashboard.glossary import (
    BASE_POPULATION,
    DATE,
    ENROLLED,
    GROUP,
    HEADER_ALIASES,
    LAST_YEAR_ENROLLED,
    POSITION,
    QUOTA,
    ROSTER,
    SIMULATED,
    TOTAL_LABEL,
    TOWNSHIP,
    VILLAGE,
)
from data_models.policy import CountyPolicy

IGNORED_HEADERS = {"序号", "备注", "no", "note"}
TOTAL_WORDS = {TOTAL_LABEL, "总计", "全县合计", "合 计", "total"}
REQUIRED_HEADERS = {TOWNSHIP: "乡镇", QUOTA: "征缴任务数", DATE: "日期", ENROLLED: "参保人数"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, said in Chinese for the clerk who must fix it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column is not None:
            where.append(f"“{self.column}”列")
        value = f"（值：“{self.value}”）" if self.value is not None else ""
        return f"{' '.join(where)}：{self.reason}{value}"


class InputError(Exception):
    """A file was rejected; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def normalise_name(text: str) -> str:
    """Fold full-width characters to half-width and drop all whitespace.

    ' 湍东镇\u3000' -> '湍东镇'; '乡镇（街道）' -> '乡镇(街道)'.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def decode(raw: bytes, file: str) -> str:
    """Decode a text file in UTF-8 (with or without BOM) or GBK/GB18030.

    UTF-8 is tried first because a GBK file almost never decodes as UTF-8, while the reverse
    happens; then GB18030, a superset of GBK; charset-normalizer only as a last resort.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise InputError(
            [Problem(file, None, None, None, "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")]
        )
    return str(best)


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text: the header and each data row with its row number."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def problem(
        self, row: int | None, column: int | None, value: str | None, reason: str
    ) -> Problem:
        """A problem in this file at a row (None: the whole file) and column index."""
        name = self.header[column] if column is not None else None
        return Problem(self.file, row, name, value, reason)


def read_raw(path: Path, *, name: str | None = None) -> RawTable:
    """Read a CSV file into text cells; blank rows are skipped."""
    file = name or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            [Problem(file, None, None, None, f"无法读取文件：{exc.strerror}")]
        ) from exc
    return parse_csv(raw, file)


def parse_csv(raw: bytes, file: str) -> RawTable:
    """Parse CSV bytes (any supported encoding) into text cells."""
    text = decode(raw, file)
    lines = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not lines:
        raise InputError([Problem(file, None, None, None, "文件为空")])
    (_, header), *rows = lines
    return RawTable(file, header, rows)


def _column_map(
    table: RawTable, extra: dict[str, str], required: Sequence[str]
) -> tuple[dict[str, int], list[Problem]]:
    """Map canonical column names to positions; report missing and unknown headers."""
    aliases = {normalise_name(k).lower(): v for k, v in {**HEADER_ALIASES, **extra}.items()}
    found: dict[str, int] = {}
    problems = []
    for index, header in enumerate(table.header):
        key = normalise_name(header).lower()
        if not key or key in IGNORED_HEADERS:
            continue
        column = aliases.get(key)
        if column is None:
            problems.append(Problem(table.file, 1, header, None, "无法识别的列名"))
        elif column in found:
            problems.append(Problem(table.file, 1, header, None, "列名重复"))
        else:
            found[column] = index
    for column in required:
        if column not in found:
            names = "、".join(k for k, v in HEADER_ALIASES.items() if v == column)
            problems.append(
                Problem(
                    table.file,
                    1,
                    REQUIRED_HEADERS[column],
                    None,
                    f"缺少必需的列（可用列名：{names}）",
                )
            )
    return found, problems


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def parse_count(text: str) -> int | None:
    """A non-negative whole number, thousands separators allowed: '10,598' -> 10598; else None."""
    cleaned = normalise_name(text).replace(",", "")
    if re.fullmatch(r"\d+(\.0+)?", cleaned):
        return int(cleaned.split(".")[0])
    return None


def parse_date(text: str) -> date | None:
    """A date written as 2023-11-30, 2023/11/30, 2023.11.30, 2023年11月30日 or 20231130."""
    cleaned = normalise_name(text)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


class _Township:
    """Matches township names in a file to the county's, tolerating width and spaces."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = list(known)
        self.by_key = {normalise_name(n): n for n in self.known}

    def find(self, text: str) -> str | None:
        return self.by_key.get(normalise_name(text))

    def unknown(self, table: RawTable, number: int, header: str, text: str) -> Problem:
        close = difflib.get_close_matches(normalise_name(text), list(self.by_key), n=1, cutoff=0.5)
        hint = f"，是否为“{self.by_key[close[0]]}”？" if close else ""
        return Problem(table.file, number, header, text, f"不是本县的乡镇{hint}")


def _group_aliases(policy: CountyPolicy) -> dict[str, str]:
    aliases = {}
    for group in policy.groups:
        for name in (group.label, *group.aliases, group.code):
            aliases[name] = f"group:{group.code}"
    return aliases


def _is_total(row: list[str], index: int) -> bool:
    return normalise_name(_cell(row, index)).lower() in {
        normalise_name(w).lower() for w in TOTAL_WORDS
    }


def _counts(
    table: RawTable, columns: dict[str, int], names: Iterable[str], problems: list[Problem]
) -> list[dict[str, int | None]]:
    """Parse the count columns of every data row; bad cells become problems."""
    parsed = []
    for number, row in table.rows:
        values: dict[str, int | None] = {}
        for name in names:
            if name not in columns:
                continue
            text = _cell(row, columns[name])
            value = parse_count(text)
            if value is None and text:
                problems.append(table.problem(number, columns[name], text, "不是非负整数"))
            elif value is None and name in (QUOTA, ENROLLED):
                problems.append(table.problem(number, columns[name], text, "不能为空"))
            values[name] = value
        parsed.append(values)
    return parsed


def read_quota_table(
    table: RawTable, policy: CountyPolicy, *, townships: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a quota table (征缴任务表) into a quota frame and a special-group roster frame.

    Required columns: township and quota (乡镇, 征缴任务数 — or township, quota); optional:
    base population, last year's enrolled and one column per special group of the county's
    policy. A totals row (合计) is checked against the column sums and not imported. When
    ``townships`` is given, every name must be one of them and none may be missing.
    """
    columns, problems = _column_map(table, _group_aliases(policy), [TOWNSHIP, QUOTA])
    if problems:
        raise InputError(problems)
    township_col = columns[TOWNSHIP]
    count_names = [c for c in columns if c != TOWNSHIP]
    counts = _counts(table, columns, count_names, problems)
    matcher = _Township(townships or [])
    records: list[tuple[str, dict[str, int | None]]] = []
    totals: tuple[int, dict[str, int | None]] | None = None
    seen: dict[str, int] = {}
    for (number, row), values in zip(table.rows, counts, strict=True):
        text = _cell(row, township_col)
        if _is_total(row, township_col):
            totals = (number, values)
            continue
        name = normalise_name(text) if townships is None else matcher.find(text)
        if not text:
            problems.append(table.problem(number, township_col, text, "乡镇不能为空"))
        elif name is None:
            problems.append(matcher.unknown(table, number, table.header[township_col], text))
        elif name in seen:
            problems.append(
                table.problem(number, township_col, text, f"乡镇重复（已见于第{seen[name]}行）")
            )
        else:
            seen[name] = number
            records.append((name, values))
    if townships is not None:
        for name in townships:
            if name not in seen:
                problems.append(table.problem(None, township_col, name, "缺少该乡镇的任务数"))
    if totals is not None:
        problems.extend(_check_totals(table, columns, totals, [v for _, v in records]))
    if problems:
        raise InputError(problems)
    return _quota_frames(records)


def _check_totals(
    table: RawTable,
    columns: dict[str, int],
    totals: tuple[int, dict[str, int | None]],
    values: list[dict[str, int | None]],
) -> list[Problem]:
    number, printed = totals
    problems = []
    for name, total in printed.items():
        actual = sum(v.get(name) or 0 for v in values)
        if total is not None and total != actual:
            problems.append(
                table.problem(
                    number, columns[name], str(total), f"合计行与各行之和（{actual}）不符"
                )
            )
    return problems


def _quota_frames(
    records: list[tuple[str, dict[str, int | None]]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    quotas = pd.DataFrame(
        [
            {
                TOWNSHIP: name,
                POSITION: i,
                QUOTA: values[QUOTA],
                BASE_POPULATION: values.get(BASE_POPULATION),
                LAST_YEAR_ENROLLED: values.get(LAST_YEAR_ENROLLED),
            }
            for i, (name, values) in enumerate(records, start=1)
        ],
        columns=QUOTA_COLUMNS,
    )
    for column in (BASE_POPULATION, LAST_YEAR_ENROLLED):
        quotas[column] = quotas[column].astype("Int64")
    groups = pd.DataFrame(
        [
            {TOWNSHIP: name, GROUP: key.removeprefix("group:"), ROSTER: value}
            for name, values in records
            for key, value in values.items()
            if key.startswith("group:") and value is not None
        ],
        columns=GROUP_QUOTA_COLUMNS,
    )
    return quotas, groups


def read_progress_table(
    table: RawTable, policy: CountyPolicy, *, townships: Sequence[str], simulated: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a progress report (进度表) into a progress frame and a special-group progress frame.

    Required columns: date, township, cumulative enrolled (日期, 乡镇, 参保人数 — or date,
    township, enrolled); optional: village and one column per special group. Dates must fall
    in the campaign (catch-up included); a cumulative count may not drop from one date to the
    next for the same township (and village); the same township and date may appear once.
    """
    columns, problems = _column_map(table, _group_aliases(policy), [DATE, TOWNSHIP, ENROLLED])
    if problems:
        raise InputError(problems)
    campaign = policy.campaign
    last_day = campaign.catch_up_end or campaign.end
    matcher = _Township(townships)
    counts = _counts(
        table, columns, [c for c in columns if c not in (DATE, TOWNSHIP, VILLAGE)], problems
    )
    records: list[tuple] = []
    seen: dict[tuple, int] = {}
    for (number, row), values in zip(table.rows, counts, strict=True):
        if _is_total(row, columns[TOWNSHIP]):
            continue
        day_text = _cell(row, columns[DATE])
        day = parse_date(day_text)
        if day is None:
            problems.append(
                table.problem(
                    number, columns[DATE], day_text, "不是有效日期（应为 2023-11-30 这样的格式）"
                )
            )
        elif not campaign.start <= day <= last_day:
            problems.append(
                table.problem(
                    number, columns[DATE], day_text, f"不在征缴期内（{campaign.start}至{last_day}）"
                )
            )
        text = _cell(row, columns[TOWNSHIP])
        township = matcher.find(text)
        if township is None:
            problems.append(matcher.unknown(table, number, table.header[columns[TOWNSHIP]], text))
        village = normalise_name(_cell(row, columns.get(VILLAGE)))
        key = (day, township, village)
        if day is not None and township is not None:
            if key in seen:
                problems.append(
                    table.problem(
                        number,
                        columns[TOWNSHIP],
                        text,
                        f"同一日期、同一乡镇重复（已见于第{seen[key]}行）",
                    )
                )
            seen[key] = number
        records.append((number, day, township, village, values))
    if problems:
        raise InputError(problems)
    problems.extend(_check_cumulative(table, columns, records))
    if problems:
        raise InputError(problems)
    return _progress_frames(records, simulated)


def _check_cumulative(table: RawTable, columns: dict[str, int], records: list) -> list[Problem]:
    """A cumulative count that drops is a typing error: report the row where it drops."""
    problems = []
    last: dict[tuple, tuple[date, int]] = {}
    for number, day, township, village, values in sorted(records, key=lambda r: r[1]):
        for name, value in values.items():
            if value is None:
                continue
            key = (township, village, name)
            if key in last and value < last[key][1]:
                before_day, before = last[key]
                problems.append(
                    table.problem(
                        number, columns[name], str(value), f"累计人数比{before_day}的{before}少"
                    )
                )
            last[key] = (day, value)
    return sorted(problems, key=lambda p: p.row or 0)


def _progress_frames(records: list, simulated: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    progress = pd.DataFrame(
        [
            {
                DATE: day,
                TOWNSHIP: township,
                VILLAGE: village,
                ENROLLED: values[ENROLLED],
                SIMULATED: simulated,
            }
            for _, day, township, village, values in records
        ],
        columns=PROGRESS_COLUMNS,
    )
    groups = pd.DataFrame(
        [
            {
                DATE: day,
                TOWNSHIP: township,
                GROUP: key.removeprefix("group:"),
                ENROLLED: value,
                SIMULATED: simulated,
            }
            for _, day, township, _, values in records
            for key, value in values.items()
            if key.startswith("group:") and value is not None
        ],
        columns=GROUP_PROGRESS_COLUMNS,
    )
    progress[ENROLLED] = progress[ENROLLED].astype("int64")
    groups[ENROLLED] = groups[ENROLLED].astype("int64")
    return progress, groups


def write_csv(rows: Iterable[Sequence[object]], header: Sequence[str]) -> str:
    """CSV text with a header row, '\\n' line ends, no index."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
