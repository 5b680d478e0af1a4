"""Files as people fill them in by hand: whatever the cells hold, a file is read or refused with
problems that name file, row and column; it never fails with a traceback (property tests)."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.idnumbers import make_id
from dashboard.importing import Checked
from dashboard.parsing import parse_file
from dashboard.problems import InputError
from dashboard.samples import sample_policy

from filemaker import csv_bytes, xlsx_bytes

NEIXIANG = sample_policy("neixiang")
TOWNSHIPS = ["湍东镇", "板场乡", "桃溪镇", "七里坪乡"]
ID = make_id("411325", date(1990, 1, 1), 123)

# What turns up in a hand-kept sheet: blanks, dashes, totals, notes, numbers in every dress,
# dates in every form, an ID number in the wrong column, a formula, a very long cell.
UNTIDY = [
    "", " ", "—", "-", "#N/A", "nan", "None", "合计", "小计", "备注：", "=SUM(A1:A3)", "x" * 300,
    "0", "-1", "1.5", "1e5", "１２３", "3,800", "¥380", "380元", "-380", "380.00", "99999999999",
    "2022-13-01", "2022/11/5", "2022.11.05", "2022年11月5日", "20221105", "11月5日", "44880",
    ID, ID.lower()[:-1] + "x", ID[:15], "4.11325E+17", " 湍东镇 ", "湍东", "湍东镇人民政府", "北京",
]  # fmt: skip
EXCEL_ONLY = [None, 3.14, 41132519900101, datetime(2022, 11, 5, 9, 30), date(2022, 11, 5), True]

EXTRA_COLUMNS = ["序号", "备注", "联系电话", "备用列", "参保人数"]  # known to some kind or to none
KINDS: dict[str, dict[str, list[object]]] = {
    "payments": {
        "身份证号": [ID],
        "姓名": ["张三"],
        "乡镇": TOWNSHIPS,
        "村（社区）": ["老马村", ""],
        "缴费日期": ["2022-11-05", "2022-10-01", "2023-01-05"],
        "缴费金额": ["350", "270", "0", "-350"],
    },
    "roster": {
        "身份证号": [ID],
        "乡镇": TOWNSHIPS,
        "人员类别": ["特困供养人员", "低保", "监测对象", "一般脱贫户", "孤儿"],
        "认定日期": ["2022-11-05", ""],
    },
    "progress": {
        "日期": ["2022-11-05", "2022-11-12"],
        "乡镇": TOWNSHIPS,
        "村（社区）": ["", "老马村"],
        "参保人数": ["500", "62010", "0"],
    },
    "quota": {"乡镇": TOWNSHIPS, "征缴任务数": ["62010", "10680"]},
}


@st.composite
def untidy_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """A file of one kind: its columns (perhaps reordered, perhaps one short), a title row
    perhaps, rows of good values and untidy ones, as xlsx or CSV (UTF-8, GB18030 or UTF-16,
    perhaps cut off)."""
    columns = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    header = draw(st.permutations([*columns, *draw(st.sets(st.sampled_from(EXTRA_COLUMNS)))]))
    if draw(st.booleans()):
        header = header[: draw(st.integers(1, len(header)))]
    xlsx = draw(st.booleans())
    untidy = UNTIDY + EXCEL_ONLY if xlsx else UNTIDY
    good = {c: st.sampled_from(columns.get(c) or untidy) for c in header}
    rows: list[list[object]] = [list(header)]
    for _ in range(draw(st.integers(0, 12))):  # each cell as good as not
        rows.append(
            [draw(st.sampled_from(untidy) if draw(st.booleans()) else good[c]) for c in header]
        )
    if draw(st.booleans()):
        rows.insert(0, ["内乡县2023年城乡居民医保征缴", *[""] * (len(header) - 1)])
    if xlsx:
        return xlsx_bytes({"Sheet1": rows}), "手填.xlsx"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    raw = csv_bytes([["" if v is None else v for v in row] for row in rows], encoding)
    cut = draw(st.sampled_from([0, 0, 0, 1, 2]))  # a file cut off in the middle of a character
    return raw[: len(raw) - cut], "手填.csv"


@settings(max_examples=400)
@given(untidy_files())
def test_any_file_is_read_or_refused_with_its_problems_named(file: tuple[bytes, str]) -> None:
    raw, name = file
    try:
        parsed = parse_file(raw, name, NEIXIANG, townships=TOWNSHIPS)
    except InputError as error:
        assert error.problems and all(p.file.startswith(name) for p in error.problems)
        return
    assert all(p.file.startswith(name) and p.column for p in parsed.problems)
    checked = Checked(name, "hash", parsed, list(parsed.problems))
    if checked.partly_importable:  # 'import only the valid rows' leaves out every row named
        named = {(p.file, p.row) for p in parsed.problems}
        kept = checked.valid_rows()
        assert 0 < len(kept) and not named & set(zip(kept["_sheet"], kept["_row"], strict=True))
