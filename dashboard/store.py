"""Campaigns in the database: saving a county's tables, loading them back as frames, seeding."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, insert
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from dashboard.campaign import (
    GROUP_PROGRESS_COLUMNS,
    GROUP_QUOTA_COLUMNS,
    PROGRESS_COLUMNS,
    QUOTA_COLUMNS,
    CampaignData,
)
from dashboard.db import create_schema
from dashboard.glossary import (
    BASE_POPULATION,
    DATE,
    ENROLLED,
    GROUP,
    LAST_YEAR_ENROLLED,
    POSITION,
    QUOTA,
    ROSTER,
    SIMULATED,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.samples import load_sample, sample_codes, sample_policy
from data_models.policy import CountyPolicy
from data_models.tables import (
    Campaign,
    County,
    GroupProgress,
    GroupQuota,
    ProgressReport,
    Quota,
    Township,
)


@dataclass(frozen=True)
class CountyRef:
    """A county as the selector lists it."""

    code: str
    name: str


def _id(row: SQLModel) -> int:
    """The primary key of a flushed row."""
    assert row.id is not None  # type: ignore[attr-defined]
    return int(row.id)  # type: ignore[attr-defined]


# Frame column -> table field, for the rows saved per township.
QUOTA_FIELDS = {
    QUOTA: "quota",
    BASE_POPULATION: "base_population",
    LAST_YEAR_ENROLLED: "last_year_enrolled",
}
GROUP_QUOTA_FIELDS = {GROUP: "group_code", ROSTER: "roster_size"}
PROGRESS_FIELDS = {
    DATE: "report_date",
    VILLAGE: "village",
    ENROLLED: "enrolled",
    SIMULATED: "simulated",
}
GROUP_PROGRESS_FIELDS = {
    DATE: "report_date",
    GROUP: "group_code",
    ENROLLED: "enrolled",
    SIMULATED: "simulated",
}


def save_campaign(session: Session, data: CampaignData) -> Campaign:
    """Insert a county (if new), its townships, campaign, quotas and progress; no commit."""
    policy = data.policy
    county = session.exec(select(County).where(County.code == policy.code)).first()
    if county is None:
        county = County(
            code=policy.code, name=policy.name, province=policy.province, city=policy.city
        )
        session.add(county)
        session.flush()
    campaign = Campaign(
        county_id=_id(county),
        benefit_year=policy.benefit_year,
        start=policy.campaign.start,
        end=policy.campaign.end,
        centralised_end=policy.campaign.centralised_end,
    )
    session.add(campaign)
    townships = [
        Township(county_id=_id(county), name=str(name), position=int(position))
        for name, position in zip(data.quotas[TOWNSHIP], data.quotas[POSITION], strict=True)
    ]
    session.add_all(townships)
    session.flush()
    ids = {t.name: _id(t) for t in townships}
    for table, frame, fields in (
        (Quota, data.quotas, QUOTA_FIELDS),
        (GroupQuota, data.group_quotas, GROUP_QUOTA_FIELDS),
        (ProgressReport, data.progress, PROGRESS_FIELDS),
        (GroupProgress, data.group_progress, GROUP_PROGRESS_FIELDS),
    ):
        _insert(session, table, frame, campaign_id=_id(campaign), township_ids=ids, fields=fields)
    return campaign


def _insert(
    session: Session,
    table: type[SQLModel],
    frame: pd.DataFrame,
    *,
    campaign_id: int,
    township_ids: dict[str, int],
    fields: dict[str, str],
) -> None:
    """Bulk-insert one row per frame row, keyed to the campaign and the township."""
    if frame.empty:
        return
    rows = [
        {
            "campaign_id": campaign_id,
            "township_id": township_ids[record[TOWNSHIP]],
            **{field: _plain(record[column]) for column, field in fields.items()},
        }
        for record in frame.to_dict("records")
    ]
    session.execute(insert(table), rows)


def _plain(value: object) -> object:
    """Missing values to None and numpy scalars to Python ones, so every driver accepts them."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def seed_samples(engine: Engine) -> list[str]:
    """Create the schema and load every sample county not yet in the database.

    Idempotent: a county already present is left as it is, and two processes starting at
    once cannot both insert it (the unique county code decides; the loser rolls back).
    Returns the codes that were loaded now.
    """
    create_schema(engine)
    loaded = []
    for code in sample_codes():
        with Session(engine) as session:
            if session.exec(select(County.id).where(County.code == code)).first() is not None:
                continue
            try:
                save_campaign(session, load_sample(code))
                session.commit()
                loaded.append(code)
            except IntegrityError:
                session.rollback()
    return loaded


def list_counties(engine: Engine) -> list[CountyRef]:
    """Counties that have a campaign, in the order of their codes."""
    with Session(engine) as session:
        counties = session.exec(select(County).order_by(County.code)).all()
        return [CountyRef(c.code, c.name) for c in counties]


def load_campaign(engine: Engine, code: str, policy: CountyPolicy | None = None) -> CampaignData:
    """A county's latest campaign as frames; KeyError when the county is not in the database."""
    policy = policy or sample_policy(code)
    with Session(engine) as session:
        county = session.exec(select(County).where(County.code == code)).first()
        if county is None:
            raise KeyError(code)
        campaign = session.exec(
            select(Campaign)
            .where(Campaign.county_id == county.id)
            .order_by(col(Campaign.benefit_year).desc())
        ).first()
        if campaign is None:
            raise KeyError(code)
        campaign_id = _id(campaign)
        quotas = _frame(session, Quota, QUOTA_FIELDS, campaign_id).sort_values(POSITION)
        groups = _frame(session, GroupQuota, GROUP_QUOTA_FIELDS, campaign_id)
        progress = _frame(session, ProgressReport, PROGRESS_FIELDS, campaign_id)
        group_progress = _frame(session, GroupProgress, GROUP_PROGRESS_FIELDS, campaign_id)
    quotas = quotas[QUOTA_COLUMNS].reset_index(drop=True)
    for column in (BASE_POPULATION, LAST_YEAR_ENROLLED):
        quotas[column] = quotas[column].astype("Int64")
    return CampaignData(
        policy=policy,
        quotas=quotas,
        progress=_typed(progress[PROGRESS_COLUMNS]),
        group_quotas=groups[GROUP_QUOTA_COLUMNS],
        group_progress=_typed(group_progress[GROUP_PROGRESS_COLUMNS]),
    )


def _frame(
    session: Session, table: type[SQLModel], fields: dict[str, str], campaign_id: int
) -> pd.DataFrame:
    """A campaign's rows of a per-township table, with the township's name and position, as a
    frame whose columns are named as in the figures (the inverse of ``_insert``)."""
    columns = table.__table__.c  # type: ignore[attr-defined]
    statement = (
        sa_select(
            col(Township.name).label(TOWNSHIP),
            col(Township.position).label(POSITION),
            *(columns[field].label(column) for column, field in fields.items()),
        )
        .join(Township, columns.township_id == col(Township.id))
        .where(columns.campaign_id == campaign_id)
    )
    rows = session.execute(statement).mappings().all()
    return pd.DataFrame(rows, columns=[TOWNSHIP, POSITION, *fields])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame[ENROLLED] = frame[ENROLLED].astype("int64")
    frame[SIMULATED] = frame[SIMULATED].astype("bool")
    return frame
