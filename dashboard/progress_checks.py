"""A progress report checked against the reports imported before it (nothing written): a
day a township or village already has another figure of, a special group's figure of a day
already imported, and a count lower than the stored ones (progress_drops). A row the stored
reports already hold as it is (a weekly file kept adding its new day, sent whole again) is
not a conflict: it is left out as stored already, as a payment list's known rows are."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from dashboard.formatting import count
from dashboard.glossary import DATE, ENROLLED, GROUP, TOWNSHIP, VILLAGE
from dashboard.layout import GROUP_PREFIX, ROW, SHEET
from dashboard.parsing import Parsed
from dashboard.problems import Problem
from dashboard.progress_drops import IMPORT, group_drops, township_drops
from data_models.tables import GroupProgress, ImportRecord, ProgressReport

Figures = dict[tuple[object, object, object], tuple[int | None, int]]


@dataclass(frozen=True)
class Stored:
    """The imported reports a progress file's rows meet, each figure with the import that
    holds it: the township and village figures by (township, village, day), the special
    groups' by (day, township, group code) (only where the file has group columns), and the
    file's rows whose township (or village) figure of their day is stored as it is (``held``,
    by the file's index)."""

    reports: pd.DataFrame
    groups: pd.DataFrame
    figures: Figures
    group_figures: Figures
    held: pd.Series

    @classmethod
    def read(
        cls, session: Session, campaign_id: int, ids: dict[str, int], frame: pd.DataFrame
    ) -> Stored:
        reports = _stored(session, ProgressReport, campaign_id, ids, VILLAGE, "village")
        groups = pd.DataFrame(columns=[DATE, TOWNSHIP, GROUP, ENROLLED, IMPORT])
        if _group_columns(frame):
            groups = _stored(session, GroupProgress, campaign_id, ids, GROUP, "group_code")
        figures = _by_key(reports, [TOWNSHIP, VILLAGE, DATE])
        rows = frame[[TOWNSHIP, VILLAGE, DATE, ENROLLED]].itertuples(index=False)
        held = pd.Series(
            [pd.notna(n) and figures.get((t, v, d), (None, None))[1] == n for t, v, d, n in rows],
            index=frame.index,
            dtype=bool,
        )
        return cls(reports, groups, figures, _by_key(groups, [DATE, TOWNSHIP, GROUP]), held)

    def problems(self, session: Session, parsed: Parsed) -> list[Problem]:
        """The problems of ``parsed`` (the file these were read for) against these reports."""
        return _conflicts(session, self, parsed) + _drops(self, parsed)


def _by_key(stored: pd.DataFrame, key: list[str]) -> Figures:
    """Each stored figure's import and count, by the values of ``key``'s columns."""
    rows = stored[[*key, IMPORT, ENROLLED]].itertuples(index=False, name=None)
    return {tuple(row[:-2]): (row[-2], int(row[-1])) for row in rows}


def _group_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith(GROUP_PREFIX)]


def _stored(
    session: Session,
    table: type[SQLModel],
    campaign_id: int,
    ids: dict[str, int],
    column: str,
    field: str,
) -> pd.DataFrame:
    """A progress table's imported (non-simulated) rows of the campaign: date, township,
    ``field`` named ``column`` (the village, or a special group's code), enrolled and the
    import that holds each."""
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


def _drops(stored: Stored, parsed: Parsed) -> list[Problem]:
    """Rows that would make a township's cumulative count, or a special group's in it, lower
    than a stored report's (progress_drops), each named with the figure and the import to
    undo."""
    frame = parsed.frame
    new = frame[~stored.held]  # the rows held as they are were checked when they went in
    reasons = {(i, ENROLLED): why for i, why in township_drops(stored.reports, new).items()}
    groups = {c: c.removeprefix(GROUP_PREFIX) for c in _group_columns(frame)}
    if groups:
        reasons |= group_drops(
            stored.groups, frame, columns=groups, labels=parsed.headers
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


def _conflicts(session: Session, stored: Stored, parsed: Parsed) -> list[Problem]:
    """Rows whose township (or village) and day have another figure imported, and special
    groups' figures of a township and day imported already: by another file's villages (a
    township's group figure is its villages' sum, sent in one file), or otherwise (a
    correction is an undo and a new import); each names the import that holds it."""
    frame = parsed.frame.dropna(subset=[TOWNSHIP, DATE])
    taken, groups = stored.figures, stored.group_figures
    held = stored.held.reindex(frame.index, fill_value=False)
    found = [
        (sheet, row, parsed.headers[DATE], str(day), REPORTED, *taken[key])
        for sheet, row, township, village, day in frame.loc[
            ~held, [SHEET, ROW, TOWNSHIP, VILLAGE, DATE]
        ].itertuples(index=False)
        if (key := (township, village, day)) in taken
    ]
    for column in _group_columns(frame):
        code = column.removeprefix(GROUP_PREFIX)
        sums = frame.groupby([DATE, TOWNSHIP])[column].sum(min_count=1)
        found += [
            (sheet, row, parsed.headers[column], str(value), GROUP_REPORTED, *groups[key])
            for sheet, row, township, day, value, same in zip(
                frame[SHEET],
                frame[ROW],
                frame[TOWNSHIP],
                frame[DATE],
                frame[column],
                held,
                strict=True,
            )
            if pd.notna(value)
            and (key := (day, township, code)) in groups
            and not (same and groups[key][1] == sums[(day, township)])
        ]
    files = _file_names(session, {held for *_, held, _ in found if held})

    def reason(what: str, held: int | None, figure: int) -> str:
        where = f"由第{held}号导入（{files[held]}）" if held in files else ""
        return what.format(where=where, figure=count(figure))

    return [
        Problem(sheet, int(row), column, value, reason(what, held, figure))
        for sheet, row, column, value, what, held, figure in found
    ]


REPORTED = "该乡镇该日期的进度已{where}导入过（{figure}人），如需更正请先撤销该导入"
GROUP_REPORTED = (
    "该乡镇该日期的此项特殊群体人数已{where}导入过（{figure}人），如需更正请先撤销该导入"
    "（分村报送的，同一日期各村的特殊群体人数须在同一文件中导入）"
)


def _file_names(session: Session, imports: set[int]) -> dict[int | None, str]:
    """The file name of each of ``imports``, by its number."""
    return dict(
        session.exec(
            select(col(ImportRecord.id), col(ImportRecord.file_name)).where(
                col(ImportRecord.id).in_(sorted(imports))
            )
        ).all()
    )
