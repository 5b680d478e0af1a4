"""Saved what-if scenarios: save, list, delete, and (by an admin, recorded) apply as official."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard.audit import entries, record
from dashboard.money import from_fen, to_fen
from dashboard.store import campaign_of, campaign_townships
from dashboard.whatif import Expectation
from data_models.policy import SettlementRates
from data_models.tables import CELL_TEXT, NOTE_TEXT, AuditLog, Quota, Scenario


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
    the audit log (same transaction). Only quotas change; settlement rates stay the policy's.
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
        assert campaign.id is not None
        ids = campaign_townships(session, campaign.id)
        names = {v: k for k, v in ids.items()}
        quotas = session.exec(select(Quota).where(Quota.campaign_id == campaign.id)).all()
        before = {names[q.township_id]: q.quota for q in quotas}
        after = _data(row).quotas
        if set(after) != set(before):
            raise ScenarioRefused("方案中的乡镇与本县乡镇不一致，不能应用")
        for quota in quotas:
            quota.quota = after[names[quota.township_id]]
            session.add(quota)
        entry = record(
            session,
            user=user.strip(),
            action="scenario_applied",
            county=code,
            target=f"方案“{name}”",
            before=before,
            after=after,
        )
        session.commit()
        session.refresh(entry)
        return entry


def quota_changes(engine: Engine, code: str) -> list[AuditLog]:
    """Every scenario applied to the official quotas, newest first."""
    return entries(engine, county=code, action="scenario_applied")
