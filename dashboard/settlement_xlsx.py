"""The settlement as Excel: the table a bulletin's 结算 sheet holds, and the 结算表 the finance
office prints and signs (title, what it rests on, the table with county totals, the rule, lines
to sign)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData, VerifiedCounts
from dashboard.glossary import ENROLLED, LABELS, RANK, SIMULATED_LABEL, TOWNSHIP, VERIFIED
from dashboard.rates import as_decimal, completion_rate
from dashboard.settlement import Settlement
from dashboard.sheets import (
    COUNT,
    MONEY,
    PERCENT,
    TOTAL_FILL,
    data_row,
    fit_to_a4,
    header,
    names_width,
    percent_format,
    titled_sheet,
    workbook_bytes,
)
from dashboard.verified_views import verified_basis
from dashboard.views import rates_sentence, settlement_view

WIDTHS = [8, 12, 14, 10, 16, 16, 16, 16]  # 排名, (the township: names_width), the rest
SIGNATURES = "制表：　　　　　　　　审核：　　　　　　　　单位负责人："


def rate_cell(enrolled: int, quota: int) -> tuple[float | None, str]:
    """A rate cell's value (six decimals) and number format: one decimal, more for a rate
    just short of 100 % (as on screen)."""
    return fraction_cell(completion_rate(enrolled, quota))


def fraction_cell(rate: Fraction | None) -> tuple[float | None, str]:
    """rate_cell of a rate already computed (None: an empty cell)."""
    value = as_decimal(rate, 6)
    if rate is None or value is None:
        return None, PERCENT
    return float(value), percent_format(rate)


def write_settlement(
    sheet: Worksheet,
    row: int,
    settlement: Settlement,
    ranked: pd.DataFrame,
    *,
    verified: bool = False,
) -> int:
    """The settlement table from ``row`` down: the header as the 结算 page shows it (参保人数
    named 核定参保人数 when ``verified``), a row per township in rank order, the 合计 row
    shaded. Returns the first row below it."""
    headers = [
        LABELS[VERIFIED] if verified and h == LABELS[ENROLLED] else h
        for h in settlement_view(settlement, ranked).columns
    ]
    township = names_width(line.township for line in settlement.lines)
    header(sheet, row, headers, [WIDTHS[0], township, *WIDTHS[1:]])
    ranks = dict(zip(ranked[TOWNSHIP], ranked[RANK], strict=True))
    lines = [*settlement.lines, settlement.total]
    for index, line in enumerate(lines, start=row + 1):
        rate, rate_format = rate_cell(line.enrolled, line.quota)
        formats = [None, None, COUNT, COUNT, rate_format, MONEY, MONEY, MONEY, MONEY]
        values = [
            ranks.get(line.township),
            line.township,
            line.quota,
            line.enrolled,
            rate,
            line.work_fund,
            line.reward,
            line.deduction,
            line.net,
        ]
        last = index == row + len(lines)  # 合计
        data_row(sheet, index, values, formats, TOTAL_FILL if last else None)
    return row + 1 + len(lines)


def settlement_workbook(
    data: CampaignData,
    settlement: Settlement,
    ranked: pd.DataFrame,
    *,
    verified: VerifiedCounts | None,
    as_of: date,
    today: date,
) -> bytes:
    """The 结算表 to print and sign: on the verified counts where given, else on the figures
    as of ``as_of`` (said to be an estimate); the simulated sample says so under the title."""
    policy = data.policy
    if verified is None:
        basis = (
            f"按截至{fmt.day(as_of)}的参保人数测算"
            "（非最终结算：最终以县税务局、医保局核定的参保人数为准）"
        )
    else:
        basis = verified_basis(verified)
    above = [basis] + ([f"进度为{SIMULATED_LABEL}，仅供演示"] if data.simulated else [])
    below = [
        f"结算标准：{rates_sentence(policy.settlement)}",
        f"依据：{policy.settlement.basis}",
        "",
        SIGNATURES,
        f"制表日期：{fmt.day(today)}",
    ]
    workbook, sheet, top = titled_sheet("结算表", f"{policy.title}工作经费及奖惩结算表", above)
    end = write_settlement(sheet, top, settlement, ranked, verified=verified is not None)
    for row, text in enumerate(below, start=end + 1):
        sheet.cell(row, 1, text or None)
    fit_to_a4(sheet, landscape=True)
    sheet.print_title_rows = f"{2 + len(above)}:{2 + len(above)}"
    return workbook_bytes(workbook)
