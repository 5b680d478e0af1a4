"""Backups of the embedded SQLite database, taken while the app runs.

SQLite's online backup copies the file page by page from a consistent state, so that an
import running at the same moment is in the copy wholly or not at all (copying the file with
`cp` during a write can give a broken one). The copy is written beside the target, checked
(PRAGMA quick_check) and only then given the target's name. A PostgreSQL database is backed
up with the server's own pg_dump (README, 备份与恢复).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from dashboard.files import os_reason

PAGES_PER_STEP = 4096  # 16 MiB of 4 KiB pages between progress reports (and writers' turns)
COUNTED = {  # what the summary line counts, by table: what, and its measure word
    "county": ("县", "个"),
    "campaign": ("征缴年度", "个"),
    "importrecord": ("导入记录", "条"),
    "payment": ("缴费明细", "行"),
    "rostermember": ("资助名单", "人"),
    "auditlog": ("审计日志", "条"),
}


class BackupRefused(Exception):
    """The backup was not taken; the message says why, in Chinese."""


@dataclass(frozen=True)
class BackupSummary:
    """What the backup holds: its size and the rows of the main tables (COUNTED)."""

    path: Path
    size: int
    rows: dict[str, int]

    def line(self) -> str:
        """'已备份到 x.sqlite3（1,234,567 字节）：县3个、征缴年度4个、…'."""
        counted = "、".join(f"{COUNTED[t][0]}{n:,}{COUNTED[t][1]}" for t, n in self.rows.items())
        return f"已备份到 {self.path}（{self.size:,} 字节）：{counted}"


def backup(
    engine: Engine, target: Path, *, progress: Callable[[float], None] | None = None
) -> BackupSummary:
    """Copy the SQLite database of ``engine`` to ``target`` (a new file), checked.

    BackupRefused for another database, an existing target or a copy that fails its check
    (nothing is left at ``target`` then)."""
    if engine.dialect.name != "sqlite":
        raise BackupRefused(
            "PostgreSQL 数据库请用服务器自带的 pg_dump 备份（见 README“备份与恢复”），"
            "例如：pg_dump --format=custom --file=备份文件 数据库名"
        )
    source = Path(engine.url.database or "")
    if not engine.url.database or engine.url.database == ":memory:" or not source.is_file():
        raise BackupRefused(f"没有可备份的数据库文件：{engine.url.database or '（内存数据库）'}")
    if target.exists():
        raise BackupRefused(f"{target} 已存在：请换一个文件名（备份不覆盖已有文件）")
    partial = target.with_name(target.name + ".part")
    try:
        _copy(engine, partial, progress)
        rows = _check(partial)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupRefused(f"备份失败：{exc}") from exc
    except OSError as exc:
        raise BackupRefused(f"无法写入 {target}：{os_reason(exc)}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(target, target.stat().st_size, rows)


def _copy(engine: Engine, partial: Path, progress: Callable[[float], None] | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None and total:
            progress(1 - remaining / total)

    source = engine.raw_connection()
    try:
        destination = sqlite3.connect(partial)
        try:
            source.driver_connection.backup(  # type: ignore[union-attr]
                destination, pages=PAGES_PER_STEP, progress=step
            )
            destination.execute("PRAGMA journal_mode=DELETE")  # one file, whole, to keep
        finally:
            destination.close()
    finally:
        source.close()


def _check(path: Path) -> dict[str, int]:
    """The copy's rows of COUNTED; sqlite3.Error when SQLite finds it damaged."""
    copy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"副本检查未通过（{verdict}）")
        return {t: copy.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}  # noqa: S608
    finally:
        copy.close()
