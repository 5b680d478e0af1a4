"""Opening a campaign: a county's next year, or a county new to the system, from the county's
policy file (TOML, as in sample_data/) and its quota table (any quota file the import takes)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import tomli_w
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard import audit
from dashboard import formatting as fmt
from dashboard.campaign import CampaignData, empty_group_progress, empty_progress
from dashboard.glossary import LAST_YEAR_ENROLLED, QUOTA, TOWNSHIP
from dashboard.parsing import parse_file, quota_frames, require_clean
from dashboard.problems import InputError, Problem
from dashboard.progress import enrolled_as_of
from dashboard.store import campaign_years, load_campaign, save_campaign
from dashboard.toml_errors import toml_problem
from data_models.policy import CountyPolicy, parse_policy
from data_models.tables import Campaign, County

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,39}")
PYDANTIC_REASONS = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的设置项",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不带时刻",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "finite_number": "应为数字（不能是 inf 或 nan）",
    "tuple_type": "应为写在方括号里的列表（[…, …]）",
    "model_type": '应为花括号里的一组设置（如 {{ source = "医疗救助基金", amount = "380" }}）',
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_long": "过长（最多{max_length}个字符）",
    "greater_than_equal": "应不小于{ge:,}",
    "less_than_equal": "应不大于{le:,}",
    "decimal_max_places": "最多{decimal_places}位小数",
}


@dataclass(frozen=True)
class Opened:
    """A campaign just opened: what the command and the audit log say about it."""

    data: CampaignData
    new_county: bool

    def summary(self) -> str:
        """'已建立内乡县2024年度城乡居民医保征缴：16个乡镇（街道），任务数合计604,120人。'"""
        quotas = self.data.quotas
        county = "（新增县）" if self.new_county else ""
        return (
            f"已建立{self.data.policy.title}{county}：{len(quotas)}个乡镇（街道），"
            f"任务数合计{int(quotas[QUOTA].sum()):,}人。"
        )


def read_policy(raw: bytes, file: str) -> CountyPolicy:
    """A policy file's bytes as a typed policy; InputError naming the line or the setting
    (``campaign.start``) and what is wrong with it, in Chinese."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(file, None, None, None, "政策文件应为 UTF-8 编码")]) from None
    try:
        policy = parse_policy(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError([toml_problem(file, error)]) from None
    except ValidationError as error:
        raise InputError([setting_problem(file, e) for e in error.errors()]) from None
    if not CODE_PATTERN.fullmatch(policy.code):
        reason = "设置项 code：县代码应以小写字母开头，只含小写字母、数字、-、_（如 neixiang）"
        raise InputError([Problem(file, None, None, policy.code, reason)])
    return policy


def setting_problem(file: str, error: ErrorDetails) -> Problem:
    """One of pydantic's complaints about a policy as a Problem in Chinese, naming the setting."""
    setting = ".".join(str(part) for part in error["loc"])
    if error["type"] == "value_error":  # the policy's own checks, said in Chinese
        reason = error["msg"].removeprefix("Value error, ")
    else:
        known = PYDANTIC_REASONS.get(error["type"])
        reason = known.format(**error.get("ctx", {})) if known else f"取值无效：{error['msg']}"
    given = error.get("input")
    value = None if error["type"] == "missing" or isinstance(given, dict) else str(given)
    return Problem(file, None, None, value, f"设置项 {setting}：{reason}" if setting else reason)


@dataclass(frozen=True)
class OpeningCheck:
    """A policy file and a quota table checked together: the campaign they make, or why not;
    what the quota table's check notes (a township of quota 0, lines under the table)."""

    data: CampaignData | None
    problems: list[Problem]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """A campaign made from a policy and its quota table, and the quota table's notes."""

    data: CampaignData
    notes: tuple[str, ...]


def check_opening(
    engine: Engine, policy_raw: bytes, policy_file: str, quota_raw: bytes, quota_file: str
) -> OpeningCheck:
    """Everything ``open_campaign`` would refuse, found before anything is written: the
    policy file, the quota table, and a clash with what is stored."""
    try:
        policy = read_policy(policy_raw, policy_file)
        prepared = prepare_campaign(policy, quota_raw, quota_file)
    except InputError as error:
        return OpeningCheck(None, error.problems)
    if problems := clashes(engine, policy, policy_file):
        return OpeningCheck(None, problems, prepared.notes)
    data, source = carry_last_year(engine, prepared.data)
    return OpeningCheck(data, [], prepared.notes + ((source,) if source else ()))


def carry_last_year(engine: Engine, data: CampaignData) -> tuple[CampaignData, str | None]:
    """Where the quota table gives no 上年参保人数 at all, each township's final enrolled in the
    county's campaign of the benefit year before, so that the year's quotas can be weighed
    against last year's and allocated by it on 模拟测算: the counts the bureaus verified (核定)
    where recorded, else its latest report; a township new this year stays empty. With it, the
    sentence saying where the figures come from. The campaign as it was, and None, when the
    county has no earlier campaign with reports; and a sentence saying the column stays empty
    when the latest earlier one is not last year's (a county back after years away: 上年 is
    last year, as 上年同期 is)."""
    quotas = data.quotas
    if quotas[LAST_YEAR_ENROLLED].notna().any():
        return data, None
    last_year = data.policy.benefit_year - 1
    years = [y for y in campaign_years(engine, data.policy.code) if y <= last_year]
    if not years:
        return data, None
    if years[0] != last_year:
        return data, (
            f"上年参保人数未填：系统中没有{last_year}年度的征缴（最近一次为{years[0]}年度）；"
            "如需按上年参保人数测算，请在任务表中加“上年参保人数”列"
        )
    previous = load_campaign(engine, data.policy.code, year=last_year)
    if previous.latest_date is None:
        return data, None
    source = f"上年参保人数取自{last_year}年度征缴"
    if (verified := previous.verified) is not None:
        final = verified.enrolled
        source += f"中县税务局、医保局{fmt.day(verified.verified_on)}核定的最终参保人数。"
    else:
        final = enrolled_as_of(
            previous.progress, previous.latest_date, previous.townships
        ).to_dict()
        simulated = "，模拟数据" if previous.simulated else ""
        source += f"截至{fmt.day(previous.latest_date)}的参保人数（尚未录入核定人数{simulated}）。"
    carried = quotas[TOWNSHIP].map(final).astype("Int64")
    return data.with_quotas(quotas.assign(**{LAST_YEAR_ENROLLED: carried})), source


def prepare_campaign(policy: CountyPolicy, quota_raw: bytes, quota_file: str) -> Prepared:
    """The campaign a policy and its quota table make, before anything is stored: the quota
    table checked as an import checks one (InputError with every problem), no progress yet;
    with what the check notes."""
    parsed = require_clean(parse_file(quota_raw, quota_file, policy, townships=None, kind="quota"))
    quotas, group_quotas = quota_frames(parsed.frame)
    data = CampaignData(policy, quotas, empty_progress(), group_quotas, empty_group_progress())
    return Prepared(data, parsed.notes)


def clashes(engine: Engine, policy: CountyPolicy, policy_file: str) -> list[Problem]:
    """Why the policy's campaign cannot be opened in this database (empty when it can): the
    county already has that benefit year, or its code names another county."""
    with Session(engine) as session:
        county = session.exec(select(County).where(County.code == policy.code)).first()
        return _clashes(session, county, policy, policy_file)


def open_campaign(engine: Engine, data: CampaignData, *, policy_file: str, user: str) -> Opened:
    """Store a prepared campaign with its official quotas (and the county, when new),
    recorded in the audit log in the same transaction; InputError, with nothing written, when
    it clashes with what is stored."""
    policy = data.policy
    with Session(engine) as session:
        county = session.exec(select(County).where(County.code == policy.code)).first()
        problems = _clashes(session, county, policy, policy_file)
        if problems:
            raise InputError(problems)
        save_campaign(session, data)
        audit.record(
            session,
            user=user,
            action="campaign_opened",
            county=policy.code,
            target=policy.title,
            after=policy_summary(policy) | {"任务数": data.quota_by_township},
        )
        session.commit()
    return Opened(data, new_county=county is None)


def policy_summary(policy: CountyPolicy) -> dict[str, object]:
    """What the audit log keeps of a campaign's policy: its notice, dates and amounts (as
    written plainly: 350 whether the file said 350 or 350.00)."""
    rates = policy.settlement
    c = policy.campaign
    per_head = (rates.work_fund_per_head, rates.reward_per_head, rates.deduction_per_head)
    return {
        "政策依据": policy.source,
        "征缴期": f"{c.start}至{c.end}",
        "集中征缴期止": str(c.centralised_end),
        "补缴期": f"{c.catch_up_start}至{c.catch_up_end}" if c.catch_up_end else "无",
        "个人缴费标准（元）": _plain_amount(policy.contribution_standard),
        "资助标准（元/人）": {g.label: _plain_amount(g.subsidy) for g in policy.groups},
        "财政补助（元/人）": _plain_amount(policy.fiscal_subsidy),
        "工作经费、奖励、扣减（元/人）": "、".join(_plain_amount(r) for r in per_head),
        "目标（完成率、参保率、特殊群体）": "、".join(
            f"{_plain_amount(t * 100)}%" for t in policy.targets.model_dump().values()
        ),
        "“双限”报解": (
            f"{policy.remittance_days}天或{_plain_amount(policy.remittance_amount)}元"
            if policy.remittance_days is not None
            else "未规定"
        ),
        "公示期（工作日）": str(policy.public_notice_working_days or "未规定"),
    }


def _plain_amount(amount: Decimal | None) -> str:
    """350.00 -> '350', 1.50 -> '1.5'; None -> '未规定'."""
    return "未规定" if amount is None else f"{amount.normalize():f}"


def _clashes(
    session: Session, county: County | None, policy: CountyPolicy, file: str
) -> list[Problem]:
    if county is None:
        return []
    if county.name != policy.name:
        reason = f"设置项 code：县代码“{policy.code}”已用于{county.name}，不能再用于{policy.name}"
        return [Problem(file, None, None, policy.code, reason)]
    years = session.exec(select(Campaign.benefit_year).where(Campaign.county_id == county.id))
    if policy.benefit_year in set(years):
        reason = f"设置项 benefit_year：{policy.title}已经建立；数据请用导入补充"
        return [Problem(file, None, None, str(policy.benefit_year), reason)]
    return []


def policy_toml(policy: CountyPolicy) -> str:
    """A policy written back as a TOML file in the form of sample_data/ (dates as dates,
    amounts as quoted decimals, unset settings left out): the template for next year's."""
    return tomli_w.dumps(_plain(policy.model_dump(exclude_none=True)))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
