"""Downloadable templates (模板) for the four kinds of file imported, the cash ledger that is
checked and the table of verified counts (核定人数表, filled in from the county's figures), as
xlsx with a sheet of notes."""

from __future__ import annotations

import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dashboard.layout import FILE_LABELS, FileKind
from data_models.policy import CountyPolicy

HEADER_FILL = PatternFill("solid", fgColor="DDE6F2")
FILL_IN = PatternFill("solid", fgColor="FFF4CC")  # the cells a table sent out is to be filled in

NOTES: dict[str, list[str]] = {
    "quota": [
        "每个乡镇（街道）一行，乡镇名称须与本县名称一致。",
        "征缴任务数必填；应参保人数、上年参保人数、各特殊群体人数可选。",
        "可保留“合计”行，导入时会核对合计是否等于各行之和。",
    ],
    "progress": [
        "每个乡镇（或村）每个统计日期一行，参保人数为截至该日的累计人数。",
        "日期须在征缴期内，格式如 2023-11-30；累计人数不应比之前日期少。",
        "村（社区）可选；各特殊群体的累计参保人数列可选。",
    ],
    "payments": [
        "每人一行：身份证号（18位）、乡镇、缴费日期、缴费金额必填。",
        "同一人在文件中有两笔缴费的，按最早一笔计入参保，其余记为重复缴费；之前已导入过的人员"
        "不会重复计入。同日同金额的两笔，带“电子税票号码”列且号码不同的，按两笔缴费计；"
        "号码相同的是同一笔缴费（另一次导出的日期不同也是）。税票号码请以文本保存。",
        "身份证号按 GB 11643 校验位和出生日期检查。可带“证件类型”列（税务系统导出的即可）："
        "护照、港澳居民来往内地通行证等其他证件的号码只查格式（5至18位字母或数字）。",
        "可带“缴费状态”列（税务系统导出的即可）：作废、退费的记录不计入；"
        "负数金额的退费记录与同一人、同金额的缴费相抵（本文件中的，或之前导入的）；"
        "少于其缴费的，是退还多缴的部分，此人仍计入参保。",
        "可带“险种”或“征收项目”列：同一导出中的城乡居民养老保险、职工医保等其他险种的记录不计入。",
        "可带“费款所属期起”或“缴费年度”列：其他年度的保费（补缴以前年度、新生儿出生当年的）不计入。",
    ],
    "roster": [
        "每人每个类别一行：身份证号、乡镇、人员类别必填。",
        "同一人可属于多个类别，资助时按就高不重复原则只享受一种。",
        "认定日期可选，用于判断是否在集中缴费期后认定；只写年月的（2022-11）按当月1日计。",
        "可带“人员状态”列：死亡、注销、停保等人员不计入名单，也不列入未参保名单。",
    ],
    "ledger": [
        "每笔收款一行：乡镇、经办人（村、社区征缴经办人员）、收款日期、金额必填。",
        "存入日期为这笔保费存入乡镇财政所账户的日期，尚未存入的留空。",
        "按“双限”报解检查：收款后规定天数内，或经办人手中累计满规定额度之日，须存入，以先到者为准。",
        "台账只用于检查，不导入系统，不改变任何数据。",
    ],
    "verified": [
        "每个乡镇（街道）一行，已按本县任务表列出；“核定参保人数”填县税务局、医保局核定的"
        "最终参保人数，每个乡镇都要填。",
        "征缴任务数和系统统计（征缴期末系统中的参保人数）供核对，不读入。",
        "可保留“合计”行，读入时会核对合计是否等于各行之和。",
        "在“结算”页“录入核定的最终参保人数”中上传，核定人数填入录入表，核对后保存；"
        "或用命令行 python -m dashboard verify 录入。",
    ],
}


def _columns(kind: FileKind, policy: CountyPolicy) -> tuple[list[str], list[object]]:
    township = "乡镇"
    if kind == "quota":
        groups = [g.label for g in policy.groups]
        return (
            [township, "征缴任务数", "应参保人数", "上年参保人数", *groups],
            ["（乡镇名称）", 10000, 10200, 9800, *[0] * len(groups)],
        )
    if kind == "progress":
        return (
            ["日期", township, "村（社区）", "参保人数"],
            [policy.campaign.start.isoformat(), "（乡镇名称）", "", 100],
        )
    if kind == "payments":
        return (
            [
                "身份证号",
                "姓名",
                township,
                "村（社区）",
                "缴费日期",
                "缴费金额",
                "缴费渠道",
                "电子税票号码",
            ],  # fmt: skip
            [
                "（18位身份证号）",
                "（姓名）",
                "（乡镇名称）",
                "（村名）",
                policy.campaign.start.isoformat(),
                str(policy.contribution_standard),
                "微信",
                "",
            ],
        )
    if kind == "ledger":
        start = policy.campaign.start.isoformat()
        return (
            [township, "村（社区）", "经办人", "缴费人", "收款日期", "金额", "存入日期"],
            ["（乡镇名称）", "（村名）", "（经办人姓名）", "（缴费人姓名）", start, "350", start],
        )
    labels = "、".join(g.label for g in policy.groups)
    return (
        ["身份证号", "姓名", township, "村（社区）", "人员类别", "认定日期"],
        ["（18位身份证号）", "（姓名）", "（乡镇名称）", "（村名）", f"（{labels}之一）", ""],
    )


# The long numbers a template's column keeps as text: an ID number, a tax ticket
AS_TEXT = ("身份证号", "电子税票号码")


def template_xlsx(kind: FileKind, policy: CountyPolicy) -> bytes:
    """A workbook with the kind's headers, one example row and a sheet of instructions."""
    headers, example = _columns(kind, policy)
    return _workbook(kind, policy, headers, [example], title="（删除第2行示例后填写）")


def verified_template_xlsx(
    policy: CountyPolicy, quotas: dict[str, int], system: dict[str, int]
) -> bytes:
    """The 核定人数表 to send to the bureaus: each township with its quota and the system's
    figure on the campaign's last day, the verified count left to fill in."""
    headers = ["乡镇", "征缴任务数", "系统统计", "核定参保人数"]
    rows: list[list[object]] = [[t, quotas[t], system[t], None] for t in quotas]
    return _workbook("verified", policy, headers, rows, title="", fill_in=headers[-1])


SCENARIO_NOTES = [
    "表中是下载时模拟测算编辑表的任务数；修改“征缴任务数”后，"
    "在“模拟测算”页“从文件载入任务数”上传。",
    "可只保留改动的乡镇（街道），其余乡镇沿用正式任务数。",
    "测算不改变正式任务数：正式任务数由系统管理员导入任务表或应用方案改变。",
]


def scenario_xlsx(policy: CountyPolicy, quotas: Mapping[str, int]) -> bytes:
    """模拟测算's quotas as a quota table, to change in Excel and upload there again."""
    headers = ["乡镇", "征缴任务数"]
    rows: list[list[object]] = [[t, q] for t, q in quotas.items()]
    return _workbook(
        "quota",
        policy,
        headers,
        rows,
        title="（模拟测算）",
        fill_in=headers[-1],
        notes=SCENARIO_NOTES,
    )


def _workbook(
    kind: FileKind,
    policy: CountyPolicy,
    headers: list[str],
    rows: list[list[object]],
    *,
    title: str,
    fill_in: str | None = None,
    notes: list[str] | None = None,
) -> bytes:
    """The kind's sheet (the headers, then ``rows``; the cells of the ``fill_in`` column
    shaded, counts with thousands separators) and its sheet of notes (``title`` after the
    heading; ``notes``, or the kind's)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = FILE_LABELS[kind]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for index, header in enumerate(headers, start=1):
        column = sheet.column_dimensions[sheet.cell(1, index).column_letter]
        column.width = max(12, len(header) * 2 + 4)
        cells = [sheet.cell(number, index) for number in range(2, len(rows) + 2)]
        if header in AS_TEXT:  # typed into a number cell, Excel keeps only 15 digits
            column.number_format = "@"
        for cell in cells:
            if header in AS_TEXT:
                cell.number_format = "@"
            elif isinstance(cell.value, int) or header == fill_in:
                cell.number_format = "#,##0"
            if header == fill_in:
                cell.fill = FILL_IN
    sheet.freeze_panes = "A2"
    sheet = workbook.create_sheet("填写说明")
    sheet.append([f"{policy.name}{FILE_LABELS[kind]}填写说明{title}"])
    for line in NOTES[kind] if notes is None else notes:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
