"""Campaigns in the database: saving a county's tables, loading them back as frames, seeding."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

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


def _nullable(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


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
        county_id=county.id,  # type: ignore[arg-type]
        benefit_year=policy.benefit_year,
        start=policy.campaign.start,
        end=policy.campaign.end,
        centralised_end=policy.campaign.centralised_end,
    )
    session.add(campaign)
    ids = {}
    for row in data.quotas.itertuples(index=False):
        township = Township(
            county_id=county.id, name=getattr(row, TOWNSHIP), position=int(getattr(row, POSITION))
        )  # type: ignore[arg-type]
        session.add(township)
        session.flush()
        ids[township.name] = township.id
    session.flush()
    rows = [
        {
            "campaign_id": campaign.id,
            "township_id": ids[r[TOWNSHIP]],
            "quota": int(r[QUOTA]),
            "base_population": _nullable(r[BASE_POPULATION]),
            "last_year_enrolled": _nullable(r[LAST_YEAR_ENROLLED]),
        }
        for r in data.quotas.to_dict("records")
    ]
    session.execute(insert(Quota), rows)
    _insert(
        session,
        GroupQuota,
        data.group_quotas,
        campaign.id,
        ids,
        {GROUP: "group_code", ROSTER: "roster_size"},
    )  # type: ignore[arg-type]
    _insert(
        session,
        ProgressReport,
        data.progress,
        campaign.id,
        ids,
        {DATE: "report_date", VILLAGE: "village", ENROLLED: "enrolled", SIMULATED: "simulated"},
    )  # type: ignore[arg-type]
    _insert(
        session,
        GroupProgress,
        data.group_progress,
        campaign.id,
        ids,
        {DATE: "report_date", GROUP: "group_code", ENROLLED: "enrolled", SIMULATED: "simulated"},
    )  # type: ignore[arg-type]
    return campaign


def _insert(
    session: Session,
    table: type,
    frame: pd.DataFrame,
    campaign_id: int,
    ids: dict[str, int],
    columns: dict[str, str],
) -> None:
    if frame.empty:
        return
    rows = [
        {
            "campaign_id": campaign_id,
            "township_id": ids[r[TOWNSHIP]],
            **{field: _plain(r[col]) for col, field in columns.items()},
        }
        for r in frame.to_dict("records")
    ]
    session.execute(insert(table), rows)


def _plain(value: object) -> object:
    """numpy scalars to Python ones, so every driver accepts them."""
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
            .order_by(Campaign.benefit_year.desc())  # type: ignore[attr-defined]
        ).first()
        if campaign is None:
            raise KeyError(code)
        quotas = session.exec(
            select(
                Township.name,
                Township.position,
                Quota.quota,
                Quota.base_population,
                Quota.last_year_enrolled,
            )
            .join(Quota, Quota.township_id == Township.id)  # type: ignore[arg-type]
            .where(Quota.campaign_id == campaign.id)
            .order_by(Township.position)
        ).all()
        groups = session.exec(
            select(Township.name, GroupQuota.group_code, GroupQuota.roster_size)
            .join(GroupQuota, GroupQuota.township_id == Township.id)  # type: ignore[arg-type]
            .where(GroupQuota.campaign_id == campaign.id)
        ).all()
        progress = session.exec(
            select(
                ProgressReport.report_date,
                Township.name,
                ProgressReport.village,
                ProgressReport.enrolled,
                ProgressReport.simulated,
            )
            .join(Township, ProgressReport.township_id == Township.id)  # type: ignore[arg-type]
            .where(ProgressReport.campaign_id == campaign.id)
        ).all()
        group_progress = session.exec(
            select(
                GroupProgress.report_date,
                Township.name,
                GroupProgress.group_code,
                GroupProgress.enrolled,
                GroupProgress.simulated,
            )
            .join(Township, GroupProgress.township_id == Township.id)  # type: ignore[arg-type]
            .where(GroupProgress.campaign_id == campaign.id)
        ).all()
    quota_frame = pd.DataFrame.from_records(quotas, columns=QUOTA_COLUMNS)
    for column in (BASE_POPULATION, LAST_YEAR_ENROLLED):
        quota_frame[column] = quota_frame[column].astype("Int64")
    return CampaignData(
        policy=policy,
        quotas=quota_frame,
        progress=_typed(pd.DataFrame.from_records(progress, columns=PROGRESS_COLUMNS)),
        group_quotas=pd.DataFrame.from_records(groups, columns=GROUP_QUOTA_COLUMNS),
        group_progress=_typed(
            pd.DataFrame.from_records(group_progress, columns=GROUP_PROGRESS_COLUMNS)
        ),
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame[ENROLLED] = frame[ENROLLED].astype("int64")
    frame[SIMULATED] = frame[SIMULATED].astype("bool")
    return frame
