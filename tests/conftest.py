"""Shared fixtures: a throwaway database built from sample_data/, and the sample campaigns."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from dashboard import incidents
from dashboard.campaign import CampaignData
from dashboard.db import make_engine
from dashboard.samples import load_sample
from dashboard.store import seed_samples

from databases import backends, postgres_server_url, throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]

# Property tests check values, never time: hypothesis' default 200 ms deadline per example
# failed once on this 2-core machine while the rest of the suite ran beside it.
settings.register_profile("values_only", deadline=None)
settings.load_profile("values_only")


@pytest.fixture(autouse=True)
def page_defects_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """A defect in a page fails the test that meets it: the app shows it to the user as a
    Chinese message with a reference (dashboard.incidents), which AppTest does not count
    among a run's exceptions. tests/test_incidents.py turns the switch off."""
    monkeypatch.setenv(incidents.RAISE_SWITCH, "raise")


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


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the samples loaded once; tests that write copy it."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    seed_samples(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A PostgreSQL database seeded once, to copy per test (None without a server)."""
    server = postgres_server_url()
    if server is None:
        yield None
        return
    for url in throwaway_postgres(server):
        engine = make_engine(url)
        seed_samples(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=backends())
def scratch_url(request, seeded_template: Path, tmp_path: Path) -> Iterator[str]:
    """A private copy of the seeded database (SQLite file, or a PostgreSQL database made from
    a seeded template), for a test that imports or undoes."""
    if request.param == "sqlite":
        target = tmp_path / "scratch.sqlite3"
        shutil.copyfile(seeded_template, target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("pg_template")
    yield from throwaway_postgres(postgres_server_url(), template=make_url(template).database)


@pytest.fixture
def scratch(scratch_url: str) -> Iterator[Engine]:
    engine = make_engine(scratch_url)
    yield engine
    engine.dispose()
