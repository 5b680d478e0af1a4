"""Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from dashboard.db import OldSchema, make_engine, migrate

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
