"""A file that belongs elsewhere: another year's campaign of the county (a clerk importing last
year's report while the new year is open, or the other way round) or another county stored here
(the sidebar left on 内乡县 while 东明县's payment list is imported). Said once, naming the year
or county to choose, before the row-by-row list of dates outside the campaign or townships not
of this county."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard.column_reader import NOT_OF_COUNTY
from dashboard.glossary import DATE, PAID_ON, TOWNSHIP
from dashboard.parsing import Parsed
from dashboard.problems import Problem
from dashboard.store import campaign_policy, campaign_years, township_ids
from dashboard.township_names import find_township
from data_models.policy import CountyPolicy
from data_models.tables import County

DATED = {"progress": DATE, "payments": PAID_ON}  # the kinds whose rows bear the campaign's days
NAMED = 3  # townships named in the sentence; the rest counted


def belongs_elsewhere(
    engine: Engine, policy: CountyPolicy, parsed: Parsed, problems: Sequence[Problem]
) -> Problem | None:
    """The problem that says where a file with ``problems`` belongs, if it is another year's
    or another county's; None otherwise."""
    return another_years_file(engine, policy, parsed) or another_countys_file(
        engine, policy, parsed, problems
    )


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
            return Problem(
                parsed.file,
                None,
                parsed.headers.get(column, column),
                f"{first}至{last}",
                f"文件中的日期都在{year}年度的征缴期内（{campaign.start}至{campaign.last_day}），"
                f"不在{policy.benefit_year}年度的征缴期内："
                + _choose(f"{year}年度", "征缴年度", f"加 --year {year}"),
            )
    return None


def another_countys_file(
    engine: Engine, policy: CountyPolicy, parsed: Parsed, problems: Sequence[Problem]
) -> Problem | None:
    """Where most of the file's townships are not ``policy``'s county's and all those are one
    other stored county's, the problem that names that county and how to import to it; None
    otherwise (a misspelt township or two among the county's own, or names of no county)."""
    unknown = list(
        dict.fromkeys(p.value for p in problems if p.value and p.reason.startswith(NOT_OF_COUNTY))
    )
    known = parsed.frame[TOWNSHIP].dropna().nunique() if TOWNSHIP in parsed.frame else 0
    if len(unknown) <= known:
        return None
    with Session(engine) as session:
        others = session.exec(
            select(County).where(County.code != policy.code).order_by(col(County.code))
        ).all()
        for county in others:
            names = list(township_ids(session, county.id or 0))
            if all(find_township(name, names) is not None for name in unknown):
                return _county_named(policy, parsed, county, unknown)
    return None


def _county_named(
    policy: CountyPolicy, parsed: Parsed, county: County, unknown: list[str]
) -> Problem:
    shown = "、".join(unknown[:NAMED]) + (f"等{len(unknown)}个" if len(unknown) > NAMED else "")
    return Problem(
        parsed.file,
        None,
        parsed.headers.get(TOWNSHIP, TOWNSHIP),
        shown,
        f"文件中的乡镇都是{county.name}的，不是{policy.name}的："
        + _choose(county.name, "县（区）", f"用 --county {county.code}"),
    )


def _choose(where: str, selector: str, option: str) -> str:
    """How to import it where it belongs: 这是2023年度的数据？导入2023年度，请先在侧栏
    “征缴年度”中选择2023年度（命令行加 --year 2023）."""
    return f"这是{where}的数据？导入{where}，请先在侧栏“{selector}”中选择{where}（命令行{option}）"
