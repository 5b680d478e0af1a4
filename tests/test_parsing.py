"""A corpus of real-world and broken files, each with the exact result or message expected."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from dashboard import clock
from dashboard.cell_values import day_in_window, parse_count, parse_date
from dashboard.encodings import common_chinese_share, detect_encoding
from dashboard.files import read_sheets, write_frame_csv
from dashboard.idnumbers import make_id
from dashboard.money import parse_fen, parse_signed_fen
from dashboard.parsing import MISSING_QUOTA, parse_file, progress_frames, quota_frames
from dashboard.problems import InputError
from dashboard.samples import sample_policy
from dashboard.township_names import find_township

from filemaker import ZHASHUI_ROWS, ZHASHUI_TOTAL, csv_bytes, xlsx_bytes, zhashui_printed_form

NEIXIANG = sample_policy("neixiang")
ZHASHUI = sample_policy("zhashui")
NEIXIANG_TOWNSHIPS = ["湍东镇", "板场乡", "桃溪镇", "七里坪乡", "余关镇", "岞镇", "夏馆镇", "师岗镇", "大桥乡", "王店镇", "赤眉镇", "马山口镇", "灌涨镇", "赵店乡", "瓦亭镇", "城关镇"]  # fmt: skip
ZHASHUI_TOWNSHIPS = [row[0] for row in ZHASHUI_ROWS]
GOOD_ID = make_id("411325", date(1990, 1, 1), 123)
NUMBER_LOST = "身份证号被存成了数字，Excel 只保留15位有效数字，末几位已丢失（请把该列设为文本格式，重新填写后再导入）"
OTHER_ID = make_id("411325", date(1985, 6, 30), 7)


def messages(
    raw: bytes, name: str, policy=NEIXIANG, townships=NEIXIANG_TOWNSHIPS, kind=None
) -> list[str]:
    try:
        parsed = parse_file(raw, name, policy, townships=townships, kind=kind)
    except InputError as error:
        return [str(p) for p in error.problems]
    return [str(p) for p in parsed.problems]


def test_zhashui_printed_form_with_merged_headers_reads_exactly() -> None:
    parsed = parse_file(zhashui_printed_form(), "柞水.xlsx", ZHASHUI, townships=ZHASHUI_TOWNSHIPS)
    assert parsed.kind == "quota"
    assert parsed.problems == []
    quotas, groups = quota_frames(parsed.frame)
    assert list(quotas["quota"]) == [r[3] for r in ZHASHUI_ROWS]
    assert list(quotas["base_population"]) == [r[1] for r in ZHASHUI_ROWS]
    assert list(quotas["last_year_enrolled"]) == [r[2] for r in ZHASHUI_ROWS]
    totals = groups.groupby("group")["roster_size"].sum().to_dict()
    assert totals == {"extreme_poverty": 1814, "orphan": 36, "minimum_living": 8001, "poverty_alleviated": 32609, "monitored": 539, "near_minimum_living": 411}  # fmt: skip


def test_the_printed_form_a_year_later_reads_the_same() -> None:
    """The headers name their years (2023年…征缴任务数, 2022年度…实际参保人数): next year's table
    names the next ones, and reads as this year's does."""
    raw = zhashui_printed_form(year=2024)
    parsed = parse_file(raw, "柞水2025.xlsx", ZHASHUI, townships=ZHASHUI_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("quota", [])
    quotas, _ = quota_frames(parsed.frame)
    assert list(quotas["quota"]) == [r[3] for r in ZHASHUI_ROWS]
    assert list(quotas["base_population"]) == [r[1] for r in ZHASHUI_ROWS]
    assert list(quotas["last_year_enrolled"]) == [r[2] for r in ZHASHUI_ROWS]


def test_zhashui_printed_form_with_a_wrong_total() -> None:
    wrong = [*ZHASHUI_TOTAL]
    wrong[3] = 141258
    assert messages(zhashui_printed_form(wrong), "柞水.xlsx", ZHASHUI, ZHASHUI_TOWNSHIPS) == [
        "柞水.xlsx[征缴计划表] 第14行 “合计”列：合计行与各行之和（141257）不符（值：“141258”）"
    ]


@pytest.mark.parametrize("total", [72690, 72691])
def test_a_totals_row_put_first_under_the_header_is_the_total(total: int) -> None:
    """Many county tables put 合计 first, in the 序号 column merged across the township's: it
    was read as a second header row (第4行 “合计”列：无法识别的列名); it is the totals row,
    checked against the rows below it."""
    rows = [
        ["内乡县2027年度城乡居民医保征缴任务分解表", "", "", ""],
        ["序号", "乡镇", "征缴任务（人）", "备注"],
        ["合计", "", total, ""],
        [1, "湍东镇", 62010, ""],
        [2, "板场乡", 10680, "含外出务工"],
    ]
    raw = xlsx_bytes({"任务": rows}, {"任务": ["A3:B3", "A1:D1"]})
    wrong = [] if total == 72690 else [
        f"任务.xlsx[任务] 第3行 “征缴任务（人）”列：合计行与各行之和（72690）不符（值：“{total}”）"
    ]  # fmt: skip
    two = ["湍东镇", "板场乡"]
    assert messages(raw, "任务.xlsx", townships=two) == wrong
    if not wrong:
        parsed = parse_file(raw, "任务.xlsx", NEIXIANG, townships=two)
        quotas, _ = quota_frames(parsed.frame)
        assert quotas[["township", "quota"]].values.tolist() == [
            ["湍东镇", 62010],
            ["板场乡", 10680],
        ]


@pytest.mark.parametrize(
    "header",
    [
        ["单位名称", "任务数", "累计参保人数"],
        ["乡镇（街道）名称", "征缴任务", "已缴费人数"],
        ["乡（镇）", "任务", "完成人数", "完成率（%）"],
        ["镇（办事处）", "任务数", "已完成", "完成率%"],
        ["所属乡镇（街道）", "任务数", "实际完成", "排名"],
        ["乡镇名", "任务数", "截至目前缴费人数"],
        ["镇（街道）", "应参保人数", "已参保", "参保率"],
    ],
)
def test_a_progress_report_headed_as_county_tables_head_it(header: list[str]) -> None:
    """The township column's many names (乡镇 with 名称, in brackets, 单位名称), the enrolled
    column's (完成人数, 已完成, 实际完成 …), a rate with its % and a base population beside the
    counts: read, not refused as 无法识别的列名."""
    rows = [["截至2022年11月30日"], header, ["湍东镇", 62010, 5000], ["板场乡", 10680, 3000]]
    rows[2:] = [[*row, *[""] * (len(header) - 3)] for row in rows[2:]]
    parsed = parse_file(
        xlsx_bytes({"进度": rows}), "p.xlsx", NEIXIANG, townships=["湍东镇", "板场乡"]
    )
    assert parsed.kind == "progress" and parsed.problems == []
    assert parsed.frame[["township", "enrolled"]].values.tolist() == [
        ["湍东镇", 5000],
        ["板场乡", 3000],
    ]


@pytest.mark.parametrize(
    "quota",
    [
        "分解任务数",
        "下达任务",
        "2027年度参保缴费任务",
        "居民医保征缴任务数（人）",
        "计划数",
        "征缴目标",
    ],
)
def test_a_quota_in_the_words_counties_put_it_in(quota: str) -> None:
    rows = [["内乡县2027年度城乡居民医保征缴任务分解表", ""], ["乡镇", quota], ["湍东镇", 62010]]
    parsed = parse_file(xlsx_bytes({"任务": rows}), "q.xlsx", NEIXIANG, townships=["湍东镇"])
    assert (parsed.kind, parsed.problems, parsed.frame["quota"].tolist()) == ("quota", [], [62010])


@pytest.mark.parametrize(
    "done",
    ["任务完成率", "未完成任务数", "剩余任务", "超任务数", "任务差额", "任务数变化", "任务变动"],
)
def test_what_is_done_of_a_quota_is_not_the_quota(done: str) -> None:
    rows = [["日期", "乡镇", "任务数", "参保人数", done], ["2022-11-01", "湍东镇", 62010, 500, 1]]
    parsed = parse_file(csv_bytes(rows), "p.csv", NEIXIANG, townships=["湍东镇"])
    assert (parsed.kind, parsed.problems) == ("progress", [])  # passed over, not a second quota


@pytest.mark.parametrize(
    "groups",
    [
        ["特困人员参保人数", "低保参保人数"],
        ["特困（已参保）", "低保（已参保）"],
        ["特困人数", "低保人数"],
    ],
)
def test_a_groups_column_may_say_it_counts_its_people(groups: list[str]) -> None:
    rows = [["日期", "镇办", "参保人数", *groups], ["2023-11-01", "营盘镇", 5000, 100, 800]]
    parsed = parse_file(csv_bytes(rows), "p.csv", ZHASHUI, townships=ZHASHUI_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("progress", [])
    counts = parsed.frame[["group:extreme_poverty", "group:minimum_living"]]
    assert counts.values.tolist() == [[100, 800]]


def test_merged_header_exported_to_csv_reads_too() -> None:
    rows = [
        ["镇办", "2021年乡村人口数", "2022年度城乡居民实际参保人数", "2023年城乡居民医保征缴任务数", "", "", "", "", "", ""],
        ["", "", "", "合计", "其中：特殊人群", "", "", "", "", ""],
        ["", "", "", "", "特困供养人员", "孤儿及事实无人抚养儿童", "低保户", "建档立卡脱贫人数", "监测户", "低保边缘户"],
        *ZHASHUI_ROWS,
        ZHASHUI_TOTAL,
    ]  # fmt: skip
    parsed = parse_file(csv_bytes(rows, "gbk"), "柞水.csv", ZHASHUI, townships=ZHASHUI_TOWNSHIPS)
    assert parsed.problems == []
    assert int(parsed.frame["quota"].sum()) == 141257


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_progress_in_every_encoding(encoding: str) -> None:
    raw = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-30", "湍东镇", "63,000"]], encoding)
    parsed = parse_file(raw, "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.kind == "progress" and parsed.problems == []
    progress, _ = progress_frames(parsed.frame)
    assert progress.iloc[0].to_dict() == {"date": date(2022, 11, 30), "township": "湍东镇", "village": "", "enrolled": 63000, "simulated": False}  # fmt: skip


def test_a_cut_off_utf16_file_is_refused() -> None:
    raw = csv_bytes([["日期", "乡镇", "参保人数"], ["2022-11-30", "湍东镇", "63,000"]], "utf-16")
    assert messages(raw[:-1], "p.csv") == [
        "p.csv：文件标明是 UTF-16 编码，内容却不是（可能不完整），请重新导出"
    ]


def test_a_stray_carriage_return_ends_its_row() -> None:
    """A lone CR inside a line of a file with LF line ends (pasted from another program)
    stopped the CSV reader with a traceback; it ends the row, as Excel and the readers of the
    table take it, and the row it cut short is named."""
    raw = "日期,乡镇,参保人数\n2022-11-01,湍东镇,1\r00\n2022-11-01,板场乡,5\n".encode()
    assert messages(raw, "p.csv") == [
        "p.csv 第3行 “乡镇”列：乡镇不能为空（值：“”）",
        "p.csv 第3行 “日期”列：不是有效日期（应为 2023-11-30 这样的格式）（值：“00”）",
        "p.csv 第3行 “参保人数”列：不能为空（值：“”）",
    ]


def test_big5_is_refused_not_guessed() -> None:
    raw = "日期,鄉鎮,參保人數\n2022-11-30,湍東鎮,63000\n".encode("big5")
    [message] = messages(raw, "p.csv")
    assert message.startswith("p.csv：无法识别文件编码")
    assert message.endswith("请另存为 UTF-8 或 GBK 编码的 CSV")


def test_a_gbk_report_of_a_few_names_repeated_week_after_week_is_read() -> None:
    """Eight weekly cumulative counts per township, one township after the other: a plain GBK
    file that charset-normalizer read as Cyrillic (疑似 iso8859_5), so it was refused; its
    characters are all common simplified ones, and that decides."""
    rows = [["日期", "乡镇", "参保人数"]]
    rows += [
        [date(2022, 10, 21) + timedelta(days=7 * week), town, 1000 * week + len(town)]
        for town in NEIXIANG_TOWNSHIPS
        for week in range(8)
    ]
    raw = csv_bytes(rows, "gbk")
    assert detect_encoding(raw, "p.csv") == "gb18030"
    parsed = parse_file(raw, "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS, kind=None)
    assert parsed.kind == "progress" and parsed.problems == []
    assert parsed.frame["township"].tolist()[::8] == NEIXIANG_TOWNSHIPS


@pytest.mark.parametrize(
    ("text", "encoding", "share"),
    [
        ("日期,乡镇,参保人数\n2022-11-30,湍东镇,63000", "gbk", 1.0),
        ("堌堆村,垴上村", "gbk", 0.8),  # 堌 and 垴 are beyond GB2312
        ("日期,鄉鎮,參保人數\n2022-11-30,湍東鎮,63000", "big5", 0.6),
        ("日期,乡镇,参保人数", "shift_jis", 0.0),
        ("date,township,enrolled", "ascii", 1.0),
    ],
)
def test_the_share_of_common_chinese_characters(text: str, encoding: str, share: float) -> None:
    assert common_chinese_share(text.encode(encoding, errors="replace")) == share


OLD_EXCEL = Path(__file__).parent / "files" / "zhashui_progress.xls"


def test_an_old_excel_workbook_reads_as_an_xlsx_does() -> None:
    """An .xls (Excel 97-2003, as WPS and older Excel still save; written once with xlwt 1.3.0):
    a merged title stating the day, 序号 | 镇（办） | 任务数 | 已参保人数, the 合计 row first."""
    parsed = parse_file(OLD_EXCEL.read_bytes(), "进度.xls", ZHASHUI, townships=ZHASHUI_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("progress", [])
    assert parsed.frame[["date", "township", "enrolled"]].values.tolist() == [
        [date(2023, 11, 30), township, 5000 + i] for i, township in enumerate(ZHASHUI_TOWNSHIPS, 1)
    ]
    assert parsed.notes == (
        "进度.xls[进度]没有日期列：统计日期按“柞水县医保征缴进度（截至2023年11月30日）”记为2023年11月30日",
        "“任务数”列不导入：以正式任务表为准",
    )


def test_excel_dates_and_numbers_in_xlsx() -> None:
    raw = xlsx_bytes(
        {
            "进度": [
                ["日期", "乡镇", "村（社区）", "参保人数"],
                [date(2022, 11, 30), "湍东镇", "东村", 500.0],
            ]
        }
    )
    parsed = parse_file(raw, "p.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert parsed.frame.iloc[0]["date"] == date(2022, 11, 30)
    assert parsed.frame.iloc[0]["enrolled"] == 500


def test_a_workbook_with_a_password_or_broken_says_so() -> None:
    """Tax bureaus send payment lists with a password to open them; a download cut short is
    not a workbook. Each says what to do, in Chinese."""
    plain = io.BytesIO(xlsx_bytes({"明细": [["身份证号", "乡镇"], [GOOD_ID, "湍东镇"]]}))
    locked = io.BytesIO()
    OOXMLFile(plain).encrypt("税务局2022", locked)
    assert messages(locked.getvalue(), "缴费明细.xlsx") == [
        "缴费明细.xlsx：无法打开 Excel 文件：文件设有打开密码，请在 Excel 中输入密码打开，"
        "取消密码后另存再上传"
    ]
    assert messages(plain.getvalue()[:2000], "缴费明细.xlsx") == [
        "缴费明细.xlsx：无法打开 Excel 文件：文件已损坏、不完整或不是 Excel 工作簿，"
        "请在 Excel 中打开并另存为 .xlsx 后再上传"
    ]


def test_the_right_sheet_is_found() -> None:
    raw = xlsx_bytes({"说明": [["本表由税务局导出"]], "明细": [["身份证号", "乡镇", "缴费日期", "缴费金额"], [GOOD_ID, "湍东镇", "2022-11-01", "350"]]})  # fmt: skip
    parsed = parse_file(raw, "pay.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.kind == "payments" and parsed.file == "pay.xlsx[明细]" and parsed.problems == []


def test_a_payment_list_beside_its_summary_sheet_is_the_list() -> None:
    # The summary (乡镇, 缴费人数) would read as a progress report dated by the file name; the
    # list is what the workbook holds, whichever sheet comes first, and the summary is named.
    summary = [["乡镇", "缴费人数", "缴费金额"], ["湍东镇", 1, 350], ["合计", 1, 350]]
    detail = [
        ["身份证号", "乡镇", "缴费日期", "缴费金额"],
        [GOOD_ID, "湍东镇", "2022-11-01", "350"],
    ]
    raw = xlsx_bytes({"汇总": summary, "明细": detail})
    parsed = parse_file(raw, "缴费_20221130.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, parsed.file, parsed.problems) == (
        "payments",
        "缴费_20221130.xlsx[明细]",
        [],
    )
    assert parsed.notes == ("工作表“汇总”不是缴费明细，未导入",)


ROSTER_HEADER = ["身份证号", "姓名", "乡镇", "人员类别"]


def test_a_list_kept_one_sheet_per_group_is_read_whole() -> None:
    ids = [make_id("411325", date(1950, 1, 1), n) for n in range(1, 5)]
    raw = xlsx_bytes(
        {
            "说明": [["民政局提供"]],
            "特困": [ROSTER_HEADER, [ids[0], "甲", "湍东镇", "特困人员救助供养对象"], [ids[1], "乙", "板场乡", "特困人员救助供养对象"]],
            "低保": [ROSTER_HEADER, [ids[2], "丙", "湍东镇", "城乡最低生活保障对象"], [ids[3], "丁", "湍东镇", "城乡最低生活保障对象"], ["合计", "", "", ""]],
        }
    )  # fmt: skip
    parsed = parse_file(raw, "名单.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.kind == "roster" and parsed.problems == [] and parsed.file == "名单.xlsx"
    assert list(parsed.frame["id_number"]) == ids
    assert list(parsed.frame["_sheet"]) == ["名单.xlsx[特困]"] * 2 + ["名单.xlsx[低保]"] * 2
    assert list(parsed.frame["_row"]) == [2, 3, 2, 3]


def test_problems_in_sheets_name_their_sheet_and_leave_the_same_row_of_others() -> None:
    ids = [make_id("411325", date(1950, 1, 1), n) for n in range(1, 4)]
    raw = xlsx_bytes(
        {
            "特困": [ROSTER_HEADER, [ids[0], "甲", "湍东镇", "特困人员救助供养对象"], [ids[1], "乙", "板场乡", "特困人员救助供养对象"]],
            "低保": [ROSTER_HEADER, [ids[2], "丙", "湍东镇", "残疾人"], [ids[0], "甲", "湍东镇", "特困人员救助供养对象"]],
        }
    )  # fmt: skip
    parsed = parse_file(raw, "名单.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert [str(p) for p in parsed.problems] == [
        "名单.xlsx[低保] 第2行 “人员类别”列：不是本县的资助人员类别（可选：特困人员救助供养对象、城乡最低生活保障对象、监测对象、一般脱贫户）（值：“残疾人”）",
        f"名单.xlsx[低保] 第3行 “身份证号”列：同一人在同一类别中重复（已见于名单.xlsx[特困]第2行）（值：“{ids[0]}”）",
    ]
    # only the valid rows: 特困's rows 2 and 3 stay, though 低保's rows 2 and 3 go
    assert list(parsed.rows_without(parsed.problems)["id_number"]) == ids[:2]
    assert parsed.whole_file_problems(parsed.problems) == []


def test_progress_kept_one_sheet_per_week_is_checked_across_sheets() -> None:
    header = ["日期", "乡镇", "参保人数"]
    raw = xlsx_bytes(
        {
            "11月8日": [header, ["2022-11-08", "湍东镇", 500], ["2022-11-08", "板场乡", 90], ["2022-11-08", "合计", 590]],
            "11月15日": [header, ["2022-11-15", "湍东镇", 480], ["2022-11-15", "板场乡", 95], ["2022-11-15", "合计", 576]],
        }
    )  # fmt: skip
    assert messages(raw, "进度.xlsx") == [
        "进度.xlsx[11月15日] 第2行 “参保人数”列：累计人数比2022-11-08的500少（值：“480”）",
        "进度.xlsx[11月15日] 第4行 “参保人数”列：合计行与各行之和（575）不符（值：“576”）",
    ]


def test_a_progress_report_dated_by_its_title() -> None:
    rows = [
        ["截至2022年11月8日各乡镇参保进度"],
        ["乡镇", "参保人数"],
        ["湍东镇", 500],
        ["板场乡", 90],
    ]
    parsed = parse_file(csv_bytes(rows), "进度.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.kind == "progress" and parsed.problems == []
    assert list(parsed.frame["date"]) == [date(2022, 11, 8)] * 2
    assert parsed.headers["date"] == "日期（取自“截至2022年11月8日各乡镇参保进度”）"
    assert parsed.notes == (
        "进度.csv没有日期列：统计日期按“截至2022年11月8日各乡镇参保进度”记为2022年11月8日",
    )


def test_progress_sheets_dated_by_their_names_without_a_year() -> None:
    header = ["乡镇", "参保人数"]
    raw = xlsx_bytes({"11月8日": [header, ["湍东镇", 500]], "11月15日": [header, ["湍东镇", 480]]})
    assert messages(raw, "进度.xlsx") == [
        "进度.xlsx[11月15日] 第2行 “参保人数”列：累计人数比2022-11-08的500少（值：“480”）"
    ]


def test_a_county_progress_table_with_its_quota_rate_and_rank_columns() -> None:
    rows = [
        ["截至2022年11月8日各乡镇参保进度"],
        ["序号", "乡镇", "任务数", "参保人数", "完成率", "排名"],
        [1, "湍东镇", 62010, 500, "0.8%", 1],
        [2, "板场乡", 10680, 90, "0.8%", 2],
    ]
    parsed = parse_file(csv_bytes(rows), "进度.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.kind == "progress" and parsed.problems == []
    assert list(parsed.frame["enrolled"]) == [500, 90] and "quota" not in parsed.frame
    assert parsed.notes[-1] == "“任务数”列不导入：以正式任务表为准"
    undated = [rows[1], rows[2]]  # without the title: a progress report still, told to be dated
    assert messages(csv_bytes(undated), "进度.csv") == [
        "进度.csv 第1行 “日期”列：缺少必需的列（可用列名：日期、统计日期、统计时间、date等），"
        "或在标题中写明统计日期（如“截至2023年11月30日”）"
    ]


def test_a_progress_report_in_a_bureaus_own_words() -> None:
    rows = [["序号", "乡镇", "下达任务数", "已缴费人数", "完成率", "截至日期"], [1, "湍东镇", 62010, 40000, "64.5%", "2022-11-08"]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("progress", [])
    assert parsed.frame[["date", "township", "enrolled"]].values.tolist() == [
        [date(2022, 11, 8), "湍东镇", 40000]
    ]
    assert parsed.notes == ("“下达任务数”列不导入：以正式任务表为准",)


def test_a_progress_table_kept_one_column_per_day() -> None:
    # 乡镇 | 任务数 | 10月21日 | 10月28日 | 11月4日, a 合计 row in the 序号 column: one row per
    # township and day (a blank cell is no report), the 合计 checked day by day, falling counts
    # found across the columns; the header's dates as Excel keeps them (a date cell) too
    rows = [
        ["各乡镇征缴进度", "", "", "", "", ""],
        ["序号", "乡镇", "任务数", "10月21日", date(2022, 10, 28), "截至11月4日"],
        [1, "湍东镇", 62010, 1000, 5000, 9000],
        [2, "板场乡", 10680, 200, "", 150],
        ["合计", "", 72690, 1200, 5000, 9100],
    ]
    parsed = parse_file(
        xlsx_bytes({"周进度": rows}), "进度.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
    )
    assert parsed.kind == "progress"
    assert parsed.frame[["_row", "date", "township", "enrolled"]].values.tolist() == [
        [3, date(2022, 10, 21), "湍东镇", 1000],
        [4, date(2022, 10, 21), "板场乡", 200],
        [3, date(2022, 10, 28), "湍东镇", 5000],
        [3, date(2022, 11, 4), "湍东镇", 9000],
        [4, date(2022, 11, 4), "板场乡", 150],
    ]
    assert [str(p) for p in parsed.problems] == [
        "进度.xlsx[周进度] 第4行 “参保人数（各日期列）”列：累计人数比2022-10-21的200少（值：“150”）",
        "进度.xlsx[周进度] 第5行 “参保人数（各日期列）”列：合计行与各行之和（9150）不符（值：“9100”）",
    ]
    assert (
        parsed.notes[0]
        == "进度.xlsx[周进度]按日期分列：3个日期列（10月21日至11月4日）读作各日的累计参保人数"
    )


def test_a_day_column_beside_a_count_column_is_unknown() -> None:
    rows = [["日期", "乡镇", "参保人数", "11月8日"], ["2022-11-01", "湍东镇", 5, 6]]
    assert messages(csv_bytes(rows), "p.csv") == ["p.csv 第1行 “11月8日”列：无法识别的列名"]


def test_a_progress_report_with_no_date_anywhere() -> None:
    rows = [["各乡镇参保进度"], ["乡镇", "参保人数"], ["湍东镇", 500]]
    assert messages(csv_bytes(rows), "进度.csv") == [
        "进度.csv 第2行 “日期”列：缺少必需的列（可用列名：日期、统计日期、统计时间、date等），"
        "或在标题中写明统计日期（如“截至2023年11月30日”）"
    ]


def test_sheets_that_cannot_be_read_as_one() -> None:
    quota = [["乡镇", "任务数"], *[[t, 100] for t in NEIXIANG_TOWNSHIPS]]
    raw = xlsx_bytes({"2023年": quota, "2022年": quota})
    assert messages(raw, "任务.xlsx") == [
        "任务.xlsx：工作簿中有多个任务表（工作表“2023年”、“2022年”），请只保留要导入的一个"
    ]
    ids = [make_id("411325", date(1950, 1, 1), n) for n in range(1, 3)]
    raw = xlsx_bytes(
        {
            "特困": [ROSTER_HEADER, [ids[0], "甲", "湍东镇", "特困人员救助供养对象"]],
            "低保": [
                ["姓名", "身份证号", "乡镇", "人员类别"],
                ["丙", ids[1], "湍东镇", "城乡最低生活保障对象"],
            ],
        }
    )
    assert messages(raw, "名单.xlsx") == [
        "名单.xlsx[低保] 第1行：与工作表“特困”的列不同（同一工作簿的资助名单分在工作表“特困”、“低保”中时，各表的列须相同、顺序一致）"
    ]


@pytest.mark.parametrize(
    ("policy", "townships", "written", "code"),
    [
        (NEIXIANG, NEIXIANG_TOWNSHIPS, "低保对象", "minimum_living"),
        (NEIXIANG, NEIXIANG_TOWNSHIPS, "特困人员", "extreme_poverty"),
        (NEIXIANG, NEIXIANG_TOWNSHIPS, "脱贫享受政策户", "poverty_alleviated"),
        (ZHASHUI, ZHASHUI_TOWNSHIPS, "边缘易致贫户", "monitored"),
        (ZHASHUI, ZHASHUI_TOWNSHIPS, "孤儿（含事实无人抚养儿童）", "orphan"),
    ],
)
def test_a_group_by_another_name_its_notice_gives_it(policy, townships, written, code) -> None:
    rows = [ROSTER_HEADER, [GOOD_ID, "甲", townships[0], written]]
    parsed = parse_file(csv_bytes(rows), "名单.csv", policy, townships=townships)
    assert parsed.problems == [] and list(parsed.frame["group"]) == [code]


def test_wrong_sheet_only() -> None:
    raw = xlsx_bytes({"说明": [["本表由税务局导出"]], "Sheet2": [["序号", "备注"], [1, "无"]]})
    assert messages(raw, "x.xlsx") == [
        "x.xlsx：未找到任务表、进度表、缴费明细或资助名单所需的列（工作表：说明、Sheet2），请使用模板"
    ]


def test_totals_row_is_checked_and_not_imported() -> None:
    rows = [
        ["日期", "乡镇", "参保人数"],
        ["2022-11-30", "湍东镇", 100],
        ["2022-11-30", "板场乡", 50],
        ["2022-11-30", "合计", 150],
    ]
    parsed = parse_file(csv_bytes(rows), "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == [] and len(parsed.frame) == 2
    rows[-1][-1] = 151
    assert messages(csv_bytes(rows), "p.csv") == [
        "p.csv 第4行 “参保人数”列：合计行与各行之和（150）不符（值：“151”）"
    ]


def test_a_quota_of_0_is_read_with_a_note_of_what_it_means() -> None:
    rows = [
        ["乡镇", "征缴任务数"],
        *[[t, 0 if t in ("板场乡", "城关镇") else 100] for t in NEIXIANG_TOWNSHIPS],
    ]
    parsed = parse_file(csv_bytes(rows), "q.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == [] and list(parsed.frame["quota"])[:2] == [100, 0]
    assert parsed.notes == (
        "板场乡、城关镇的任务数为0：不计完成率，不参加排名，结算时其参保人数全部按超出任务数计，请核对",
    )


def test_a_quota_table_of_nothing_but_zeros_is_refused() -> None:
    # a blank template filled with 0: no one could be ranked, every person would be rewarded
    rows = [["乡镇", "征缴任务数"], *[[t, 0] for t in NEIXIANG_TOWNSHIPS], ["合计", 0]]
    assert messages(csv_bytes(rows), "q.csv") == [
        "q.csv “征缴任务数”列：各乡镇的任务数均为0，请核对是否为未填写的模板（值：“0”）"
    ]


def test_a_table_of_some_townships_may_set_them_all_to_zero() -> None:
    # a what-if's change ("what if 板场乡 had no quota?"): the township left out is refused
    # as such (or, for a scenario, keeps its official quota), the zero is only noted
    rows = [["乡镇", "征缴任务数"], ["板场乡", 0]]
    parsed = parse_file(csv_bytes(rows), "q.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert {p.reason for p in parsed.problems} == {MISSING_QUOTA}
    assert len(parsed.problems) == len(NEIXIANG_TOWNSHIPS) - 1
    assert parsed.notes == (
        "板场乡的任务数为0：不计完成率，不参加排名，结算时其参保人数全部按超出任务数计，请核对",
    )


@pytest.mark.parametrize("subtotal", ["", "小计", "全镇合计"])
def test_a_townships_subtotal_beside_its_villages_is_checked_and_not_imported(
    subtotal: str,
) -> None:
    rows = [
        ["日期", "乡镇", "村（社区）", "参保人数", "特困人员救助供养对象"],
        ["2022-11-30", "湍东镇", "东村", 500, 3],
        ["2022-11-30", "湍东镇", "西村", 300, 4],
        ["2022-11-30", "湍东镇", subtotal, 800, 7],
        ["2022-11-30", "板场乡", "", 50, 1],  # a township without villages is its own figure
        ["2022-11-30", "合计", "", 850, 8],
    ]
    parsed = parse_file(csv_bytes(rows), "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    progress, groups = progress_frames(parsed.frame)
    assert progress[["township", "village", "enrolled"]].values.tolist() == [
        ["湍东镇", "东村", 500],
        ["湍东镇", "西村", 300],
        ["板场乡", "", 50],
    ]
    assert groups[["township", "group", "enrolled"]].values.tolist() == [
        ["湍东镇", "extreme_poverty", 7],  # the villages' 3 + 4, once
        ["板场乡", "extreme_poverty", 1],
    ]
    rows[3][3:] = [801, 7]
    assert messages(csv_bytes(rows), "p.csv") == [
        "p.csv 第4行 “参保人数”列：乡镇小计与各村之和（800）不符（值：“801”）"
    ]


def _with_check(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def test_old_15_digit_id_numbers_become_the_18_digit_ones() -> None:
    """A first-generation number (15 digits: a two-digit year, no check digit) is the 18-digit
    one it became; a note says how many, without showing anyone's number."""
    number = GOOD_ID
    old = number[:6] + number[8:17]
    rows = [["身份证号", "姓名", "乡镇", "人员类别"], [old, "张三", "湍东镇", "特困"]]
    parsed = parse_file(csv_bytes(rows), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert list(parsed.frame["id_number"]) == [number]
    assert parsed.notes == (
        "“身份证号”列有1个15位旧身份证号，已按 GB 11643 升为18位（出生年份前加19，末位补校验码）",
    )


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1"), "身份证号校验位错误（GB 11643）"),
        (_with_check("41132519900231001"), "身份证号中的出生日期不存在"),
        (_with_check("41132520300101001"), "身份证号中的出生日期不合理"),
        ("41132519900101123", "身份证号应为18位（17位数字加1位数字或X）"),
        ("4113251990010112AX", "身份证号应为18位（17位数字加1位数字或X）"),
        ("4.11325E+17", NUMBER_LOST),
        ("411325901301123", "身份证号中的出生日期不存在"),  # 15 digits, month 13
    ],
    ids=[
        "check digit",
        "30 February",
        "born in the future",
        "17 digits",
        "letters",
        "Excel number",
        "old 15 digits, no such day",
    ],
)
def test_bad_id_numbers(number: str, reason: str) -> None:
    rows = [
        ["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额"],
        [number, "张三", "湍东镇", "2022-11-01", "350"],
    ]
    assert messages(csv_bytes(rows), "pay.csv") == [
        f"pay.csv 第2行 “身份证号”列：{reason}（值：“{number}”）"
    ]


def test_a_newborn_of_after_the_campaign_is_left_off_the_roster_with_a_note() -> None:
    # Neixiang's campaign ended 2022-12-31: a baby born 2023-01-10 on a roster exported in the
    # spring is not among those the campaign had to enrol, nor an impossible number: left out,
    # said so; one born in 2030 is impossible
    newborn, unborn = _with_check("41132520230110001"), _with_check("41132520300110001")
    member = [GOOD_ID, "王五", "湍东镇", "特困"]
    rows = [["身份证号", "姓名", "乡镇", "人员类别"], member, [newborn, "张三", "湍东镇", "特困"]]
    parsed = parse_file(csv_bytes(rows), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == [] and parsed.frame["id_number"].tolist() == [GOOD_ID]
    assert parsed.notes == (
        "1人身份证号中的出生日期在征缴期结束（2022-12-31）之后：征缴期后出生的新生儿不在本次征缴"
        "的名单内，未导入：名单.csv第3行",
    )
    kept_as_text = [f"'{newborn}", "张三", "湍东镇", "特困"]  # ' before it, as Excel keeps text
    rows[2] = kept_as_text
    parsed = parse_file(csv_bytes(rows), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == [] and len(parsed.notes) == 1
    rows.append([unborn, "李四", "湍东镇", "特困"])
    assert messages(csv_bytes(rows), "名单.csv") == [
        f"名单.csv 第4行 “身份证号”列：身份证号中的出生日期不合理（值：“{unborn}”）",
    ]


def test_a_payment_before_the_birth_its_id_number_gives_is_refused() -> None:
    # Neixiang's campaign began 2022-10-15: one born 11-20 cannot have paid 11-01; a newborn
    # paid for once born, and a baby born on the day it is paid for, pass
    born_late, newborn = _with_check("41132520221120001"), _with_check("41132520221020001")
    rows = [
        ["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额"],
        [born_late, "张三", "湍东镇", "2022-11-01", "350"],
        [newborn, "李四", "湍东镇", "2022-11-01", "350"],
        [born_late, "张三", "湍东镇", "2022-11-20", "350"],
    ]
    assert messages(csv_bytes(rows), "pay.csv") == [
        "pay.csv 第2行 “缴费日期”列：缴费日期早于身份证号中的出生日期，请核对日期或身份证号"
        "（值：“2022-11-01”）"
    ]


def test_an_id_number_in_an_excel_number_cell_is_named_as_such() -> None:
    # The cell holds a double: its 18 digits cannot survive, whatever the check digit says.
    rows = [["身份证号", "乡镇", "缴费日期", "缴费金额"], [int(GOOD_ID[:17] + "0"), "湍东镇", "2022-11-01", 350]]  # fmt: skip
    [message] = messages(xlsx_bytes({"缴费": rows}), "pay.xlsx")
    assert (
        message == f"pay.xlsx[缴费] 第2行 “身份证号”列：{NUMBER_LOST}（值：“4.11325199001011E+17”）"
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2022-11-05", date(2022, 11, 5)),
        ("2022/11/5", date(2022, 11, 5)),
        ("2022.11.05", date(2022, 11, 5)),
        ("2022年11月5日", date(2022, 11, 5)),
        ("20221105", date(2022, 11, 5)),
        ("2022-11-05 10:23:11", date(2022, 11, 5)),
        ("2022/11/5 9:03", date(2022, 11, 5)),
        ("2022-11-05T10:23:11.123", date(2022, 11, 5)),
        ("20221105 10:23", date(2022, 11, 5)),
        # a one-digit day and a two-digit hour: not 2022/11/21 8:03
        ("2022/11/2 18:03", date(2022, 11, 2)),
        ("2022-11-1 12:30:05", date(2022, 11, 1)),
        ("2022年11月2日 18:03", date(2022, 11, 2)),
        ("2022/11/2\u300018:03", date(2022, 11, 2)),
        ("2022 年 11 月 2 日", date(2022, 11, 2)),
        ("2022-11-0218:03", None),
        ("２０２２－１１－０５", date(2022, 11, 5)),
        ("2022-02-30", None),
        ("11/5/2022", None),
        ("2022-11-05 下午", None),
        ("2022-11/05", None),
    ],
)
def test_dates_as_counties_write_them(text: str, day: date | None) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(("text", "fen"), [("350", 35000), ("1,350.50", 135050), ("350元", 35000), ("￥350", 35000), ("¥ 350.5", 35050), ("350.005", None), ("-350", None), ("350.0000", 35000), ("12,345,678.9", 1234567890), ("350,00", None), ("1,0598", None)])  # fmt: skip
def test_amounts_as_counties_write_them(text: str, fen: int | None) -> None:
    assert parse_fen(text) == fen


@pytest.mark.parametrize(("text", "fen"), [("-350", -35000), ("－350.00", -35000), ("\u2212350", -35000), ("-1,350.5", -135050), ("350", 35000), ("--350", None)])  # fmt: skip
def test_a_refund_with_any_minus(text: str, fen: int | None) -> None:
    assert parse_signed_fen(text) == fen


def test_id_numbers_are_normalised() -> None:
    spaced = " " + GOOD_ID[:6] + " " + GOOD_ID[6:].lower() + " "
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in OTHER_ID)
    third, fourth = (make_id("411325", date(1970, 5, 5), n) for n in (1, 2))
    rows = [["身份证号", "乡镇", "缴费日期", "缴费金额"], [spaced, "湍东镇", "2022-11-01", "350"], [fullwidth, "湍东镇", "2022-11-01", "350"], ["'" + third, "湍东镇", "2022-11-01", "350"], [f'="{fourth}"', "湍东镇", "2022-11-01", "350"]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert list(parsed.frame["id_number"]) == [GOOD_ID.upper(), OTHER_ID, third, fourth]


def test_the_same_person_twice() -> None:
    # paid on two days: enrolled once, the later payment a second one (to be refunded)
    rows = [["身份证号", "乡镇", "缴费日期", "缴费金额"], [GOOD_ID, "板场乡", "2022-11-03", "350"], [OTHER_ID, "湍东镇", "2022-11-01", "350"], [GOOD_ID, "湍东镇", "2022-11-01", "350"]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == [] and len(parsed.frame) == 3
    assert parsed.notes == (
        "1人在本文件中缴费两次以上（日期或金额不同）：每人按最早的一笔计入参保，另外1行记为"
        "重复缴费（应予退费）：pay.csv第2行",
    )
    # the same day and amount twice: a row written twice, or paid twice? The clerk checks.
    rows.append([OTHER_ID, "湍东镇", "2022-11-01", "350.00"])
    assert messages(csv_bytes(rows), "pay.csv") == [
        f"pay.csv 第5行 “身份证号”列：同一人同日同金额的缴费出现两次，请核对是否重复录入（已见于第3行）"
        f"（值：“{OTHER_ID}”）"
    ]


def test_roster_person_in_two_groups_is_fine_but_not_twice_in_one() -> None:
    rows = [["身份证号", "姓名", "乡镇", "人员类别"], [GOOD_ID, "张三", "湍东镇", "城乡最低生活保障对象"], [GOOD_ID, "张三", "湍东镇", "监测对象"], [GOOD_ID, "张三", "湍东镇", "监测对象"], [OTHER_ID, "李四", "湍东镇", "重度残疾人"]]  # fmt: skip
    assert messages(csv_bytes(rows), "roster.csv") == [
        f"roster.csv 第4行 “身份证号”列：同一人在同一类别中重复（已见于第3行）（值：“{GOOD_ID}”）",
        "roster.csv 第5行 “人员类别”列：不是本县的资助人员类别（可选：特困人员救助供养对象、城乡最低生活保障对象、监测对象、一般脱贫户）（值：“重度残疾人”）",
    ]


def test_unknown_township_with_a_suggestion_and_full_width_names() -> None:
    rows = [["日期", "乡镇", "参保人数"], ["2022-11-30", "湍东乡", 1], ["2022-11-30", "　马山口 镇", 2], ["2022-11-30", "北京市", 3]]  # fmt: skip
    assert messages(csv_bytes(rows), "p.csv") == [
        "p.csv 第2行 “乡镇”列：不是本县的乡镇，是否为“湍东镇”？（值：“湍东乡”）",
        "p.csv 第4行 “乡镇”列：不是本县的乡镇（值：“北京市”）",
    ]


def test_a_street_office_is_found_by_its_street_name() -> None:
    """乾佑街道 and 乾佑 (a county table's short form) are the one township they can be; 乾佑镇
    is another name, which the county does not have."""
    rows = [["日期", "乡镇", "参保人数"], ["2023-11-29", "乾佑街道", 1], ["2023-11-30", "乾佑街道办事处", 2], ["2023-12-01", "乾佑", 3], ["2023-12-01", "乾佑镇", 4]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "p.csv", ZHASHUI, townships=ZHASHUI_TOWNSHIPS)
    assert list(parsed.frame["township"]) == ["乾佑街道办事处"] * 3 + [None]
    assert [str(p) for p in parsed.problems] == [
        "p.csv 第5行 “乡镇”列：不是本县的乡镇，是否为“乾佑街道办事处”？（值：“乾佑镇”）"
    ]


@pytest.mark.parametrize(
    ("header", "row", "kind", "read"),
    [
        # a bureau's progress table with its own derived columns, read past
        (
            ["单位", "日期", "本周累计", "上周累计", "本周新增", "未参保人数"],
            ["湍东镇", "2022-11-08", 5, 1, 4, 9],
            "progress",
            {"township": "湍东镇", "enrolled": 5},
        ),  # fmt: skip
        (
            ["乡镇", "日期", "参保人数（人）", "剩余任务数"],
            ["湍东镇", "2022-11-08", 5, 9],
            "progress",
            {"enrolled": 5},
        ),  # fmt: skip
        # a street office's list: 街道 and 社区; what the person paid, beside the subsidy
        (
            ["身份证号", "姓名", "街道", "社区", "缴费日期", "个人缴费", "资助金额"],
            [GOOD_ID, "张三", "湍东镇", "一社区", "2022-11-08", "270", "80"],
            "payments",
            {"township": "湍东镇", "village": "一社区", "amount_fen": 27000},
        ),  # fmt: skip
        (
            ["身份证号", "姓名", "乡镇", "村组", "人员身份"],
            [GOOD_ID, "张三", "湍东镇", "前刘村一组", "低保"],
            "roster",
            {"village": "前刘村一组", "group": "minimum_living"},
        ),  # fmt: skip
    ],
)
def test_a_countys_own_headers(header: list[str], row: list[object], kind: str, read: dict) -> None:
    """A county's headers in its own words are read as ours; what it carries beside them that
    the dashboard does not use is read past."""
    parsed = parse_file(csv_bytes([header, row]), "f.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, [str(p) for p in parsed.problems]) == (kind, [])
    assert {k: parsed.frame[k].iloc[0] for k in read} == read


def test_a_quota_table_in_a_countys_words_with_its_years_and_a_row_for_the_county() -> None:
    """目标任务数 and 上年度参保人数 are the quota and last year's enrolled; 户籍人口 is not the base
    of the participation rate (read past); a year before a count of enrolled is not guessed
    (last year's beside a quota, this year's in a progress table); 全县 is the totals row."""
    rows = [["乡镇", "目标任务数", "上年度参保人数", "户籍人口", "2023年度参保人数"], ["湍东镇", 5, 4, 9, 4], ["板场乡", 6, 5, 9, 5], ["全县", 12, 9, 18, 9]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "q.csv", NEIXIANG, townships=["湍东镇", "板场乡"])
    assert parsed.kind == "quota"
    assert [str(p) for p in parsed.problems] == [
        "q.csv 第1行 “2023年度参保人数”列：无法识别的列名",
        "q.csv 第4行 “目标任务数”列：合计行与各行之和（11）不符（值：“12”）",
    ]
    assert "这些列看板用不到，未导入：户籍人口" in parsed.notes
    assert list(parsed.frame["last_year_enrolled"]) == [4, 5]


def test_a_township_without_its_suffix_is_the_one_it_can_be() -> None:
    """County tables write 湍东 for 湍东镇 and 七里坪 for 七里坪乡; a one-character stem (岞 of 岞镇)
    or one two townships share is not taken."""
    assert find_township("湍东", NEIXIANG_TOWNSHIPS) == "湍东镇"
    assert find_township("七里坪", NEIXIANG_TOWNSHIPS) == "七里坪乡"
    assert find_township("岞", NEIXIANG_TOWNSHIPS) is None
    assert find_township("城关", ["城关镇", "城关乡"]) is None


def test_a_township_written_with_the_places_above_it_or_as_its_government() -> None:
    # The tax system writes an address (河南省南阳市内乡县湍东镇); a report may name the
    # township's government. A name that is not a whole township after them stays unknown.
    rows = [["日期", "乡镇", "参保人数"], ["2022-11-01", "河南省南阳市内乡县湍东镇", 1], ["2022-11-01", "内乡县板场乡", 2], ["2022-11-01", "桃溪镇人民政府", 3], ["2022-11-01", "内乡县湍", 4]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert list(parsed.frame["township"]) == ["湍东镇", "板场乡", "桃溪镇", None]
    assert [str(p) for p in parsed.problems] == [
        "p.csv 第5行 “乡镇”列：不是本县的乡镇（值：“内乡县湍”）"
    ]


def test_decreasing_counts_and_dates_outside_the_campaign() -> None:
    rows = [["日期", "乡镇", "参保人数"], ["2022-11-02", "湍东镇", 400], ["2022-11-01", "湍东镇", 500], ["2023-01-05", "板场乡", 9]]  # fmt: skip
    assert messages(csv_bytes(rows), "p.csv") == [
        "p.csv 第2行 “参保人数”列：累计人数比2022-11-01的500少（值：“400”）",
        "p.csv 第4行 “日期”列：不在征缴期内（2022-10-15至2022-12-31）（值：“2023-01-05”）",
    ]


def test_a_day_excel_keeps_as_its_serial_number_is_read_as_that_day() -> None:
    """A date column not formatted as dates holds Excel's serial numbers (44875 is 2022-11-10,
    a time of day its fraction): read as those days, and said so under the file. Outside this
    century's range a number stays a bad date."""
    rows = [["日期", "乡镇", "参保人数"], [44875, "湍东镇", 400], [44880.4375, "湍东镇", 500], [2022, "板场乡", 9]]  # fmt: skip
    parsed = parse_file(
        xlsx_bytes({"进度": rows}), "p.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
    )
    assert list(parsed.frame["date"]) == [date(2022, 11, 10), date(2022, 11, 15), None]
    assert [str(p) for p in parsed.problems] == [
        "p.xlsx[进度] 第4行 “日期”列：不是有效日期（应为 2023-11-30 这样的格式）（值：“2022”）"
    ]
    assert "“日期”列有2个日期是 Excel 的日期序号（如44875即2022-11-10），已按日期读取：该列未设为日期格式" in parsed.notes  # fmt: skip
    assert parse_date("45260") == date(2023, 11, 30)
    assert parse_date("99999") is None and parse_date("20221") is None


def test_a_rosters_group_in_the_words_of_the_system_that_made_it() -> None:
    """Civil affairs writes 分散供养特困人员 and 农村低保, rural revitalisation 防返贫监测对象 and
    建档立卡脱贫户: each is the county's group of that kind. A kind the county has no group of
    (Neixiang: 低保边缘户) stays unknown."""
    ids = [make_id("411325", date(1960, 1, 1), n) for n in range(5)]
    rows = [["身份证号", "姓名", "乡镇", "人员类别"], [ids[0], "甲", "湍东镇", "分散供养特困人员"], [ids[1], "乙", "湍东镇", "农村低保"], [ids[2], "丙", "湍东镇", "防返贫监测对象"], [ids[3], "丁", "湍东镇", "建档立卡脱贫户"], [ids[4], "戊", "湍东镇", "低保边缘户"]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert list(parsed.frame["group"])[:4] == ["extreme_poverty", "minimum_living", "monitored", "poverty_alleviated"]  # fmt: skip
    assert [p.row for p in parsed.problems] == [6]
    assert parsed.problems[0].reason.startswith("不是本县的资助人员类别")


def test_a_day_written_without_its_year_takes_the_campaigns() -> None:
    """11月8日 in a date column is that day of the campaign, said under the file; a day the
    campaign does not hold is named as outside it, one that does not exist as a bad date."""
    rows = [["日期", "乡镇", "参保人数"], ["11月8日", "湍东镇", 400], ["11月15日", "湍东镇", 500], ["9月1日", "板场乡", 9], ["2月30日", "板场乡", 9]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert list(parsed.frame["date"])[:3] == [date(2022, 11, 8), date(2022, 11, 15), date(2022, 9, 1)]  # fmt: skip
    assert [str(p) for p in parsed.problems] == [
        "p.csv 第4行 “日期”列：不在征缴期内（2022-10-15至2022-12-31）（值：“9月1日”）",
        "p.csv 第5行 “日期”列：不是有效日期（应为 2023-11-30 这样的格式）（值：“2月30日”）",
    ]
    assert "“日期”列有3个日期未写年份（如11月8日即2022-11-08），按征缴期定年份" in parsed.notes
    # Zhashui's campaign runs into 2024 (catch-up to June 30): January is 2024's
    assert day_in_window("1月5日", date(2023, 9, 1), date(2024, 6, 30)) == date(2024, 1, 5)
    assert day_in_window("10月5日", date(2023, 9, 1), date(2024, 6, 30)) == date(2023, 10, 5)
    assert day_in_window("2023-10-05", date(2023, 9, 1), date(2024, 6, 30)) is None


def test_a_day_still_to_come_is_a_slip_of_the_keyboard(monkeypatch) -> None:
    """During the campaign a report, payment, recognition or deposit dated after today (in
    Beijing) is named: the 30th typed for the 20th would make it the dashboard's latest day."""
    monkeypatch.setattr(clock, "today", lambda: date(2022, 11, 20))
    progress = [["日期", "乡镇", "参保人数"], ["2022-11-20", "湍东镇", 400], ["2022-11-30", "板场乡", 9]]  # fmt: skip
    assert messages(csv_bytes(progress), "p.csv") == [
        "p.csv 第3行 “日期”列：晚于今天（2022-11-20），请核对日期（值：“2022-11-30”）",
    ]
    payments = [["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额"], [GOOD_ID, "张三", "湍东镇", "2022-11-21", 350], [OTHER_ID, "李四", "湍东镇", "2023-01-05", 350]]  # fmt: skip
    assert messages(csv_bytes(payments), "缴费.csv") == [
        "缴费.csv 第2行 “缴费日期”列：晚于今天（2022-11-20），请核对日期（值：“2022-11-21”）",
        "缴费.csv 第3行 “缴费日期”列：不在征缴期内（2022-10-15至2022-12-31）（值：“2023-01-05”）",
    ]
    roster = [["身份证号", "姓名", "乡镇", "人员类别", "认定日期"], [GOOD_ID, "张三", "湍东镇", "低保", "2022-12-01"], [OTHER_ID, "李四", "湍东镇", "低保", "2023-02-01"]]  # fmt: skip
    assert messages(csv_bytes(roster), "名单.csv") == [
        "名单.csv 第2行 “认定日期”列：晚于今天（2022-11-20），请核对日期（值：“2022-12-01”）",
        "名单.csv 第3行 “认定日期”列：晚于征缴结束日（2022-12-31）（值：“2023-02-01”）",
    ]


def test_a_townships_own_list_is_placed_by_its_sheet_title_or_file_name() -> None:
    """A township sends its own list without a township column: one sheet per township, a
    title, or the file's name says which; a text naming two says nothing."""
    head = ["身份证号", "姓名", "村（社区）", "缴费日期", "缴费金额"]
    by_sheet = {"湍东镇": [head, [GOOD_ID, "甲", "老马村", "2022-11-01", 350]], "板场乡": [head, [OTHER_ID, "乙", "东村", "2022-11-02", 350]]}  # fmt: skip
    parsed = parse_file(xlsx_bytes(by_sheet), "缴费.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert list(parsed.frame["township"]) == ["湍东镇", "板场乡"]
    assert parsed.notes[:2] == (
        "缴费.xlsx[湍东镇]没有乡镇列：乡镇按“湍东镇”记为湍东镇",
        "缴费.xlsx[板场乡]没有乡镇列：乡镇按“板场乡”记为板场乡",
    )
    titled = [["内乡县湍东镇特困人员花名册"], ["身份证号", "姓名", "村（社区）", "人员类别"], [GOOD_ID, "甲", "老马村", "特困"]]  # fmt: skip
    parsed = parse_file(csv_bytes(titled), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, list(parsed.frame["township"])) == ("roster", ["湍东镇"])
    villages = [["村（社区）", "参保人数"], ["老马村", 420], ["前刘村", 380]]
    parsed = parse_file(
        csv_bytes(villages), "湍东镇各村进度_20221108.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
    )
    assert parsed.problems == []
    assert set(parsed.frame["township"]) == {"湍东镇"}
    assert set(parsed.frame["date"]) == {date(2022, 11, 8)}
    two = [["湍东镇、板场乡缴费明细"], head, [GOOD_ID, "甲", "老马村", "2022-11-01", 350]]
    assert messages(csv_bytes(two), "缴费.csv") == [
        "缴费.csv 第2行 “乡镇”列：缺少必需的列（可用列名：乡镇、乡镇（街道）、乡镇(街道)、township等）"
        "；一个乡镇的表也可在工作表名、标题或文件名中写明乡镇"
    ]


def test_a_rosters_groups_as_rural_rosters_write_them() -> None:
    """五保户 is a 特困 member (农村五保 became 特困人员救助供养 in 2014), 低保户 a 低保 one;
    a cell naming two groups asks for a row each, rather than calling them unknown."""
    third = make_id("411325", date(1972, 5, 5), 13)
    roster = [["身份证号", "姓名", "乡镇", "人员类别"], [GOOD_ID, "甲", "湍东镇", "五保户"], [OTHER_ID, "乙", "湍东镇", "低保户"]]  # fmt: skip
    parsed = parse_file(csv_bytes(roster), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert list(parsed.frame["group"]) == ["extreme_poverty", "minimum_living"]
    roster += [[third, "丙", "湍东镇", "低保、一般脱贫户"], [third, "丙", "湍东镇", "低保/残疾人"]]
    assert messages(csv_bytes(roster), "名单.csv") == [
        "名单.csv 第4行 “人员类别”列：一格写了多个类别：同一人属于多个类别的，请每个类别一行"
        "（值：“低保、一般脱贫户”）",
        "名单.csv 第5行 “人员类别”列：不是本县的资助人员类别（可选：特困人员救助供养对象、"
        "城乡最低生活保障对象、监测对象、一般脱贫户）（值：“低保/残疾人”）",
    ]


def test_a_roster_dated_by_the_month_is_read_as_its_first_day() -> None:
    """A civil-affairs roster's 纳入时间 is often a month: its first day, said in a note (a
    payment's or a report's date still needs its day)."""
    roster = [["身份证号", "姓名", "乡镇", "人员类别", "纳入时间"], [GOOD_ID, "张三", "湍东镇", "低保", "2022-11"], [OTHER_ID, "李四", "湍东镇", "低保", "2022年12月"]]  # fmt: skip
    parsed = parse_file(csv_bytes(roster), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert list(parsed.frame["recognised_on"]) == [date(2022, 11, 1), date(2022, 12, 1)]
    assert "“纳入时间”列有2个日期只有年月（如2022-11即2022-11-01），按当月1日计" in parsed.notes
    payments = [["身份证号", "乡镇", "缴费日期", "缴费金额"], [GOOD_ID, "湍东镇", "2022-11", 350]]  # fmt: skip
    assert messages(csv_bytes(payments), "缴费.csv") == [
        "缴费.csv 第2行 “缴费日期”列：不是有效日期（应为 2023-11-30 这样的格式）（值：“2022-11”）"
    ]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("10,598", 10598),
        ("10598人", 10598),
        ("１０５９８", 10598),
        ("10598.0", 10598),
        ("1.2万", None),
        ("-5", None),
        ("12.5", None),
        ("人", None),
        ("10,59", None),  # not 1059: a comma only between groups of three digits
        ("1,0598", None),
        ("1,234,567", 1234567),
    ],  # fmt: skip
)
def test_a_count_with_separators_or_its_unit(text: str, count: int | None) -> None:
    assert parse_count(text) == count


def test_negative_and_fractional_counts() -> None:
    rows = [["乡镇", "征缴任务数"], *[[t, 100] for t in NEIXIANG_TOWNSHIPS]]
    rows[1][1] = -5
    rows[2][1] = "12.5"
    assert messages(csv_bytes(rows), "q.csv") == [
        "q.csv 第2行 “征缴任务数”列：不是非负整数（值：“-5”）",
        "q.csv 第3行 “征缴任务数”列：不是非负整数（值：“12.5”）",
    ]


def test_a_count_or_amount_no_county_has_is_named_not_stored() -> None:
    # An ID number pasted into a count or amount column: beyond any county's figure and beyond
    # the database's integers; said so, rather than read (or failing at the write).
    quota = [["乡镇", "征缴任务数"], *[[t, 100] for t in NEIXIANG_TOWNSHIPS]]
    quota[1][1] = GOOD_ID
    quota[2][1] = "10,000,001"
    quota[3][1] = "10,000,000"
    assert messages(csv_bytes(quota), "q.csv") == [
        f"q.csv 第2行 “征缴任务数”列：数值过大（超过10,000,000），请核对（值：“{GOOD_ID}”）",
        "q.csv 第3行 “征缴任务数”列：数值过大（超过10,000,000），请核对（值：“10,000,001”）",
    ]
    payments = [
        ["身份证号", "乡镇", "缴费日期", "缴费金额"],
        [GOOD_ID, "湍东镇", "2022-11-30", "411325199001011234"],
        [OTHER_ID, "湍东镇", "2022-11-30", "-1000000.01"],
    ]
    assert messages(csv_bytes(payments), "pay.csv") == [
        "pay.csv 第2行 “缴费金额”列：金额过大（一行超过1,000,000元），请核对（值：“411325199001011234”）",
        "pay.csv 第3行 “缴费金额”列：金额过大（一行超过1,000,000元），请核对（值：“-1000000.01”）",
    ]


def test_a_cell_longer_than_the_database_keeps_is_named() -> None:
    # PostgreSQL would refuse it at the write (SQLite keeps anything): said first, with its row.
    long_village, long_name = "东" * 61, "某" * 61
    rows = [
        ["身份证号", "姓名", "乡镇", "村（社区）", "缴费日期", "缴费金额"],
        [GOOD_ID, long_name, "湍东镇", "老马村", "2022-11-30", "350"],
        [OTHER_ID, "张三", "湍东镇", long_village, "2022-11-30", "350"],
    ]
    assert messages(csv_bytes(rows), "pay.csv") == [
        f"pay.csv 第2行 “姓名”列：超过60个字符，请核对（值：“{long_name}”）",
        f"pay.csv 第3行 “村（社区）”列：超过60个字符，请核对（值：“{long_village}”）",
    ]


def test_nul_characters_some_systems_pad_cells_with_are_dropped() -> None:
    rows = [
        ["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额"],
        [GOOD_ID, "张\x00三", "湍东镇\x00", "2022-11-30", "350"],
    ]
    for encoding in ("utf-8", "gb18030", "utf-16"):
        parsed = parse_file(
            csv_bytes(rows, encoding), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
        )
        assert parsed.problems == []
        assert parsed.frame[["name", "township"]].values.tolist() == [["张三", "湍东镇"]]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "f.csv：文件为空"),
        (b"\n\n  \n", "f.csv：文件为空"),
        (
            "日期,乡镇\n2022-11-30,湍东镇\n".encode(),
            "f.csv 第1行 “参保人数”列：缺少必需的列（可用列名：参保人数、累计参保人数、已参保人数、enrolled等）",
        ),
        (
            "日期,乡镇,参保人数\n".encode(),
            "f.csv：表头之下没有可导入的数据行（空表，或只有合计行、不计入的行）",
        ),
        (
            "日期,乡镇,参保人数\n,合计,0\n".encode(),
            "f.csv：表头之下没有可导入的数据行（空表，或只有合计行、不计入的行）",
        ),
        (
            f"日期,乡镇,参保人数\n2022-11-01,湍东镇,{'9' * 400}\n".encode(),
            f"f.csv 第2行 “参保人数”列：数值过大（超过10,000,000），请核对（值：“{'9' * 400}”）",
        ),
        (
            '日期,乡镇,参保人数\n2022-11-01,湍东镇,500\n2022-11-01,"板场乡,600\n'.encode(),
            'f.csv 第3行：CSV 格式错误：这一行的英文双引号（"）直到文件末尾都没有闭合，请补上或删去',
        ),
        (
            ("日期,乡镇,参保人数\n" + "2022-11-01,湍东镇,500\n" * 9000 + "1," * 20 + "\n").encode(),
            "f.csv 第9002行：CSV 格式错误：这一行分成了21列，远多于前面各行（文字中的逗号须用英文双引号括起）",
        ),
    ],
    ids=[
        "empty",
        "blank lines",
        "missing column",
        "header alone",
        "totals alone",
        "huge count",
        "unclosed quote",
        "commas not quoted",
    ],
)
def test_empty_and_incomplete_files(raw: bytes, message: str) -> None:
    assert messages(raw, "f.csv", kind="progress" if raw.strip() else None) == [message]


WIDER = (
    "CSV 格式错误：这一行有{cells}个单元格，表头只有{width}列：数字中的千位逗号（如 62,010）或文字中的"
    "逗号没有用英文双引号括起，把一格分成了几格，其后各列的值都错了位；请去掉这些逗号或用双引号括起"
    "（表格右侧的说明文字请删去）后再导入"
)


def test_a_csv_line_wider_than_its_header_is_refused_not_read_in_part() -> None:
    # 湍东镇,62,010 once read as a quota of 62; the footer's commas and the valid rows are kept
    raw = "乡镇,征缴任务数\n湍东镇,62,010\n板场乡,10680\n制表人：张三,审核：李四,日期：11月8日\n"
    parsed = parse_file(raw.encode(), "q.csv", NEIXIANG, townships=None)
    assert [str(p) for p in parsed.problems] == [
        f"q.csv 第2行：{WIDER.format(cells=3, width=2)}（值：“湍东镇,62,010”）"
    ]
    raw = "日期,乡镇,参保人数\n2022-11-01,湍东镇,1,500\n2022-11-01,板场乡,900\n"
    parsed = parse_file(raw.encode("gbk"), "p.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert [str(p) for p in parsed.problems] == [
        f"p.csv 第2行：{WIDER.format(cells=4, width=3)}（值：“2022-11-01,湍东镇,1,500”）"
    ]
    assert parsed.whole_file_problems(parsed.problems) == []
    assert list(parsed.rows_without(parsed.problems)["township"]) == ["板场乡"]


@pytest.mark.parametrize(
    "text",
    [
        "内乡县进度表\n日期\t乡镇\t参保人数\n2022-11-01\t湍东镇\t1,500\n",
        "日期;乡镇;参保人数\n2022-11-01;湍东镇;1500\n",
        "内乡县进度表\n\n日期,乡镇,参保人数,备注\n2022-11-01,湍东镇,1500,a;b;c;d\n",
    ],
    ids=["tabs under a title", "semicolons", "a note's semicolons"],
)
def test_the_delimiter_is_the_first_delimited_lines(text: str) -> None:
    parsed = parse_file(text.encode("gbk"), "p.txt", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == []
    assert progress_frames(parsed.frame)[0]["enrolled"].tolist() == [1500]


@pytest.mark.parametrize(
    ("head", "what"),
    [
        ('<html><meta charset="utf-8"><table><tr><td>乡镇</td>', "网页（HTML）格式的表格"),
        ("\ufeff\r\n<TABLE border=1><TR><TD>乡镇</TD>", "网页（HTML）格式的表格"),
        (
            '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML 表格",
        ),
    ],
    ids=["html", "bare table", "xml 2003"],
)
def test_a_web_page_or_xml_table_named_xls_says_how_to_save_it(head: str, what: str) -> None:
    assert messages(head.encode("utf-8"), "征缴.xls") == [
        f"征缴.xls：这是{what}，不是 Excel 工作簿或 CSV（有的系统导出的 .xls 就是这样）：请用 Excel 或 "
        "WPS 打开，另存为 Excel 工作簿（.xlsx）后再导入"
    ]


def test_a_hidden_sheet_is_read_past_where_a_sheet_in_sight_holds_the_table() -> None:
    # last year's quotas kept out of sight would otherwise make two quota tables
    sheets = {
        "2022年任务": [["乡镇", "征缴任务数"], ["湍东镇", 60000], ["板场乡", 10000]],
        "2023年任务": [["乡镇", "征缴任务数"], ["湍东镇", 62010], ["板场乡", 10680]],
    }
    raw = xlsx_bytes(sheets, hidden=["2022年任务"])
    parsed = parse_file(raw, "q.xlsx", NEIXIANG, townships=None)
    assert (parsed.problems, parsed.notes) == ([], ("隐藏的工作表“2022年任务”未读取",))
    assert list(quota_frames(parsed.frame)[0]["quota"]) == [62010, 10680]
    # in sight, both are tables to choose from; hidden with nothing else, the one is read
    assert messages(xlsx_bytes(sheets), "q.xlsx") == [
        "q.xlsx：工作簿中有多个任务表（工作表“2022年任务”、“2023年任务”），请只保留要导入的一个"
    ]
    alone = {"说明": [["本表由乡镇填报"]], "2022年任务": sheets["2022年任务"]}
    parsed = parse_file(
        xlsx_bytes(alone, hidden=["2022年任务"]), "q.xlsx", NEIXIANG, townships=None
    )
    assert list(quota_frames(parsed.frame)[0]["quota"]) == [60000, 10000]


def test_a_workbook_note_right_of_the_table_is_read_past() -> None:
    rows = [["乡镇", "征缴任务数"], ["湍东镇", 62010, "已核实"], ["板场乡", 10680]]
    parsed = parse_file(xlsx_bytes({"任务": rows}), "q.xlsx", NEIXIANG, townships=None)
    assert parsed.problems == []
    assert list(quota_frames(parsed.frame)[0]["quota"]) == [62010, 10680]


def test_unknown_column_for_the_kind() -> None:
    rows = [["日期", "乡镇", "参保人数", "缴费金额", "序号"], ["2022-11-01", "湍东镇", 500, 1, 1]]
    assert messages(csv_bytes(rows), "p.csv") == [
        "p.csv 第1行 “缴费金额”列：无法识别的列名（进度表中没有此列）"
    ]


def test_bad_amount_and_date_in_payments() -> None:
    rows = [
        ["身份证号", "乡镇", "缴费日期", "缴费金额"],
        [GOOD_ID, "湍东镇", "2022/11/31", "三百五"],
        [OTHER_ID, "湍东镇", "2022-11-30", "-350.00"],  # a refund: checked against what is stored
    ]
    assert messages(csv_bytes(rows), "pay.csv") == [
        "pay.csv 第2行 “缴费日期”列：不是有效日期（应为 2023-11-30 这样的格式）（值：“2022/11/31”）",
        "pay.csv 第2行 “缴费金额”列：不是有效金额（元，最多两位小数）（值：“三百五”）",
    ]


TAX_EXPORT_HEADER = ["序号", "纳税人名称", "证件类型", "证件号码", "征收项目", "征收品目", "所属期起", "所属期止", "实缴金额（元）", "缴款日期", "入库日期", "乡镇（街道）", "村（社区）", "缴费方式", "电子税票号码", "主管税务所（科、分局）"]  # fmt: skip


def test_the_tax_systems_payment_export_is_read_as_it_is() -> None:
    # The tax system's own export: its names for the columns the dashboard needs, and ticket
    # numbers, tax office and the like, which are passed over and named in a note.
    row = [1, "张三", "居民身份证", GOOD_ID, "城乡居民基本医疗保险费", "个人缴纳", "2023-01-01", "2023-12-31", "350.00", "2022-11-02 10:11:12", "2022-11-03", "湍东镇", "八里店村", "微信", "332016221000123456", "湍东税务分局"]  # fmt: skip
    parsed = parse_file(
        xlsx_bytes({"缴费明细": [TAX_EXPORT_HEADER, row]}),
        "缴费.xlsx",
        NEIXIANG,
        townships=NEIXIANG_TOWNSHIPS,
    )
    assert parsed.kind == "payments" and parsed.problems == []
    got = parsed.frame.iloc[0]
    assert (got["name"], got["id_number"], got["paid_on"], got["amount_fen"]) == (
        "张三",
        GOOD_ID,
        date(2022, 11, 2),
        35000,
    )
    assert (got["village"], got["channel"]) == ("八里店村", "微信")
    # 征收项目 is read: a payment for another scheme would not count (test_cancelled); so are
    # 所属期起 (another benefit year's would not) and 电子税票号码: two payments of a day and
    # amount are told apart by it
    assert parsed.notes == (
        "这些列看板用不到，未导入：征收品目、所属期止、入库日期、主管税务所（科、分局）",
    )


def _tax_export_row(number: int, document: str, id_number: str) -> list[object]:
    return [number, f"某{number}", document, id_number, "城乡居民基本医疗保险费", "个人缴纳", "2023-01-01", "2023-12-31", "350.00", "2022-11-02", "2022-11-03", "湍东镇", "八里店村", "微信", "", ""]  # fmt: skip


def test_residents_enrolled_with_another_document_than_an_id_card() -> None:
    # The tax export names each payer's document: an ID card's number (and one written on a
    # household register or a residence permit) is checked by GB 11643; a passport's or a
    # Hong Kong and Macao pass's has no check digit and is counted as it is written.
    resident_permit = _with_check("81000019900101001")  # 港澳台居民居住证: an ID's form
    rows = [
        _tax_export_row(1, "居民身份证", GOOD_ID),
        _tax_export_row(2, "港澳居民来往内地通行证", "h12345678"),
        _tax_export_row(3, "护照", "E12345678"),
        _tax_export_row(4, "港澳台居民居住证", resident_permit),
        _tax_export_row(5, "外国人永久居留身份证", "USA110078061001"),
        _tax_export_row(6, "居民户口簿", make_id("411325", date(2022, 10, 1), 7)),
    ]
    parsed = parse_file(
        xlsx_bytes({"缴费明细": [TAX_EXPORT_HEADER, *rows]}),
        "缴费.xlsx",
        NEIXIANG,
        townships=NEIXIANG_TOWNSHIPS,
    )
    assert parsed.problems == []
    assert list(parsed.frame["id_number"]) == [
        GOOD_ID,
        "H12345678",
        "E12345678",
        resident_permit,
        "USA110078061001",
        make_id("411325", date(2022, 10, 1), 7),
    ]
    assert parsed.notes[1] == (
        "3行不是身份证（港澳居民来往内地通行证1行、护照1行、外国人永久居留身份证1行），"
        "按证件号码计人，不作身份证校验"
    )


def test_an_id_cards_number_is_checked_and_another_documents_only_for_its_form() -> None:
    rows = [
        _tax_export_row(1, "居民身份证", GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")),
        _tax_export_row(2, "", "H12345678"),  # no document named: an ID card
        _tax_export_row(3, "护照", "E1234"),  # short, but of letters and digits
        _tax_export_row(4, "护照", "E-1234567"),
        _tax_export_row(5, "外国人永久居留身份证", _with_check("93012019900101001")[:-1] + "X"),
    ]
    data = xlsx_bytes({"缴费明细": [TAX_EXPORT_HEADER, *rows]})
    at = "缴费.xlsx[缴费明细] 第{}行 “证件号码”列：{}（值：“{}”）"
    assert messages(data, "缴费.xlsx") == [
        at.format(2, "身份证号校验位错误（GB 11643）", rows[0][3]),
        at.format(3, "身份证号应为18位（17位数字加1位数字或X）", "H12345678"),
        at.format(5, "证件号码应为5至18位字母或数字", "E-1234567"),
        at.format(6, "身份证号校验位错误（GB 11643）", rows[4][3]),
    ]


def test_a_township_merged_down_over_its_villages_rows() -> None:
    # the township cell merged over its villages' rows holds the name on each of them; an
    # empty township that is not merged is still refused
    rows = [
        ["各村征缴进度", "", "", ""],
        ["日期", "乡镇", "村", "参保人数"],
        ["2022-11-01", "湍东镇", "甲村", 5],
        ["2022-11-01", "", "乙村", 6],
        ["2022-11-01", "板场乡", "丙村", 7],
        ["2022-11-01", "", "丁村", 8],
        ["2022-11-01", "", "戊村", 9],
    ]
    merges = {"进度": ["A1:D1", "B3:B4", "B5:B6"]}
    parsed = parse_file(
        xlsx_bytes({"进度": rows}, merges), "p.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
    )
    assert parsed.frame[["township", "village"]].values.tolist()[:4] == [
        ["湍东镇", "甲村"],
        ["湍东镇", "乙村"],
        ["板场乡", "丙村"],
        ["板场乡", "丁村"],
    ]
    assert [str(p) for p in parsed.problems] == [
        "p.xlsx[进度] 第7行 “乡镇”列：乡镇不能为空（值：“”）"
    ]


def test_lines_under_the_table_signing_it_off_are_read_past() -> None:
    # 制表人, 审核人, 制表日期, 注 under a county's table: named in a note, not refused as rows
    # without a township, ID number or date; a real row without a township is still refused
    rows = [
        ["城乡居民基本医疗保险费缴费明细", "", "", ""],
        ["身份证号", "乡镇", "缴费日期", "缴费金额"],
        [GOOD_ID, "湍东镇", "2022-11-01", "350"],
        [OTHER_ID, "", "2022-11-01", "350"],
        ["", "", "", ""],
        ["制表人：张三", "", "审核人：李四", ""],
        ["注：数据来源于税务系统", "", "", ""],
    ]
    parsed = parse_file(
        xlsx_bytes({"明细": rows}), "缴费.xlsx", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
    )
    assert [str(p) for p in parsed.problems] == [
        "缴费.xlsx[明细] 第4行 “乡镇”列：乡镇不能为空（值：“”）"
    ]
    assert parsed.notes == (
        "表下的落款与说明未导入：缴费.xlsx[明细]第6行“制表人：张三”、缴费.xlsx[明细]第7行“注：数据来源于税务系统”",
    )


@pytest.mark.parametrize("townships", [NEIXIANG_TOWNSHIPS, None])  # an import, a new year's
def test_a_sign_off_in_the_township_column_is_read_past(townships) -> None:
    """A quota table whose first column is the township's has its 制表人 there: it was
    refused as an unknown township without a quota (a new year's table: a quota missing)."""
    rows = [["乡镇", "征缴任务数"], ["湍东镇", 100], ["板场乡", 50], ["合计", 150]]
    signed = [
        *rows,
        ["制表人：张三", "审核：李四"],
        ["注：按2022年参保人数核定", ""],
        ["注水镇", 5],
    ]
    parsed = parse_file(csv_bytes(signed), "q.csv", NEIXIANG, townships=townships, kind="quota")
    assert parsed.notes[0] == (
        "表下的落款与说明未导入：q.csv第5行“制表人：张三”、q.csv第6行“注：按2022年参保人数核定”"
    )
    assert list(parsed.frame["township"])[:2] == ["湍东镇", "板场乡"]
    # a name without a colon is a row, not a note: read (a new year's), or an unknown township
    if townships is None:
        assert parsed.frame["township"].tolist()[-1] == "注水镇"
    else:
        assert "注水镇" in [p.value for p in parsed.problems if p.column == "乡镇"]


def test_amounts_no_one_pays_under_the_policy_are_noted_not_refused() -> None:
    # Neixiang: 350 yuan, 270 after the 80-yuan subsidy, 0 for 特困; 380 is Zhashui's rate
    ids = [make_id("411325", date(1990, 1, 1), n) for n in range(1, 5)]
    rows = [["身份证号", "乡镇", "缴费日期", "缴费金额"]] + [
        [number, "湍东镇", "2022-11-01", amount]
        for number, amount in zip(ids, ["350", "380", "270", "0"], strict=True)
    ]
    parsed = parse_file(csv_bytes(rows), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.problems == [] and len(parsed.frame) == 4
    assert parsed.notes == (
        "1行缴费金额不是本县的个人缴费额（350、270、0元），请核对：pay.csv第3行（380.00元）",
    )


def test_a_payment_lists_state_as_an_online_payment_export_says_it() -> None:
    ids = [make_id("411325", date(1960 + i, 1, 1), i) for i in range(4)]
    rows = [["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额", "交易状态"]]
    rows += [
        [number, f"人{i}", "湍东镇", "2022-11-01", "350", state]
        for i, (number, state) in enumerate(
            zip(ids, ["支付成功", "退款成功", "已关闭", "交易成功"], strict=True)
        )
    ]
    parsed = parse_file(csv_bytes(rows), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("payments", [])
    assert parsed.frame["id_number"].tolist() == [ids[0], ids[3]]
    assert parsed.notes == ("2行按“交易状态”不计入参保（退款成功1行、已关闭1行）：pay.csv第3、4行",)


def test_a_payment_lists_category_column_is_left_to_the_rosters() -> None:
    rows = [["身份证号", "乡镇", "缴费日期", "缴费金额", "人员类别"], [GOOD_ID, "湍东镇", "2022-11-01", "270", "低保"]]  # fmt: skip
    parsed = parse_file(csv_bytes(rows), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("payments", [])
    assert parsed.notes == ("“人员类别”列不导入：特殊群体以资助名单为准",)
    assert "group" not in parsed.frame.columns


def test_a_civil_affairs_roster_with_household_columns() -> None:
    rows = [
        [
            "序号",
            "乡镇",
            "村名",
            "户主姓名",
            "姓名",
            "与户主关系",
            "身份证号",
            "救助类别",
            "联系电话",
        ],
        [1, "湍东镇", "八里店村", "李四", "李小四", "之子", GOOD_ID, "低保", "13800000000"],
    ]
    parsed = parse_file(csv_bytes(rows), "低保.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert parsed.kind == "roster" and parsed.problems == []
    assert parsed.frame[["village", "name", "group"]].values.tolist() == [
        ["八里店村", "李小四", "minimum_living"]
    ]
    assert parsed.notes == ("这些列看板用不到，未导入：户主姓名、与户主关系、联系电话",)


@pytest.mark.parametrize(
    ("header", "row", "expected", "unused"),
    [
        (  # 特困人员 as the civil-affairs system lists them
            ["序号", "姓名", "身份证号码", "所在乡镇", "所在村", "供养方式", "类别"],
            [1, "王五", GOOD_ID, "湍东镇", "东村", "分散供养", "特困人员"],
            ["湍东镇", "东村", "王五", "extreme_poverty", None],
            "供养方式",
        ),
        (  # 监测对象 as the rural-revitalisation system lists them
            ["县", "乡镇", "村", "户编号", "姓名", "证件号码", "监测对象类别", "识别时间"],
            [
                "内乡县",
                "湍东镇",
                "东村",
                "4113250001",
                "钱七",
                GOOD_ID,
                "突发严重困难户",
                "2022-05-01",
            ],
            ["湍东镇", "东村", "钱七", "monitored", date(2022, 5, 1)],
            "县、户编号",
        ),
        (  # 脱贫户, its members one by one
            ["市", "县", "乡", "村", "户主姓名", "人员姓名", "证件号码", "脱贫属性"],
            ["南阳市", "内乡县", "湍东镇", "东村", "周九", "周小九", GOOD_ID, "脱贫户"],
            ["湍东镇", "东村", "周小九", "poverty_alleviated", None],
            "市、县、户主姓名",
        ),
    ],
    ids=["特困", "监测", "脱贫"],
)
def test_rosters_as_the_systems_that_keep_them_export_them(header, row, expected, unused) -> None:
    parsed = parse_file(
        csv_bytes([header, row]), "名单.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS
    )
    assert parsed.kind == "roster" and parsed.problems == []
    frame = parsed.frame.reindex(columns=["township", "village", "name", "group", "recognised_on"])
    assert frame.astype(object).where(frame.notna(), None).values.tolist() == [expected]
    assert parsed.notes == (f"这些列看板用不到，未导入：{unused}",)


def test_a_list_of_people_reads_past_a_column_it_does_not_know_and_says_so() -> None:
    """A payment list or roster with every column it needs: a column of its system's own
    (帮扶责任人) is read past with a note asking to check it, not refused; a progress report's
    unknown column is still refused (it may be a count that matters)."""
    rows = [
        ["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额", "帮扶责任人"],
        [GOOD_ID, "李四", "湍东镇", "2022-11-01", "350", "张干部"],
    ]
    parsed = parse_file(csv_bytes(rows), "pay.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("payments", [])
    assert parsed.notes == (
        "以下列名未能识别，未导入：帮扶责任人（其中如有村（社区）、姓名、缴费状态等列，请按模板改列名后重新导入）",
    )
    village = [
        ["身份证号", "姓名", "乡镇", "村组", "缴费金额（元）", "缴费日期", "收款人", "支付方式"],
        [GOOD_ID, "李四", "湍东镇", "东村一组", "350", "2022/11/1", "李会计", "微信"],
    ]  # a village's own list: its collector is the cash ledger's column (资金报解)
    parsed = parse_file(csv_bytes(village), "村.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (parsed.kind, parsed.problems) == ("payments", [])
    assert parsed.notes == ("“收款人”列不导入：缴费明细不用此列",)
    assert parsed.frame[["village", "channel"]].values.tolist() == [["东村一组", "微信"]]
    progress = [
        ["日期", "乡镇", "参保人数", "帮扶责任人"],
        ["2022-11-01", "湍东镇", "500", "张干部"],
    ]
    assert messages(csv_bytes(progress), "p.csv") == ["p.csv 第1行 “帮扶责任人”列：无法识别的列名"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["证件号码", "姓名", "乡镇", "实缴金额", "交款日"],
            [
                "q.csv 第1行 “交款日”列：无法识别的列名",
                "q.csv 第1行 “缴费日期”列：缺少必需的列（可用列名：缴费日期、缴费时间、缴款日期、paid_on等）",
            ],
        ),
        (
            ["身份证号", "乡镇", "村"],
            [
                "q.csv 第1行 “缴费日期”列：缺少必需的列（若为缴费明细；可用列名：缴费日期、缴费时间、缴款日期、paid_on等）",
                "q.csv 第1行 “缴费金额”列：缺少必需的列（若为缴费明细；可用列名：缴费金额、金额、实缴金额、amount等）",
                "q.csv 第1行 “人员类别”列：缺少必需的列（若为资助名单；可用列名：人员类别、资助类别、身份类别、group等）",
            ],
        ),
    ],
    ids=["payments but for the date", "payments or roster"],
)
def test_a_file_short_of_a_kind_says_what_it_lacks(header: list[str], expected) -> None:
    # Instead of "no known kind of file": the columns the nearest kind (or kinds) still needs.
    assert messages(csv_bytes([header, ["x"] * len(header)]), "q.csv") == expected


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_rectangular_and_ragged_csv_keep_cells_and_row_numbers(encoding: str) -> None:
    # An export (every row as wide) goes through Arrow's reader; a file with a title line or a
    # blank line through pandas', which pads short rows. Cells and row numbers are the same.
    # Blank rows are dropped; row numbers keep counting them.
    rows = [["日期", "乡镇", "参保人数"], ["", "", ""], ["2022-11-01", "湍东镇", "1,500"]]
    rectangular = read_sheets(csv_bytes(rows, encoding), "p.csv")[0].cells
    ragged = read_sheets(csv_bytes([["湍东镇进度"], *rows], encoding), "p.csv")[0].cells
    assert rectangular.values.tolist() == [rows[0], rows[2]]
    assert list(rectangular.index) == [1, 3]
    assert ragged.values.tolist() == [["湍东镇进度", "", ""], rows[0], rows[2]]
    assert list(ragged.index) == [1, 2, 4]


@pytest.mark.parametrize("bom", [False, True])
def test_a_written_frame_reads_back_the_same(tmp_path, bom: bool) -> None:
    # Unquoted where no value needs it; quoted throughout once one does ("1,500").
    frame = pd.DataFrame({"乡镇": ["湍东镇", "板场乡"], "参保人数": ["1200", "900"]})
    for counts in (["1200", "900"], ["1,500", "900"]):
        frame["参保人数"] = counts
        path = tmp_path / "out.csv"
        write_frame_csv(frame, path, bom=bom)
        raw = path.read_bytes()
        assert raw.startswith("\ufeff乡镇,参保人数\n".encode()) == bom
        assert (b'"' in raw) == ("," in counts[0])
        cells = read_sheets(raw, "out.csv")[0].cells
        assert cells.values.tolist() == [
            ["乡镇", "参保人数"],
            ["湍东镇", counts[0]],
            ["板场乡", "900"],
        ]


def test_the_taxpayer_number_is_the_id_number_where_no_other_column_is() -> None:
    # for a person the tax system's 纳税人识别号 is the ID number; beside 证件号码 it is passed over
    header = ["纳税人识别号", "纳税人名称", "实缴金额", "缴款日期", "乡镇（街道）"]
    row = [GOOD_ID, "张三", "350", "2022-11-02", "湍东镇"]
    alone = parse_file(csv_bytes([header, row]), "缴费.csv", NEIXIANG, townships=NEIXIANG_TOWNSHIPS)
    assert (alone.problems, list(alone.frame["id_number"]), alone.notes) == ([], [GOOD_ID], ())
    both = parse_file(
        csv_bytes([[*header, "证件号码"], [GOOD_ID[:-1] + "0", *row[1:], OTHER_ID]]),
        "缴费.csv",
        NEIXIANG,
        townships=NEIXIANG_TOWNSHIPS,
    )
    assert (both.problems, list(both.frame["id_number"])) == ([], [OTHER_ID])
    assert both.notes == ("这些列看板用不到，未导入：纳税人识别号",)
