"""Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from dashboard.db import OldSchema, alembic_config, make_engine, migrate
from dashboard.scenarios import last_application, undo_application
from dashboard.store import load_campaign

from databases import backends, postgres_server_url, throwaway_postgres


@pytest.fixture(params=backends())
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.sqlite3'}"
    else:
        yield from throwaway_postgres(postgres_server_url())


def test_upgrade_head_matches_the_models(empty_url) -> None:
    engine = make_engine(empty_url)
    migrate(engine)
    migrate(engine)  # a second time is a no-op
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert differences == []
    assert {
        "county",
        "payment",
        "rostermember",
        "importrecord",
        "auditlog",
        "user",
        "alembic_version",
    } <= tables


def test_a_database_from_before_migrations_is_refused(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    SQLModel.metadata.create_all(engine)
    with pytest.raises(OldSchema, match="没有迁移记录"):
        migrate(engine)
    engine.dispose()


def test_the_append_only_triggers_are_undone_and_redone(empty_url) -> None:
    """Migration 0020's downgrade drops the audit log's triggers (a row can then be deleted),
    and upgrading again puts them back."""
    engine = make_engine(empty_url)
    migrate(engine)
    add = "INSERT INTO auditlog (at, username, action, county_code, target) "
    add += "VALUES ('2026-12-05 10:00:00', 'admin', 'import', '', '')"
    with engine.begin() as connection:
        connection.execute(text(add))
        config = alembic_config(connection)
        command.downgrade(config, "0019")
        connection.execute(text("DELETE FROM auditlog"))
        command.upgrade(config, "head")
        connection.execute(text(add))
    with pytest.raises(DBAPIError, match="审计日志只能追加"), engine.begin() as connection:
        connection.execute(text("DELETE FROM auditlog"))
    engine.dispose()


def test_applications_already_in_the_audit_log_are_carried_over(scratch) -> None:
    """Migration 0021 copies the scenarios applied before it into its table, when the county
    opened no campaign since (then the application is the latest campaign's): undoing one puts
    back the quotas it replaced."""
    quotas = load_campaign(scratch, "neixiang").quota_by_township
    add = (
        "INSERT INTO auditlog (at, username, action, county_code, target, before, after) "
        "VALUES (:at, 'admin', :action, :county, :target, :before, :after)"
    )
    applied = {
        "action": "scenario_applied",
        "target": "方案“湍东调减”",
        "before": json.dumps(quotas, ensure_ascii=False),
        "after": json.dumps(quotas | {"湍东镇": 60010}, ensure_ascii=False),
    }
    with scratch.begin() as connection:
        command.downgrade(alembic_config(connection), "0020")
        later = datetime.now(UTC) + timedelta(hours=1)
        connection.execute(text(add), applied | {"at": later, "county": "neixiang"})
        connection.execute(text(add), applied | {"at": later, "county": "zhashui"})
        connection.execute(
            text(add),
            applied
            | {"at": later + timedelta(minutes=1), "county": "zhashui"}
            | {"action": "campaign_opened", "before": None},
        )
        connection.execute(
            text(
                "UPDATE quota SET quota = 60010 WHERE township_id = (SELECT id FROM township"
                " WHERE name = '湍东镇')"
            )
        )
        command.upgrade(alembic_config(connection), "head")
    carried = last_application(scratch, "neixiang")
    assert carried is not None and (carried.scenario, carried.applied_by) == ("湍东调减", "admin")
    assert last_application(scratch, "zhashui") is None, "a campaign was opened after it"
    undo_application(scratch, "neixiang", user="admin")
    assert load_campaign(scratch, "neixiang").quota_by_township["湍东镇"] == 62010
