"""The database: seeding is idempotent, a campaign round-trips exactly (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from dashboard.db import DatabaseSetupError, OldSchema, checked_url, make_engine
from dashboard.figures import group_coverage
from dashboard.simulate import simulate_groups
from dashboard.store import list_counties, load_campaign, seed_samples
from data_models.tables import County, GroupProgress, ProgressReport, Quota, Township

from databases import backends, postgres_server_url, throwaway_postgres


def _empty_databases(request, folder) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'fresh.sqlite3'}")
        yield engine
        engine.dispose()
    else:
        for url in throwaway_postgres(postgres_server_url()):
            engine = make_engine(url)
            yield engine
            engine.dispose()


@pytest.fixture(params=backends())
def fresh_engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database."""
    yield from _empty_databases(request, tmp_path)


@pytest.fixture(scope="module", params=backends())
def seeded_fresh(request, tmp_path_factory) -> Iterator[Engine]:
    """A database seeded once for this module's readers (seeding takes seconds)."""
    for engine in _empty_databases(request, tmp_path_factory.mktemp("fresh")):
        seed_samples(engine)
        yield engine


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in (County, Township, Quota, ProgressReport, GroupProgress)
        }


def test_seeding_twice_changes_nothing(fresh_engine: Engine) -> None:
    assert seed_samples(fresh_engine) == ["dongming", "neixiang", "zhashui"]
    before = counts(fresh_engine)
    assert before == {
        "County": 3,
        "Township": 39,
        "Quota": 39,
        "ProgressReport": 999 + 1248 + 1708,
        "GroupProgress": 5994,
    }
    assert seed_samples(fresh_engine) == []
    assert counts(fresh_engine) == before
    assert [c.name for c in list_counties(fresh_engine)] == ["东明县", "内乡县", "柞水县"]


@pytest.mark.parametrize("code", ["zhashui", "neixiang", "dongming"])
def test_campaign_round_trips_exactly(seeded_fresh: Engine, samples, code: str) -> None:
    stored = load_campaign(seeded_fresh, code)
    original = samples[code]
    pd.testing.assert_frame_equal(stored.quotas, original.quotas, check_dtype=False)
    key = ["date", "township", "village"]
    pd.testing.assert_frame_equal(
        stored.progress.sort_values(key).reset_index(drop=True),
        original.progress.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    # Groups are counted from the simulated rosters and payments: the same figures as the
    # simulated group reports (Zhashui's after its printed counts, the others' of simulated
    # sizes), on every day.
    if original.group_quotas.empty:
        group_quotas, group_progress = simulate_groups(original.policy, original.quotas)
        original = replace(
            original,
            group_quotas=group_quotas,
            group_progress=group_progress.assign(simulated=True),
        )
    campaign = original.policy.campaign
    for day in (campaign.start, campaign.start + timedelta(30), campaign.end):
        pd.testing.assert_frame_equal(group_coverage(stored, day), group_coverage(original, day))
    assert isinstance(stored.progress["date"].iloc[0], date)
    assert stored.latest_date == original.policy.campaign.end


def test_unknown_county(seeded_fresh: Engine) -> None:
    with pytest.raises(KeyError):
        load_campaign(seeded_fresh, "zhashui-not")


def test_pages_read_while_an_import_is_writing_to_the_sqlite_file(
    seeded_template, tmp_path
) -> None:
    """WAL: a reader sees the last committed figures at once, even while a writer holds the
    file (an import's last seconds); in SQLite's default journal it waited for the commit."""
    path = tmp_path / "busy.sqlite3"
    path.write_bytes(seeded_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as first:
        assert first.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert first.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    before = load_campaign(engine, "neixiang")
    writer = engine.raw_connection()
    writer.driver_connection.execute("BEGIN EXCLUSIVE")  # type: ignore[union-attr]
    writer.driver_connection.execute("DELETE FROM progressreport")  # type: ignore[union-attr]
    # another connection of the pool (in the default journal: 10 s busy, then an error)
    assert load_campaign(engine, "neixiang").progress.equals(before.progress)
    writer.rollback()
    writer.close()
    engine.dispose()


@pytest.mark.parametrize(
    "url, used",
    [
        ("sqlite:///var/x.sqlite3", "sqlite:///var/x.sqlite3"),
        ("postgresql+psycopg://u:p@db:5432/medins", "postgresql+psycopg://u:p@db:5432/medins"),
        ("postgresql://u:p@db/medins", "postgresql+psycopg://u:p@db/medins"),
        ("postgres://u:p@db/medins", "postgresql+psycopg://u:p@db/medins"),
    ],
)
def test_a_postgresql_url_without_a_driver_takes_the_one_installed(url: str, used: str) -> None:
    assert checked_url(url) == used


def test_an_old_database_and_an_unknown_one_are_both_set_up_errors() -> None:
    assert issubclass(OldSchema, DatabaseSetupError)
    with pytest.raises(DatabaseSetupError, match="不支持的数据库 oracle"):
        checked_url("oracle://u:p@db/medins")
