"""Next year's policy filled in on a form instead of an edited TOML file.

A county's policy changes a little each year: the benefit year, the notice it comes from, the
campaign dates, the individual contribution, the fiscal subsidy, what each special group gets
and from which fund, the settlement rates, the targets, the "双限" remittance rule and how long
payments are posted. ``next_year_draft`` gives those from this year's policy moved on a year,
to be edited; ``drafted_policy`` makes the policy from the edited draft, every other setting
(the groups themselves, newborns …) kept, or refuses with every problem in Chinese. Nothing
here knows Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from pydantic import ValidationError

from dashboard.money import CENT, TYPED_RULE, typed_yuan
from dashboard.opening import setting_problem
from dashboard.problems import InputError, Problem
from data_models.policy import MOST_DAYS, CountyPolicy, FundShare, campaign_year_problem

GROUP = "群体"
SOURCE = "资金来源"
AMOUNT = "金额（元/人）"


@dataclass(frozen=True)
class PolicyDraft:
    """What the form edits. ``fiscal`` has one row per funding source of the fiscal subsidy
    (资金来源, 金额); ``subsidies`` one row per special group and funding source (群体, 资金来源,
    金额): a group's subsidy is the sum of its rows."""

    benefit_year: int
    source: str
    start: date | None
    end: date | None
    centralised_end: date | None
    catch_up_start: date | None
    catch_up_end: date | None
    contribution_standard: Decimal
    fiscal: pd.DataFrame
    subsidies: pd.DataFrame
    work_fund_per_head: Decimal
    reward_per_head: Decimal
    deduction_per_head: Decimal
    settlement_basis: str
    targets: dict[str, Decimal]  # percent by Targets field: {"completion": 100, …}
    remittance_days: int | None
    remittance_amount: Decimal | None
    public_notice_working_days: int | None


def a_year_later(day: date) -> date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def current_draft(policy: CountyPolicy) -> PolicyDraft:
    """This year's policy as it is, to amend (a campaign extended, a rate changed by notice)."""
    c = policy.campaign
    fiscal = _share_rows(policy.fiscal_subsidy_sources, policy.fiscal_subsidy)
    groups = [
        {GROUP: g.label, **row}
        for g in policy.groups
        for row in _share_rows(g.sources, g.subsidy).to_dict("records")
    ]
    rates = policy.settlement
    return PolicyDraft(
        benefit_year=policy.benefit_year,
        source=policy.source,
        start=c.start,
        end=c.end,
        centralised_end=c.centralised_end,
        catch_up_start=c.catch_up_start,
        catch_up_end=c.catch_up_end,
        contribution_standard=policy.contribution_standard,
        fiscal=fiscal,
        subsidies=pd.DataFrame(groups, columns=[GROUP, SOURCE, AMOUNT]),
        work_fund_per_head=rates.work_fund_per_head,
        reward_per_head=rates.reward_per_head,
        deduction_per_head=rates.deduction_per_head,
        settlement_basis=rates.basis,
        targets={k: v * 100 for k, v in policy.targets.model_dump().items()},
        remittance_days=policy.remittance_days,
        remittance_amount=policy.remittance_amount,
        public_notice_working_days=policy.public_notice_working_days,
    )


def next_year_draft(policy: CountyPolicy) -> PolicyDraft:
    """This year's policy as next year's draft: one benefit year on, every campaign date a year
    later, the notice left to fill in, amounts and rates as they are."""
    draft = current_draft(policy)
    days = (draft.start, draft.end, draft.centralised_end, draft.catch_up_start, draft.catch_up_end)
    later = [a_year_later(d) if d else None for d in days]
    return replace(
        draft,
        benefit_year=policy.benefit_year + 1,
        source="",
        start=later[0],
        end=later[1],
        centralised_end=later[2],
        catch_up_start=later[3],
        catch_up_end=later[4],
    )


def _share_rows(sources: tuple[FundShare, ...], total: Decimal | None) -> pd.DataFrame:
    """Funding sources as editable rows; a bare amount (no sources) as one row without one;
    none where there is no amount (the county's notice sets none)."""
    if sources:
        rows = [{SOURCE: s.source, AMOUNT: float(s.amount)} for s in sources]
    elif total is not None:
        rows = [{SOURCE: "", AMOUNT: float(total)}]
    else:
        rows = []
    return pd.DataFrame(rows, columns=[SOURCE, AMOUNT]).astype({SOURCE: object, AMOUNT: float})


RATES = {
    "work_fund_per_head": "工作经费",
    "reward_per_head": "超额奖励",
    "deduction_per_head": "差额扣减",
}
TARGETS = {
    "completion": "任务完成率",
    "participation": "参保率",
    "special_groups": "特殊群体",
}


def drafted_policy(base: CountyPolicy, draft: PolicyDraft, file: str) -> CountyPolicy:
    """The policy the draft makes from ``base``; InputError with every problem (the field, or
    the table row and column, and why), nothing made, when the draft does not add up."""
    problems: list[Problem] = []
    standard = typed_yuan(draft.contribution_standard)
    if standard is None or standard <= 0:
        reason = f"个人缴费标准应为大于0、{TYPED_RULE}的金额"
        problems.append(Problem(file, None, None, str(draft.contribution_standard), reason))
        standard = None  # subsidies are not weighed against it
    rates = {}
    for key, label in RATES.items():
        rates[key] = amount = typed_yuan(getattr(draft, key))
        if amount is None or amount < 0:
            reason = f"{label}（元/人）应为不小于0、{TYPED_RULE}的金额"
            problems.append(Problem(file, None, None, str(getattr(draft, key)), reason))
    if not draft.source.strip():
        problems.append(Problem(file, None, None, None, "请填写政策依据（本年度通知或方案的文号）"))
    problems += _date_problems(draft, file)
    targets = _targets(draft, file, problems)
    remittance = _remittance_amount(draft, file, problems)
    fiscal, fiscal_sources = _amounts(
        draft.fiscal.reset_index(drop=True), "财政补助", file, problems
    )
    groups = _groups(base, draft.subsidies.reset_index(drop=True), standard, file, problems)
    if problems:
        raise InputError(problems)
    settings = base.model_dump() | {
        "benefit_year": draft.benefit_year,
        "source": draft.source.strip(),
        "contribution_standard": standard,
        "fiscal_subsidy": fiscal if fiscal else None,
        "fiscal_subsidy_sources": fiscal_sources,
        "campaign": {
            "start": draft.start,
            "end": draft.end,
            "centralised_end": draft.centralised_end,
            "catch_up_start": draft.catch_up_start,
            "catch_up_end": draft.catch_up_end,
        },
        "settlement": rates | {"basis": draft.settlement_basis.strip()},
        "groups": groups,
        "targets": targets,
        "remittance_days": draft.remittance_days,
        "remittance_amount": remittance,
        "public_notice_working_days": draft.public_notice_working_days,
    }
    try:
        return CountyPolicy.model_validate(settings)
    except ValidationError as error:  # what the checks above let through, said as the file's
        raise InputError([setting_problem(file, e) for e in error.errors()]) from None


def _groups(
    base: CountyPolicy,
    table: pd.DataFrame,
    standard: Decimal | None,
    file: str,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    """Each of the county's groups with its subsidy and sources from the table's rows; a share
    of the standard (Dongming's 30 %) kept where the new amounts still make an exact one."""
    groups = []
    for group in base.groups:
        subsidy, sources = _amounts(table[table[GROUP] == group.label], group.label, file, problems)
        if standard is not None and subsidy > standard:
            reason = f"{group.label}的资助标准{subsidy}元高于个人缴费标准{standard}元"
            problems.append(Problem(file, None, None, str(subsidy), reason))
        share = None
        if group.share is not None and standard:
            exact = (subsidy / standard).quantize(CENT)
            share = exact if exact * standard == subsidy else None
        kept = group.model_dump(exclude={"share", "subsidy", "sources"})
        groups.append(kept | {"subsidy": subsidy, "sources": sources, "share": share})
    labels = {g.label for g in base.groups}
    for index, row in table.iterrows():
        label, row_number = row[GROUP], int(index) + 1  # type: ignore[call-overload]
        if isinstance(label, str) and label.strip() and label not in labels:
            problems.append(Problem(file, row_number, GROUP, label, f"不认识的群体“{label}”"))
        elif not isinstance(label, str) and _filled(row):
            problems.append(Problem(file, row_number, GROUP, None, "请选择这一行的群体"))
    return groups


def _targets(draft: PolicyDraft, file: str, problems: list[Problem]) -> dict[str, Decimal]:
    """The targets as fractions from the form's percentages (above 0, at most 100, one
    decimal: 98.5 -> 0.985)."""
    fractions = {}
    for key, label in TARGETS.items():
        percent = draft.targets[key]
        value = typed_yuan(percent)
        if value is None or not 0 < value <= 100 or value != value.quantize(Decimal("0.1")):
            reason = f"{label}目标应为大于0、不超过100、最多一位小数的百分数"
            problems.append(Problem(file, None, None, str(percent), reason))
            continue
        fractions[key] = value.normalize() / 100
    return fractions


def _remittance_amount(draft: PolicyDraft, file: str, problems: list[Problem]) -> Decimal | None:
    """The "双限" rule's amount in yuan (None: no rule), the problems of the rule and the
    posting period added: days whole, 1 to MOST_DAYS (or not set), the amount and the days set
    together."""
    for value, label in (
        (draft.remittance_days, "“双限”报解期限（天）"),
        (draft.public_notice_working_days, "公示期（工作日）"),
    ):
        if value is not None and (int(value) != value or not 1 <= value <= MOST_DAYS):
            reason = f"{label}应为1至{MOST_DAYS}的整数"
            problems.append(Problem(file, None, None, str(value), reason))
    amount = None if draft.remittance_amount is None else typed_yuan(draft.remittance_amount)
    if draft.remittance_amount is not None and (amount is None or amount <= 0):
        reason = f"“双限”报解额度（元）应为大于0、{TYPED_RULE}的金额"
        problems.append(Problem(file, None, None, str(draft.remittance_amount), reason))
    if (draft.remittance_days is None) != (draft.remittance_amount is None):
        problems.append(
            Problem(file, None, None, None, "“双限”报解的期限和额度应同时填写，或都不填")
        )
    return amount


def _date_problems(draft: PolicyDraft, file: str) -> list[Problem]:
    def problem(reason: str) -> Problem:
        return Problem(file, None, None, None, reason)

    start, end, centralised_end = draft.start, draft.end, draft.centralised_end
    if start is None or end is None or centralised_end is None:
        return [problem("请填写征缴期的开始、结束日期和集中征缴截止日期")]
    found = []
    if not start <= end:
        found.append(problem("征缴期的开始日期应不晚于结束日期"))
    elif not start <= centralised_end <= end:
        found.append(problem("集中征缴截止日应在征缴期之内"))
    if reason := campaign_year_problem(draft.benefit_year, start):
        found.append(problem(reason))
    catch_up = (draft.catch_up_start, draft.catch_up_end)
    if (catch_up[0] is None) != (catch_up[1] is None):
        found.append(problem("补缴期应同时填写开始和结束日期，或都不填"))
    elif catch_up[0] is not None and catch_up[1] is not None:
        if not end < catch_up[0] <= catch_up[1]:
            found.append(problem("补缴期应在征缴期之后，且开始不晚于结束"))
    return found


def _amounts(
    rows: pd.DataFrame, what: str, file: str, problems: list[Problem]
) -> tuple[Decimal, list[dict[str, Any]]]:
    """A per-person amount and its funding sources from editable rows, numbered by their index
    + 1 (rows without a source and amount are left out). Problems are added for a bad amount,
    and for an amount without a source beside sourced ones (the sources would not add up)."""
    total, sources, bare = Decimal("0.00"), [], False
    for index, row in zip(rows.index, rows.to_dict("records"), strict=True):
        if not _filled(row):
            continue
        source, value = _text(row.get(SOURCE)), row.get(AMOUNT)
        amount = None if _missing(value) else typed_yuan(value)
        if amount is None or amount < 0:
            reason = f"{what}：金额应为不小于0、{TYPED_RULE}的数字"
            problems.append(Problem(file, int(index) + 1, AMOUNT, str(value), reason))
            continue
        total += amount
        if source:
            sources.append({"source": source, "amount": amount})
        else:
            bare = True
    if bare and sources:
        reason = f"{what}：有金额未填资金来源（各资金来源之和应等于资助标准）"
        problems.append(Problem(file, None, SOURCE, None, reason))
    return total, sources


def _missing(value: Any) -> bool:
    return value is None or isinstance(value, float) and math.isnan(value)


def _filled(row: Any) -> bool:
    """Whether a table row says anything: a source, or an amount other than 0."""
    value = row.get(AMOUNT)
    return bool(_text(row.get(SOURCE))) or not (_missing(value) or value == 0)


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value).strip()
