"""Reading a table's columns as a whole into typed values (counts, dates, townships, ID
numbers, amounts, groups), each problem kept with the file, row and column it is about."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

import pandas as pd

from dashboard import clock
from dashboard import formatting as fmt
from dashboard.cancelled import Words
from dashboard.cell_values import (
    EXCEL_SERIAL,
    day_in_window,
    first_of_month,
    parse_count,
    parse_date,
)
from dashboard.distinct import by_unique
from dashboard.glossary import (
    AMOUNT,
    DOCUMENT,
    GROUP,
    ID_NUMBER,
    STATUS,
    TOWNSHIP,
    VILLAGE,
    VOUCHER,
)
from dashboard.idnumbers import (
    NUMBER_PATTERN,
    document_problems,
    id_problems,
    normalise_ids,
    upgrade_old_ids,
)
from dashboard.layout import (
    REQUIRED_LABELS,
    ROW,
    SHEET,
    Layout,
    group_keys,
    header_key,
    normalise_name,
)
from dashboard.money import parse_fen, parse_signed_fen
from dashboard.problems import Problem
from dashboard.township_names import known_township, suggestion, township_keys
from data_models.policy import MOST_YUAN, CountyPolicy
from data_models.tables import CELL_TEXT, MAX_COUNT, MAX_FEN, SHORT_TEXT


class ColumnReader:
    """Converts the body's columns, collecting problems with row numbers and headers."""

    def __init__(
        self,
        layout: Layout,
        body: pd.DataFrame,
        policy: CountyPolicy,
        townships: Sequence[str] | None,
    ) -> None:
        self.layout = layout
        self.body = body
        self.policy = policy
        self.townships = list(townships) if townships is not None else None
        self.problems: list[Problem] = list(layout.problems)
        self.notes: list[str] = []  # what the user should check, without refusing the file

    def text(self, column: str) -> pd.Series:
        return self.layout.text(self.body, column)

    def report(
        self, column: str, mask: pd.Series, values: pd.Series, reason: str | pd.Series
    ) -> None:
        if not mask.any():
            return
        header = self.layout.headers.get(column, REQUIRED_LABELS.get(column, column))
        reasons = (
            reason[mask]
            if isinstance(reason, pd.Series)
            else pd.Series(reason, index=mask.index[mask])
        )
        labels, rows = self.layout.origins(mask.index[mask])
        for label, row, value, why in zip(labels, rows, values[mask], reasons, strict=True):
            self.problems.append(Problem(label, row, header, str(value), str(why)))

    def report_at(self, column: str, values: pd.Series, reasons: pd.Series) -> None:
        """A problem for each row ``reasons`` is indexed by (a few of ``values``' rows)."""
        mask = pd.Series(False, index=values.index)
        mask[reasons.index] = True
        self.report(column, mask, values, reasons.reindex(values.index))

    def _mapped(self, column: str, convert: Callable[[str], object]) -> pd.Series:
        return by_unique(self.text(column), convert)

    def _within(
        self, column: str, text: pd.Series, values: pd.Series, limit: int, reason: str
    ) -> tuple[pd.Series, pd.Series]:
        """``values`` (read from ``column``'s ``text``; None where unreadable) without those
        beyond ``limit`` in size, each reported as ``reason``; and which rows those were."""
        try:
            over = values.astype("float64").abs() > limit
        except OverflowError:  # a number of hundreds of digits is beyond a float
            over = values.map(lambda v: v is not None and abs(v) > limit).astype(bool)
        self.report(column, over, text, reason)
        return values.where(~over, None), over

    def counts(self, column: str, *, required: bool) -> pd.Series:
        text = self.text(column)
        values, over = self._within(
            column,
            text,
            by_unique(text, parse_count),
            MAX_COUNT,
            f"数值过大（超过{MAX_COUNT:,}），请核对",
        )
        self.report(column, values.isna() & ~over & (text != ""), text, "不是非负整数")
        if required:
            self.report(column, text == "", text, "不能为空")
        return values.astype("Int64")

    def dates(
        self,
        column: str,
        *,
        required: bool,
        first: date,
        last: date,
        window: tuple[date, date] | None = None,
        months: bool = False,
    ) -> pd.Series:
        """The column's dates, each from ``first`` to ``last``, and not after today. A day
        without its year (11月8日) is taken as the one in ``window`` (by default from ``first``
        to ``last`` when that is less than a year: the day has one there). Where ``months``
        allows it, a month without its day (2022-11, 2022年11月) is taken as its first day."""
        text = self.text(column)
        values = self._mapped(column, parse_date)
        if months:
            dayless = values.isna() & (text != "")
            if dayless.any():
                values = values.where(~dayless, by_unique(text, first_of_month))
                self._note_read_as(
                    column, dayless & values.notna(), text, values, "个日期只有年月", "按当月1日计"
                )
        start, end = window or (first, last)
        if (end - start).days < 366:
            undated = values.isna() & (text != "")
            if undated.any():
                inferred = by_unique(text, lambda t: day_in_window(t, start, end))
                values = values.where(~undated, inferred)
                self._note_read_as(
                    column,
                    undated & values.notna(),
                    text,
                    values,
                    "个日期未写年份",
                    "按征缴期定年份",
                )
        self.report(
            column, values.isna() & (text != ""), text, "不是有效日期（应为 2023-11-30 这样的格式）"
        )
        if required:
            self.report(column, text == "", text, "不能为空")
        known = values.notna()
        serials = known & by_unique(text, lambda t: EXCEL_SERIAL.fullmatch(t) is not None)
        self._note_read_as(
            column,
            serials,
            text,
            values,
            "个日期是 Excel 的日期序号",
            "已按日期读取：该列未设为日期格式",
        )
        outside = known & by_unique(
            values, lambda d: isinstance(d, date) and not first <= d <= last
        )
        self.report(column, outside.astype(bool), text, _outside_reason(first, last))
        now = clock.today()  # a report or payment of a day to come is a slip of the keyboard
        later = known & ~outside & by_unique(values, lambda d: isinstance(d, date) and d > now)
        self.report(column, later.astype(bool), text, f"晚于今天（{now}），请核对日期")
        return values

    def _note_read_as(
        self, column: str, mask: pd.Series, text: pd.Series, values: pd.Series, what: str, how: str
    ) -> None:
        """A note that ``mask``'s cells of ``column`` were read another way than written: how
        many, the first as written and as read, and how."""
        mask = mask.astype(bool)
        if not mask.any():
            return
        header = self.layout.headers.get(column, column)
        example = mask.idxmax()
        self.notes.append(
            f"“{header}”列有{mask.sum():,}{what}（如{text[example]}即{values[example]}），{how}"
        )

    def townships_column(self) -> pd.Series:
        text = self.text(TOWNSHIP)
        if self.townships is None:
            values = self._fitting(TOWNSHIP, text, by_unique(text, normalise_name), SHORT_TEXT)
            self.report(TOWNSHIP, text == "", text, "乡镇不能为空")
            return values.where(text != "")
        by_key = township_keys(self.townships)
        values = by_unique(text, lambda t: known_township(t, by_key))
        self.report(TOWNSHIP, text == "", text, "乡镇不能为空")
        unknown = values.isna() & (text != "")
        hints = {t: suggestion(t, by_key) for t in text[unknown].unique()}
        self.report(
            TOWNSHIP, unknown, text, by_unique(text, lambda t: f"{NOT_OF_COUNTY}{hints.get(t, '')}")
        )
        return values

    def _fitting(self, column: str, text: pd.Series, values: pd.Series, width: int) -> pd.Series:
        """``values`` read from ``column``'s ``text``, each longer than the database keeps
        reported."""
        long = (values.str.len() > width).fillna(False).astype(bool)
        self.report(column, long, text, f"超过{width}个字符，请核对")
        return values

    def villages(self) -> pd.Series:
        text = self.text(VILLAGE)
        return self._fitting(VILLAGE, text, by_unique(text, normalise_name), CELL_TEXT)

    def names(self, column: str) -> pd.Series:
        text = self.text(column)
        return self._fitting(column, text, text.str.strip(), CELL_TEXT)

    def vouchers(self) -> pd.Series:
        """The payments' tax tickets (电子税票号码), written as the ID numbers are (kept as text
        by an apostrophe or ="…"); empty where the cell is, or where a spreadsheet kept the
        number as a number and lost its last digits (3.32016E+17): such a ticket tells no two
        payments apart, and a note says so."""
        text = self.text(VOUCHER)
        vouchers = normalise_ids(text)
        cut = vouchers.str.fullmatch(NUMBER_PATTERN).fillna(False).astype(bool)
        if cut.any():
            header = self.layout.headers[VOUCHER]
            self.notes.append(
                f"“{header}”列有{int(cut.sum()):,}个号码按数字保存、末几位已丢失（如{text[cut].iloc[0]}），"
                "这些缴费不按税票号码区分：请在Excel中把该列设为文本后重新导出"
            )
            vouchers = vouchers.where(~cut, "")
        return self._fitting(VOUCHER, text, vouchers, CELL_TEXT)

    def ids(self, *, latest_birth: date) -> pd.Series:
        """Normalised ID numbers, None where invalid (born after ``latest_birth``, the
        campaign's last day, too: a newborn of after the campaign, said so). Where the file
        names each row's document (证件类型), a number of another document than an ID card is
        counted unchecked, and a note says how many of each there are."""
        text = self.text(ID_NUMBER)
        ids, upgraded = upgrade_old_ids(normalise_ids(text))
        if upgraded.any():  # no example: a note shows no person's number
            header = self.layout.headers.get(ID_NUMBER, REQUIRED_LABELS[ID_NUMBER])
            self.notes.append(
                f"“{header}”列有{int(upgraded.sum()):,}个15位旧身份证号，已按 GB 11643 升为18位"
                "（出生年份前加19，末位补校验码）"
            )
        late = (
            clock.today(),
            f"身份证号中的出生日期在征缴期结束（{fmt.day(latest_birth)}）之后："
            "征缴期后出生的新生儿不在本次征缴内",
        )
        if DOCUMENT in self.layout.columns:
            reasons, other = document_problems(
                ids, self.text(DOCUMENT), latest_birth=latest_birth, born_late=late
            )
            self._other_documents(other)
        else:
            reasons = id_problems(ids, latest_birth=latest_birth, born_late=late)
        bad = reasons.notna()
        self.report(ID_NUMBER, bad & (text != ""), text, reasons)
        self.report(ID_NUMBER, text == "", text, "不能为空")
        return ids.where(~bad)  # arrow strings: 10 M Python str objects would cost 700 MB

    def _other_documents(self, other: pd.Series) -> None:
        if not other.any():
            return
        kinds = self.text(DOCUMENT)[other].str.strip().value_counts()
        counted = "、".join(f"{kind}{count}行" for kind, count in kinds.items())
        self.notes.append(
            f"{int(other.sum())}行不是身份证（{counted}），按证件号码计人，不作身份证校验"
        )

    def amounts(self, *, refunds: bool = False) -> pd.Series:
        """Amounts in fen; negative ones are refunds where ``refunds`` allows them."""
        text = self.text(AMOUNT)
        values, over = self._within(
            AMOUNT,
            text,
            by_unique(text, parse_signed_fen if refunds else parse_fen),
            MAX_FEN,
            f"金额过大（一行超过{MOST_YUAN:,.0f}元），请核对",
        )
        wrong = values.isna() & ~over
        # as parse_signed_fen reads a minus: full-width or typeset too (－300, −300)
        negative = wrong & (by_unique(text, parse_signed_fen) < 0).fillna(False).astype(bool)
        self.report(AMOUNT, wrong & ~negative, text, "不是有效金额（元，最多两位小数）")
        self.report(AMOUNT, negative, text, "金额不能为负数")
        return values.astype("Int64")

    def words(self, words: Words, column: str = STATUS) -> None:
        """A problem for each row whose ``column`` says neither that it counts nor that it
        does not (the rows that do not count are already out)."""
        if column not in self.layout.columns:
            return
        text = self.text(column)
        unknown = by_unique(text, words.counts).isna().astype(bool)
        self.report(column, unknown, text, words.unknown)

    def groups(self) -> pd.Series:
        text = self.text(GROUP)
        by_key = group_keys(self.policy)
        values = by_unique(text, lambda t: by_key.get(header_key(t)))
        labels = "、".join(g.label for g in self.policy.groups)
        several = values.isna() & by_unique(text, lambda t: _several_groups(t, by_key))
        self.report(GROUP, several, text, "一格写了多个类别：同一人属于多个类别的，请每个类别一行")
        unknown = values.isna() & ~several
        self.report(GROUP, unknown, text, f"不是本县的资助人员类别（可选：{labels}）")
        return values

    def duplicates(self, frame: pd.DataFrame, keys: list[str], column: str, what: str) -> None:
        complete = frame[keys].notna().all(axis=1)
        dup = frame[complete].duplicated(keys, keep="first")
        if not dup.any():
            return
        firsts = frame[complete].drop_duplicates(keys, keep="first").set_index(keys)[[SHEET, ROW]]
        later = frame[complete][dup]
        seen = firsts.loc[
            pd.MultiIndex.from_frame(later[keys]) if len(keys) > 1 else later[keys[0]]
        ]
        reasons = [
            f"{what}（已见于{'' if sheet == here else sheet}第{row}行）"
            for sheet, row, here in zip(seen[SHEET], seen[ROW], later[SHEET], strict=True)
        ]
        self.report_at(column, self.text(column), pd.Series(reasons, index=later.index))


# Between the groups a cell names (not 和 or 及: 孤儿及事实无人抚养儿童 is one group)
GROUP_SEPARATORS = re.compile(r"[、,，/;；|]")


def _several_groups(text: str, by_key: dict[str, str]) -> bool:
    """True for a cell that names two groups or more (低保、一般脱贫户; 特困/低保)."""
    parts = [p for p in GROUP_SEPARATORS.split(text) if p.strip()]
    return len(parts) > 1 and all(header_key(p) in by_key for p in parts)


NOT_OF_COUNTY = "不是本县的乡镇"  # a township not in the county's quota table


EARLIEST = date(1900, 1, 1)  # a roster's day of recognition may be any before the campaign's end


def _outside_reason(first: date, last: date) -> str:
    """Why a date outside ``first`` .. ``last`` is refused, in the bounds that are the
    campaign's (a bound of EARLIEST or date.max is none)."""
    if first <= EARLIEST:
        return f"晚于征缴结束日（{last}）"
    if last == date.max:
        return f"早于征缴开始日（{first}）"
    return f"不在征缴期内（{first}至{last}）"
