"""Amending a running campaign's policy: a campaign extended by notice, a rate or subsidy changed.

Counties extend their campaigns most years (征缴期延长至…), and then a payment made in the added
days was refused as outside the campaign, and its weeks were never ranked. An admin amends the
campaign's policy instead: the same benefit year and county, new dates or amounts. Nothing is
changed while the amended policy would leave a stored figure outside its dates or a stored
roster's group out of its groups; the change is recorded in the audit log, before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from dashboard import audit
from dashboard.opening import policy_summary, read_policy
from dashboard.policy_form import PolicyDraft, drafted_policy
from dashboard.problems import InputError, Problem
from dashboard.store import campaign_of, stored_policy
from data_models.policy import CountyPolicy
from data_models.tables import (
    Campaign,
    GroupProgress,
    GroupQuota,
    Payment,
    ProgressReport,
    RepeatPayment,
    RosterMember,
    StruckMember,
)

# the dated figures a campaign keeps, and the tables that name its groups
DATED = (
    (ProgressReport, ProgressReport.report_date, "进度"),
    (GroupProgress, GroupProgress.report_date, "特殊群体进度"),
    (Payment, Payment.paid_on, "缴费"),
    (RepeatPayment, RepeatPayment.paid_on, "重复缴费"),
)
GROUPED = (GroupQuota, GroupProgress, RosterMember, StruckMember)


@dataclass(frozen=True)
class Amendment:
    """A campaign's policy before and after, and what the audit log keeps of the change."""

    before: CountyPolicy
    after: CountyPolicy

    @property
    def changed(self) -> bool:
        """False when the policy is the campaign's as it is."""
        return self.after != self.before

    def changes(self) -> dict[str, tuple[object, object]]:
        """Each setting the amendment changes: its name -> (before, after), as the audit log
        and the page show them."""
        old, new = policy_summary(self.before), policy_summary(self.after)
        changed = {k: (old[k], new[k]) for k in new if old.get(k) != new[k]}
        if not changed and self.changed:  # a setting the summary leaves out (newborns' days …)
            before, after = self.before.model_dump(mode="json"), self.after.model_dump(mode="json")
            names = [k for k in after if before.get(k) != after[k]]
            changed["其他设置"] = ({k: before.get(k) for k in names}, {k: after[k] for k in names})
        return changed

    def summary(self) -> str:
        """'已修改内乡县2023年度…的政策：征缴期、集中征缴期止。'"""
        return f"已修改{self.after.title}的政策：{'、'.join(self.changes())}。"


def check_amendment(engine: Engine, amended: CountyPolicy, file: str) -> Amendment:
    """The amendment the policy makes of its county's campaign of its benefit year; InputError
    with every problem, nothing written, when it cannot be made."""
    with Session(engine) as session:
        return _checked(session, amended, file, lock=False)[1]


def amendment_of(
    engine: Engine, base: CountyPolicy, given: PolicyDraft | bytes, file: str
) -> Amendment:
    """The amendment of ``base``'s campaign that a form (a PolicyDraft of it) or an uploaded
    policy file makes; InputError with every problem of either, or of the check."""
    if isinstance(given, bytes):
        amended = read_policy(given, file)
    else:
        amended = drafted_policy(base, given, file)
    return check_amendment(engine, amended, file)


def amend_policy(engine: Engine, amended: CountyPolicy, *, file: str, user: str) -> Amendment:
    """Store the amended policy as its campaign's, with its dates, recorded in the audit log
    in the same transaction; checked again under the campaign's lock, so that an import made
    meanwhile is weighed too."""
    with Session(engine) as session:
        campaign, amendment = _checked(session, amended, file, lock=True)
        if not amendment.changed:
            raise InputError([Problem(file, None, None, None, "与现行政策相同，没有修改")])
        campaign.start = amended.campaign.start
        campaign.end = amended.campaign.end
        campaign.centralised_end = amended.campaign.centralised_end
        campaign.policy = amended.model_dump_json()
        session.add(campaign)
        changes = amendment.changes()
        audit.record(
            session,
            user=user,
            action="policy_amended",
            county=amended.code,
            target=amended.title,
            before={k: old for k, (old, _) in changes.items()},
            after={k: new for k, (_, new) in changes.items()},
        )
        session.commit()
    return amendment


def _checked(
    session: Session, amended: CountyPolicy, file: str, *, lock: bool
) -> tuple[Campaign, Amendment]:
    try:
        campaign = campaign_of(session, amended.code, year=amended.benefit_year, lock=lock)
    except KeyError:
        reason = f"没有{amended.title}：修改的是已建立的征缴年度（新的年度请建立征缴年度）"
        raise InputError([Problem(file, None, None, str(amended.benefit_year), reason)]) from None
    amendment = Amendment(stored_policy(campaign, amended.code), amended)
    problems = _problems(session, campaign, amendment, file)
    if problems:
        raise InputError(problems)
    return campaign, amendment


def _problems(
    session: Session, campaign: Campaign, amendment: Amendment, file: str
) -> list[Problem]:
    before, after = amendment.before, amendment.after
    if after.name != before.name:
        reason = f"设置项 name：县名应为“{before.name}”（修改政策不能改变县名）"
        return [Problem(file, None, None, after.name, reason)]
    problems = []
    first, last = after.campaign.start, after.campaign.last_day
    for table, column, what in DATED:
        span = session.exec(
            select(func.min(column), func.max(column)).where(
                col(table.campaign_id) == campaign.id  # type: ignore[attr-defined]
            )
        ).one()
        earliest, latest = span  # dates, on SQLite too (the column's type)
        if earliest is not None and not first <= earliest <= latest <= last:
            reason = (
                f"设置项 campaign：已有的{what}数据日期为{earliest}至{latest}，"
                f"不在修改后的征缴期内（{first}至{last}）：请先撤销这些导入，或改动征缴期"
            )
            problems.append(Problem(file, None, None, f"{first}至{last}", reason))
    used = set[str]().union(
        *(
            session.exec(
                select(table.group_code)  # type: ignore[attr-defined]
                .where(col(table.campaign_id) == campaign.id)  # type: ignore[attr-defined]
                .distinct()
            )
            for table in GROUPED
        )
    )
    for code in sorted(used - {g.code for g in after.groups}):
        label = next((g.label for g in before.groups if g.code == code), code)
        reason = f"已有的资助名单或任务表有“{label}”，修改后的政策没有这一群体"
        problems.append(Problem(file, None, None, code, "设置项 groups：" + reason))
    return problems
