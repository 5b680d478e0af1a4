"""The final enrolled counts the county's bureaus verify (核定) after the campaign: record them,
withdraw them, read them. The settlement is paid on them; every change is in the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, delete

from dashboard import formatting as fmt
from dashboard.audit import record
from dashboard.campaign import VerifiedCounts
from dashboard.glossary import LABELS, TOWNSHIP, VERIFIED
from dashboard.parsing import Parsed
from dashboard.problems import EntriesRefused
from dashboard.store import campaign_of, campaign_townships, verified_counts
from dashboard.whatif import validate_quotas
from data_models.tables import NOTE_TEXT, VerifiedCount

COUNTS = LABELS[VERIFIED]  # 核定参保人数
VERIFIED_ON = "核定日期"
NOTE = "依据"
SOURCE = "读入自文件"


class VerificationRefused(EntriesRefused):
    """Counts that cannot be recorded as verified; ``problems`` says why, in Chinese."""


def checked_counts(
    counts: Mapping[str, object],
    townships: list[str],
    *,
    verified_on: date,
    campaign_end: date,
    today: date,
    note: str = "",
) -> tuple[dict[str, int], list[str]]:
    """Counts about to be recorded as verified, as whole numbers, and what is wrong with them
    in Chinese (empty: nothing).

    Every township of the campaign needs a whole count from 0 to MAX_COUNT, and no other
    township may be named; the day is on or after the campaign's last day (the bureaus verify
    when collection is over) and not after ``today``; the note fits its column.
    """
    enrolled, problems = validate_quotas(counts, townships, label=COUNTS)
    if unknown := [t for t in counts if t not in townships]:
        problems.append(f"本年度任务表中没有乡镇：{'、'.join(unknown)}")
    if verified_on < campaign_end:
        problems.append(
            f"{VERIFIED_ON}{fmt.day(verified_on)}早于征缴结束日{fmt.day(campaign_end)}："
            "征缴全部结束后才能核定最终参保人数"
        )
    if verified_on > today:
        problems.append(f"{VERIFIED_ON}{fmt.day(verified_on)}晚于今天")
    if len(note.strip()) > NOTE_TEXT:
        problems.append(f"{NOTE}最多{NOTE_TEXT}个字（现有{len(note.strip())}个）")
    return enrolled, problems


def file_counts(parsed: Parsed) -> dict[str, int]:
    """The counts of a 核定人数表 read without problems: township -> verified count, in the
    file's order (verify_counts checks them again against the campaign)."""
    frame = parsed.frame
    return dict(zip(frame[TOWNSHIP], (int(n) for n in frame[VERIFIED]), strict=True))


def verify_counts(
    engine: Engine,
    code: str,
    year: int,
    *,
    counts: Mapping[str, object],
    verified_on: date,
    note: str,
    user: str,
    today: date,
    source: str = "",
) -> VerifiedCounts:
    """Record the final counts of the county's campaign of ``year`` as verified on
    ``verified_on`` (replacing counts verified before), with the audit entry (naming the
    ``source`` file the counts were read from, where they were), in one transaction.
    VerificationRefused, with every problem, when checked_counts finds any. Returns the
    counts recorded.
    """
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year, lock=True)
        assert campaign.id is not None
        ids = campaign_townships(session, campaign.id)
        enrolled, problems = checked_counts(
            counts,
            list(ids),
            verified_on=verified_on,
            campaign_end=campaign.end,
            today=today,
            note=note,
        )
        if problems:
            raise VerificationRefused(problems)
        before = verified_counts(session, campaign.id)
        _clear(session, campaign.id)
        verified = VerifiedCounts(
            enrolled=enrolled,
            verified_on=verified_on,
            note=note.strip(),
            recorded_by=user,
            recorded_at=datetime.now(UTC),
        )
        for township, township_id in ids.items():
            session.add(
                VerifiedCount(
                    campaign_id=campaign.id,
                    township_id=township_id,
                    enrolled=verified.enrolled[township],
                    verified_on=verified.verified_on,
                    note=verified.note,
                    recorded_at=verified.recorded_at,
                    recorded_by=verified.recorded_by,
                )
            )
        record(
            session,
            user=user,
            action="counts_verified",
            county=code,
            target=f"{campaign.benefit_year}年度{COUNTS}",
            before=None if before is None else _audited(before),
            after=_audited(verified) | ({SOURCE: source} if source else {}),
        )
        session.commit()
    return verified


def withdraw_verification(engine: Engine, code: str, year: int, *, user: str) -> None:
    """Withdraw the verified counts of the county's campaign of ``year`` (the settlement goes
    back to the system's figures), with the audit entry; VerificationRefused when none are
    recorded."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year, lock=True)
        assert campaign.id is not None
        before = verified_counts(session, campaign.id)
        if before is None:
            raise VerificationRefused([f"{campaign.benefit_year}年度尚未核定最终参保人数"])
        _clear(session, campaign.id)
        record(
            session,
            user=user,
            action="verification_withdrawn",
            county=code,
            target=f"{campaign.benefit_year}年度{COUNTS}",
            before=_audited(before),
        )
        session.commit()


def _clear(session: Session, campaign_id: int) -> None:
    session.exec(delete(VerifiedCount).where(col(VerifiedCount.campaign_id) == campaign_id))


def _audited(counts: VerifiedCounts) -> dict[str, object]:
    return {
        VERIFIED_ON: counts.verified_on.isoformat(),
        NOTE: counts.note,
        COUNTS: counts.enrolled,
    }
