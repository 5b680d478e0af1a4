"""The county's collection policy in short sentences, for the 征缴政策要点 panel.

Everything here is read from the county's policy file, which holds what its notice says: the
contribution, the fiscal subsidy and its sources, who is subsidised and how much (one subsidy
per person, the highest), when a subsidy is lost, newborns, the "双限" remittance rule, the
public notice after collection, the targets and the settlement rates; and one rule every
notice states alike, duplicate enrolment (重复参保).
"""

from __future__ import annotations

from decimal import Decimal

from dashboard import formatting as fmt
from data_models.policy import CampaignDates, CountyPolicy, SpecialGroup

# the same in every notice (柞水 四（三）, 内乡 三（九）2, 东明 三（三）): the dashboard counts a
# person once, by distinct ID number, and keeps a second payment apart as 重复缴费
DUPLICATE_ENROLMENT = (
    "一人只计一次参保：同一时期有两条以上正常参保记录的，按职工医保、大学生、常住地的顺序享受"
    "待遇，重复缴费按规定办理退费"
)


def _subsidy(group: SpecialGroup, standard: Decimal) -> str:
    """'特困人员380元（全额）', '低保对象114元（30%）', or without a note where none is known."""
    if group.subsidy >= standard:
        note = "全额"
    else:
        note = fmt.percent(group.share, 0) if group.share is not None else ""
    return f"{group.label}{fmt.notice_yuan(group.subsidy)}" + (f"（{note}）" if note else "")


def policy_points(policy: CountyPolicy) -> list[tuple[str, str]]:
    """(topic, sentence) pairs in the order a notice gives them; topics without a rule in the
    county's policy are left out."""
    points = [
        (
            "个人缴费标准",
            f"{policy.benefit_year}年度每人{fmt.notice_yuan(policy.contribution_standard)}",
        )
    ]
    if policy.fiscal_subsidy is not None:
        parts = "、".join(
            f"{s.source}{fmt.notice_yuan(s.amount)}" for s in policy.fiscal_subsidy_sources
        )
        points.append(
            (
                "财政补助",
                f"每人{fmt.notice_yuan(policy.fiscal_subsidy)}" + (f"（{parts}）" if parts else ""),
            )
        )
    points.append(("征缴时间", _period(policy.campaign)))
    paid = [g for g in policy.groups if g.subsidy > 0]
    if paid:
        text = "、".join(_subsidy(g, policy.contribution_standard) for g in paid)
        points.append(
            ("参保资助（每人一种，就高不重复）", f"{text}；受资助人员个人缴纳标准与资助之差")
        )
    if conditions := _subsidy_conditions(policy):
        points.append(("资助条件", conditions))
    newborn = f"出生后{policy.newborn_days}天内参保缴费的，自出生之日起享受当年待遇"
    if policy.newborn_late_days is not None:
        newborn += f"；{policy.newborn_late_days}天内参保缴费的，自缴费次月起享受待遇"
    points.append(("新生儿", newborn))
    points.append(("重复参保", DUPLICATE_ENROLMENT))
    if policy.remittance_days is not None and policy.remittance_amount is not None:
        points.append(
            (
                "“双限”报解",
                f"村（社区）征缴经办人员收取的保费，{policy.remittance_days}天内或累计满"
                f"{fmt.notice_yuan(policy.remittance_amount)}即须存入乡镇财政所账户，以先满足者为准",
            )
        )
    if policy.public_notice_working_days is not None:
        points.append(
            (
                "缴费信息公示",
                f"征缴期结束后以村（社区）为单位张榜公示，不少于"
                f"{policy.public_notice_working_days}个工作日",
            )
        )
    t = policy.targets
    points.append(
        (
            "目标",
            f"任务完成率{fmt.percent(t.completion, 0)}；参保率{fmt.percent(t.participation, 0)}；"
            f"特殊群体参保率{fmt.percent(t.special_groups, 0)}",
        )
    )
    return points


def _period(c: CampaignDates) -> str:
    """The campaign's dates, its centralised part and catch-up period where it has them."""
    period = f"{fmt.day(c.start)}至{fmt.day(c.end)}"
    if c.centralised_end < c.end:
        period += f"，其中集中征缴至{fmt.day(c.centralised_end)}"
    if c.catch_up_start is not None and c.catch_up_end is not None:
        period += f"；补缴期{fmt.day(c.catch_up_start)}至{fmt.day(c.catch_up_end)}"
    return period


def _subsidy_conditions(policy: CountyPolicy) -> str:
    """When a subsidy is given, as the county's notice limits it; empty where it does not."""
    conditions = []
    if policy.subsidy_only_in_centralised_period:
        conditions.append("在集中征缴期内缴费的才享受资助")
    if policy.recognised_by_centralised_end:
        conditions.append("集中征缴期结束后认定的人员当年不享受资助")
    return "；".join(conditions)
