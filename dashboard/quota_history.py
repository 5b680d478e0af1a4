"""How the official quotas came to be what they are: the quota tables imported and the
scenarios applied that are in force, oldest first, each with the quotas before and after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard import formatting as fmt
from dashboard.clock import local_day
from dashboard.glossary import LABELS, TOTAL_LABEL, TOWNSHIP
from dashboard.importing import previous_quotas
from dashboard.scenarios import replaced_quotas
from dashboard.store import campaign_of, official_quotas
from data_models.tables import ImportRecord, QuotaChange

IMPORTED = "导入任务表"
APPLIED = "应用模拟测算方案"


@dataclass(frozen=True)
class QuotaStep:
    """One change of the official quotas still in force: when, how, before and after."""

    at: datetime
    how: str  # IMPORTED or APPLIED
    before: dict[str, int]
    after: dict[str, int]


def quota_steps(engine: Engine, code: str, year: int) -> list[QuotaStep]:
    """The changes of the quotas of the county's campaign of ``year`` since it was opened,
    oldest first (undone ones left out: quota changes are undone latest first, so each
    step's quotas after are the next one's before, and the last one's the quotas now)."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year)
        imports = session.exec(
            select(ImportRecord).where(
                ImportRecord.campaign_id == campaign.id,
                ImportRecord.kind == "quota",
                col(ImportRecord.undone_at).is_(None),
            )
        ).all()
        applied = session.exec(
            select(QuotaChange).where(
                QuotaChange.campaign_id == campaign.id, col(QuotaChange.undone_at).is_(None)
            )
        ).all()
        assert campaign.id is not None
        now = official_quotas(session, campaign.id)
    steps = sorted(
        [(r.imported_at, IMPORTED, previous_quotas(r) or {}) for r in imports]
        + [(c.applied_at, APPLIED, replaced_quotas(c)) for c in applied],
        key=lambda step: step[0],
    )
    afters = [before for _, _, before in steps[1:]] + [now] if steps else []
    return [
        QuotaStep(at, how, before, after)
        for (at, how, before), after in zip(steps, afters, strict=True)
    ]


def township_quota_sentence(steps: list[QuotaStep], township: str) -> str | None:
    """What happened to one township's quota, for its page ('任务数调整：2026年12月6日由62,010
    调整为60,010（应用模拟测算方案）'); None when no step moved it."""
    moves = [
        f"{fmt.day(local_day(s.at))}{_from_to(s, township)}（{s.how}）"
        for s in steps
        if _moves(s, township)
    ]
    return f"任务数调整：{'；'.join(moves)}。" if moves else None


NAMED_TOWNSHIPS = 3  # a change of more townships is told by its count and the county total


def county_quota_sentence(steps: list[QuotaStep], *, period_end: date) -> str | None:
    """The changes of the county's quotas made after a period ended, for the pages that
    re-read it (排名, 通报): every period is ranked on the quotas now, so its ranking read
    after a change is not the one printed before it ('本期结束后任务数有调整：2026年12月6日应用
    模拟测算方案，湍东镇由62,010调整为60,010。本期排名按现行任务数计算，调整前印发的通报以原件为
    准。'); None when no step after the period's last day moved a quota."""
    told = [
        told for step in steps if local_day(step.at) > period_end and (told := _step_words(step))
    ]
    if not told:
        return None
    return (
        f"本期结束后任务数有调整：{'；'.join(told)}。"
        "本期排名按现行任务数计算，调整前印发的通报以原件为准。"
    )


def changed_after(engine: Engine, code: str, year: int, *, period_end: date) -> str | None:
    """county_quota_sentence of the county's stored quota changes, for the command line's
    bulletin and ranking (the pages keep the steps cached)."""
    return county_quota_sentence(quota_steps(engine, code, year), period_end=period_end)


def _step_words(step: QuotaStep) -> str | None:
    moved = [t for t in step.after if _moves(step, t)]
    if not moved:
        return None
    when = f"{fmt.day(local_day(step.at))}{step.how}，"
    if len(moved) > NAMED_TOWNSHIPS:
        change = sum(step.after[t] - step.before[t] for t in moved)
        return f"{when}{len(moved)}个乡镇（街道）任务数改变，全县合计{change:+,}"
    return when + "，".join(t + _from_to(step, t) for t in moved)


def _moves(step: QuotaStep, township: str) -> bool:
    before, after = step.before.get(township), step.after.get(township)
    return before is not None and after is not None and before != after


def _from_to(step: QuotaStep, township: str) -> str:
    return f"由{fmt.count(step.before[township])}调整为{fmt.count(step.after[township])}"


QUOTA_NOW = "正式任务数"
IMPORTED_QUOTA = "导入后任务数"
APPLIED_QUOTA = "应用后任务数"
QUOTA_CHANGE = "任务数变化"


def quota_preview(
    current: Mapping[str, int], incoming: Mapping[str, int], *, after: str = IMPORTED_QUOTA
) -> pd.DataFrame:
    """The townships whose official quota a quota table (or a scenario applied) would change,
    in its order, then a 合计 row of the county's totals: 乡镇（街道）, 正式任务数, ``after``
    (导入后任务数 or 应用后任务数), 任务数变化 (formatted, the change signed); empty when it
    would change none."""
    moved = [(t, current[t], q) for t, q in incoming.items() if current.get(t, q) != q]
    if not moved:
        return pd.DataFrame()
    moved.append((TOTAL_LABEL, sum(current.values()), sum(incoming.values())))
    return pd.DataFrame(
        [
            {
                LABELS[TOWNSHIP]: township,
                QUOTA_NOW: fmt.count(now),
                after: fmt.count(new),
                QUOTA_CHANGE: f"{new - now:+,}" if new != now else "–",
            }
            for township, now, new in moved
        ]
    )
