"""模拟测算's result as Excel: what it rests on (rates, the expected enrolment, the day), then
each township's official and scenario quota, net and rank beside each other with the
changes, the county's line shaded; for the leaders' office to file or send on."""

from __future__ import annotations

from datetime import date

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData
from dashboard.glossary import ENROLLED, FLAGGED, SIMULATED_LABEL, TOWNSHIP
from dashboard.sheets import (
    COUNT,
    FLAG_FILL,
    MONEY,
    TOTAL_FILL,
    data_row,
    fit_to_a4,
    header,
    names_width,
    titled_sheet,
    workbook_bytes,
)
from dashboard.views import rates_sentence
from dashboard.whatif import EXPECTATION_LABELS, Comparison, Expectation, totals_row
from data_models.policy import SettlementRates

HEADERS = [
    "乡镇（街道）",
    "预计参保人数",
    "正式任务数",
    "测算任务数",
    "任务数变化",
    "正式净额（元）",
    "测算净额（元）",
    "净额变化（元）",
    "正式排名",
    "测算排名",
    "正式后三名",
    "测算后三名",
]
WIDTHS = [14, 12, 12, 12, 16, 16, 16, 10, 10, 12, 12]  # after the township's
SIGNED_COUNT = "+#,##0;-#,##0;0"
SIGNED_MONEY = "+#,##0.00;-#,##0.00;0.00"
# the township, the counts, the money, then ranks and flags in the general format
FORMATS = [None, COUNT, COUNT, COUNT, SIGNED_COUNT, MONEY, MONEY, SIGNED_MONEY, *[None] * 4]


def whatif_workbook(
    data: CampaignData,
    result: Comparison,
    *,
    rates: SettlementRates,
    expectation: Expectation,
    as_of: date,
    today: date,
) -> bytes:
    """The comparison as a one-sheet workbook; a row the scenario puts in the bottom three
    red, as on the page."""
    policy = data.policy
    above = [
        "测算结果，不改变正式任务数和结算。",
        f"测算标准：{rates_sentence(rates)}",
        f"期末参保人数：{EXPECTATION_LABELS[expectation]}（截至{fmt.day(as_of)}的数据）",
        *([f"进度为{SIMULATED_LABEL}，仅供演示"] if data.simulated else []),
    ]
    workbook, sheet, top = titled_sheet("测算对比", f"{policy.title}任务与奖惩模拟测算", above)
    header(sheet, top, HEADERS, [names_width(data.townships), *WIDTHS])
    records = [*result.deltas.to_dict("records"), totals_row(result)]
    for row, record in enumerate(records, start=top + 1):
        total = record[FLAGGED] is None
        values = [
            record[TOWNSHIP],
            record[ENROLLED],
            record["quota"],
            record["scenario_quota"],
            record["quota_change"],
            record["net"],
            record["scenario_net"],
            record["net_change"],
            record["rank"],
            record["scenario_rank"],
            *(("", "") if total else (_flag(record[FLAGGED]), _flag(record["scenario_flagged"]))),
        ]
        fill = TOTAL_FILL if total else (FLAG_FILL if record["scenario_flagged"] else None)
        data_row(sheet, row, values, FORMATS, fill)
    sheet.cell(top + len(records) + 2, 1, f"制表日期：{fmt.day(today)}")
    fit_to_a4(sheet, landscape=True)
    return workbook_bytes(workbook)


def _flag(flagged: object) -> str:
    return "是" if flagged else ""
