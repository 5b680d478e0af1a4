"""A progress report or payment list of another year's campaign, given to the year selected (a
clerk importing last year's file while the new year is open, or the other way round): said once,
with the year its dates belong to, before the row-by-row list of dates outside the campaign."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from dashboard.glossary import DATE, PAID_ON
from dashboard.parsing import Parsed
from dashboard.problems import Problem
from dashboard.store import campaign_policy, campaign_years
from data_models.policy import CountyPolicy

DATED = {"progress": DATE, "payments": PAID_ON}  # the kinds whose rows bear the campaign's days


def another_years_file(engine: Engine, policy: CountyPolicy, parsed: Parsed) -> Problem | None:
    """Where none of the file's dates lies within ``policy``'s campaign and all lie within one
    other stored campaign of the county, the problem that names that year and how to import to
    it; None otherwise (a file with a day of this campaign, or of no campaign stored)."""
    column = DATED.get(parsed.kind)
    if column is None or column not in parsed.frame:
        return None
    days = pd.Series(parsed.frame[column]).dropna()
    if days.empty:
        return None
    here = policy.campaign
    if ((days >= here.start) & (days <= here.last_day)).any():
        return None
    first, last = min(days), max(days)
    for year in campaign_years(engine, policy.code):
        campaign = campaign_policy(engine, policy.code, year=year).campaign
        if year != policy.benefit_year and campaign.start <= first and last <= campaign.last_day:
            header = parsed.headers.get(column, column)
            return Problem(
                parsed.file,
                None,
                header,
                f"{first}至{last}",
                f"文件中的日期都在{year}年度的征缴期内（{campaign.start}至{campaign.last_day}），"
                f"不在{policy.benefit_year}年度的征缴期内：这是{year}年度的数据？"
                f"导入{year}年度，请先在侧栏“征缴年度”中选择{year}年度"
                f"（命令行加 --year {year}）",
            )
    return None
