"""Where a file's table is and what kind of file it is.

A file's kind is recognised from its headers (Chinese or English, over one to four header rows
with merged cells): quota tables (任务表), progress reports (进度表), payment lists (缴费明细)
and special-group rosters (资助名单), the four that are imported, and village collectors' cash
ledgers (现金台账), read only to be checked, and the final counts the bureaus verify (核定人数表),
entered on 结算. A workbook's sheets of one kind are read as one table, each row keeping its
sheet and row number. Nothing here converts a cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import pandas as pd

from dashboard.files import HEAD_ROWS, Sheet
from dashboard.glossary import (
    AMOUNT,
    BASE_POPULATION,
    CHANNEL,
    COLLECTOR,
    DATE,
    DEPOSITED_ON,
    DERIVED_HEADERS,
    DOCUMENT,
    ENROLLED,
    GROUP,
    HEADER_ALIASES,
    ID_NUMBER,
    IGNORED_HEADERS,
    INSURANCE,
    LAST_YEAR_ENROLLED,
    NAME,
    PAID_ON,
    PERIOD,
    QUOTA,
    RECEIVED_ON,
    RECOGNISED_ON,
    STAND_IN_HEADERS,
    STATUS,
    TOTAL_WORDS,
    TOWNSHIP,
    UNUSED_HEADERS,
    VERIFIED,
    VILLAGE,
    VOUCHER,
)
from dashboard.problems import InputError, Problem
from data_models.policy import CampaignDates, CountyPolicy

Kind = Literal["quota", "progress", "payments", "roster"]
FileKind = Kind | Literal["ledger", "verified"]
KIND_LABELS: dict[str, str] = {  # the kinds that are imported, recognised from their headers
    "quota": "任务表",
    "progress": "进度表",
    "payments": "缴费明细",
    "roster": "资助名单",
}
FILE_LABELS: dict[str, str] = {**KIND_LABELS, "ledger": "现金台账", "verified": "核定人数表"}
# The kinds read elsewhere than 数据导入, and where
ELSEWHERE: dict[FileKind, str] = {
    "ledger": "在“资金报解”中检查，不作为数据导入",
    "verified": "征缴结束后在“结算”页录入核定结果，不作为数据导入",
}
ROW = "_row"
SHEET = "_sheet"  # the sheet (file[sheet] label) a row comes from
GROUP_PREFIX = "group:"
PERSON_KINDS = ("payments", "roster")  # lists of people; the other kinds count them
REQUIRED_LABELS = {
    TOWNSHIP: "乡镇",
    QUOTA: "征缴任务数",
    DATE: "日期",
    ENROLLED: "参保人数",
    ID_NUMBER: "身份证号",
    PAID_ON: "缴费日期",
    AMOUNT: "缴费金额",
    GROUP: "人员类别",
    COLLECTOR: "经办人",
    RECEIVED_ON: "收款日期",
    VERIFIED: "核定参保人数",
}


@dataclass(frozen=True)
class KindSpec:
    """The columns a kind of file must have and may have; group columns where allowed; and
    columns accepted but not imported, each with why (``passed_over``: a progress report's
    任务数, which the official quota table sets; a payment list's 人员类别, which the rosters
    set)."""

    kind: FileKind
    required: tuple[str, ...]
    optional: tuple[str, ...]
    group_columns: bool = False
    passed_over: Mapping[str, str] = field(default_factory=dict)


# A year column (参保年度, 所属期) of a list that is not a payment list: read past, the list
# goes into the campaign being viewed
OF_THE_CAMPAIGN = {PERIOD: "按正在查看的征缴年度导入"}
SPECS: dict[FileKind, KindSpec] = {
    "quota": KindSpec(
        "quota", (TOWNSHIP, QUOTA), (BASE_POPULATION, LAST_YEAR_ENROLLED), True, OF_THE_CAMPAIGN
    ),
    "progress": KindSpec(
        "progress",
        (DATE, TOWNSHIP, ENROLLED),
        (VILLAGE,),
        True,
        {
            QUOTA: "以正式任务表为准",
            BASE_POPULATION: "以正式任务表为准",
            LAST_YEAR_ENROLLED: "以正式任务表为准",
        }
        | OF_THE_CAMPAIGN,
    ),
    "payments": KindSpec(
        "payments",
        (ID_NUMBER, TOWNSHIP, PAID_ON, AMOUNT),
        (NAME, VILLAGE, CHANNEL, STATUS, DOCUMENT, INSURANCE, VOUCHER, PERIOD),
        passed_over={GROUP: "特殊群体以资助名单为准"},
    ),
    "roster": KindSpec(
        "roster",
        (ID_NUMBER, TOWNSHIP, GROUP),
        (NAME, VILLAGE, RECOGNISED_ON, STATUS, DOCUMENT),
        passed_over=OF_THE_CAMPAIGN,
    ),
    "ledger": KindSpec(
        "ledger",
        (TOWNSHIP, COLLECTOR, RECEIVED_ON, AMOUNT),
        (VILLAGE, NAME, DEPOSITED_ON),
        passed_over=OF_THE_CAMPAIGN,
    ),
    "verified": KindSpec(
        "verified",
        (TOWNSHIP, VERIFIED),
        (),
        passed_over={QUOTA: "以正式任务表为准", ENROLLED: "以核定参保人数为准"} | OF_THE_CAMPAIGN,
    ),
}


def normalise_name(text: str) -> str:
    """Fold full-width characters to half-width and drop all whitespace.

    ' 湍东镇\\u3000' -> '湍东镇'; '乡镇（街道）' -> '乡镇(街道)'.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# A header's year as looked up (2024年…, 2023年度… read 年:…): the printed quota table's headers
# name their years, and a year later the next ones
OF_A_YEAR = "年:"


def header_key(text: str) -> str:
    """A header as looked up: normalised, lower case, without a unit after it ((人), (元), (%),
    %) or 其中: before it, and the year it is of as OF_A_YEAR."""
    key = normalise_name(text).lower()
    key = re.sub(r"(\((人|元|户|人次|%)\)|%)$", "", key)
    key = re.sub(r"^(19|20)\d{2}年度?", OF_A_YEAR, key)
    return key.removeprefix("其中:")


# Names the civil-affairs and rural-revitalisation systems give a kind of group, by the short
# name a county's group of that kind answers to (特困, 低保 …): a roster written 分散供养特困人员
# or 农村低保 is that county's group, whatever its notice calls it.
GROUP_FAMILIES: dict[str, tuple[str, ...]] = {
    "特困": (
        "特困人员",
        "特困户",
        "特困供养",
        "特困供养人员",
        "特困供养对象",
        "分散供养特困人员",
        "集中供养特困人员",
        # 农村五保供养, merged into 特困人员救助供养 in 2014, as rural rosters still write it
        "五保",
        "五保户",
        "五保供养",
        "五保供养对象",
        "农村五保",
    ),
    "低保": ("城市低保", "农村低保", "城乡低保", "低保户", "低保对象", "低保家庭", "低保人员"),
    "脱贫": ("脱贫人口", "脱贫人员", "脱贫户", "一般脱贫户", "建档立卡脱贫户", "脱贫享受政策户"),
    "监测": (
        "监测户",
        "监测对象",
        "防返贫监测对象",
        "脱贫不稳定户",
        "边缘易致贫户",
        "突发严重困难户",
    ),
    "返贫致贫": ("致贫返贫", "返贫致贫人员", "致贫返贫人员"),
}


def group_keys(policy: CountyPolicy) -> dict[str, str]:
    """Each special group's code by the header key of each of its names (label, other names
    its notice gives it, code), and of the names of its kind (GROUP_FAMILIES) where it answers
    to the kind's short name: how a roster's category or a group's column is recognised."""
    keys = {
        header_key(name): group.code
        for group in policy.groups
        for name in (group.label, *group.aliases, group.code)
    }
    for short, names in GROUP_FAMILIES.items():
        if (code := keys.get(short)) is not None:
            keys |= {header_key(n): code for n in names if header_key(n) not in keys}
    return keys


# The quota table's figures, which a header may name with any year (2024年征缴任务数,
# 2022年乡村人口数). A count of enrolled of a year is not taken: 2023年度参保人数 beside a quota
# is last year's, in a progress table this year's.
YEARLY_COLUMNS = frozenset({QUOTA, BASE_POPULATION, LAST_YEAR_ENROLLED})


# What a group's column may say after the group's name: that it counts its people (特困人数,
# 低保参保人数, 特困（已参保）), in a quota table the roster's, in a progress report the enrolled
GROUP_COUNT_SUFFIXES = (
    "", "人数", "参保人数", "已参保人数", "已参保", "(已参保)", "(参保人数)", "缴费人数",
    "已缴费人数", "参保缴费人数",
)  # fmt: skip
# The listed headers by their key, the same for every county: worked out once
NAMED_HEADERS = {header_key(k): v for k, v in HEADER_ALIASES.items()}


def column_aliases(policy: CountyPolicy) -> dict[str, str]:
    """The column each known header names, a group's column as GROUP_PREFIX + its code (its
    names with GROUP_COUNT_SUFFIXES too); the quota table's figures with a year before them
    too (YEARLY_COLUMNS)."""
    groups = {
        key + suffix: GROUP_PREFIX + code
        for key, code in group_keys(policy).items()
        for suffix in GROUP_COUNT_SUFFIXES
    }
    named = NAMED_HEADERS | groups
    yearly = {OF_A_YEAR + k: v for k, v in named.items() if v in YEARLY_COLUMNS}
    return yearly | named


def _header_block(head: pd.DataFrame, aliases: dict[str, str]) -> tuple[int, int] | None:
    """Positions (first, last) of the header rows among the top rows.

    The header starts at the first row that names a known column; rows below it belong to
    the header while their township cell is empty (merged from above), at most three more.
    A data row always names its township, but for the 合计 row that many tables put first
    (合计 in the 序号 column, the township's cell empty or merged into it): a row with a total's
    word and a figure ends the header (a header's 合计 over a column, as Zhashui's, has none).
    """
    known = [i for i in range(len(head)) if any(header_key(v) in aliases for v in head.iloc[i])]
    if not known:
        return None
    first = known[0]
    cells = list(head.iloc[first])
    township = next((c for c, v in enumerate(cells) if aliases.get(header_key(v)) == TOWNSHIP), 0)
    last = first
    while (
        last + 1 < min(len(head), first + 4)
        and not str(head.iloc[last + 1, township]).strip()
        and not _totals_row(head.iloc[last + 1])
    ):
        last += 1
    return first, last


TOTAL_KEYS = frozenset(header_key(w) for w in TOTAL_WORDS)
FIGURE = re.compile(r"\d[\d,]*(\.\d+)?")


def _totals_row(cells: pd.Series) -> bool:
    """True for a row that says it is the total (合计, 全县 …) and has a figure."""
    texts = [normalise_name(str(v)) for v in cells]
    return any(header_key(t) in TOTAL_KEYS for t in texts) and any(
        FIGURE.fullmatch(t) for t in texts
    )


def _column_names(header: pd.DataFrame, aliases: dict[str, str]) -> list[tuple[str, str | None]]:
    """For each column: the text to show for it and the column it means (None: unknown).

    Upper header rows are filled rightwards across merged cells; a column's meaning is the
    lowest header cell that names a known column (so 合计 under 征缴任务数 is the quota, and
    特困供养人员 under 其中：特殊人群 is that group).
    """
    filled = header.copy()
    for r in range(len(filled) - 1):
        filled.iloc[r] = filled.iloc[r].replace("", pd.NA).ffill().fillna("")
    names = []
    for c in filled.columns:
        cells = [v for v in filled[c] if v]
        own = [v for v in header[c] if v]
        meaning = next(filter(None, (_meaning(v, aliases) for v in reversed(cells))), None)
        names.append((own[-1] if own else (cells[-1] if cells else ""), meaning))
    return names


def _meaning(text: str, aliases: Mapping[str, str]) -> str | None:
    """The column a header cell names: as listed, or a quota in the words counties put it in
    (分解任务数, 下达任务, 2024年度参保缴费任务, 居民医保征缴任务数 …: a task, not what is done
    of it). Only a cell of the header row names a column so: a title (…征缴任务分解表) does not
    make its row the header."""
    key = header_key(text)
    if key in aliases:
        return aliases[key]
    words = key.removeprefix(OF_A_YEAR)
    return QUOTA if "任务" in words and not NOT_A_QUOTA.search(words) else None


# What a header with 任务 in it says when it is not the quota: how much of it is done, left,
# a rate or a share of it, or a table's title
NOT_A_QUOTA = re.compile(r"完成|未|剩余|差|超|率|占|比|新增|增减|变化|变动|表|情况|进度")


def _merged_filled(body: pd.DataFrame, merged_down: Sequence[tuple[int, int, int]]) -> pd.DataFrame:
    """The table's rows with each cell merged down a column (a township over its villages'
    rows) holding the value on every row it spans, as the spreadsheet shows it."""
    spans = [(top, bottom, c) for top, bottom, c in merged_down if top in body.index]
    if not spans:
        return body
    body = body.copy()
    for top, bottom, column in spans:
        rows = (body.index > top) & (body.index <= bottom)
        body.loc[rows, column] = body.at[top, column]
    return body


@dataclass(frozen=True)
class Layout:
    sheet: Sheet
    columns: dict[str, int]
    headers: dict[str, str]
    body: pd.DataFrame
    problems: list[Problem]
    header_row: int
    # Sheets read as one: the sheet label (SHEET) and row number (ROW) of each body row, by
    # the body's index; None for one sheet, whose index is its row numbers.
    origin: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()  # what the user should know of how the table was read
    # the sheet's columns nothing is read from: without a header, or headers the dashboard
    # does not use (备注, 完成率 …)
    ignored: frozenset[int] = frozenset()
    # the columns whose headers name nothing known (a problem each, but in a list of people)
    unknown: tuple[tuple[int, str], ...] = ()

    def text(self, body: pd.DataFrame, column: str) -> pd.Series:
        """The cells of ``column`` in ``body`` (rows of this layout's body) as text; empty
        text where the sheet has no such column."""
        position = self.columns.get(column)
        if position is None:
            return pd.Series([""] * len(body), index=body.index, dtype=object)
        return body[position].astype(str)

    def origins(self, index: pd.Index) -> tuple[list[str], list[int]]:
        """Where the body rows at ``index`` are: their sheet labels and row numbers."""
        if self.origin is None:
            return [self.sheet.label] * len(index), [int(i) for i in index]
        found = self.origin.loc[index]
        return found[SHEET].tolist(), [int(r) for r in found[ROW]]


# A progress report often has no date column: the day it counts to is in its title (截至2022年
# 11月8日…), its sheet's name (11月8日) or its file's name (进度_20221108.xlsx).
DAY_IN_TEXT = re.compile(
    r"(?<!\d)(\d{4})[年/.-](\d{1,2})[月/.-](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})月(\d{1,2})日"
    r"|(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"
)


def stated_day(texts: Sequence[str], campaign: CampaignDates) -> tuple[date, str] | None:
    """The first day written in ``texts`` that falls within the campaign (catch-up included),
    and the text it is written in; a day without its year (11月8日) takes the campaign's."""
    last = campaign.last_day
    years = sorted({campaign.start.year, last.year})
    for text in texts:
        for found in DAY_IN_TEXT.finditer(normalise_name(text)):
            g: tuple[str, ...] = found.groups(default="")
            year, month, day = g[0:3] if g[0] else ("", *g[3:5]) if g[3] else g[5:8]
            for candidate_year in [int(year)] if year else years:
                try:
                    candidate = date(candidate_year, int(month), int(day))
                except ValueError:
                    continue
                if campaign.start <= candidate <= last:
                    return candidate, text
    return None


def _dated(layout: Layout, titles: list[str], campaign: CampaignDates) -> Layout:
    """A progress report without a date column, dated by the day its title, sheet name or file
    name states (a column of that day is added); as it is when none states one."""
    if ENROLLED not in layout.columns or DATE in layout.columns:
        return layout
    sheet = layout.sheet
    found = stated_day([*titles, sheet.name or "", sheet.file], campaign)
    if found is None:
        return layout
    day, text = found
    read = f"{day.year}年{day.month}月{day.day}日"
    return _stated(layout, DATE, day.isoformat(), text, ("统计日期", read))


# What a township's own list is: its people or its villages' counts. Sent by the township, it
# often has no township column: the township is in its sheet's name, title or file's name.
TOWNSHIP_LISTS = (ID_NUMBER, ENROLLED, COLLECTOR)


def _placed(
    layout: Layout, titles: list[str], townships: Sequence[str] | None, home: str | None
) -> Layout:
    """A township's own list without a township column, placed in the one township its sheet's
    name, else its title, else its file's name names (a column of it is added), else in
    ``home`` (the township of a township user, whose own list it is); as it is when none
    names one and there is no ``home``, or the first that names any names two."""
    columns = layout.columns
    if not townships or TOWNSHIP in columns or not any(c in columns for c in TOWNSHIP_LISTS):
        return layout
    sheet = layout.sheet
    for text in [sheet.name or "", *titles, sheet.file]:
        named = _named_townships(text, townships)
        if len(named) > 1:
            return layout
        if named:
            return _stated(layout, TOWNSHIP, named[0], text, ("乡镇", named[0]))
    if home is not None:
        return _stated(layout, TOWNSHIP, home, "登录用户的乡镇", ("乡镇", home))
    return layout


def _named_townships(text: str, townships: Sequence[str]) -> list[str]:
    """The townships whose whole names ``text`` holds (湍东镇 in 湍东镇缴费明细.xlsx; a 街道办事处
    as its 街道 too)."""
    written = normalise_name(text)
    return [name for name in townships if normalise_name(name).removesuffix("办事处") in written]


def _stated(layout: Layout, column: str, value: str, text: str, said: tuple[str, str]) -> Layout:
    """The layout with a column ``column`` of ``value`` added, as stated in ``text`` (a title,
    sheet name or file name), said in a note (``said``: what was taken, and as what) and in
    the column's header."""
    sheet = layout.sheet
    body = layout.body.copy()
    position = int(max(body.columns, default=-1)) + 1
    body[position] = value
    where = text if len(text) <= 30 else text[:29] + "…"
    label = REQUIRED_LABELS[column]
    what, read = said
    note = f"{sheet.label}没有{label}列：{what}按“{where}”记为{read}"
    return replace(
        layout,
        body=body,
        columns={**layout.columns, column: position},
        headers={**layout.headers, column: f"{label}（取自“{where}”）"},
        notes=(*layout.notes, note),
    )


UNKNOWN_HEADER = "无法识别的列名"


@dataclass
class _Headers:
    """What a table's header row says: the column of each meaning and its header as written,
    the columns passed over (``unused`` named in a note), a progress table's column per day
    (11月1日 …), and the headers that are not to be read."""

    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    ignored: set[int] = field(default_factory=set)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    days: dict[int, tuple[date, str]] = field(default_factory=dict)

    @classmethod
    def read(
        cls, header: pd.DataFrame, aliases: dict[str, str], campaign: CampaignDates, label: str
    ) -> _Headers:
        read = cls()
        row = int(header.index[-1])
        standing_in = []  # (meaning, column, text) of headers that name a column only alone
        for position, (text, meaning) in enumerate(_column_names(header, aliases)):
            column = header.columns[position]
            if meaning is None:
                key = header_key(text)
                if key in STAND_IN_HEADERS:
                    standing_in.append((STAND_IN_HEADERS[key], column, text))
                elif key in UNUSED_HEADERS:
                    read.pass_over(column, text)
                elif (day := _header_day(text, campaign)) is not None:
                    read.days[column] = (day, text)
                elif text and key not in IGNORED_HEADERS | DERIVED_HEADERS:
                    read.problems.append(Problem(label, row, text, None, UNKNOWN_HEADER))
                    read.unknown.append((column, text))
                else:
                    read.ignored.add(column)
            elif meaning in read.columns:
                read.problems.append(Problem(label, row, text, None, "列名重复"))
            else:
                read.take(meaning, column, text)
        for meaning, column, text in standing_in:
            if meaning in read.columns:
                read.pass_over(column, text)
            else:
                read.take(meaning, column, text)
        return read

    def take(self, meaning: str, column: int, text: str) -> None:
        self.columns[meaning] = column
        self.headers[meaning] = text

    def pass_over(self, column: int, text: str) -> None:
        self.unused.append(text)
        self.ignored.add(column)


def _layout(
    sheet: Sheet,
    aliases: dict[str, str],
    campaign: CampaignDates,
    townships: Sequence[str] | None = None,
    home: str | None = None,
) -> Layout | None:
    head = sheet.cells.head(HEAD_ROWS)
    block = _header_block(head, aliases)
    if block is None:
        return None
    first, last = block
    header = head.iloc[first : last + 1]
    header_row = int(header.index[-1])
    read = _Headers.read(header, aliases, campaign, sheet.label)
    body = _merged_filled(sheet.cells.iloc[last + 1 :], sheet.merged_down)
    notes = (f"这些列看板用不到，未导入：{'、'.join(read.unused)}",) if read.unused else ()
    layout = Layout(
        sheet,
        read.columns,
        read.headers,
        body,
        read.problems,
        header_row,
        notes=notes,
        ignored=frozenset(read.ignored),
        unknown=tuple(read.unknown),
    )
    if read.days and TOWNSHIP in read.columns and not {DATE, ENROLLED} & set(read.columns):
        return _by_day(layout, read.days)
    read.problems.extend(  # day columns beside a count or date column are not a day-by-day table
        Problem(sheet.label, header_row, text, None, UNKNOWN_HEADER)
        for _, text in read.days.values()
    )
    titles = [
        " ".join(str(v).strip() for v in head.iloc[r] if str(v).strip()) for r in range(first)
    ]
    return _placed(_dated(layout, titles, campaign), titles, townships, home)


def _header_day(text: str, campaign: CampaignDates) -> date | None:
    """The day a column header names when that is all it says (11月8日, 2022-11-08,
    截至11月8日累计参保人数), within the campaign; None for any other header."""
    found = stated_day([text], campaign)
    if found is None:
        return None
    rest = DAY_IN_TEXT.sub("", normalise_name(text), count=1)
    return (
        found[0]
        if re.fullmatch(r"(截至|截止|至)?(累计)?(参保)?(缴费)?(人数)?(\(人\))?", rest)
        else None
    )


def _by_day(layout: Layout, days: dict[int, tuple[date, str]]) -> Layout:
    """A progress table kept one column per day (乡镇 | 11月1日 | 11月8日 …) as one row per
    township (and village) and day, each keeping its row number; blank cells are skipped."""
    body, columns = layout.body, layout.columns
    keys = [c for c in (TOWNSHIP, VILLAGE) if c in columns]
    # the sheet's first column stays first, where a 合计 row may say so (序号 | 乡镇 | …)
    kept = [body.columns[0], *(columns[k] for k in keys)]
    kept = list(dict.fromkeys(kept))
    parts = []
    for position, (day, _) in sorted(days.items(), key=lambda item: item[1]):
        counts = body[position].astype(str).str.strip()
        filled = counts != ""
        part = body.loc[filled, kept].copy()
        part[DATE] = day.isoformat()
        part[ENROLLED] = counts[filled]
        parts.append(part)
    long = pd.concat(parts)
    rows = long.index
    long = long.reset_index(drop=True)
    long.columns = range(long.shape[1])
    label = layout.sheet.label
    first, final = min(d for d, _ in days.values()), max(d for d, _ in days.values())
    note = (
        f"{label}按日期分列：{len(days)}个日期列（{first.month}月{first.day}日至"
        f"{final.month}月{final.day}日）读作各日的累计参保人数"
    )
    return replace(
        layout,
        body=long,
        columns={
            **{k: kept.index(columns[k]) for k in keys},
            DATE: len(kept),
            ENROLLED: len(kept) + 1,
        },
        headers={**layout.headers, DATE: "日期（列名）", ENROLLED: "参保人数（各日期列）"},
        origin=pd.DataFrame({SHEET: label, ROW: [int(r) for r in rows]}),
        notes=(*layout.notes, note),
        ignored=layout.ignored | (set(body.columns) - set(kept) - set(days)),
    )


def _detect(layout: Layout, wanted: FileKind | None) -> FileKind | None:
    present = set(layout.columns)
    if wanted is None and VERIFIED in present:  # the verified counts: entered on 结算
        return None
    kinds: list[FileKind] = [wanted] if wanted else [k for k in SPECS if k in KIND_LABELS]
    fits = [k for k in kinds if set(SPECS[k].required) <= present]
    if wanted is None and ENROLLED in present:  # counts enrolled: a progress report, dated or not
        fits = [k for k in fits if k != "quota"]
    if len(fits) > 1:  # a payment list also has what a roster needs, and so on: most specific
        fits.sort(key=lambda k: -len(set(SPECS[k].required) & present))
    return fits[0] if fits else None


def _missing(layout: Layout, kind: FileKind, *, naming: bool = False) -> list[Problem]:
    """A problem for each column ``kind`` requires that the sheet lacks (``naming``: the
    reason says which kind, where the sheet could be one of several)."""
    problems = []
    which = f"若为{FILE_LABELS[kind]}；" if naming else ""
    for column in SPECS[kind].required:
        if column not in layout.columns:
            reason = f"缺少必需的列（{which}可用列名：{_some_names(column)}）"
            if column == DATE and kind == "progress":
                reason += "，或在标题中写明统计日期（如“截至2023年11月30日”）"
            if column == TOWNSHIP and kind != "quota":
                reason += "；一个乡镇的表也可在工作表名、标题或文件名中写明乡镇"
            problems.append(
                Problem(
                    layout.sheet.label, layout.header_row, REQUIRED_LABELS[column], None, reason
                )
            )
    return problems


def _some_names(column: str) -> str:
    """A few of the headers that name ``column``, Chinese first: 参保人数、累计参保人数、
    已参保人数、enrolled等."""
    names = [k for k, v in HEADER_ALIASES.items() if v == column]
    chinese = [n for n in names if not n.isascii()]
    shown = chinese[:3] + [n for n in names if n.isascii()][:1]
    return "、".join(shown) + ("等" if len(names) > len(shown) else "")


def choose_sheet(
    sheets: Sequence[Sheet],
    policy: CountyPolicy,
    kind: FileKind | None,
    *,
    townships: Sequence[str] | None = None,
    home: str | None = None,
) -> tuple[Layout, FileKind]:
    """The sheets whose headers make them a file of ``kind`` (or of the first sheet's kind
    that has one), read as one table when there are several (a list kept one sheet per
    township or per group). A township's list without a township column is placed in the one
    of ``townships`` its sheet, title or file names, else in ``home`` (a township user's).

    A workbook's hidden sheets (last year's table, a list kept out of sight) are read past,
    with a note, where the sheets in sight hold a file; only where none does are they read."""
    shown = [s for s in sheets if not s.hidden]
    if shown and len(shown) < len(sheets):
        try:
            layout, found = _choose(shown, policy, kind, townships=townships, home=home)
        except InputError:
            pass
        else:
            names = "、".join(f"“{s.name}”" for s in sheets if s.hidden)
            return replace(layout, notes=(*layout.notes, f"隐藏的工作表{names}未读取")), found
    return _choose(sheets, policy, kind, townships=townships, home=home)


def _choose(
    sheets: Sequence[Sheet],
    policy: CountyPolicy,
    kind: FileKind | None,
    *,
    townships: Sequence[str] | None,
    home: str | None,
) -> tuple[Layout, FileKind]:
    aliases = column_aliases(policy)
    campaign = policy.campaign
    usable = [
        layout
        for s in sheets
        if (layout := _layout(s, aliases, campaign, townships, home)) is not None
    ]
    detected = [_detect(layout, kind) for layout in usable]
    # a payment list or roster beside its own summary sheet (乡镇, 缴费人数): the list is
    # what the workbook holds, whichever sheet comes first
    found = next((k for k in detected if k in PERSON_KINDS), None) or next(
        filter(None, detected), None
    )
    if found is not None:
        chosen = [u for u, k in zip(usable, detected, strict=True) if k == found]
        combined = _combine(chosen, found)
        if found in PERSON_KINDS:
            combined = _read_past(combined, found)
        others = [f"“{u.sheet.name}”" for u, k in zip(usable, detected, strict=True) if k != found]
        if not others:
            return combined, found
        note = f"工作表{'、'.join(others)}不是{FILE_LABELS[found]}，未导入"
        return replace(combined, notes=(*combined.notes, note)), found
    if kind is not None and usable:
        best = max(usable, key=lambda u: len(set(SPECS[kind].required) & set(u.columns)))
        raise InputError(best.problems + _missing(best, kind))
    file = sheets[0].file
    elsewhere = [k for k in ELSEWHERE if any(_detect(u, k) for u in usable)] if kind is None else []
    if elsewhere:  # a file of a kind another page reads
        reason = f"这是{FILE_LABELS[elsewhere[0]]}：{ELSEWHERE[elsewhere[0]]}"
        raise InputError([Problem(file, None, None, None, reason)])
    closest = _closest(usable)
    if closest is not None:  # a progress report but for its date, a payment list but for …
        layout, kinds = closest
        naming = len(kinds) > 1
        raise InputError(
            layout.problems + [p for k in kinds for p in _missing(layout, k, naming=naming)]
        )
    names = "、".join(s.name for s in sheets if s.name)
    where = f"（工作表：{names}）" if len(sheets) > 1 else ""
    wanted = FILE_LABELS[kind] if kind else "任务表、进度表、缴费明细或资助名单"
    raise InputError(
        [Problem(file, None, None, None, f"未找到{wanted}所需的列{where}，请使用模板")]
    )


def _read_past(layout: Layout, kind: FileKind) -> Layout:
    """A list of people with every column it needs reads past the columns it does not take,
    each named in a note instead of refused: those of another kind of file (a village's
    payment list with its 收款人, the cash ledger's column), and its unknown ones (the tax
    system's and the civil-affairs and rural-revitalisation systems' exports carry many of
    their own: 户编号, 供养方式, 致贫原因 …), with a note asking to check that none of them is
    a column the list should have had under another name."""
    spec = SPECS[kind]
    taken = {*spec.required, *spec.optional, *spec.passed_over}
    foreign = [c for c in layout.columns if c not in taken]
    notes = [f"“{layout.headers[c]}”列不导入：{FILE_LABELS[kind]}不用此列" for c in foreign]
    texts = [text for _, text in layout.unknown]
    if texts:
        notes.append(
            f"以下列名未能识别，未导入：{'、'.join(texts)}"
            f"（其中如有{OPTIONAL_HINTS[kind]}等列，请按模板改列名后重新导入）"
        )
    if not notes:
        return layout
    return replace(
        layout,
        columns={c: at for c, at in layout.columns.items() if c not in foreign},
        headers={c: text for c, text in layout.headers.items() if c not in foreign},
        problems=[
            p for p in layout.problems if not (p.reason == UNKNOWN_HEADER and p.column in texts)
        ],
        notes=(*layout.notes, *notes),
        ignored=layout.ignored
        | {layout.columns[c] for c in foreign}
        | {column for column, _ in layout.unknown},
        unknown=(),
    )


# The optional columns a list of people is most likely to carry under a name not known
OPTIONAL_HINTS = {"payments": "村（社区）、姓名、缴费状态", "roster": "村（社区）、姓名、认定日期"}


def _closest(usable: Sequence[Layout]) -> tuple[Layout, list[FileKind]] | None:
    """For a file that fits no kind: the sheet and the kinds it comes nearest to, by the most
    required columns it has beside the township every kind has; None when it has none."""
    best: tuple[int, Layout, list[FileKind]] | None = None
    for layout in usable:
        present = set(layout.columns) - {TOWNSHIP}
        scores: dict[FileKind, int] = {
            kind: len(set(SPECS[kind].required) & present)
            for kind in ("quota", "progress", "payments", "roster")
            if not (kind == "quota" and ENROLLED in present)
        }
        top = max(scores.values())
        if top and (best is None or top > best[0]):
            best = (top, layout, [kind for kind, n in scores.items() if n == top])
    return (best[1], best[2]) if best else None


def _combine(layouts: list[Layout], kind: FileKind) -> Layout:
    """Sheets of one kind as one table, each row keeping its sheet and row number.

    Their columns must stand in the same places; a quota table is never split over sheets
    (two of them in one workbook are two versions, and which one is meant cannot be told).
    """
    first = layouts[0]
    if len(layouts) == 1:
        return first
    names = "、".join(f"“{layout.sheet.name}”" for layout in layouts)
    if kind == "quota":
        raise InputError(
            [
                Problem(
                    first.sheet.file,
                    None,
                    None,
                    None,
                    f"工作簿中有多个任务表（工作表{names}），请只保留要导入的一个",
                )
            ]
        )
    for other in layouts[1:]:
        if other.columns != first.columns:
            raise InputError(
                [
                    Problem(
                        other.sheet.label,
                        other.header_row,
                        None,
                        None,
                        f"与工作表“{first.sheet.name}”的列不同（同一工作簿的{FILE_LABELS[kind]}"
                        f"分在工作表{names}中时，各表的列须相同、顺序一致）",
                    )
                ]
            )
    body = pd.concat([layout.body for layout in layouts], ignore_index=True).fillna("")
    where = [layout.origins(layout.body.index) for layout in layouts]
    origin = pd.DataFrame(
        {
            SHEET: [label for labels, _ in where for label in labels],
            ROW: [row for _, rows in where for row in rows],
        }
    )
    problems = [p for layout in layouts for p in layout.problems]
    notes = tuple(dict.fromkeys(n for layout in layouts for n in layout.notes))
    ignored = frozenset.intersection(*(layout.ignored for layout in layouts))
    unknown = tuple(dict.fromkeys(u for layout in layouts for u in layout.unknown))
    return replace(
        first,
        body=body,
        problems=problems,
        origin=origin,
        notes=notes,
        ignored=ignored,
        unknown=unknown,
    )
