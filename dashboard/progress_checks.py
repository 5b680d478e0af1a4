"""A progress report checked against the reports imported before it (nothing written): a
day a township or village already has a report of, and a count lower than the stored ones
(progress_drops)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from dashboard.glossary import DATE, ENROLLED, GROUP, TOWNSHIP, VILLAGE
from dashboard.layout import GROUP_PREFIX, ROW, SHEET
from dashboard.parsing import Parsed
from dashboard.problems import Problem
from dashboard.progress_drops import IMPORT, group_drops, township_drops
from data_models.tables import GroupProgress, ImportRecord, ProgressReport


def against_stored(
    session: Session, campaign_id: int, *, ids: dict[str, int], parsed: Parsed
) -> list[Problem]:
    """The problems of a parsed progress report against the campaign's imported reports
    (``ids``: the campaign's townships by name)."""
    stored = _stored_reports(session, campaign_id, ids)
    return _conflicts(session, stored, parsed) + _drops(session, campaign_id, ids, stored, parsed)


def _stored_reports(session: Session, campaign_id: int, ids: dict[str, int]) -> pd.DataFrame:
    """The campaign's imported (non-simulated) progress reports: date, township, village,
    enrolled and the import that holds each."""
    return _stored(session, ProgressReport, campaign_id, ids, VILLAGE, "village")


def _stored_groups(session: Session, campaign_id: int, ids: dict[str, int]) -> pd.DataFrame:
    """The campaign's imported special-group figures: date, township, group code, enrolled
    and the import that holds each."""
    return _stored(session, GroupProgress, campaign_id, ids, GROUP, "group_code")


def _stored(
    session: Session,
    table: type[SQLModel],
    campaign_id: int,
    ids: dict[str, int],
    column: str,
    field: str,
) -> pd.DataFrame:
    """A progress table's imported rows of the campaign, its ``field`` named ``column``."""
    names = {i: name for name, i in ids.items()}
    columns = table.__table__.c  # type: ignore[attr-defined]
    statement = sa_select(
        columns.report_date,
        columns.township_id,
        columns[field],
        columns.enrolled,
        columns.import_id,
    ).where(columns.campaign_id == campaign_id, columns.simulated.is_(False))
    rows = session.connection().execute(statement).fetchall()
    frame = pd.DataFrame(rows, columns=[DATE, TOWNSHIP, column, ENROLLED, IMPORT], dtype=object)
    frame[TOWNSHIP] = frame[TOWNSHIP].map(names)
    return frame


def _drops(
    session: Session, campaign_id: int, ids: dict[str, int], stored: pd.DataFrame, parsed: Parsed
) -> list[Problem]:
    """Rows that would make a township's cumulative count, or a special group's in it, lower
    than a stored report's (progress_drops), each named with the figure and the import to
    undo."""
    frame = parsed.frame
    reasons = {(i, ENROLLED): why for i, why in township_drops(stored, frame).items()}
    groups = {c: c.removeprefix(GROUP_PREFIX) for c in frame.columns if c.startswith(GROUP_PREFIX)}
    if groups:
        stored_groups = _stored_groups(session, campaign_id, ids)
        reasons |= group_drops(
            stored_groups, frame, columns=groups, labels=parsed.headers
        ).to_dict()
    return [
        Problem(
            frame.at[i, SHEET],
            int(frame.at[i, ROW]),
            parsed.headers[column],
            str(frame.at[i, column]),
            why,
        )
        for (i, column), why in reasons.items()
    ]


def _conflicts(session: Session, stored: pd.DataFrame, parsed: Parsed) -> list[Problem]:
    """Rows whose township, village and date already have a (non-simulated) report, each
    naming the import that holds it (the one to undo for a correction)."""
    if stored.empty:
        return []
    taken = {
        (township, village, day): held
        for day, township, village, held in stored[[DATE, TOWNSHIP, VILLAGE, IMPORT]].itertuples(
            index=False
        )
    }
    frame = parsed.frame.dropna(subset=[TOWNSHIP, DATE])
    found = [
        (sheet, int(row), day, taken[key])
        for sheet, row, township, village, day in frame[
            [SHEET, ROW, TOWNSHIP, VILLAGE, DATE]
        ].itertuples(index=False)
        if (key := (township, village, day)) in taken
    ]
    files = dict(
        session.exec(
            select(col(ImportRecord.id), col(ImportRecord.file_name)).where(
                col(ImportRecord.id).in_(sorted({held for *_, held in found if held}))
            )
        ).all()
    )

    def reason(held: int | None) -> str:
        where = f"由第{held}号导入（{files[held]}）" if held in files else ""
        return f"该乡镇该日期的进度已{where}导入过，如需更正请先撤销该导入"

    return [
        Problem(sheet, row, parsed.headers[DATE], str(day), reason(held))
        for sheet, row, day, held in found
    ]
