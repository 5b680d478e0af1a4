"""The office's own text of each bulletin, kept in the database: read, save, the last issuer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard.audit import record
from dashboard.bulletin import BulletinNotes
from dashboard.glossary import PERIOD_LABELS
from dashboard.periods import Period, PeriodKind
from dashboard.store import campaign_of, replacing
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

    def of(self, period: Period) -> bool:
        """Whether this is the text of the bulletin of ``period``."""
        return (self.kind, self.period_index) == (period.kind, period.index)


def saved_notes(engine: Engine, code: str, year: int, period: Period) -> SavedNotes | None:
    """The text saved for the bulletin of ``period`` in the county's campaign of benefit year
    ``year``; None when there is none."""
    with Session(engine) as session:
        row = _row(session, campaign_of(session, code, year=year).id, period)
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


def saved_for(saved: list[SavedNotes], period: Period) -> SavedNotes | None:
    """The text of the bulletin of ``period`` among ``saved`` (all_saved_notes), if any."""
    return next((item for item in saved if item.of(period)), None)


def last_issuer(saved: list[SavedNotes]) -> str:
    """The issuing office of the most recently saved text that has one ("" before the first),
    ``saved`` being all_saved_notes (latest first): a new bulletin's sign-off starts from it."""
    return next((item.notes.issuer for item in saved if item.notes.issuer), "")


def latest_issuer(engine: Engine, code: str, year: int) -> str:
    """last_issuer of the campaign's saved texts."""
    return last_issuer(all_saved_notes(engine, code, year))


def _saved(row: BulletinText) -> SavedNotes:
    notes = BulletinNotes(
        number=row.number, remarks=row.remarks, issuer=row.issuer, issued=row.issued
    )
    kind = cast(PeriodKind, row.kind)
    return SavedNotes(kind, row.period_index, notes, row.saved_at, row.saved_by)


def save_notes(
    engine: Engine, code: str, year: int, period: Period, notes: BulletinNotes, *, user: str
) -> None:
    """Keep ``notes`` as the text of the bulletin of ``period`` (replacing what was saved). Two
    offices saving the first text of the same bulletin at once: the later one replaces it."""

    def write() -> None:
        now = datetime.now(UTC)
        with Session(engine) as session:
            campaign_id = campaign_of(session, code, year=year).id
            assert campaign_id is not None
            found = _row(session, campaign_id, period)
            before = None if found is None else _audited(_saved(found).notes)
            row = found or BulletinText(
                campaign_id=campaign_id, kind=period.kind, period_index=period.index, saved_at=now
            )
            row.number, row.remarks, row.issuer = notes.number, notes.remarks, notes.issuer
            row.issued, row.saved_at, row.saved_by = notes.issued, now, user
            session.add(row)
            record(
                session,
                user=user,
                action="bulletin_text_saved",
                county=code,
                target=f"{PERIOD_LABELS[period.kind]} {period.label}",
                before=before,
                after=_audited(notes),
            )
            session.commit()

    replacing(write)


def _audited(notes: BulletinNotes) -> dict[str, object]:
    """A bulletin's text as the audit log keeps it (the work requirements whole)."""
    return {
        "文号": notes.number,
        "工作要求": notes.remarks,
        "落款单位": notes.issuer,
        "落款日期": None if notes.issued is None else notes.issued.isoformat(),
    }


def _row(session: Session, campaign_id: int | None, period: Period) -> BulletinText | None:
    return session.exec(
        select(BulletinText).where(
            BulletinText.campaign_id == campaign_id,
            BulletinText.kind == period.kind,
            BulletinText.period_index == period.index,
        )
    ).first()
