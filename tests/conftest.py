"""Shared fixtures: a throwaway database built from sample_data/, and the sample campaigns."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from dashboard.campaign import CampaignData
from dashboard.db import make_engine
from dashboard.samples import load_sample
from dashboard.store import seed_samples

ROOT = Path(__file__).resolve().parents[1]


def postgres_server_url() -> str | None:
    """A PostgreSQL server to make throwaway databases on: TEST_POSTGRES_URL, or DATABASE_URL
    when it names PostgreSQL. None when neither is set."""
    for name in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgresql"):
            return url
    return None


def throwaway_postgres(server_url: str) -> Iterator[str]:
    """Create a fresh database on the server, yield its URL, drop it afterwards."""
    name = f"dashboard_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test suite's database, seeded with the samples: PostgreSQL when DATABASE_URL names
    one (a throwaway database on that server), else an SQLite file in a temporary folder."""
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        yield from throwaway_postgres(server)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'dashboard.sqlite3'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    seed_samples(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def samples() -> dict[str, CampaignData]:
    return {code: load_sample(code) for code in ("zhashui", "neixiang", "dongming")}


@pytest.fixture
def app_env(database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app (AppTest or a CLI run) at the seeded test database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url
