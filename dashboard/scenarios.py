"""Saved what-if scenarios: save, list, delete, and (by an admin, recorded) apply as official
quotas, or undo the latest application."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard.audit import entries, record
from dashboard.clock import local_time
from dashboard.money import from_fen, to_fen
from dashboard.store import campaign_of, campaign_townships, official_quotas
from dashboard.whatif import Expectation
from data_models.policy import SettlementRates
from data_models.tables import (
    CELL_TEXT,
    NOTE_TEXT,
    AuditLog,
    Campaign,
    ImportRecord,
    Quota,
    QuotaChange,
    Scenario,
)


class ScenarioRefused(Exception):
    """A scenario that cannot be saved, found or applied; the reason is in Chinese."""


@dataclass(frozen=True)
class ScenarioData:
    """A scenario as the page and CLI use it."""

    name: str
    quotas: dict[str, int]
    rates: SettlementRates
    expectation: Expectation
    enrolled: dict[str, int] | None = None
    note: str = ""
    created_at: datetime | None = None
    created_by: str = ""


def save_scenario(
    engine: Engine, code: str, scenario: ScenarioData, *, user: str = "", replace: bool = False
) -> None:
    """Store a scenario under its name (a different name, or ``replace``, for an existing one)."""
    name = scenario.name.strip()
    if not name:
        raise ScenarioRefused("请填写方案名称")
    if len(name) > CELL_TEXT or len(scenario.note) > NOTE_TEXT:
        raise ScenarioRefused(f"方案名称最多{CELL_TEXT}个字符，说明最多{NOTE_TEXT}个字符")
    with Session(engine) as session:
        campaign = campaign_of(session, code)
        existing = session.exec(
            select(Scenario).where(Scenario.campaign_id == campaign.id, Scenario.name == name)
        ).first()
        if existing is not None:
            if not replace:
                raise ScenarioRefused(f"已有名为“{name}”的方案，请换一个名称或选择覆盖")
            session.delete(existing)
            session.flush()
        assert campaign.id is not None
        session.add(
            Scenario(
                campaign_id=campaign.id,
                name=name,
                note=scenario.note,
                quotas=json.dumps(scenario.quotas, ensure_ascii=False),
                enrolled=json.dumps(scenario.enrolled, ensure_ascii=False)
                if scenario.enrolled
                else None,
                expectation=scenario.expectation,
                work_fund_fen=to_fen(scenario.rates.work_fund_per_head),
                reward_fen=to_fen(scenario.rates.reward_per_head),
                deduction_fen=to_fen(scenario.rates.deduction_per_head),
                created_at=datetime.now(UTC),
                created_by=user,
            )
        )
        try:
            session.commit()
        except IntegrityError as exc:  # another session saved the same name just now
            raise ScenarioRefused(f"已有名为“{name}”的方案") from exc


def _data(row: Scenario) -> ScenarioData:
    return ScenarioData(
        name=row.name,
        quotas={k: int(v) for k, v in json.loads(row.quotas).items()},
        rates=SettlementRates(
            work_fund_per_head=from_fen(row.work_fund_fen),
            reward_per_head=from_fen(row.reward_fen),
            deduction_per_head=from_fen(row.deduction_fen),
            basis="模拟测算",
        ),
        expectation="latest" if row.expectation == "latest" else "forecast",
        enrolled={k: int(v) for k, v in json.loads(row.enrolled).items()} if row.enrolled else None,
        note=row.note,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def list_scenarios(engine: Engine, code: str) -> list[ScenarioData]:
    """The county's saved scenarios, oldest first."""
    with Session(engine) as session:
        campaign = campaign_of(session, code)
        rows = session.exec(
            select(Scenario).where(Scenario.campaign_id == campaign.id).order_by(col(Scenario.id))
        ).all()
        return [_data(r) for r in rows]


def delete_scenario(engine: Engine, code: str, name: str) -> None:
    """Remove a saved scenario; the official quotas are untouched."""
    with Session(engine) as session:
        campaign = campaign_of(session, code)
        result = session.execute(
            delete(Scenario).where(
                col(Scenario.campaign_id) == campaign.id, col(Scenario.name) == name
            )
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise ScenarioRefused(f"没有名为“{name}”的方案")
        session.commit()


def apply_scenario(engine: Engine, code: str, name: str, *, user: str) -> AuditLog:
    """Make a scenario's quotas the official ones, recording who, when, before and after in
    the audit log and as a QuotaChange (same transaction). Only quotas change; settlement rates
    stay the policy's.
    """
    if not user.strip():
        raise ScenarioRefused("应用方案须填写操作人")
    with Session(engine) as session:
        campaign = campaign_of(session, code, lock=True)
        row = session.exec(
            select(Scenario).where(Scenario.campaign_id == campaign.id, Scenario.name == name)
        ).first()
        if row is None:
            raise ScenarioRefused(f"没有名为“{name}”的方案")
        before = official_quotas(session, _pk(campaign))
        after = _data(row).quotas
        if set(after) != set(before):
            raise ScenarioRefused("方案中的乡镇与本县乡镇不一致，不能应用")
        if after == before:
            raise ScenarioRefused(f"方案“{name}”的任务数与正式任务数相同，无需应用")
        _set_official(session, _pk(campaign), after)
        entry = record(
            session,
            user=user.strip(),
            action="scenario_applied",
            county=code,
            target=f"方案“{name}”",
            before=before,
            after=after,
        )
        session.add(
            QuotaChange(
                campaign_id=_pk(campaign),
                scenario=name,
                applied_at=entry.at,
                applied_by=user.strip(),
                before=json.dumps(before, ensure_ascii=False),
                after=json.dumps(after, ensure_ascii=False),
            )
        )
        session.commit()
        session.refresh(entry)
        return entry


@dataclass(frozen=True)
class Application:
    """A scenario applied as the official quotas, not undone."""

    scenario: str
    applied_at: datetime
    applied_by: str

    def __str__(self) -> str:
        return f"方案“{self.scenario}”（{self.applied_by}，{local_time(self.applied_at)}）"


def last_application(engine: Engine, code: str) -> Application | None:
    """The latest application of a scenario to the county's official quotas still in force."""
    with Session(engine) as session:
        change = applied_after(session, _pk(campaign_of(session, code)))
        return None if change is None else application(change)


def application(change: QuotaChange) -> Application:
    """What a stored application says to a user: the scenario, who applied it and when."""
    return Application(change.scenario, change.applied_at, change.applied_by)


def applied_after(
    session: Session, campaign_id: int, moment: datetime | None = None
) -> QuotaChange | None:
    """The latest application not undone (made after ``moment``, when given)."""
    change = session.exec(
        select(QuotaChange)
        .where(QuotaChange.campaign_id == campaign_id, col(QuotaChange.undone_at).is_(None))
        .order_by(col(QuotaChange.id).desc())
    ).first()
    return None if change is None or (moment and change.applied_at <= moment) else change


def undo_application(engine: Engine, code: str, *, user: str) -> AuditLog:
    """Put back the official quotas the latest application replaced; recorded in the audit log.

    Refused when a quota table was imported after it (undo that import first), so that the
    quotas never jump back past a later change.
    """
    with Session(engine) as session:
        campaign = campaign_of(session, code, lock=True)
        change = applied_after(session, _pk(campaign))
        if change is None:
            raise ScenarioRefused("没有可撤销的方案应用")
        latest = session.exec(
            select(ImportRecord)
            .where(
                ImportRecord.campaign_id == campaign.id,
                ImportRecord.kind == "quota",
                col(ImportRecord.undone_at).is_(None),
            )
            .order_by(col(ImportRecord.id).desc())
        ).first()
        if latest is not None and latest.imported_at > change.applied_at:
            raise ScenarioRefused(
                f"应用方案之后又导入了任务表（第{latest.id}号）：请先在数据导入页撤销该导入"
            )
        before = official_quotas(session, _pk(campaign))
        restored = replaced_quotas(change)
        _set_official(session, _pk(campaign), restored)
        entry = record(
            session,
            user=user,
            action="scenario_undone",
            county=code,
            target=str(application(change)),
            before=before,
            after=restored,
        )
        change.undone_at, change.undone_by = entry.at, user
        session.add(change)
        session.commit()
        session.refresh(entry)
        return entry


def replaced_quotas(change: QuotaChange) -> dict[str, int]:
    """The official quotas an application replaced, by township."""
    return {k: int(v) for k, v in json.loads(change.before).items()}


def _set_official(session: Session, campaign_id: int, quotas: dict[str, int]) -> None:
    names = {v: k for k, v in campaign_townships(session, campaign_id).items()}
    for row in session.exec(select(Quota).where(Quota.campaign_id == campaign_id)).all():
        row.quota = quotas[names[row.township_id]]
        session.add(row)


def _pk(campaign: Campaign) -> int:
    assert campaign.id is not None
    return campaign.id


def quota_changes(engine: Engine, code: str) -> list[AuditLog]:
    """Every scenario applied to the official quotas, newest first."""
    return entries(engine, county=code, action="scenario_applied")
