"""Looking a file's ID numbers up among the rows a campaign has stored, at the cost of the
file's size rather than of what is stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, String, TextClause, and_, bindparam, literal_column, text, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, func, select

from dashboard.glossary import AMOUNT, ID_NUMBER, PAID_ON
from data_models.tables import Payment, RosterMember

CHUNK = 100_000  # stored rows made into a table at a time

# A file's ID numbers as one parameter of a lookup: an array on PostgreSQL (10 000 numbers in
# an IN list at a time took 3.2 s for 100 000, this 0.9 s), a JSON list on SQLite.
AMONG: dict[str, tuple[TextClause, Callable[[list[str]], object]]] = {
    "postgresql": (
        text("id_number = ANY(:numbers)").bindparams(bindparam("numbers", type_=ARRAY(String))),
        list,
    ),
    "sqlite": (text("id_number IN (SELECT value FROM json_each(:numbers))"), json.dumps),
}


def same_person(a: Any, b: Any) -> Any:
    """A join's condition: rows of two person-level tables (or aliases) of one person in one
    campaign."""
    return and_(col(a.campaign_id) == col(b.campaign_id), col(a.id_number) == col(b.id_number))


def campaign_frame(
    session: Session, model: Any, campaign_id: int, fields: dict[str, str], where: Any = None
) -> pd.DataFrame:
    """A few stored rows of a campaign (``where``) as a frame: ``fields`` maps each column
    of ``model``'s table to the frame's name for it."""
    table = model.__table__.c
    query = select(*(table[f] for f in fields)).where(
        table.campaign_id == campaign_id, true() if where is None else where
    )
    rows = session.connection().execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(fields.values()))


def stored_rows(
    session: Session,
    model: type[Payment] | type[RosterMember],
    campaign_id: int,
    numbers: pd.Series,
    *columns: Any,
    where: Any = None,
) -> list[tuple[Any, ...]]:
    """(ID number, *columns) of the campaign's stored rows whose ID number is among ``numbers``
    (and, where no more rows are stored than the file has, of all of them): the stored rows
    are read whole while they are fewer, and the file's numbers looked up through the unique
    index once they are more, so the cost follows the size of the file, not of what is stored
    (reading 713 000 stored numbers took 2.5 s before a file of 100 000). ``where`` narrows
    the rows (a payment that stands: its unique index is partial, so it must be said)."""
    result, rows = _stored(session, model, campaign_id, numbers, columns, where)
    with closing(result):
        return rows.fetchall()  # type: ignore[no-any-return]


def stored_columns(
    session: Session,
    model: type[Payment] | type[RosterMember],
    campaign_id: int,
    numbers: pd.Series,
    columns: dict[str, tuple[Any, pa.DataType]],
    where: Any = None,
) -> pa.Table:
    """The rows stored_rows reads, as a table: id_number, then ``columns`` (name: (column,
    type)). Made a chunk at a time: 700 000 stored payments as Python tuples of five values
    held 230 MiB more at once than the table does."""
    selected = [column for column, _ in columns.values()]
    result, rows = _stored(session, model, campaign_id, numbers, selected, where)
    types = [pa.string(), *(kind for _, kind in columns.values())]
    chunks: list[list[pa.Array]] = []
    with closing(result):
        while chunk := rows.fetchmany(CHUNK):
            # a column at a time (zip(*rows) of 700 000 rows took 0.7 s, this 0.1 s)
            chunks.append(
                [pa.array([row[i] for row in chunk], kind) for i, kind in enumerate(types)]
            )
    names = [ID_NUMBER, *columns]
    if not chunks:
        return pa.table({n: pa.array([], t) for n, t in zip(names, types, strict=True)})
    return pa.Table.from_batches(pa.record_batch(c, names=names) for c in chunks)


def _stored(
    session: Session,
    model: type[Payment] | type[RosterMember],
    campaign_id: int,
    numbers: pd.Series,
    columns: Sequence[Any],
    where: Any,
) -> tuple[Any, Any]:
    """The query of stored_rows, run: its result, and what to fetch its rows from."""
    mine = and_(col(model.campaign_id) == campaign_id, true() if where is None else where)
    stored = session.exec(select(func.count()).select_from(model).where(mine)).one()
    query = select(model.id_number, *columns).where(mine)
    if stored > len(numbers):
        condition, as_parameter = AMONG[session.get_bind().dialect.name]
        distinct = pd.unique(numbers.to_numpy()).tolist()
        query = query.where(condition.bindparams(numbers=as_parameter(distinct)))
    connection = session.connection()
    result = connection.execute(query)
    if not _unconverted([model.id_number, *columns], connection.dialect):
        return result, result
    # straight from the driver's cursor: SQLAlchemy making a Row of each of 700 000 stored
    # payments took 0.8 s of the 1.4 s their reading took
    return result, result.cursor


def _unconverted(columns: list[Any], dialect: Dialect) -> bool:
    """Whether the driver gives these columns' values as SQLAlchemy would, with nothing to
    convert (text and integers; SQLite gives a date as text, a boolean as 0 or 1)."""
    return all(
        column.type.dialect_impl(dialect).result_processor(dialect, None) is None
        for column in columns
    )


# A payment's day and amount as one integer (days since 1970 × 10⁹ + fen; an amount is under
# MAX_FEN), worked out by the database as the rows are read: dates read back one by one as
# Python dates took 1 s for 700 000 payments, and comparing them as objects 1.4 s more.
_DAY_AND_AMOUNT = {
    "postgresql": "(paid_on - DATE '1970-01-01')::bigint * 1000000000 + amount_fen",
    "sqlite": "CAST(julianday(paid_on) - 2440587.5 AS INTEGER) * 1000000000 + amount_fen",
}


def stored_day_and_amount(session: Session) -> Any:
    """A select column: each stored payment's day and amount as one integer (day_and_amount);
    null for a simulated payment."""
    key = _DAY_AND_AMOUNT[session.get_bind().dialect.name]
    return literal_column(f"CASE WHEN simulated THEN NULL ELSE {key} END", BigInteger)


def day_and_amount(rows: pd.DataFrame) -> pa.Array:
    """Each payment row's day and amount as one integer, as stored_day_and_amount reads them."""
    days = pa.array(rows[PAID_ON], type=pa.date32()).cast(pa.int32()).cast(pa.int64())
    fens = pa.array(rows[AMOUNT].astype("int64"), type=pa.int64())
    return pc.add(pc.multiply(days, 1_000_000_000), fens)
