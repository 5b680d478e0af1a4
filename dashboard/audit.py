"""The audit log: every change of official data, written in the same transaction as the change."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from dashboard import formatting as fmt
from dashboard.clock import day_start, local_time
from data_models.tables import LONG_TEXT, AuditLog

ACTION_LABELS = {
    "import": "导入数据",
    "undo_import": "撤销导入",
    "scenario_applied": "应用方案为正式任务数",
    "scenario_undone": "撤销应用方案",
    "user_created": "新建用户",
    "user_changed": "修改用户",
    "password_reset": "重置密码",
    "password_changed": "修改本人密码",
    "campaign_opened": "建立征缴年度",
    "policy_amended": "修改本年度政策",
    "counts_verified": "核定最终参保人数",
    "verification_withdrawn": "撤销核定参保人数",
    "bulletin_text_saved": "保存通报文字",
    "talk_recorded": "记录约谈",
    "village_quotas_saved": "修改村任务数",
}


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


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
        target=target[:LONG_TEXT],  # a file's name in it can be as long as the column
        before=_json(before),
        after=_json(after),
    )
    session.add(row)
    return row


def data_version(engine: Engine) -> tuple[int, int]:
    """A stamp that changes whenever official data changes, whichever process changed it: the
    audit log's row count and newest id (every change writes a row in its own transaction, and
    none is ever deleted; the count catches a transaction that commits after a later id)."""
    with Session(engine) as session:
        found = session.exec(select(func.count(), func.max(AuditLog.id))).one()
    return int(found[0]), int(found[1] or 0)


def entries(
    engine: Engine,
    *,
    county: str | None = None,
    action: str | None = None,
    user: str | None = None,
    days: tuple[date, date] | None = None,
) -> list[AuditLog]:
    """Audit rows, newest first, optionally of one county, one action, one operator and the
    days from the first to the last of ``days`` (Beijing dates, both included)."""
    statement = select(AuditLog).order_by(col(AuditLog.id).desc())
    if county is not None:
        statement = statement.where(AuditLog.county_code == county)
    if action is not None:
        statement = statement.where(AuditLog.action == action)
    if user is not None:
        statement = statement.where(AuditLog.username == user)
    if days is not None:
        first, last = (day_start(d) for d in (days[0], days[1] + timedelta(days=1)))
        statement = statement.where(col(AuditLog.at) >= first, col(AuditLog.at) < last)
    with Session(engine) as session:
        return list(session.exec(statement).all())


def operators(engine: Engine) -> list[str]:
    """Everyone the log names as having made a change, in the order of their names."""
    with Session(engine) as session:
        return sorted(session.exec(select(AuditLog.username).distinct()).all())


COUNTY_KEY = "县"


def readable(value: object, county_names: Mapping[str, str] | None = None) -> str:
    """A stored before/after value as a person reads it: ``键：值；…``, counts with thousands
    separators, 是/否 for flags, — for nothing, county codes as county names."""
    names = county_names or {}
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Mapping):
        return "；".join(
            f"{key}：{_readable_item(key, item, names)}" for key, item in value.items()
        )
    if isinstance(value, list):
        return "、".join(readable(item, names) for item in value)
    return str(value)


def _readable_item(key: str, value: object, names: Mapping[str, str]) -> str:
    if key == COUNTY_KEY and isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, Mapping):
        return "、".join(f"{k} {readable(v, names)}" for k, v in value.items())
    return readable(value, names)


def changes(before: object, after: object, county_names: Mapping[str, str] | None = None) -> str:
    """What an entry changed, in one line: for two records, only the fields that differ
    (``角色：县领导 → 乡镇（街道）``; for a table of counts, only the rows that moved,
    ``任务数：湍东镇 12,000 → 11,500``), and a field only one side has as it is (the rows an
    import wrote); otherwise the new value."""
    names = county_names or {}
    if not (isinstance(before, Mapping) and isinstance(after, Mapping)):
        return readable(after if after is not None else before, names)
    parts = []
    for key in _keys(before, after):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            moved = [
                f"{k} {readable(old.get(k), names)} → {readable(new.get(k), names)}"
                for k in _keys(old, new)
                if old.get(k) != new.get(k)
            ]
            parts.append(f"{key}：{'、'.join(moved)}")
        elif key not in before or key not in after:  # context, e.g. the rows an import wrote
            shown = new if key in after else old
            parts.append(f"{key}：{_readable_item(key, shown, names)}")
        else:
            parts.append(
                f"{key}：{_readable_item(key, old, names)} → {_readable_item(key, new, names)}"
            )
    return "；".join(parts) or "（无变化）"


def _keys(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The keys of both, in the order they were recorded (before's first)."""
    return [*before, *(key for key in after if key not in before)]


def _loaded(stored: str | None) -> object:
    return None if stored is None else json.loads(stored)


def audit_view(rows: list[AuditLog], county_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The log as the 审计日志 page shows it: Beijing time, county names, what changed in one
    line, and the whole before and after in words (the JSON stays in the database)."""
    names = county_names or {}
    return pd.DataFrame(
        [
            {
                "编号": r.id,
                "时间": local_time(r.at),
                "操作人": r.username,
                "操作": ACTION_LABELS.get(r.action, r.action),
                "县": fmt.county(r.county_code, names, none="—"),
                "对象": r.target,
                "变更": changes(_loaded(r.before), _loaded(r.after), names),
                "修改前": readable(_loaded(r.before), names),
                "修改后": readable(_loaded(r.after), names),
            }
            for r in rows
        ],
        columns=["编号", "时间", "操作人", "操作", "县", "对象", "变更", "修改前", "修改后"],
    )
