"""The audit log: every change of official data, written in the same transaction as the change."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from data_models.tables import AuditLog

ACTION_LABELS = {
    "import": "导入数据",
    "undo_import": "撤销导入",
    "scenario_applied": "应用方案为正式任务数",
    "user_created": "新建用户",
    "user_changed": "修改用户",
    "password_reset": "重置密码",
}


def _json(value: object) -> str | None:
    return (
        None
        if value is None
        else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    )


def record(
    session: Session,
    *,
    user: str,
    action: str,
    county: str = "",
    target: str = "",
    before: object = None,
    after: object = None,
) -> AuditLog:
    """Add an audit row to the session (committed with the change it describes).

    ``before`` and ``after`` are stored as JSON; never pass a password or an ID number.
    """
    row = AuditLog(
        at=datetime.now(UTC),
        username=user or "（未登录）",
        action=action,
        county_code=county,
        target=target,
        before=_json(before),
        after=_json(after),
    )
    session.add(row)
    return row


def entries(
    engine: Engine, *, county: str | None = None, action: str | None = None
) -> list[AuditLog]:
    """Audit rows, newest first, optionally for one county and one action."""
    statement = select(AuditLog).order_by(col(AuditLog.id).desc())
    if county is not None:
        statement = statement.where(AuditLog.county_code == county)
    if action is not None:
        statement = statement.where(AuditLog.action == action)
    with Session(engine) as session:
        return list(session.exec(statement).all())


def audit_view(rows: list[AuditLog]) -> pd.DataFrame:
    """The log as the 审计日志 page shows it (times in Beijing time)."""
    from dashboard.importing import local_time

    return pd.DataFrame(
        [
            {
                "编号": r.id,
                "时间": local_time(r.at),
                "操作人": r.username,
                "操作": ACTION_LABELS.get(r.action, r.action),
                "县": r.county_code,
                "对象": r.target,
                "修改前": r.before or "",
                "修改后": r.after or "",
            }
            for r in rows
        ],
        columns=["编号", "时间", "操作人", "操作", "县", "对象", "修改前", "修改后"],
    )
