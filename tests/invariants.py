"""What must hold of a database after any imports and undos, checked by the tests that make
them: aggregates as a full rebuild makes them, and no person-level row pointing nowhere."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard import aggregates
from dashboard.store import campaign_of


def aggregate_rows(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table: sorted(
                tuple(row)[1:]  # without the row id
                for row in connection.execute(text(f"SELECT * FROM {table}")).all()
            )
            for table in aggregates.AGGREGATES
        }


def assert_aggregates_as_rebuilt(engine: Engine, code: str) -> None:
    """The aggregates, kept up to date import by import, equal those rebuilt from every payment
    and roster member."""
    incremental = aggregate_rows(engine)
    with Session(engine) as session:
        aggregates.refresh(session, campaign_of(session, code).id)
        session.commit()
    assert incremental == aggregate_rows(engine)


def orphan_payments(engine: Engine) -> int:
    """Payments whose campaign, township (of its county) or import (of the campaign) is not
    there: none may be, though no foreign key checks them (migration 0011: the import is
    their only writer)."""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM payment p"
                " LEFT JOIN campaign c ON c.id = p.campaign_id"
                " LEFT JOIN township t ON t.id = p.township_id AND t.county_id = c.county_id"
                " LEFT JOIN importrecord i ON i.id = p.import_id AND i.campaign_id = p.campaign_id"
                " WHERE c.id IS NULL OR t.id IS NULL"
                " OR (p.import_id IS NOT NULL AND i.id IS NULL)"
            )
        ).scalar_one()


def orphan_place_changes(engine: Engine) -> int:
    """Moves (PlaceChange) of an import not in force, or between townships not of the
    campaign's county: none may be, though no foreign key checks them (migration 0015)."""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM placechange m"
                " LEFT JOIN campaign c ON c.id = m.campaign_id"
                " LEFT JOIN importrecord i ON i.id = m.import_id"
                " AND i.campaign_id = m.campaign_id AND i.undone_at IS NULL"
                " LEFT JOIN township b ON b.id = m.township_before AND b.county_id = c.county_id"
                " LEFT JOIN township a ON a.id = m.township_after AND a.county_id = c.county_id"
                " WHERE i.id IS NULL OR b.id IS NULL OR a.id IS NULL"
            )
        ).scalar_one()


def stale_held_rows(engine: Engine) -> int:
    """Rows held (HeldRows) by or from an import not in force: none may be, for an import is
    undone only after those listing its rows again, and its undo drops the rows it held."""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM heldrows h"
                " JOIN importrecord later ON later.id = h.import_id"
                " JOIN importrecord earlier ON earlier.id = h.earlier_import_id"
                " WHERE later.undone_at IS NOT NULL OR earlier.undone_at IS NOT NULL"
            )
        ).scalar_one()
