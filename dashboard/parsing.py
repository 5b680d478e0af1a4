"""Reading the kinds of county file into typed frames, with every problem found.

Which table is which kind is ``dashboard.layout``'s; each column is converted as a whole by
``dashboard.column_reader`` (so a 700 000-row payment list is read in seconds); here the rows of
each kind are checked together: duplicates, counts that go down, subtotals and totals, footers,
payments withdrawn by their status. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import cast

import pandas as pd

from dashboard import clock
from dashboard.campaign import (
    GROUP_PROGRESS_COLUMNS,
    GROUP_QUOTA_COLUMNS,
    PROGRESS_COLUMNS,
    QUOTA_COLUMNS,
)
from dashboard.cancelled import (
    INSURANCES,
    MEMBER_STATUSES,
    NETTED,
    NETTED_ON,
    PAYMENT_STATUSES,
    TWICE,
    VOIDED,
    BenefitYears,
    Cancelled,
    cancelled_payments,
    later_of_each,
    left_by,
    rows_named,
    seen_before,
    vouchers_of,
)
from dashboard.cell_values import parse_count, parse_date
from dashboard.column_reader import EARLIEST, ColumnReader
from dashboard.comparison_tables import comparisons_refused
from dashboard.distinct import by_unique, is_in
from dashboard.files import Sheet, read_sheets, unresolved_problems
from dashboard.formatting import count
from dashboard.glossary import (
    AMOUNT,
    BASE_POPULATION,
    CHANNEL,
    COLLECTOR,
    DATE,
    DEPOSITED_ON,
    ENROLLED,
    GROUP,
    ID_NUMBER,
    INSURANCE,
    LAST_YEAR_ENROLLED,
    NAME,
    PAID_ON,
    PERIOD,
    POSITION,
    QUOTA,
    RECEIVED_ON,
    RECOGNISED_ON,
    ROSTER,
    SIMULATED,
    SUBTOTAL_WORDS,
    TOTAL_WORDS,
    TOWNSHIP,
    VERIFIED,
    VILLAGE,
    VOUCHER,
)
from dashboard.idnumbers import ID_PATTERN
from dashboard.late_newborns import born_after, late_newborns
from dashboard.layout import (
    FILE_LABELS,
    GROUP_PREFIX,
    KIND_LABELS,
    REQUIRED_LABELS,
    ROW,
    SHEET,
    SPECS,
    UNKNOWN_HEADER,
    FileKind,
    Kind,
    KindSpec,
    Layout,
    choose_sheet,
    header_key,
    normalise_name,
)
from dashboard.money import from_fen
from dashboard.problems import InputError, Problem
from data_models.policy import CountyPolicy


@dataclass
class Parsed:
    """A file read as one kind: the typed rows (with their row numbers) and the problems.

    ``frame`` holds every data row that could be read (row numbers in ``_row``), including
    rows with problems, so that "import only the valid rows" can drop exactly those.
    """

    kind: FileKind
    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # how it was read, where the user should know (a stated date)
    # the rows the list says no longer count by their status alone, read as its rows are
    # (_withdrawn): a payment list's voided or paid back payments, as refund rows that pay
    # back the very payment where an earlier list stored it (dashboard.refunds.check_refunds
    # adds those to the frame); a roster's members no longer on it, struck off the roster an
    # earlier list stored (dashboard.struck); None where there are none
    withdrawn: pd.DataFrame | None = None

    @property
    def import_kind(self) -> Kind:
        """The kind, for a file read to be imported (a ledger never is)."""
        assert self.kind in KIND_LABELS, self.kind
        return cast(Kind, self.kind)

    def rows_without(self, problems: Sequence[Problem]) -> pd.DataFrame:
        """The rows that have none of ``problems`` (the frame itself when none has a row: no
        copy of a million rows). Rows are told apart by sheet and row number."""
        hit = self._rows_with(problems)
        return self.frame[~hit] if hit.any() else self.frame

    def whole_file_problems(self, problems: Sequence[Problem]) -> list[Problem]:
        """Those of ``problems`` that are not about one of the rows read (headers, totals,
        a missing township), so that leaving rows out cannot mend them."""
        hit = self.rows_of(problems)
        rows = set(zip(hit[SHEET], hit[ROW], strict=True)) if len(hit) else set()
        return [p for p in problems if p.row is None or (p.file, p.row) not in rows]

    def rows_of(self, problems: Sequence[Problem]) -> pd.DataFrame:
        """The rows of the frame that ``problems`` are about."""
        return self.frame[self._rows_with(problems)]

    def _rows_with(self, problems: Sequence[Problem]) -> pd.Series:
        """True for each row of the frame that one of ``problems`` is about."""
        keys = {(p.file, p.row) for p in problems if p.row is not None}
        if self.frame.empty or not keys:
            return pd.Series(False, index=self.frame.index)
        maybe = self.frame[ROW].isin({row for _, row in keys})  # few candidates, vectorised
        hit = pd.Series(False, index=self.frame.index)
        if maybe.any():  # none where every problem is of a header row
            pairs = zip(self.frame.loc[maybe, SHEET], self.frame.loc[maybe, ROW], strict=True)
            hit[maybe] = [pair in keys for pair in pairs]
        return hit


# How the lines under a county's table begin: who made and checked it, when, notes.
FOOTER_PATTERN = re.compile(
    r"(制表|填表|填报|审核|审批|复核|核对|统计人|负责人|单位负责人|分管领导|主要领导|经办人|联系人"
    r"|联系电话|电话|日期|注|备注|说明|数据来源|单位(盖章|\(盖章\)|（盖章）)?[:：])"
)


def _is_footer(body: pd.DataFrame, township: int) -> pd.Series:
    """True for a line under the table that signs it off or notes something (制表人：张三,
    注：数据来源于税务系统): every filled cell beginning so, the township's empty or a note
    with its colon (a table whose first column is the township's has its 制表人 there). Such
    lines are read past, not refused as rows without a township, ID number or date."""
    names = body[township].astype(str).str.strip()
    maybe = (names == "") | names.str.contains("[:：]", regex=True).fillna(False).astype(bool)
    found = _signed_off(body[maybe])  # few: only these are looked at, cell by cell
    return found.reindex(body.index, fill_value=False).astype(bool)


def _signed_off(rows: pd.DataFrame) -> pd.Series:
    """True for a line with a filled cell, every one beginning as a line under a table does
    (FOOTER_PATTERN: 制表人：张三, 注：…)."""
    cells = rows.astype(str).apply(lambda column: column.str.strip())
    signed = cells.map(lambda v: v == "" or FOOTER_PATTERN.match(normalise_name(v)) is not None)
    return signed.all(axis=1) & (cells != "").any(axis=1)


def _wider_than_header(sheet: Sheet, header_row: int) -> list[Problem]:
    """The lines of a CSV file with cells right of its header's last: a comma in a figure
    (62,010) or a name not in quotes splits a cell in two and moves the cells after it, so
    湍东镇,62,010 would read as 62. Each such line is refused, not read in part; a workbook's
    cells there are notes beside the table and are read past, as are a CSV's footer lines."""
    cells = sheet.cells
    if sheet.name is not None or cells.empty:
        return []
    header = cells.loc[:header_row].to_numpy() != ""
    width = int(header.any(axis=0).nonzero()[0].max()) + 1
    if width >= cells.shape[1]:  # an export: every line as wide as its header, nothing copied
        return []
    beyond = (cells.iloc[:, width:].to_numpy() != "").any(axis=1) & (cells.index > header_row)
    wide = cells[beyond]
    wide = wide[~_signed_off(wide)]  # a footer's cells may run past the header
    problems = []
    for row, line in zip(wide.index, wide.values.tolist(), strict=True):
        last = max(at for at, v in enumerate(line) if v != "")
        reason = (
            f"这一行有{last + 1}个单元格，表头只有{width}列：数字中的千位逗号（如 62,010）或文字中"
            "的逗号没有用英文双引号括起，把一格分成了几格，其后各列的值都错了位；请去掉这些逗号"
            "或用双引号括起（表格右侧的说明文字请删去）后再导入"
        )
        text = ",".join(line[: last + 1])
        problems.append(Problem(sheet.label, int(row), None, text, f"CSV 格式错误：{reason}"))
    return problems


def _footer_note(layout: Layout, footers: pd.Index) -> list[str]:
    """The note naming the lines under the table that were read past (none: no note)."""
    if footers.empty:
        return []
    labels, rows = layout.origins(footers)
    lines = "、".join(
        f"{label}第{row}行“{_first_filled(layout.body.loc[i])}”"
        for label, row, i in zip(labels, rows, footers, strict=True)
    )
    return [f"表下的落款与说明未导入：{lines}"]


def _first_filled(row: pd.Series) -> str:
    text = next(str(v).strip() for v in row if str(v).strip())
    return text if len(text) <= 20 else text[:19] + "…"


def _is_total(text: pd.Series) -> pd.Series:
    """True for a totals row's cell (合计, 总计, total …); only cells that could be one are
    normalised, so a column of 700 000 ID numbers costs one vectorised search."""
    words = {header_key(w) for w in TOTAL_WORDS}
    found = pd.Series(False, index=text.index)
    maybe = text.str.contains("计|全县|total", case=False, regex=True).fillna(False).astype(bool)
    if maybe.any():
        found[maybe] = by_unique(text[maybe], lambda t: header_key(t) in words).astype(bool)
    return found


# --- the four kinds ---------------------------------------------------------------------


def _group_columns(reader: ColumnReader, frame: pd.DataFrame) -> None:
    for column in reader.layout.columns:
        if column.startswith(GROUP_PREFIX):
            frame[column] = reader.counts(column, required=False)


def _quota(reader: ColumnReader, frame: pd.DataFrame) -> pd.DataFrame:
    frame[QUOTA] = reader.counts(QUOTA, required=True)
    for column in (BASE_POPULATION, LAST_YEAR_ENROLLED):
        if column in reader.layout.columns:
            frame[column] = reader.counts(column, required=False)
    _group_columns(reader, frame)
    _zero_quotas(reader, frame)
    _one_row_each(reader, frame, MISSING_QUOTA)
    return frame


MISSING_QUOTA = "缺少该乡镇的任务数"  # a quota table's reason for a township it leaves out


def _one_row_each(reader: ColumnReader, frame: pd.DataFrame, missing: str) -> None:
    """A table of one row per township (a quota table, the verified counts): no township
    twice, and every one of the county's there."""
    reader.duplicates(frame, [TOWNSHIP], TOWNSHIP, "乡镇重复")
    if reader.townships is None:
        return
    present = set(frame[TOWNSHIP].dropna())
    for name in reader.townships:
        if name not in present:
            reader.problems.append(
                Problem(
                    reader.layout.sheet.label, None, reader.layout.headers[TOWNSHIP], name, missing
                )
            )


def _zero_quotas(reader: ColumnReader, frame: pd.DataFrame) -> None:
    """A note (not a refusal: a district may have no task) on townships whose quota is 0:
    no completion rate and no rank, and every person enrolled there counts as over quota. A
    table of nothing but zeros (a blank template filled in) is refused: no one could be
    ranked, and every person enrolled would be paid a reward. A table of only some of the
    townships (a what-if's changes; refused elsewhere for the others) may set them all to 0."""
    zero = frame[QUOTA].eq(0).fillna(False).astype(bool)
    if not zero.any():
        return
    if zero.all() and _lists_every_township(reader, frame):
        reader.problems.append(
            Problem(
                reader.layout.sheet.label,
                None,
                reader.layout.headers[QUOTA],
                "0",
                "各乡镇的任务数均为0，请核对是否为未填写的模板",
            )
        )
        return
    names = "、".join(str(t) for t in frame.loc[zero, TOWNSHIP].dropna())
    reader.notes.append(
        f"{names}的任务数为0：不计完成率，不参加排名，结算时其参保人数全部按超出任务数计，请核对"
    )


def _lists_every_township(reader: ColumnReader, frame: pd.DataFrame) -> bool:
    """Whether the table has a row for each of the county's townships (True where the county
    is new and its townships are not known yet)."""
    return reader.townships is None or set(reader.townships) <= set(frame[TOWNSHIP].dropna())


def _progress(reader: ColumnReader, frame: pd.DataFrame) -> pd.DataFrame:
    campaign = reader.policy.campaign
    frame[DATE] = reader.dates(DATE, required=True, first=campaign.start, last=campaign.last_day)
    frame[VILLAGE] = reader.villages()
    frame[ENROLLED] = reader.counts(ENROLLED, required=True)
    _group_columns(reader, frame)
    counts = [c for c in frame.columns if c == ENROLLED or c.startswith(GROUP_PREFIX)]
    frame = frame.drop(index=_subtotals(reader, frame, counts))
    reader.duplicates(frame, [DATE, TOWNSHIP, VILLAGE], TOWNSHIP, "同一日期、同一乡镇重复")
    _decreasing(reader, frame, counts)
    return frame


def _subtotals(reader: ColumnReader, frame: pd.DataFrame, counts: list[str]) -> pd.Index:
    """The rows that are a township's subtotal, checked against the sum of its villages.

    A township's own row on a date its villages are listed too (village blank, or 小计 and the
    like, which is made blank) is their subtotal: it is left out, so nobody is counted twice.
    """
    words = {header_key(w) for w in SUBTOTAL_WORDS}
    frame.loc[by_unique(frame[VILLAGE], lambda v: header_key(v) in words).astype(bool), VILLAGE] = (
        ""
    )
    keyed = frame.dropna(subset=[DATE, TOWNSHIP])
    listed = keyed[keyed[VILLAGE] != ""]
    if listed.empty:
        return pd.Index([])
    sums = listed.groupby([DATE, TOWNSHIP])[counts].sum(min_count=1)
    whole = keyed[keyed[VILLAGE] == ""]
    subtotals = whole[pd.MultiIndex.from_frame(whole[[DATE, TOWNSHIP]]).isin(sums.index)]
    at = pd.MultiIndex.from_frame(subtotals[[DATE, TOWNSHIP]])
    for column in counts:
        expected = pd.Series(sums[column].reindex(at).to_numpy(), index=subtotals.index)
        wrong = expected[(subtotals[column] != expected).fillna(False).astype(bool)]
        reasons = wrong.map(lambda e: f"乡镇小计与各村之和（{int(e)}）不符").astype(object)
        reader.report_at(column, frame[column].astype(str), reasons)
    return subtotals.index


def _decreasing(reader: ColumnReader, frame: pd.DataFrame, counts: list[str]) -> None:
    """A cumulative count may not go down from one date to the next (per township and village)."""
    ordered = frame.dropna(subset=[DATE, TOWNSHIP]).sort_values(DATE, kind="stable")
    by_place = ordered.groupby([TOWNSHIP, VILLAGE], sort=False)
    previous_day = by_place[DATE].shift()
    for column in counts:
        previous = by_place[column].shift()
        drops = (ordered[column] < previous).fillna(False).astype(bool)
        reasons = [
            f"累计人数比{d}的{int(p)}少"
            for d, p in zip(previous_day[drops], previous[drops], strict=True)
        ]
        reader.report_at(
            column, frame[column].astype(str), pd.Series(reasons, index=ordered.index[drops])
        )


def _payments(reader: ColumnReader, frame: pd.DataFrame) -> pd.DataFrame:
    campaign = reader.policy.campaign
    last = campaign.last_day
    frame[ID_NUMBER] = reader.ids(latest_birth=last)
    frame[NAME] = reader.names(NAME)
    frame[VILLAGE] = reader.villages()
    frame[PAID_ON] = reader.dates(PAID_ON, required=True, first=campaign.start, last=last)
    _paid_before_birth(reader, frame)
    frame[AMOUNT] = reader.amounts(refunds=True)
    frame[CHANNEL] = reader.names(CHANNEL)
    reader.words(PAYMENT_STATUSES)
    reader.words(INSURANCES, INSURANCE)
    reader.words(BenefitYears(reader.policy.benefit_year), PERIOD)
    refund = (frame[AMOUNT] < 0).fillna(False).astype(bool)
    # a payment and its refund are not one paid twice; two of a day and amount are, where
    # their tax tickets tell them apart (paid on the phone and at the village the same day)
    same = [ID_NUMBER, PAID_ON, AMOUNT]
    if tickets := VOUCHER in reader.layout.columns:
        frame[VOUCHER] = reader.vouchers()
        same.append(VOUCHER)
    people = frame[[*same, SHEET, ROW]]
    paid = people[~refund]
    twice = paid[paid[ID_NUMBER].notna() & paid[ID_NUMBER].duplicated(keep=False)]  # few
    reader.duplicates(twice, same, ID_NUMBER, SAME_TICKET if tickets else SAME_PAYMENT)
    reader.duplicates(people[refund], [ID_NUMBER], ID_NUMBER, "同一人重复退费")
    _paid_twice(reader, twice, "日期、金额或税票号码" if tickets else "日期或金额")
    frame[TWICE] = frame.index.isin(twice.index)
    _unusual_amounts(reader, frame)
    return frame


def _paid_before_birth(reader: ColumnReader, frame: pd.DataFrame) -> None:
    """A payment dated before the birth its ID number gives: the date or the number is wrong
    (a newborn is paid for once born and given a number)."""
    ids = frame[ID_NUMBER].astype("string")
    # the few born after the campaign began (a payment is not dated before it) are parsed:
    # the digits compared as text first, 0.25 s for a million rows where parsing all is 0.6
    first = f"{reader.policy.campaign.start:%Y%m%d}"
    late = (ids.str.slice(6, 14) > first).fillna(False).astype(bool) & frame[PAID_ON].notna()
    late[late] = ids[late].str.fullmatch(ID_PATTERN).fillna(False).astype(bool)
    births = pd.to_datetime(ids[late].str.slice(6, 14), format="%Y%m%d", errors="coerce")
    paid = pd.to_datetime(frame.loc[late, PAID_ON])
    early = pd.Series(False, index=frame.index)
    early[late] = (paid < births).fillna(False).astype(bool)
    reason = "缴费日期早于身份证号中的出生日期，请核对日期或身份证号"
    reader.report(PAID_ON, early, reader.text(PAID_ON), reason)


SAME_PAYMENT = "同一人同日同金额的缴费出现两次，请核对是否重复录入"
SAME_TICKET = "同一人同日同金额、同一税票号码的缴费出现两次，请核对是否重复录入"


def _paid_twice(reader: ColumnReader, twice: pd.DataFrame, differing: str) -> None:
    """A note on the people the list has two payments of (``twice``: their payment rows; what
    tells them apart: ``differing``): enrolled once, the later ones kept as second payments
    (repeats.later_payments) to be refunded."""
    if twice.empty:
        return
    later = twice.loc[later_of_each(twice)].sort_index()
    where = rows_named(list(later[SHEET]), list(later[ROW]), len(later))
    reader.notes.append(
        f"{count(twice[ID_NUMBER].nunique())}人在本文件中缴费两次以上（{differing}不同）："
        f"每人按最早的一笔计入参保，另外{count(len(later))}行记为重复缴费（应予退费）：{where}"
    )


def _unusual_amounts(reader: ColumnReader, frame: pd.DataFrame) -> None:
    """A note (not a refusal) on amounts no one pays under the county's policy: the
    contribution, or the contribution less a group's subsidy (a typo, another year's rate)."""
    policy = reader.policy
    standard = int(policy.contribution_standard * 100)
    usual = sorted(
        {standard} | {max(standard - int(g.subsidy * 100), 0) for g in policy.groups},
        reverse=True,
    )
    odd = (frame[AMOUNT] >= 0).fillna(False).astype(bool) & ~frame[AMOUNT].isin(usual)
    if not odd.any():
        return
    labels, rows = reader.layout.origins(frame.index[odd])
    shown = "、".join(
        f"{label}第{row}行（{from_fen(int(fen))}元）"
        for label, row, fen in list(zip(labels, rows, frame.loc[odd, AMOUNT], strict=True))[:3]
    )
    amounts = "、".join(f"{from_fen(fen).normalize():f}" for fen in usual)
    reader.notes.append(
        f"{int(odd.sum())}行缴费金额不是本县的个人缴费额（{amounts}元），请核对："
        f"{shown}{'等' if odd.sum() > 3 else ''}"
    )


def _roster(reader: ColumnReader, frame: pd.DataFrame) -> pd.DataFrame:
    campaign = reader.policy.campaign
    frame[ID_NUMBER] = reader.ids(latest_birth=campaign.last_day)
    frame[NAME] = reader.names(NAME)
    frame[VILLAGE] = reader.villages()
    frame[GROUP] = reader.groups()
    reader.words(MEMBER_STATUSES)
    if RECOGNISED_ON in reader.layout.columns:
        frame[RECOGNISED_ON] = reader.dates(
            RECOGNISED_ON,
            required=False,
            first=EARLIEST,
            last=campaign.last_day,
            months=True,  # a civil-affairs roster's 纳入时间 is often a month (2022-11)
        )
    else:
        frame[RECOGNISED_ON] = None
    reader.duplicates(frame, [ID_NUMBER, GROUP], ID_NUMBER, "同一人在同一类别中重复")
    return frame


def _ledger(reader: ColumnReader, frame: pd.DataFrame) -> pd.DataFrame:
    campaign = reader.policy.campaign
    last = campaign.last_day
    frame[VILLAGE] = reader.villages()
    frame[COLLECTOR] = reader.names(COLLECTOR)
    reader.report(COLLECTOR, frame[COLLECTOR] == "", frame[COLLECTOR], "不能为空")
    frame[NAME] = reader.names(NAME)
    frame[RECEIVED_ON] = reader.dates(RECEIVED_ON, required=True, first=campaign.start, last=last)
    frame[AMOUNT] = reader.amounts()
    frame[DEPOSITED_ON] = reader.dates(
        DEPOSITED_ON,
        required=False,
        first=campaign.start,
        last=date.max,
        window=(campaign.start, campaign.start + timedelta(days=365)),  # 1月3日 after 12月30日
    )
    received = pd.to_datetime(frame[RECEIVED_ON])
    early = (pd.to_datetime(frame[DEPOSITED_ON]) < received).fillna(False).astype(bool)
    reader.report(DEPOSITED_ON, early, reader.text(DEPOSITED_ON), "存入日期早于收款日期")
    return frame


def _verified(reader: ColumnReader, frame: pd.DataFrame) -> pd.DataFrame:
    frame[VERIFIED] = reader.counts(VERIFIED, required=True)
    _one_row_each(reader, frame, "缺少该乡镇的核定参保人数")
    return frame


KIND_READERS: dict[str, Callable[[ColumnReader, pd.DataFrame], pd.DataFrame]] = {
    "quota": _quota,
    "progress": _progress,
    "payments": _payments,
    "roster": _roster,
    "ledger": _ledger,
    "verified": _verified,
}


def _check_totals(reader: ColumnReader, frame: pd.DataFrame, totals: pd.DataFrame) -> None:
    """A 合计 row must equal the sum of the rows above it (per date in a progress report)."""
    numeric = [
        c
        for c in frame.columns
        if c in (QUOTA, ENROLLED, VERIFIED, BASE_POPULATION, LAST_YEAR_ENROLLED)
        or c.startswith(GROUP_PREFIX)
    ]
    labels, rows = reader.layout.origins(totals.index)
    for index, label, number in zip(totals.index, labels, rows, strict=True):
        row = totals.loc[index]
        scope = frame[frame[SHEET] == label]  # a sheet's 合计 sums that sheet
        if DATE in frame.columns and DATE in reader.layout.columns:
            day = parse_date(str(row[reader.layout.columns[DATE]]))
            scope = scope[scope[DATE] == day] if day is not None else scope
        for column in numeric:
            printed = parse_count(str(row[reader.layout.columns[column]]))
            actual = int(scope[column].fillna(0).sum())
            if printed is not None and printed != actual:
                reader.problems.append(
                    Problem(
                        label,
                        number,
                        reader.layout.headers[column],
                        str(printed),
                        f"合计行与各行之和（{actual}）不符",
                    )
                )


def _left_out(
    layout: Layout, body: pd.DataFrame, kind: FileKind, policy: CountyPolicy
) -> Cancelled:
    """The rows of a list that do not count (a payment list's voided and refunded payments,
    those of another benefit year than the campaign's, newborns paid for after it
    (late_newborns), a roster's members no longer on it), the
    refund rows kept that cancelled a payment in the file (with that payment's day), the
    notes that say so, and the payments left out by their status alone."""
    if kind == "payments":
        late, said = late_newborns(layout, body, parse_date, policy)
        if not late.any():
            return cancelled_payments(layout, body, parse_date, year=policy.benefit_year)
        rest = cancelled_payments(layout, body[~late], parse_date, year=policy.benefit_year)
        rows = late | rest.rows.reindex(body.index, fill_value=False)
        return Cancelled(rows, rest.netted, said + rest.notes, rest.withdrawn)
    if kind == "roster":
        left, notes = left_by(layout, body, MEMBER_STATUSES)
        late, said = born_after(layout, body, policy, clock.today())
        return Cancelled(left | late, {}, said + notes, body.index[left])
    return Cancelled(pd.Series(False, index=body.index), {}, [], pd.Index([]))


def _withdrawn(
    layout: Layout,
    body: pd.DataFrame,
    policy: CountyPolicy,
    townships: Sequence[str] | None,
    kind: FileKind,
    frame: pd.DataFrame,
) -> pd.DataFrame | None:
    """A list's rows left out by their status alone (``body``), read as the list's rows
    (``frame``) are, their problems and notes not the file's (they do not count): a list
    exported from the campaign's start each week, or a roster kept up to date, says so of a
    payment or a member an earlier list stored. Rows not read whole are passed over; so are
    those the list still holds as counting (a member in the same group, a payment of the day
    and amount that no tax tickets tell apart). A payment list's come as refund rows that
    cancelled a payment in the file, on its own day (NETTED, NETTED_ON)."""
    reader = ColumnReader(layout, body, policy, townships)
    labels, rows = layout.origins(body.index)
    read = pd.DataFrame({SHEET: labels, ROW: rows}, index=body.index)
    read[TOWNSHIP] = reader.townships_column()
    read = KIND_READERS[kind](reader, read).dropna(subset=list(SPECS[kind].required))
    if kind == "payments":
        read = read[(read[AMOUNT] > 0).to_numpy()]
        theirs = is_in(frame[ID_NUMBER], read[ID_NUMBER].tolist()).to_numpy()  # the few
        held = frame[theirs & (frame[AMOUNT] >= 0).fillna(False).to_numpy()]
        read = read[~seen_before(read, held.assign(**{VOUCHER: vouchers_of(held)}))]
    else:
        listed = set(zip(frame[ID_NUMBER], frame[GROUP], strict=True))
        pairs = zip(read[ID_NUMBER], read[GROUP], strict=True)
        read = read[[pair not in listed for pair in pairs]]
    if read.empty:
        return None
    if kind == "payments":
        read[AMOUNT] = -read[AMOUNT]
        read[NETTED], read[NETTED_ON], read[TWICE], read[VOIDED] = True, read[PAID_ON], False, True
    return read.reset_index(drop=True)


def parse_sheets(
    sheets: Sequence[Sheet],
    policy: CountyPolicy,
    *,
    townships: Sequence[str] | None,
    kind: FileKind | None = None,
    home: str | None = None,
) -> Parsed:
    """Read the first sheet that is a file of ``kind`` (any kind when None) into a Parsed.

    ``townships`` are the county's township names (None accepts any name, for a first quota
    table). Problems are collected, never raised, except when no sheet fits at all, or when
    cells that are read hold formulas without their results (the file must be saved first).
    """
    try:
        layout, found = choose_sheet(sheets, policy, kind, townships=townships, home=home)
    except InputError as error:  # a header may be one of the formulas that read as empty
        unread = [p for s in sheets for p in unresolved_problems(s, s.unresolved)]
        raise InputError(unread + error.problems) from error
    if unread := _unread_formulas(sheets, layout, SPECS[found]):
        raise InputError(unread)
    body = layout.body
    totals_mask = _is_total(body[layout.columns[TOWNSHIP]].astype(str)) | _is_total(
        body[body.columns[0]].astype(str)
    )
    footer_mask = _is_footer(body, layout.columns[TOWNSHIP])
    kept = body[~totals_mask & ~footer_mask]
    notes = [*layout.notes, *_footer_note(layout, body.index[footer_mask])]
    cancelled = _left_out(layout, kept, found, policy)
    notes += cancelled.notes
    withdrawn_rows = kept.loc[cancelled.withdrawn]
    if cancelled.rows.any():  # else no copy of a million rows
        kept = kept[~cancelled.rows]
    reader = ColumnReader(layout, kept, policy, townships)
    passed_over, not_taken = _columns_not_taken(layout, found)
    notes += passed_over
    reader.problems += not_taken + _wider_than_header(layout.sheet, layout.header_row)
    labels, rows = layout.origins(reader.body.index)
    frame = pd.DataFrame({SHEET: labels, ROW: rows}, index=reader.body.index)
    frame[TOWNSHIP] = reader.townships_column()
    frame = KIND_READERS[found](reader, frame)
    if found == "payments":
        frame[NETTED] = frame.index.isin(list(cancelled.netted))
        frame[NETTED_ON] = pd.Series(cancelled.netted, dtype=object).reindex(frame.index)
    withdrawn = None
    if len(withdrawn_rows):
        withdrawn = _withdrawn(layout, withdrawn_rows, policy, townships, found, frame)
    if totals_mask.any():
        _check_totals(reader, frame, body[totals_mask])
    if frame.empty and withdrawn is None:  # a header alone: nothing to check or write
        raise InputError([Problem(layout.sheet.label, None, None, None, NO_ROWS)])
    problems = in_order(reader.problems, labels)
    file = layout.sheet.label if layout.origin is None else layout.sheet.file
    notes += reader.notes
    frame = frame.reset_index(drop=True)
    return Parsed(found, file, frame, problems, layout.headers, tuple(notes), withdrawn)


NO_ROWS = "表头之下没有可导入的数据行（空表，或只有合计行、不计入的行）"


def _columns_not_taken(layout: Layout, kind: FileKind) -> tuple[list[str], list[Problem]]:
    """The columns ``layout`` names that a file of ``kind`` does not take: passed over with a
    note where the kind says why (KindSpec.passed_over), else refused, where such a column may
    be a count that matters (a list of people has read past the others: layout.choose_sheet)."""
    spec = SPECS[kind]
    notes, problems = [], []
    for column, header in layout.headers.items():
        if column in spec.passed_over:
            notes.append(f"“{header}”列不导入：{spec.passed_over[column]}")
        elif column in spec.required or column in spec.optional:
            continue
        elif not (spec.group_columns and column.startswith(GROUP_PREFIX)):
            reason = f"{UNKNOWN_HEADER}（{FILE_LABELS[kind]}中没有此列）"
            problems.append(Problem(layout.sheet.label, layout.header_row, header, None, reason))
    return notes, problems


def _unread_formulas(sheets: Sequence[Sheet], layout: Layout, spec: KindSpec) -> list[Problem]:
    """The formula cells without their results (read as empty) in the sheets and columns the
    file's rows are read from; those of other sheets and of columns not imported (备注, 完成率 …)
    do not matter."""
    skipped = layout.ignored | {layout.columns[c] for c in spec.passed_over if c in layout.columns}
    read = set(layout.origin[SHEET]) if layout.origin is not None else {layout.sheet.label}
    return [
        problem
        for sheet in sheets
        if sheet.label in read
        for problem in unresolved_problems(
            sheet, [c for c in sheet.unresolved if c[1] is not None and c[1] not in skipped]
        )
    ]


def in_order(problems: Sequence[Problem], sheets: Iterable[str]) -> list[Problem]:
    """Problems of the whole file first, then by sheet (in the order of ``sheets``, the rows'
    sheet labels) and row."""
    order = {label: i for i, label in enumerate(dict.fromkeys(sheets))}
    return sorted(problems, key=lambda p: (p.row is not None, order.get(p.file, 0), p.row or 0))


def parse_file(
    raw: bytes,
    file: str,
    policy: CountyPolicy,
    *,
    townships: Sequence[str] | None,
    kind: FileKind | None = None,
    home: str | None = None,
) -> Parsed:
    """Read a file's bytes (xlsx, xls or csv) as one of the four kinds; ``home``: the township
    of a township user, where their list without a township column is placed."""
    sheets = read_sheets(raw, file)
    if refused := comparisons_refused(sheets):
        raise InputError(refused)
    return parse_sheets(sheets, policy, townships=townships, kind=kind, home=home)


def outside_scope(parsed: Parsed, township: str | None) -> Parsed:
    """The file with a problem for each row of another township than ``township`` (a
    township user's file; None: any of the county's)."""
    if township is None or parsed.frame.empty:
        return parsed
    other = parsed.frame[parsed.frame[TOWNSHIP].notna() & (parsed.frame[TOWNSHIP] != township)]
    header = parsed.headers.get(TOWNSHIP, REQUIRED_LABELS[TOWNSHIP])
    found = [
        Problem(sheet, int(row), header, value, f"不属于{township}，只能检查本乡镇的台账")
        for sheet, row, value in zip(other[SHEET], other[ROW], other[TOWNSHIP], strict=True)
    ]
    problems = in_order(parsed.problems + found, parsed.frame[SHEET])
    return replace(parsed, problems=problems)


# --- from parsed rows to the campaign's frames ----------------------------------------------


def require_clean(parsed: Parsed) -> Parsed:
    """The parsed file, or InputError with every problem when it has any."""
    if parsed.problems:
        raise InputError(parsed.problems)
    return parsed


def _group_codes(rows: pd.DataFrame) -> list[str]:
    return [c for c in rows.columns if c.startswith(GROUP_PREFIX)]


def quota_frames(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quota rows to the campaign's quota frame (in file order) and special-group rosters."""
    quotas = pd.DataFrame(
        {
            TOWNSHIP: rows[TOWNSHIP].astype(object).to_numpy(),
            POSITION: range(1, len(rows) + 1),
            QUOTA: rows[QUOTA].astype("int64").to_numpy(),
        }
    )
    for column in (BASE_POPULATION, LAST_YEAR_ENROLLED):
        values = rows[column].tolist() if column in rows else [None] * len(rows)
        quotas[column] = pd.array(values, dtype="Int64")
    quotas = quotas[QUOTA_COLUMNS]
    groups = rows.melt(
        id_vars=[TOWNSHIP], value_vars=_group_codes(rows), var_name=GROUP, value_name=ROSTER
    )
    groups = groups.dropna(subset=[ROSTER])
    groups[GROUP] = groups[GROUP].str.removeprefix(GROUP_PREFIX)
    groups[ROSTER] = groups[ROSTER].astype("int64")
    return quotas, groups[GROUP_QUOTA_COLUMNS].reset_index(drop=True)


def progress_frames(
    rows: pd.DataFrame, *, simulated: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Progress rows to the campaign's progress frame and special-group progress frame."""
    progress = rows[[DATE, TOWNSHIP, VILLAGE, ENROLLED]].copy()
    progress[ENROLLED] = progress[ENROLLED].astype("int64")
    progress[TOWNSHIP] = progress[TOWNSHIP].astype(object)
    progress[VILLAGE] = progress[VILLAGE].astype(object)
    progress[SIMULATED] = simulated
    groups = rows.melt(
        id_vars=[DATE, TOWNSHIP], value_vars=_group_codes(rows), var_name=GROUP, value_name="count"
    ).rename(columns={"count": ENROLLED})
    groups = groups.dropna(subset=[ENROLLED])
    groups[GROUP] = groups[GROUP].astype(object).str.removeprefix(GROUP_PREFIX)
    groups[ENROLLED] = groups[ENROLLED].astype("int64")
    # A report by village gives each group per village; the group's figure is the township's.
    groups = groups.groupby([DATE, TOWNSHIP, GROUP], as_index=False, sort=False)[ENROLLED].sum()
    groups[SIMULATED] = simulated
    return (
        progress[PROGRESS_COLUMNS].reset_index(drop=True),
        groups[GROUP_PROGRESS_COLUMNS].reset_index(drop=True),
    )
