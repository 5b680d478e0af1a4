"""Throwaway test databases on a PostgreSQL server."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError


def postgres_server_url() -> str | None:
    """A PostgreSQL server to make throwaway databases on: TEST_POSTGRES_URL, or DATABASE_URL
    when it names PostgreSQL. None when neither is set."""
    for name in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgresql"):
            return url
    return None


def throwaway_postgres(server_url: str, *, template: str | None = None) -> Iterator[str]:
    """Create a fresh database on the server (a copy of ``template`` when given), yield its
    URL, drop it afterwards."""
    name = f"dashboard_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    _retrying(admin, f'CREATE DATABASE "{name}"{copy}')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        _retrying(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _retrying(admin: Engine, statement: str, *, attempts: int = 20) -> None:
    """Run a CREATE or DROP DATABASE, waiting out the server's own short visits: an autovacuum
    worker in the template or the database (a role that is not a superuser may not end it:
    "must be a member of the role whose process is being terminated")."""
    for attempt in range(attempts):
        try:
            with admin.connect() as conn:
                conn.execute(text(statement))
            return
        except DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def backends() -> list:
    """pytest params: SQLite always, PostgreSQL when a server is configured (else skipped)."""
    import pytest

    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                postgres_server_url() is None,
                reason="no PostgreSQL server: set TEST_POSTGRES_URL (.ci/run starts one)",
            ),
        ),
    ]
