"""The office's own text of each bulletin, kept in the database: read, save, the last issuer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard.bulletin import BulletinNotes
from dashboard.periods import Period, PeriodKind
from dashboard.store import campaign_of
from data_models.tables import BulletinText


@dataclass(frozen=True)
class SavedNotes:
    """A bulletin's saved text: its period's kind and number in the campaign, who saved it
    last and when (UTC)."""

    kind: PeriodKind
    period_index: int
    notes: BulletinNotes
    saved_at: datetime
    saved_by: str


def saved_notes(engine: Engine, code: str, year: int, period: Period) -> SavedNotes | None:
    """The text saved for the bulletin of ``period`` in the county's campaign of benefit year
    ``year``; None when there is none."""
    with Session(engine) as session:
        row = _row(session, code, year, period)
        return None if row is None else _saved(row)


def all_saved_notes(engine: Engine, code: str, year: int) -> list[SavedNotes]:
    """Every bulletin text saved in the county's campaign of ``year``, the latest saved first."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year)
        rows = session.exec(
            select(BulletinText)
            .where(BulletinText.campaign_id == campaign.id)
            .order_by(col(BulletinText.saved_at).desc(), col(BulletinText.id).desc())
        ).all()
        return [_saved(row) for row in rows]


def _saved(row: BulletinText) -> SavedNotes:
    notes = BulletinNotes(
        number=row.number, remarks=row.remarks, issuer=row.issuer, issued=row.issued
    )
    kind = cast(PeriodKind, row.kind)
    return SavedNotes(kind, row.period_index, notes, row.saved_at, row.saved_by)


def latest_issuer(engine: Engine, code: str, year: int) -> str:
    """The issuing office of the campaign's most recently saved bulletin text ("" before the
    first): a new bulletin's sign-off starts from it."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year)
        issuer = session.exec(
            select(BulletinText.issuer)
            .where(BulletinText.campaign_id == campaign.id, BulletinText.issuer != "")
            .order_by(col(BulletinText.saved_at).desc(), col(BulletinText.id).desc())
            .limit(1)
        ).first()
        return issuer or ""


def save_notes(
    engine: Engine, code: str, year: int, period: Period, notes: BulletinNotes, *, user: str
) -> None:
    """Keep ``notes`` as the text of the bulletin of ``period`` (replacing what was saved). Two
    offices saving the first text of the same bulletin at once: the later one replaces it."""
    try:
        _save(engine, code, year, period, notes, user=user)
    except IntegrityError:  # the other one's row came first: replace it
        _save(engine, code, year, period, notes, user=user)


def _save(
    engine: Engine, code: str, year: int, period: Period, notes: BulletinNotes, *, user: str
) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session:
        row = _row(session, code, year, period)
        if row is None:
            campaign = campaign_of(session, code, year=year)
            assert campaign.id is not None
            row = BulletinText(
                campaign_id=campaign.id, kind=period.kind, period_index=period.index, saved_at=now
            )
        row.number, row.remarks, row.issuer = notes.number, notes.remarks, notes.issuer
        row.issued, row.saved_at, row.saved_by = notes.issued, now, user
        session.add(row)
        session.commit()


def _row(session: Session, code: str, year: int, period: Period) -> BulletinText | None:
    campaign = campaign_of(session, code, year=year)
    return session.exec(
        select(BulletinText).where(
            BulletinText.campaign_id == campaign.id,
            BulletinText.kind == period.kind,
            BulletinText.period_index == period.index,
        )
    ).first()
