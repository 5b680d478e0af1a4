"""The database: which one (DATABASE_URL, or an SQLite file), the engine, and first-start set-up."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import SQLModel, create_engine

import data_models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE = PROJECT_DIR / "var" / "dashboard.sqlite3"


def database_url() -> str:
    """``DATABASE_URL`` when set (e.g. postgresql+psycopg://user@host/db), else the SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL; an SQLite file's folder is created, foreign keys are enforced."""
    url = url or database_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_schema(engine: Engine) -> None:
    """Create any missing table (existing tables and rows are left alone)."""
    SQLModel.metadata.create_all(engine)
