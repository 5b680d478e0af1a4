"""A stored person placed in another township or village by a later list.

The tax system's export from the campaign's start, taken again each week, lists the payments
stored from the week before again; where it now places one in another township or village (the
payer's registration corrected, a village merged into another), the later list is taken at its
word: the stored payment moves there, and the person counts as enrolled in the new township
from the payment's day. A roster member listed again in the same group elsewhere moves alike.
A row without a village (a list without the column) changes the village only with the
township. Each move is recorded (PlaceChange) and set back when its import is undone; the
import that stored the row, or moved it before, is undone only after it, and so is one that
struck off a member it moved (struck.py puts a member back under its own id, for its moves to
find). Simulated rows never move: a real list says nothing of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import delete, text
from sqlmodel import Session, col

from dashboard.bulk import bulk_insert
from dashboard.formatting import count
from dashboard.glossary import GROUP, ID_NUMBER, TOWNSHIP, VILLAGE
from dashboard.lookup import stored_columns, stored_rows
from data_models.tables import PAYMENT_STANDS, Payment, PlaceChange, RosterMember

# the tables of the rows an import of each kind moves
TABLES: dict[str, type[Payment] | type[RosterMember]] = {
    "payments": Payment,
    "roster": RosterMember,
}
MOVES = ["row_id", "township_before", "village_before", "township_after", "village_after"]
SHOWN = 5  # pairs of townships named in a note


def listed_places(rows: pd.DataFrame, ids: dict[str, int]) -> dict[str, pa.Array]:
    """Each row's place: its township's id (``ids``), and its village (empty where it gives
    none)."""
    names = pa.array(list(ids), pa.string())
    at = pc.index_in(pa.array(rows[TOWNSHIP], pa.string()), value_set=names)
    return {
        "township": pc.take(pa.array(list(ids.values()), pa.int64()), at),
        "place": pa.array(rows[VILLAGE].fillna(""), pa.string()),
    }


def changed_payments(both: pa.Table) -> pd.DataFrame:
    """The stored payments that a list's rows, joined with them by repeats.against_stored
    (with their listed_places, and the stored township_id and village), list again in another
    place: MOVES, with the person's ID number for the row id."""
    return _moves(both.filter(pc.invert(both["other"])), ID_NUMBER)


def with_row_ids(session: Session, campaign_id: int, moves: pd.DataFrame) -> pd.DataFrame:
    """Payment moves (changed_payments) with the row id of each person's payment that stands."""
    if moves.empty:
        return moves.rename(columns={ID_NUMBER: "row_id"})
    found = stored_rows(
        session, Payment, campaign_id, moves[ID_NUMBER], Payment.id, where=PAYMENT_STANDS
    )
    row_ids = dict(found)
    return moves.assign(**{ID_NUMBER: moves[ID_NUMBER].map(row_ids)}).rename(
        columns={ID_NUMBER: "row_id"}
    )


def members_against_stored(
    session: Session, campaign_id: int, rows: pd.DataFrame, ids: dict[str, int]
) -> tuple[pd.Series, pd.DataFrame, list[int | None]]:
    """Which roster rows are listed already (the same person in the same group), the stored
    members among those (not simulated) that the rows place elsewhere (MOVES), and the import
    that listed each member listed again (None: simulated): one read of the stored members."""
    stored = stored_columns(
        session,
        RosterMember,
        campaign_id,
        rows[ID_NUMBER],
        {
            GROUP: (RosterMember.group_code, pa.string()),
            "row_id": (RosterMember.id, pa.int64()),
            "township_id": (RosterMember.township_id, pa.int64()),
            "village": (RosterMember.village, pa.string()),
            "simulated": (RosterMember.simulated, pa.bool_()),
            "import_id": (RosterMember.import_id, pa.int64()),
        },
    )
    listed = pa.table(
        {
            ID_NUMBER: pa.array(rows[ID_NUMBER], pa.string()),
            GROUP: pa.array(rows[GROUP], pa.string()),
            "at": pa.array(np.arange(len(rows), dtype=np.int64)),
            **listed_places(rows, ids),
        }
    )
    both = listed.join(stored, [ID_NUMBER, GROUP], join_type="inner")
    known = np.zeros(len(rows), dtype=bool)
    known[both["at"].to_numpy()] = True
    moves = _moves(both.filter(pc.invert(both["simulated"])), "row_id")
    return pd.Series(known, index=rows.index), moves, both["import_id"].to_pylist()


def _moves(both: pa.Table, key: str) -> pd.DataFrame:
    """Of rows joined with the stored rows they list again (``key`` names each stored row), the
    stored rows to move: another township, or another village where the row gives one (MOVES,
    with ``key`` for row_id). A stored row listed twice moves where the first row says."""
    township = pc.not_equal(both["township"], both["township_id"])
    village = pc.and_(pc.not_equal(both["place"], ""), pc.not_equal(both["place"], both["village"]))
    moved = both.filter(pc.or_(township, village)).sort_by("at")
    frame = pd.DataFrame(
        {
            key: moved[key].to_pylist(),
            "township_before": moved["township_id"].to_numpy(),
            "village_before": moved["village"].to_pylist(),
            "township_after": moved["township"].to_numpy(),
            # a row without a village, in another township: the old village is not the new one's
            "village_after": moved["place"].to_pylist(),
        },
        columns=[key, *MOVES[1:]],
    )
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)


def moves_note(moves: pd.DataFrame, ids: dict[str, int]) -> str | None:
    """What moving ``moves`` will do, for the check of the list: how many, between which
    townships (the most frequent SHOWN), and how many only to another village."""
    if moves.empty:
        return None
    names = {number: name for name, number in ids.items()}
    other = moves[moves["township_before"] != moves["township_after"]]
    pairs = other.groupby(["township_before", "township_after"]).size()
    pairs = pairs.sort_values(ascending=False, kind="stable")
    shown = [f"{names[a]}→{names[b]}{count(int(n))}行" for (a, b), n in pairs[:SHOWN].items()]
    said = "、".join(shown) + ("等" if len(pairs) > SHOWN else "")
    villages = len(moves) - len(other)
    parts = [p for p in (said, f"{count(villages)}行只是村不同" if villages else "") if p]
    return (
        f"{count(len(moves))}行是之前导入过的人员，本文件所列的乡镇或村与之前不同："
        f"导入后改按本文件计入（{'；'.join(parts)}；撤销本次导入可恢复）"
    )


# A place set from an import's records: the rows it moved get their place "after" it (the move)
# or "before" it (its undo). UPDATE … FROM (PostgreSQL, SQLite 3.33+): with a subquery per
# column, 200 000 rows took 1.2 s on SQLite.
_SET_PLACE = """
    UPDATE {table} SET township_id = c.township_{side}, village = c.village_{side}
    FROM placechange c WHERE c.import_id = :import AND c.row_id = {table}.id
    """


def move(session: Session, campaign_id: int, import_id: int, kind: str, moves: pd.DataFrame) -> int:
    """Move the stored rows ``moves`` names (MOVES) by ``import_id`` of ``kind``, recorded,
    inside the caller's transaction; how many moved."""
    if moves.empty:
        return 0
    frame = moves.assign(campaign_id=campaign_id, import_id=import_id, kind=kind)
    bulk_insert(session, PlaceChange, frame)
    _set_place(session, import_id, kind, "after")
    return len(moves)


def restore_places(session: Session, import_id: int, kind: str) -> None:
    """Set back the rows an import moved (its undo)."""
    if kind in TABLES:
        _set_place(session, import_id, kind, "before")
    session.execute(delete(PlaceChange).where(col(PlaceChange.import_id) == import_id))


def _set_place(session: Session, import_id: int, kind: str, side: str) -> None:
    table = TABLES[kind].__tablename__
    session.execute(text(_SET_PLACE.format(table=table, side=side)), {"import": import_id})


# The later imports that moved rows ``:this`` stored, or moved again rows it moved
_MOVING = """
    SELECT DISTINCT c.import_id FROM placechange c
    WHERE c.import_id > :this AND (
        c.row_id IN (SELECT e.row_id FROM placechange e
                     WHERE e.import_id = :this AND e.kind = c.kind)
        OR (c.kind = 'payments' AND c.row_id IN (SELECT id FROM payment WHERE import_id = :this))
        OR (c.kind = 'roster'
            AND c.row_id IN (SELECT id FROM rostermember WHERE import_id = :this))
    )
    """


def imports_moving(session: Session, import_id: int) -> list[int]:
    """The imports that moved rows ``import_id`` stored, or moved again rows it moved: undone
    first, or its undo would leave them set back by a list no longer imported."""
    return _imports(session, _MOVING, import_id)


# The later imports that struck off roster members ``:this`` moved (struck.py)
_STRIKING_MOVED = """
    SELECT DISTINCT s.import_id FROM struckmember s
    WHERE s.import_id > :this AND s.member_id IN (
        SELECT row_id FROM placechange WHERE import_id = :this AND kind = 'roster'
    )
    """


def imports_striking_moved(session: Session, import_id: int) -> list[int]:
    """The imports that struck off roster members ``import_id`` moved: undone first, for the
    members to be back where it found them to be set back."""
    return _imports(session, _STRIKING_MOVED, import_id)


def _imports(session: Session, query: str, import_id: int) -> list[int]:
    found = session.connection().execute(text(query), {"this": import_id})
    return sorted(int(i) for (i,) in found)
