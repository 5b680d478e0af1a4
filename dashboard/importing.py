"""Importing files into a campaign: check first, then write all or nothing; record; undo.

An import is one transaction. The same bytes imported again change nothing (SHA-256 of the
content). Rows already in the database from an earlier file (a person who already has a
payment, a roster member already listed) are left out and counted, never doubled. A file
with problems is refused unless the user explicitly imports only its valid rows, and that
choice is recorded with the import.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import NamedTuple, cast

import pandas as pd
import psycopg
from sqlalchemy import Engine, delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard import aggregates, audit
from dashboard.bulk import Progress, bulk_insert
from dashboard.campaign import quotas_by_township
from dashboard.clock import local_time
from dashboard.elsewhere import belongs_elsewhere
from dashboard.formatting import count
from dashboard.glossary import (
    AMOUNT,
    BASE_POPULATION,
    CHANNEL,
    DATE,
    ENROLLED,
    GROUP,
    ID_NUMBER,
    LAST_YEAR_ENROLLED,
    NAME,
    PAID_ON,
    QUOTA,
    RECOGNISED_ON,
    ROSTER,
    STATUS,
    TOWNSHIP,
    VILLAGE,
    VOUCHER,
)
from dashboard.held_rows import held_counts, imports_holding, imports_named, record_held
from dashboard.layout import GROUP_PREFIX, KIND_LABELS, SHEET, Kind
from dashboard.parsing import Parsed, in_order, parse_file, progress_frames, quota_frames
from dashboard.partial_refunds import (
    imports_paying_rest_of,
    imports_refunding_part_of,
    record_partial_refunds,
)
from dashboard.places import (
    imports_moving,
    imports_striking_moved,
    members_against_stored,
    move,
    moves_note,
    restore_places,
    with_row_ids,
)
from dashboard.problems import InputError, Problem
from dashboard.progress_checks import Stored
from dashboard.refunds import (
    already_stored,
    apply_refunds,
    check_refunds,
    paid_again_in,
    refund_rows,
    restore_refunded,
)
from dashboard.repeats import imports_depending_on, restore_second_payments, store_second_payments
from dashboard.scenarios import application, applied_after
from dashboard.store import campaign_of, campaign_townships, official_quotas
from dashboard.struck import (
    absent_members,
    imports_striking,
    members_named,
    restore_struck,
    strike_off,
)
from data_models.policy import CountyPolicy
from data_models.tables import (
    LONG_TEXT,
    Campaign,
    GroupProgress,
    GroupQuota,
    HeldRows,
    ImportRecord,
    PartialRefund,
    Payment,
    ProgressReport,
    Quota,
    RepeatPayment,
    RosterMember,
)

_PROGRESS: ContextVar[Progress | None] = ContextVar("import_progress", default=None)


def _report(fraction: float, text: str) -> None:
    """Tell the page's progress bar or the CLI's progress line how far the import is."""
    report = _PROGRESS.get()
    if report is not None:
        report(min(max(fraction, 0.0), 1.0), text)


class ImportRefused(Exception):
    """An import or undo that cannot be done, with the reason in Chinese."""


class LaterImportsFirst(ImportRefused):
    """An undo refused until later imports are undone: ``later``, their numbers."""

    def __init__(self, message: str, later: Sequence[int]) -> None:
        super().__init__(message)
        self.later = tuple(later)


@dataclass
class Checked:
    """A file checked against a campaign: its parse, every problem, and whether it is known."""

    file_name: str
    content_hash: str
    parsed: Parsed | None
    problems: list[Problem] = field(default_factory=list)
    already: ImportRecord | None = None
    # of the rows it would import: how many are stored already (an overlapping export of the
    # tax system, say), and of those the second payments kept beside them; None where not
    # counted before the import (a list with refunds: they change what stands)
    known_rows: int | None = None
    second_rows: int = 0
    held_in: tuple[int, ...] = ()  # the imports that stored them (HeldRows)
    # a roster's: the members earlier rosters list in its townships and groups that it does
    # not, struck off if it is imported as the whole roster (full_roster)
    absent: int = 0
    year: int | None = None  # the benefit year of the campaign it was checked against

    def passed_note(self, *, can_import: bool = True) -> str:
        """'检查通过：1,200行，可以导入。其中…' for a file without problems."""
        can = "，可以导入。" if can_import else "。"
        return f"检查通过：{count(len(self.valid_rows()))}行{can}{self.known_note()}"

    def already_note(self) -> str:
        """For a file imported before: when, and its number."""
        assert self.already is not None
        when = local_time(self.already.imported_at)
        return f"该文件已于{when}导入（第{self.already.id}号），再次导入不会重复计入。"

    def known_note(self) -> str:
        """'其中41,888行已导入过，不会重复计入。' before the import; empty where there are none or
        they are not counted."""
        if not self.known_rows:
            return ""
        seconds = _seconds_note(self.second_rows, "将记为重复缴费", lead="含")
        where = imports_named(self.held_in)
        return f"其中{count(self.known_rows)}行已导入过{where}，不会重复计入{seconds}。"

    @property
    def kind(self) -> Kind | None:
        """What the file holds: as parsed, or as recorded when it was imported before."""
        if self.already is not None:
            return cast(Kind, self.already.kind)
        return self.parsed.import_kind if self.parsed else None

    @property
    def importable(self) -> bool:
        """No problem at all (the whole file can go in)."""
        return self.parsed is not None and not self.problems and self.already is None

    @property
    def partly_importable(self) -> bool:
        """Problems only in some rows, and some rows without: 'import only the valid rows'."""
        if self.parsed is None or self.already is not None or self.parsed.kind == "quota":
            return False
        return not self.parsed.whole_file_problems(self.problems) and len(self.valid_rows()) > 0

    def valid_rows(self) -> pd.DataFrame:
        """The rows without any problem (the frame itself when there is none)."""
        assert self.parsed is not None
        return self.parsed.rows_without(self.problems)

    def incoming_quotas(self) -> dict[str, int]:
        """A quota table's quotas by township, in its order (empty for other kinds)."""
        if self.kind != "quota" or self.parsed is None:
            return {}
        quotas, _ = quota_frames(self.valid_rows())
        return quotas_by_township(quotas)


@dataclass(frozen=True)
class Outcome:
    """What an import wrote."""

    import_id: int
    kind: Kind
    rows: int
    skipped_rows: int
    existing_rows: int
    second_rows: int = 0  # of the existing: second payments kept (repeats)
    struck: int = 0  # a roster's: members an earlier roster listed, struck off (dashboard.struck)
    moved: int = 0  # stored rows the file placed in another township or village (places)

    def summary(self) -> str:
        """'已导入缴费明细（第2号）：38,112行；已存在未重复计入41,888行；有问题未导入0行。'"""
        seconds = _seconds_note(self.second_rows, "记为重复缴费：之后导入的退费先冲抵重复缴费")
        struck = f"从之前导入的名单中移出{count(self.struck)}人；" if self.struck else ""
        moved = f"其中{count(self.moved)}行改按本文件的乡镇或村计入；" if self.moved else ""
        return (
            f"已导入{KIND_LABELS[self.kind]}（第{self.import_id}号）：{count(self.rows)}行；"
            f"已存在未重复计入{count(self.existing_rows)}行{seconds}；{moved}{struck}"
            f"有问题未导入{count(self.skipped_rows)}行。"
        )


def _seconds_note(rows: int, kept: str, *, lead: str = "其中") -> str:
    """The parenthesis on second payments (repeats.py) after a count of stored rows."""
    if not rows:
        return ""
    return f"（{lead}{count(rows)}行是已缴费人员又一次缴费，日期、金额或税票号码不同，{kept}）"


def content_hash(raw: bytes) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(raw).hexdigest()


def _active(session: Session, campaign_id: int) -> list[ImportRecord]:
    return list(
        session.exec(
            select(ImportRecord)
            .where(ImportRecord.campaign_id == campaign_id, col(ImportRecord.undone_at).is_(None))
            .order_by(col(ImportRecord.id))
        ).all()
    )


def check_file(
    engine: Engine,
    policy: CountyPolicy,
    raw: bytes,
    file_name: str,
    *,
    kind: Kind | None = None,
    progress: Progress | None = None,
) -> Checked:
    """Parse a file against the county's townships and the database; nothing is written."""
    token = _PROGRESS.set(progress)
    try:
        _report(0.05, f"正在读取并检查 {file_name}…")
        checked = _check(engine, policy, raw, file_name, kind)
        checked.year = policy.benefit_year
        _report(1.0, f"{file_name} 检查完毕")
        return checked
    finally:
        _PROGRESS.reset(token)


def _check(
    engine: Engine, policy: CountyPolicy, raw: bytes, file_name: str, kind: Kind | None
) -> Checked:
    digest = content_hash(raw)
    with Session(engine) as session:
        campaign = campaign_of(session, policy.code, year=policy.benefit_year)
        ids = campaign_townships(session, _pk(campaign))
        already = next(
            (r for r in _active(session, _pk(campaign)) if r.content_hash == digest), None
        )
        if already is not None:
            return Checked(file_name, digest, None, [], already)
        try:
            parsed = parse_file(raw, file_name, policy, townships=list(ids), kind=kind)
        except InputError as error:
            return Checked(file_name, digest, None, error.problems)
        problems = list(parsed.problems)
        if problems and (elsewhere := belongs_elsewhere(engine, policy, parsed, problems)):
            problems.insert(0, elsewhere)
        if parsed.kind == "progress":
            stored = Stored.read(session, _pk(campaign), ids, parsed.frame)
            found = stored.problems(session, parsed)
            problems = in_order(problems + found, parsed.frame[SHEET].unique())
        if parsed.kind == "payments":
            parsed, found = check_refunds(session, _pk(campaign), parsed)
            if found:  # in the file's order of sheets (read once each, not once a row)
                problems = in_order(problems + found, parsed.frame[SHEET].unique())
        if parsed.kind == "roster" and parsed.withdrawn is not None:
            parsed = _struck_note(session, _pk(campaign), parsed)
        checked = Checked(file_name, digest, parsed, problems)
        if parsed.kind == "progress":  # counted as the write will
            to_write = _progress_to_write(stored, checked.valid_rows())
            checked.known_rows = to_write.left_out
            checked.held_in = tuple(held_counts(to_write.holders))
        if parsed.kind in ("payments", "roster"):
            _count_known(session, _pk(campaign), checked, ids)
        if parsed.kind == "roster" and checked.importable:
            checked.absent = len(absent_members(session, _pk(campaign), parsed.frame, ids))
    return checked


def _struck_note(session: Session, campaign_id: int, parsed: Parsed) -> Parsed:
    """A roster with a note on the members an earlier roster listed that it strikes off."""
    assert parsed.withdrawn is not None
    members = len(members_named(session, campaign_id, parsed.withdrawn))
    if not members:
        return parsed
    note = (
        f"{count(members)}人是之前导入的名单中的人员，本文件的“{parsed.headers[STATUS]}”"
        "说已不在名单（死亡、注销等）：将从名单中移出，不再计入特殊群体人数和未参保名单"
        "（撤销本次导入可恢复）"
    )
    return replace(parsed, notes=(*parsed.notes, note))


def _count_known(session: Session, campaign_id: int, checked: Checked, ids: dict[str, int]) -> None:
    """Count, as the write will, the rows the import would leave out as stored already, and
    note the stored rows it would move to another township or village (places)."""
    parsed = checked.parsed
    assert parsed is not None
    rows = checked.valid_rows()
    if rows.empty:
        return
    _report(0.7, f"正在与已导入的数据比对 {checked.file_name}…")
    if parsed.kind == "roster":
        known, moves, holders = members_against_stored(session, campaign_id, rows, ids)
        checked.known_rows = int(known.sum())
        checked.held_in = tuple(held_counts(holders))
    else:
        refunds = refund_rows(rows)
        stored = already_stored(
            session, campaign_id, rows.drop(index=refunds.index) if len(refunds) else rows, ids
        )
        moves = stored.moved
        if refunds.empty:  # refunds change what stands: counted as the import writes
            # the list's own second payments (repeats.later_payments) are said so by its parse
            checked.known_rows = int(stored.known.sum())
            checked.second_rows = int(stored.seconds.sum())
            checked.held_in = tuple(stored.held())
    if (note := moves_note(moves, ids)) is not None:
        checked.parsed = replace(parsed, notes=(*parsed.notes, note))


def _pk(row: Campaign | ImportRecord) -> int:
    assert row.id is not None
    return row.id


QUOTAS_ADMIN_ONLY = "任务表决定各乡镇的正式任务数，只有系统管理员可以导入或撤销"


def apply_import(
    engine: Engine,
    policy: CountyPolicy,
    checked: Checked,
    *,
    valid_only: bool = False,
    full_roster: bool = False,
    user: str = "",
    sets_quotas: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Write a checked file in one transaction and record it; ImportRefused when it may not go in
    (a quota table, by one who may not ``sets_quotas``).

    With ``valid_only`` the rows with problems are left out (a quota table is always whole).
    With ``full_roster`` a roster is the whole roster of the townships and groups it covers:
    the members earlier rosters list there and it does not are struck off (recorded; undoing
    the import puts them back). Only a roster without problems can be whole.
    """
    if checked.year != policy.benefit_year:  # its dates, townships and counts were not
        raise ImportRefused(  # checked against this campaign
            f"该文件是按{checked.year}年度检查的，未导入{policy.benefit_year}年度；请重新上传"
        )
    if checked.already is not None:
        raise ImportRefused(f"该文件已于{local_time(checked.already.imported_at)}导入，未重复导入")
    if checked.parsed is None or not (
        checked.importable or (valid_only and checked.partly_importable)
    ):
        raise ImportRefused("文件有问题，未导入；请修正后重新上传，或选择仅导入无问题的行")
    if full_roster and not (checked.parsed.kind == "roster" and checked.importable):
        raise ImportRefused("只有没有问题的资助名单可以作为全量名单导入，未导入")
    if checked.kind == "quota" and not sets_quotas:
        raise ImportRefused(QUOTAS_ADMIN_ONLY)
    token = _PROGRESS.set(progress)
    try:
        return _write_with_retries(engine, policy, checked, _Choices(valid_only, full_roster, user))
    finally:
        _PROGRESS.reset(token)


@dataclass(frozen=True)
class _Choices:
    """What the user chose for an import (apply_import), and who they are."""

    valid_only: bool
    full_roster: bool
    user: str


def _write_with_retries(
    engine: Engine, policy: CountyPolicy, checked: Checked, choices: _Choices
) -> Outcome:
    for attempt in range(RETRIES):
        try:
            return _write(engine, policy, checked, choices)
        except CLASHES as clash:
            # Another session committed first: the same file, or people in both files.
            with Session(engine) as session:
                campaign_id = _pk(campaign_of(session, policy.code, year=policy.benefit_year))
                done = [
                    r
                    for r in _active(session, campaign_id)
                    if r.content_hash == checked.content_hash
                ]
            if done:
                raise ImportRefused(
                    f"该文件已于{local_time(done[0].imported_at)}导入，未重复导入"
                ) from clash
            if attempt == RETRIES - 1:
                raise ImportRefused("其他用户正在导入数据，请稍后重试") from clash
    raise AssertionError("unreachable")


RETRIES = 3
# A clash surfaces through SQLAlchemy, or straight from the driver when rows go in by COPY or
# executemany on the raw connection.
CLASHES = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)


def _write(engine: Engine, policy: CountyPolicy, checked: Checked, choices: _Choices) -> Outcome:
    assert checked.parsed is not None
    parsed = checked.parsed
    rows = checked.valid_rows()
    with Session(engine) as session:
        campaign = campaign_of(session, policy.code, year=policy.benefit_year, lock=True)
        campaign_id = _pk(campaign)
        ids = campaign_townships(session, _pk(campaign))
        entry = ImportRecord(
            campaign_id=campaign_id,
            kind=parsed.kind,
            file_name=checked.file_name[:LONG_TEXT],
            content_hash=checked.content_hash,
            imported_at=datetime.now(UTC),
            rows=len(rows),
            skipped_rows=len(parsed.frame) - len(rows),
            valid_only=choices.valid_only and bool(checked.problems),
            user=choices.user,
        )
        session.add(entry)
        session.flush()
        written = WRITERS[parsed.kind](
            session, campaign_id, replace(parsed, frame=rows), ids, entry
        )
        existing = written.existing
        record_held(session, _pk(entry), written.held)
        entry.existing_rows = existing
        entry.rows = len(rows) - existing
        struck = strike_off(
            session,
            _pk(entry),
            _withdrawn(session, campaign_id, parsed, rows, ids, full_roster=choices.full_roster),
        )
        if parsed.kind in aggregates.PERSON_KINDS:
            _report(0.9, "正在更新汇总…")
            aggregates.refresh(session, campaign_id, {parsed.kind}, added=written.payments)
        quotas_before = previous_quotas(entry)
        audit.record(
            session,
            user=choices.user,
            action="import",
            county=policy.code,
            target=f"第{entry.id}号 {entry.file_name}（{KIND_LABELS[parsed.import_kind]}）",
            before={"任务数": quotas_before} if quotas_before is not None else None,
            after=({"任务数": official_quotas(session, campaign_id)} if quotas_before else {})
            | _summary(entry)
            | ({"全量名单": "是"} if choices.full_roster else {})
            | ({"移出名单人数": struck} if struck else {})
            | ({"改按本文件的乡镇或村计入": written.moved} if written.moved else {})
            | ({"已存在的数据所属导入": _held_by(written.held)} if written.held else {}),
        )
        seconds = (
            session.exec(
                select(func.count()).where(col(RepeatPayment.import_id) == _pk(entry))
            ).one()
            if parsed.kind == "payments"
            else 0
        )
        session.commit()
        _report(1.0, f"已导入 {entry.rows:,} 行")
        return Outcome(
            _pk(entry),
            parsed.import_kind,
            entry.rows,
            entry.skipped_rows,
            existing,
            seconds,
            struck,
            written.moved,
        )


def _withdrawn(
    session: Session,
    campaign_id: int,
    parsed: Parsed,
    rows: pd.DataFrame,
    ids: dict[str, int],
    *,
    full_roster: bool,
) -> set[int]:
    """The roster members a roster strikes off: those its status column says are no longer on
    it, and, imported as the whole roster, those it does not list."""
    members: set[int] = set()
    if parsed.kind == "roster" and parsed.withdrawn is not None:
        members.update(members_named(session, campaign_id, parsed.withdrawn))
    if full_roster:
        members.update(absent_members(session, campaign_id, rows, ids))
    return members


def previous_quotas(entry: ImportRecord) -> dict[str, int] | None:
    """The quotas a quota-table import replaced (None for other kinds)."""
    if not entry.previous:
        return None
    return {row[0]: row[1] for row in json.loads(entry.previous).get("quotas", [])}


def _summary(entry: ImportRecord) -> dict[str, object]:
    return {
        "导入行数": entry.rows,
        "已存在未重复计入": entry.existing_rows,
        "有问题未导入": entry.skipped_rows,
        "仅导入无问题行": entry.valid_only,
        "内容指纹": entry.content_hash[:12],
    }


def _held_by(held: dict[int, int]) -> dict[str, int]:
    """{'第1号': 30}: how many of the file's rows (a progress report's figures) each earlier
    import holds, for the audit log."""
    return {f"第{i}号": n for i, n in held.items()}


class Written(NamedTuple):
    """What a writer did: the rows it left out as stored already, the payment rows it
    inserted, for the payment aggregate to add (None where it must be regrouped: a list with
    refunds, or no payments), and how many stored rows it moved to another place (places)."""

    existing: int
    payments: pd.DataFrame | None = None
    moved: int = 0
    held: dict[int, int] = {}  # (never changed) rows of each earlier import it left out


def _write_quota(
    session: Session,
    campaign_id: int,
    parsed: Parsed,
    ids: dict[str, int],
    record: ImportRecord,
) -> Written:
    quotas, groups = quota_frames(parsed.frame)
    before = session.exec(select(Quota).where(Quota.campaign_id == campaign_id)).all()
    before_groups = session.exec(
        select(GroupQuota).where(GroupQuota.campaign_id == campaign_id)
    ).all()
    names = {v: k for k, v in ids.items()}
    record.previous = json.dumps(
        {
            "quotas": [
                [names[q.township_id], q.quota, q.base_population, q.last_year_enrolled]
                for q in before
            ],
            "groups": [[names[g.township_id], g.group_code, g.roster_size] for g in before_groups],
        },
        ensure_ascii=False,
    )
    _replace_quotas(session, campaign_id, ids, quotas, groups)
    return Written(0)


def _replace_quotas(
    session: Session,
    campaign_id: int,
    ids: dict[str, int],
    quotas: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    replace_groups: bool = False,
) -> None:
    session.execute(delete(Quota).where(col(Quota.campaign_id) == campaign_id))
    session.execute(
        insert(Quota),
        [
            {
                "campaign_id": campaign_id,
                "township_id": ids[r[TOWNSHIP]],
                "quota": int(r[QUOTA]),
                "base_population": None if pd.isna(r[BASE_POPULATION]) else int(r[BASE_POPULATION]),
                "last_year_enrolled": None
                if pd.isna(r[LAST_YEAR_ENROLLED])
                else int(r[LAST_YEAR_ENROLLED]),
            }
            for r in quotas.to_dict("records")
        ],
    )
    if replace_groups or not groups.empty:
        session.execute(delete(GroupQuota).where(col(GroupQuota.campaign_id) == campaign_id))
    if not groups.empty:
        session.execute(
            insert(GroupQuota),
            [
                {
                    "campaign_id": campaign_id,
                    "township_id": ids[r[TOWNSHIP]],
                    "group_code": r[GROUP],
                    "roster_size": int(r[ROSTER]),
                }
                for r in groups.to_dict("records")
            ],
        )


def _write_progress(
    session: Session,
    campaign_id: int,
    parsed: Parsed,
    ids: dict[str, int],
    record: ImportRecord,
) -> Written:
    rows = parsed.frame
    # read under the campaign's lock: reports another user imported since the check are met
    stored = Stored.read(session, campaign_id, ids, rows)
    if late := stored.problems(session, parsed):
        raise ImportRefused(f"其他用户刚导入的进度与本文件不符，未导入，请重新检查：{late[0]}")
    progress, groups, left_out, holders = _progress_to_write(stored, rows)
    base = {"campaign_id": campaign_id, "import_id": _pk(record), "simulated": False}
    if not progress.empty:
        session.execute(
            insert(ProgressReport),
            [
                {**base, "township_id": ids[t], "village": v, "report_date": d, "enrolled": int(n)}
                for d, t, v, n in progress[[DATE, TOWNSHIP, VILLAGE, ENROLLED]].itertuples(
                    index=False
                )
            ],
        )
    if not groups.empty:
        session.execute(
            insert(GroupProgress),
            [
                {
                    **base,
                    "township_id": ids[t],
                    "group_code": g,
                    "report_date": d,
                    "enrolled": int(n),
                }
                for d, t, g, n in groups[[DATE, TOWNSHIP, GROUP, ENROLLED]].itertuples(index=False)
            ],
        )
    return Written(left_out, held=held_counts(holders))


class _ProgressToWrite(NamedTuple):
    progress: pd.DataFrame  # township and village figures not stored yet
    groups: pd.DataFrame  # special groups' figures not stored yet
    left_out: int  # rows nothing is written of
    holders: list[int | None]  # the import holding each figure stored already


def _progress_to_write(stored: Stored, rows: pd.DataFrame) -> _ProgressToWrite:
    """Of a progress report's ``rows`` (read with ``stored``, or a part of them), the figures
    to write, as progress_frames gives them, how many of the rows nothing is written of, and
    the imports holding the figures stored already."""
    held = stored.held.loc[rows.index]
    progress, groups = progress_frames(rows)
    keys = list(groups[[DATE, TOWNSHIP, GROUP]].itertuples(index=False, name=None))
    new = pd.Series([k not in stored.group_figures for k in keys], index=groups.index, dtype=bool)
    places = rows.loc[held, [TOWNSHIP, VILLAGE, DATE]].itertuples(index=False, name=None)
    holders = [stored.figures[k][0] for k in places]
    holders += [stored.group_figures[k][0] for k, n in zip(keys, new, strict=True) if not n]
    left_out = int(_left_out(rows, held, groups[new]).sum())
    return _ProgressToWrite(progress[~held.to_numpy()], groups[new], left_out, holders)


def _left_out(rows: pd.DataFrame, held: pd.Series, groups: pd.DataFrame) -> pd.Series:
    """The progress rows nothing is written of: their figure stored already, and no special
    group's figure they state written for their township and day (``groups``: those written)."""
    stating = rows[[c for c in rows.columns if c.startswith(GROUP_PREFIX)]].notna().any(axis=1)
    added = set(zip(groups[DATE], groups[TOWNSHIP], strict=True))
    adding = [(d, t) in added for d, t in zip(rows[DATE], rows[TOWNSHIP], strict=True)]
    return held & ~(stating & pd.Series(adding, index=rows.index, dtype=bool))


def _write_payments(
    session: Session,
    campaign_id: int,
    parsed: Parsed,
    ids: dict[str, int],
    record: ImportRecord,
) -> Written:
    rows, import_id = parsed.frame, _pk(record)
    refunds = refund_rows(rows)
    partial = refunds
    if len(refunds):  # few, if any: the list of payments is not copied without them
        rows = rows.drop(index=refunds.index)
        partial = apply_refunds(session, campaign_id, import_id, refunds, rows)
    stored = already_stored(session, campaign_id, rows, ids)
    store_second_payments(session, campaign_id, import_id, rows[stored.seconds | stored.later])
    moves = with_row_ids(session, campaign_id, stored.moved)
    moved = move(session, campaign_id, import_id, "payments", moves)
    fresh = rows[~(stored.known | stored.later)]
    # Columns stay as they are (arrow strings); values become Python objects chunk by chunk.
    frame = pd.DataFrame(
        {
            "campaign_id": campaign_id,
            "import_id": import_id,
            "township_id": fresh[TOWNSHIP].map(ids).astype("int64"),
            "village": fresh[VILLAGE],
            "id_number": fresh[ID_NUMBER],
            "name": fresh[NAME],
            "paid_on": fresh[PAID_ON],
            "amount_fen": fresh[AMOUNT].astype("int64"),
            "channel": fresh[CHANNEL],
            "simulated": False,
        }
    )
    if VOUCHER in fresh:  # a list without tickets is written without (the database's '')
        frame["voucher"] = fresh[VOUCHER]
    bulk_insert(session, Payment, frame, progress=_report)
    record_partial_refunds(session, campaign_id, import_id, partial)  # of the payments stored
    # payments paid back, or moved, leave the days they were counted on: regrouped, not added to
    return Written(
        len(rows) - len(fresh),
        None if len(refunds) or moved else frame,
        moved,
        stored.held(),
    )


def _write_roster(
    session: Session,
    campaign_id: int,
    parsed: Parsed,
    ids: dict[str, int],
    record: ImportRecord,
) -> Written:
    rows, import_id = parsed.frame, _pk(record)
    known, moves, holders = members_against_stored(session, campaign_id, rows, ids)
    moved = move(session, campaign_id, import_id, "roster", moves)
    fresh = rows[~known]
    frame = pd.DataFrame(
        {
            "campaign_id": campaign_id,
            "import_id": import_id,
            "township_id": fresh[TOWNSHIP].map(ids).astype("int64").to_numpy(),
            "village": fresh[VILLAGE].astype(object).to_numpy(),
            "id_number": fresh[ID_NUMBER].astype(object).to_numpy(),
            "name": fresh[NAME].astype(object).to_numpy(),
            "group_code": fresh[GROUP].astype(object).to_numpy(),
            "recognised_on": fresh[RECOGNISED_ON]
            .astype(object)
            .where(fresh[RECOGNISED_ON].notna(), None)
            .to_numpy(),
            "simulated": False,
        }
    )
    bulk_insert(session, RosterMember, frame, progress=_report)
    return Written(len(rows) - len(fresh), moved=moved, held=held_counts(holders))


WRITERS = {
    "quota": _write_quota,
    "progress": _write_progress,
    "payments": _write_payments,
    "roster": _write_roster,
}


# The later imports to undo before an import, and why (this: its number; later: theirs)
LATER_IMPORTS: tuple[tuple[Callable[[Session, int], list[int]], str], ...] = (
    (paid_again_in, "第{this}号导入退费的人员在之后的导入（{later}）中再次缴费"),
    (
        imports_striking,
        "之后的导入（{later}）把第{this}号导入名单中的人员移出了名单（死亡、注销等）",
    ),
    (imports_depending_on, "之后的导入（{later}）中有第{this}号导入人员的重复缴费或其退费"),
    (imports_refunding_part_of, "之后的导入（{later}）退还了第{this}号导入的缴费的一部分"),
    (
        imports_paying_rest_of,
        "之后的导入（{later}）退还了第{this}号导入退还一部分后余下的缴费",
    ),
    (imports_moving, "之后的导入（{later}）改变了第{this}号导入人员的所属乡镇或村"),
    (
        imports_striking_moved,
        "之后的导入（{later}）把第{this}号导入改过乡镇或村的人员移出了名单（死亡、注销等）",
    ),
    (
        imports_holding,
        "之后的导入（{later}）也列有第{this}号导入的数据（当时已存在，未重复计入），"
        "撤销第{this}号会使这些数据一并丢失",
    ),
)


def undo_import(
    engine: Engine,
    policy: CountyPolicy,
    import_id: int,
    *,
    user: str = "",
    sets_quotas: bool = True,
) -> ImportRecord:
    """Remove what an import wrote (a quota table: put the previous quotas back); recorded.

    Only the latest quota-table import can be undone, so that quotas never jump back past a
    later change; and only by one who ``sets_quotas``.
    """
    with Session(engine) as session:
        campaign = campaign_of(session, policy.code, year=policy.benefit_year, lock=True)
        record = session.get(ImportRecord, import_id)
        if record is None or record.campaign_id != campaign.id:
            raise ImportRefused(f"没有编号为{import_id}的导入记录")
        if record.undone_at is not None:
            raise ImportRefused(f"第{import_id}号导入已于{local_time(record.undone_at)}撤销")
        if record.kind == "quota":
            if not sets_quotas:
                raise ImportRefused(QUOTAS_ADMIN_ONLY)
            later = [
                r
                for r in _active(session, _pk(campaign))
                if r.kind == "quota" and _pk(r) > import_id
            ]
            if later:
                raise LaterImportsFirst(
                    f"请先撤销之后的任务表导入（第{_pk(later[-1])}号）", [_pk(later[-1])]
                )
            if applied := applied_after(session, _pk(campaign), record.imported_at):
                raise ImportRefused(
                    f"第{import_id}号导入之后又应用了{application(applied)}为正式任务数："
                    "请先在模拟测算页撤销该次应用"
                )
        for after, why in LATER_IMPORTS:
            if found := after(session, import_id):
                numbers = "、".join(f"第{i}号" for i in found)
                raise LaterImportsFirst(
                    f"{why.format(this=import_id, later=numbers)}：请先撤销{numbers}导入", found
                )
        ids = campaign_townships(session, _pk(campaign))
        quotas_before = official_quotas(session, _pk(campaign)) if record.kind == "quota" else None
        if record.kind == "quota":
            _restore_quotas(session, _pk(campaign), ids, record)
        # its rows go first: a second payment it made stand, gone, leaves room for the payment
        # it paid back
        for table in (
            ProgressReport,
            GroupProgress,
            PartialRefund,  # before the payments it may refund part of
            Payment,
            RosterMember,
            RepeatPayment,
            HeldRows,
        ):
            session.execute(delete(table).where(col(table.import_id) == import_id))  # type: ignore[attr-defined]
        restore_refunded(session, import_id)
        restore_second_payments(session, import_id)
        restore_struck(session, import_id)
        restore_places(session, import_id, record.kind)
        if record.kind in aggregates.PERSON_KINDS:
            aggregates.refresh(session, _pk(campaign), {record.kind})
        audit.record(
            session,
            user=user,
            action="undo_import",
            county=policy.code,
            target=f"第{import_id}号 {record.file_name}（{KIND_LABELS.get(record.kind, '')}）",
            before=({"任务数": quotas_before} if quotas_before else {}) | _summary(record),
            after={"任务数": official_quotas(session, _pk(campaign))}
            if quotas_before
            else {"状态": "已撤销"},
        )
        session.execute(
            update(ImportRecord)
            .where(col(ImportRecord.id) == import_id)
            .values(undone_at=datetime.now(UTC), undone_by=user)
        )
        session.commit()
        session.refresh(record)
        return record


def _restore_quotas(
    session: Session, campaign_id: int, ids: dict[str, int], record: ImportRecord
) -> None:
    previous = json.loads(record.previous or "{}")
    quotas = pd.DataFrame(
        previous.get("quotas", []), columns=[TOWNSHIP, QUOTA, BASE_POPULATION, LAST_YEAR_ENROLLED]
    )
    groups = pd.DataFrame(previous.get("groups", []), columns=[TOWNSHIP, GROUP, ROSTER])
    _replace_quotas(session, campaign_id, ids, quotas, groups, replace_groups=True)


def import_history(engine: Engine, policy: CountyPolicy) -> pd.DataFrame:
    """Every import of the county's campaign, newest first, with Chinese column names."""
    with Session(engine) as session:
        campaign = campaign_of(session, policy.code, year=policy.benefit_year)
        records = session.exec(
            select(ImportRecord)
            .where(ImportRecord.campaign_id == campaign.id)
            .order_by(col(ImportRecord.id).desc())
        ).all()
    return pd.DataFrame(
        [
            {
                "编号": r.id,
                "导入时间": local_time(r.imported_at),
                "文件": r.file_name,
                "类型": KIND_LABELS.get(r.kind, r.kind),
                "导入行数": count(r.rows),
                "已存在未重复计入": count(r.existing_rows),
                "有问题未导入": count(r.skipped_rows),
                "仅导入无问题行": "是" if r.valid_only else "否",
                "操作人": r.user,
                "内容指纹": r.content_hash[:12],
                "状态": f"已撤销（{local_time(r.undone_at)}）" if r.undone_at else "有效",
            }
            for r in records
        ],
        columns=[
            "编号",
            "导入时间",
            "文件",
            "类型",
            "状态",
            "导入行数",
            "已存在未重复计入",
            "有问题未导入",
            "仅导入无问题行",
            "操作人",
            "内容指纹",
        ],
    )


def undoable_imports(
    history: pd.DataFrame, *, sets_quotas: bool
) -> tuple[list[int], dict[int, str], bool]:
    """From ``import_history``: the imports in force a user may undo, newest first; every
    import's file by number; and whether quota tables in force were left out (only one who
    ``sets_quotas`` undoes them)."""
    in_force = history["状态"] == "有效"
    quota_tables = in_force & (history["类型"] == KIND_LABELS["quota"])
    left_out = not sets_quotas and bool(quota_tables.any())
    if left_out:
        in_force &= ~quota_tables
    files = {int(i): str(f) for i, f in zip(history["编号"], history["文件"], strict=True)}
    return [int(i) for i in history.loc[in_force, "编号"]], files, left_out
