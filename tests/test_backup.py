"""Backing up the SQLite database while the app may be writing to it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.backup import COUNTED, BackupRefused, backup
from dashboard.cli import run
from dashboard.db import make_engine
from dashboard.figures import settlement
from dashboard.store import load_campaign


@pytest.fixture
def database(seeded_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "dashboard.sqlite3"
    shutil.copyfile(seeded_template, path)
    return path


def counts(path: Path, *tables: str) -> list[int]:
    with sqlite3.connect(path) as db:
        return [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]  # noqa: S608


def test_the_copy_holds_what_was_committed_and_reads_the_same(database, tmp_path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    writer = sqlite3.connect(database)  # an import half-way, in another connection
    writer.execute("BEGIN")
    writer.execute("DELETE FROM progressreport")
    fractions: list[float] = []
    summary = backup(engine, tmp_path / "copy.sqlite3", progress=fractions.append)
    writer.rollback()
    writer.close()

    assert summary.path.is_file() and summary.size == summary.path.stat().st_size
    tables = ("county", "campaign", "progressreport", "payment")
    assert counts(summary.path, *tables) == counts(database, *tables)
    assert counts(database, "progressreport") != [0]
    assert summary.rows == dict(zip(COUNTED, counts(database, *COUNTED), strict=True))
    assert summary.rows["payment"] == 128_205  # Zhashui's simulated payment list
    assert summary.line() == (
        f"已备份到 {summary.path}（{summary.size:,} 字节）：县3个、征缴年度3个、导入记录0条、"
        "缴费明细128,205行、资助名单128,658人、审计日志6条"
    )
    assert fractions[-1] == 1.0
    restored = make_engine(f"sqlite:///{summary.path}")
    for code in ("zhashui", "neixiang", "dongming"):
        original, copy = load_campaign(engine, code), load_campaign(restored, code)
        assert (
            settlement(copy, copy.latest_date)[0] == settlement(original, original.latest_date)[0]
        )
    assert not list(tmp_path.glob("*.part"))


def test_an_existing_file_is_never_overwritten(database, tmp_path) -> None:
    kept = tmp_path / "last_week.sqlite3"
    kept.write_bytes(b"last week's backup")
    with pytest.raises(BackupRefused) as refused:
        backup(make_engine(f"sqlite:///{database}"), kept)
    assert str(refused.value) == f"{kept} 已存在：请换一个文件名（备份不覆盖已有文件）"
    assert kept.read_bytes() == b"last week's backup"


def test_no_database_file_and_postgresql_are_refused(tmp_path) -> None:
    missing = tmp_path / "none.sqlite3"
    with pytest.raises(BackupRefused) as refused:
        backup(make_engine(f"sqlite:///{missing}"), tmp_path / "copy.sqlite3")
    assert str(refused.value) == f"没有可备份的数据库文件：{missing}"
    assert not missing.exists(), "looking for the database does not create it"
    server = make_engine("postgresql+psycopg://dashboard@127.0.0.1:5432/dashboard")
    with pytest.raises(BackupRefused) as refused:
        backup(server, tmp_path / "copy.sqlite3")
    assert "pg_dump --format=custom" in str(refused.value)
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_damaged_copy_is_not_kept(database, tmp_path, monkeypatch) -> None:
    def damaged(path: Path) -> dict[str, int]:
        raise sqlite3.DatabaseError("副本检查未通过（*** in database main ***）")

    monkeypatch.setattr("dashboard.backup._check", damaged)
    target = tmp_path / "copy.sqlite3"
    with pytest.raises(BackupRefused) as refused:
        backup(make_engine(f"sqlite:///{database}"), target)
    assert str(refused.value) == "备份失败：副本检查未通过（*** in database main ***）"
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_the_command_line(database, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    target = tmp_path / "备份" / "2026-12-03.sqlite3"
    target.parent.mkdir()
    assert run(["backup", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"已备份到 {target}（") and "县3个" in out
    assert err.endswith("正在备份… 100%\n")
    assert run(["backup", str(target)]) == 2
    assert (
        capsys.readouterr().err == f"错误：{target} 已存在：请换一个文件名（备份不覆盖已有文件）\n"
    )
    with make_engine(f"sqlite:///{target}").connect() as copy:
        assert copy.execute(text("SELECT count(*) FROM township")).scalar() == 39


def test_the_copy_is_one_file_whatever_the_journal_of_the_database(database, tmp_path) -> None:
    summary = backup(make_engine(f"sqlite:///{database}"), tmp_path / "copy.sqlite3")
    with sqlite3.connect(summary.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == [
        "copy.sqlite3"
    ]
