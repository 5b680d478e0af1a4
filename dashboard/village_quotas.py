"""Village quotas a township sets for its villages (将征收任务落实到村组): checked, saved with the
audit entry, read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from dashboard.audit import record
from dashboard.layout import normalise_name
from dashboard.problems import EntriesRefused
from dashboard.store import campaign_of, campaign_townships
from dashboard.whatif import validate_quotas
from data_models.tables import CELL_TEXT, VillageQuota

QUOTA_LABEL = "村任务数"


class VillageQuotasRefused(EntriesRefused):
    """Village quotas that cannot be saved; ``problems`` says why, in Chinese."""


def checked_village_quotas(rows: Iterable[tuple[Any, Any]]) -> tuple[dict[str, int], list[str]]:
    """Village quotas as entered, (village, quota) a row, as whole numbers by village name, and
    what is wrong with them in Chinese (empty: nothing).

    Names are folded as the files' are (full-width to half-width, no spaces); a row without a
    quota sets none (a village the township leaves out), a row with a quota needs a name, a name
    stands once, fits its column, and its quota is a whole number from 0 to MAX_COUNT.
    """
    entered: dict[str, object] = {}
    problems = []
    for number, (village, quota) in enumerate(rows, start=1):
        name = "" if _blank(village) else normalise_name(str(village))
        if _blank(quota):
            continue
        if not name:
            problems.append(f"第{number}行：有{QUOTA_LABEL}而没有村（社区）名称")
        elif name in entered:
            problems.append(f"{name}：村（社区）重复")
        elif len(name) > CELL_TEXT:
            problems.append(f"{name[:20]}…：村（社区）名称最多{CELL_TEXT}个字")
        else:
            entered[name] = quota
    quotas, wrong = validate_quotas(entered, list(entered), label=QUOTA_LABEL)
    return quotas, problems + wrong


def _blank(value: object) -> bool:
    """Nothing entered: None, NaN or pandas' NA (an editor's empty cell), or spaces."""
    if isinstance(value, str):
        return value.strip() == ""
    return value is None or bool(pd.isna(value))


def village_quotas(engine: Engine, code: str, year: int, township: str) -> dict[str, int]:
    """The quotas the township set for its villages in the county's campaign of ``year``,
    by village name (empty: none set)."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year)
        assert campaign.id is not None
        township_id = campaign_townships(session, campaign.id).get(township)
        return _stored(session, campaign.id, township_id)


def _mine(campaign_id: int, township_id: int | None) -> tuple[Any, Any]:
    """Where a campaign's village quotas of one township are."""
    return (
        col(VillageQuota.campaign_id) == campaign_id,
        col(VillageQuota.township_id) == township_id,
    )


def _stored(session: Session, campaign_id: int, township_id: int | None) -> dict[str, int]:
    """The township's village quotas as stored, in the order they were entered."""
    rows = session.exec(
        select(VillageQuota).where(*_mine(campaign_id, township_id)).order_by(col(VillageQuota.id))
    )
    return {row.village: row.quota for row in rows}


def save_village_quotas(
    engine: Engine,
    code: str,
    year: int,
    *,
    township: str,
    rows: Iterable[tuple[Any, Any]],
    user: str,
) -> dict[str, int]:
    """Replace the township's village quotas with those entered (checked_village_quotas), with
    the audit entry, in one transaction; returns them. VillageQuotasRefused, with every
    problem, when they cannot be saved."""
    quotas, problems = checked_village_quotas(rows)
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year, lock=True)
        assert campaign.id is not None
        township_id = campaign_townships(session, campaign.id).get(township)
        if township_id is None:
            problems.append(f"本年度没有乡镇“{township}”")
        if problems or township_id is None:
            raise VillageQuotasRefused(problems)
        before = _stored(session, campaign.id, township_id)
        session.exec(delete(VillageQuota).where(*_mine(campaign.id, township_id)))
        for village, quota in quotas.items():
            session.add(
                VillageQuota(
                    campaign_id=campaign.id, township_id=township_id, village=village, quota=quota
                )
            )
        record(
            session,
            user=user,
            action="village_quotas_saved",
            county=code,
            target=f"{township}各村任务数",
            before={QUOTA_LABEL: before} if before else None,
            after={QUOTA_LABEL: quotas},
        )
        session.commit()
    return quotas
