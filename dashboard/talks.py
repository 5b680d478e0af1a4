"""Talks (约谈) held with the townships a ranking flagged: record one, list them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard import clock
from dashboard.audit import record
from dashboard.glossary import PERIOD_LABELS
from dashboard.periods import Period, PeriodKind
from dashboard.store import campaign_of, campaign_townships, replacing
from data_models.tables import NOTE_TEXT, TalkRecord, Township


class TalkRefused(Exception):
    """A talk that cannot be recorded; the reason is in Chinese."""


@dataclass(frozen=True)
class Talk:
    """A talk held with a township over a ranking (its period's kind and number)."""

    township: str
    kind: PeriodKind
    period_index: int
    held_on: date
    note: str
    recorded_by: str
    recorded_at: datetime


def record_talk(
    engine: Engine,
    code: str,
    year: int,
    *,
    township: str,
    period: Period,
    held_on: date,
    note: str,
    user: str,
) -> None:
    """Record the talk held with ``township`` over the ranking of ``period`` (replacing one
    recorded before for the same township and ranking). TalkRefused for a township not in the
    campaign, a day before the period began or after today (Beijing), or a note too long."""
    note = note.strip()
    if len(note) > NOTE_TEXT:
        raise TalkRefused(f"说明最多{NOTE_TEXT}个字（现有{len(note)}个）")
    if held_on < period.start:
        raise TalkRefused(f"约谈日期{held_on}早于{period.label}的开始")
    if held_on > (today := clock.today()):
        raise TalkRefused(f"约谈日期{held_on}晚于今天（{today}）：请记录已进行的约谈")

    def write() -> None:
        with Session(engine) as session:
            row = _row(session, code, year, township, period)
            before = None if row.id is None else _audited(row.held_on, row.note)
            row.held_on, row.note = held_on, note
            row.recorded_at, row.recorded_by = datetime.now(UTC), user
            session.add(row)
            record(
                session,
                user=user,
                action="talk_recorded",
                county=code,
                target=f"{township}（{PERIOD_LABELS[period.kind]} {period.label}）",
                before=before,
                after=_audited(held_on, note),
            )
            session.commit()

    replacing(write)


def _audited(held_on: date, note: str) -> dict[str, object]:
    return {"约谈日期": held_on.isoformat(), "说明": note}


def _row(session: Session, code: str, year: int, township: str, period: Period) -> TalkRecord:
    """The talk recorded with the township over the ranking of ``period``, or a new one."""
    campaign = campaign_of(session, code, year=year)
    assert campaign.id is not None
    township_id = campaign_townships(session, campaign.id).get(township)
    if township_id is None:
        raise TalkRefused(f"本年度没有乡镇“{township}”")
    found = session.exec(
        select(TalkRecord).where(
            TalkRecord.campaign_id == campaign.id,
            TalkRecord.township_id == township_id,
            TalkRecord.kind == period.kind,
            TalkRecord.period_index == period.index,
        )
    ).first()
    return found or TalkRecord(
        campaign_id=campaign.id,
        township_id=township_id,
        kind=period.kind,
        period_index=period.index,
        held_on=period.start,
        recorded_at=datetime.now(UTC),
    )


def talks(engine: Engine, code: str, year: int, *, township: str | None = None) -> list[Talk]:
    """The talks recorded in the county's campaign of ``year`` (one township's where given),
    the latest held first."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year)
        statement = (
            select(TalkRecord, Township.name)
            .join(Township, col(Township.id) == col(TalkRecord.township_id))
            .where(TalkRecord.campaign_id == campaign.id)
            .order_by(col(TalkRecord.held_on).desc(), col(TalkRecord.id).desc())
        )
        if township is not None:
            statement = statement.where(Township.name == township)
        return [
            Talk(
                name,
                cast(PeriodKind, row.kind),
                row.period_index,
                row.held_on,
                row.note,
                row.recorded_by,
                row.recorded_at,
            )
            for row, name in session.exec(statement).all()
        ]


def talks_per_township(listed: list[Talk], kind: PeriodKind | None = None) -> dict[str, int]:
    """How many talks were recorded with each township over rankings of ``kind`` (None: of
    every kind)."""
    return dict(Counter(talk.township for talk in listed if kind in (None, talk.kind)))
