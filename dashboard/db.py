"""The database: which one (DATABASE_URL, or an SQLite file), the engine, and first-start set-up."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event, inspect, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import create_engine

import data_models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE = PROJECT_DIR / "var" / "dashboard.sqlite3"


def database_url() -> str:
    """``DATABASE_URL`` when set (e.g. postgresql+psycopg://user@host/db), else the SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


class DatabaseSetupError(Exception):
    """The database cannot be used as it is set up; the message says why and what to do."""


class OldSchema(DatabaseSetupError):
    """The database was made by a version before migrations; the message says what to do."""


# The databases this project runs on, by the URL's scheme, and the driver it installs for each
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
URL_FORM = "sqlite:///文件路径 或 postgresql+psycopg://用户:密码@主机:端口/库名"


def checked_url(url: str) -> str:
    """``url`` if it names a database this project runs on; a PostgreSQL URL without a driver
    (postgresql://, postgres://) takes the one installed, psycopg. DatabaseSetupError
    otherwise, whose message never repeats the URL (it may hold a password)."""
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            url = "postgresql+psycopg://" + url.removeprefix(bare)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseSetupError(f"无法解析 DATABASE_URL（应为 {URL_FORM}）") from None
    backend = parsed.get_backend_name()
    if DRIVERS.get(backend) != parsed.get_driver_name():
        raise DatabaseSetupError(
            f"不支持的数据库 {parsed.drivername}：DATABASE_URL 应为 {URL_FORM}"
        )
    return url


def make_engine(url: str | None = None, **options: Any) -> Engine:
    """An engine for the URL; an SQLite file's folder is created, foreign keys are enforced.
    A database error never carries the statement's values (ID numbers, names) into its message,
    and so into a log or onto a page."""
    url = checked_url(url or database_url())
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Readers never wait for a writer (nor a writer for readers): a clerk's import of a
    # county's payment list, whose writing took seven seconds, held every page that long in
    # SQLite's default journal. The mode is kept in the file; set once, it is only read back.
    with contextlib.suppress(sqlite3.OperationalError):  # another process switching it: next time
        cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL, NORMAL syncs at checkpoints, not at every commit: the file is never damaged, and
    # a power cut can only take back the last imports whole (713 138 rows: 16 s, not 19 s).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A bigger page cache and memory-mapped reads: a county's roster and aggregates stay hot
    # across reruns instead of being re-read from the file (the default cache is 2 MiB).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (rows are kept). A database whose
    tables predate migrations is refused with a message rather than half-upgraded."""
    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if "county" in tables and "alembic_version" not in tables:
            raise OldSchema(
                "数据库由旧版本创建，没有迁移记录；请备份后删除（SQLite：var/dashboard.sqlite3）再启动"
            )
        command.upgrade(alembic_config(connection), "head")


def alembic_config(connection: Connection) -> Config:
    """The project's Alembic configuration, run on ``connection`` (in its transaction)."""
    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    config.attributes["connection"] = connection
    return config
