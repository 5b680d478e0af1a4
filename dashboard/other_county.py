"""A file of another county given to the county selected (the sidebar left on 内乡县 while
东明县's payment list is imported): said once, naming the county its townships belong to, before
the row-by-row list of townships not of this county."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard.glossary import TOWNSHIP
from dashboard.parsing import NOT_OF_COUNTY, Parsed, find_township
from dashboard.problems import Problem
from dashboard.store import township_ids
from data_models.policy import CountyPolicy
from data_models.tables import County

NAMED = 3  # townships named in the sentence; the rest counted


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
                return _named(policy, parsed, county, unknown)
    return None


def _named(policy: CountyPolicy, parsed: Parsed, county: County, unknown: list[str]) -> Problem:
    shown = "、".join(unknown[:NAMED]) + (f"等{len(unknown)}个" if len(unknown) > NAMED else "")
    return Problem(
        parsed.file,
        None,
        parsed.headers.get(TOWNSHIP, TOWNSHIP),
        shown,
        f"文件中的乡镇都是{county.name}的，不是{policy.name}的：这是{county.name}的数据？"
        f"导入{county.name}，请先在侧栏“县（区）”中选择{county.name}"
        f"（命令行用 --county {county.code}）",
    )
