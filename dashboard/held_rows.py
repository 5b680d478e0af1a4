"""Rows a file lists that an earlier import stored already (HeldRows).

A payment list, roster or progress report exported from the campaign's start and sent again
holds, besides its new rows, the rows an earlier import stored: nothing is written of them, so
they stay the earlier import's. Undoing that import would delete them, and the later file,
still imported, would have lost them without a word. Each import records, per earlier import,
how many of its rows that one holds; the earlier one is then undone only after it (undone, it
can be imported again, and then stores them itself).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import insert, select
from sqlmodel import Session, col

from data_models.tables import HeldRows


def held_counts(holders: pd.Series | list[int | None]) -> dict[int, int]:
    """How many rows each earlier import holds, from the import holding each row left out as
    stored already (None or NA: a simulated row, or none); counted in pandas, for a list of
    700 000 payments sent again."""
    found = pd.Series(holders, dtype="Int64").dropna().value_counts().sort_index()
    return {int(i): int(n) for i, n in found.items()}


def record_held(session: Session, import_id: int, held: dict[int, int]) -> None:
    """Record that ``import_id`` listed ``held`` rows of each earlier import (its own rows,
    listed twice in the one file, are not another import's)."""
    rows = [
        {"import_id": import_id, "earlier_import_id": earlier, "rows": n}
        for earlier, n in held.items()
        if earlier != import_id and n > 0
    ]
    if rows:
        session.execute(insert(HeldRows), rows)


def imports_holding(session: Session, import_id: int) -> list[int]:
    """The imports that listed rows ``import_id`` stored (their undo drops their HeldRows, so
    those found stand): undone first, or they would lose those rows."""
    query = select(col(HeldRows.import_id)).where(col(HeldRows.earlier_import_id) == import_id)
    return sorted(int(i) for (i,) in session.connection().execute(query))


def imports_named(numbers: tuple[int, ...], shown: int = 3) -> str:
    """'（第1号、第2号导入）'; more than ``shown``: '（第1号、第2号、第3号等5次导入）'; empty for
    none."""
    if not numbers:
        return ""
    named = "、".join(f"第{n}号" for n in numbers[:shown])
    return f"（{named}{f'等{len(numbers)}次' if len(numbers) > shown else ''}导入）"
