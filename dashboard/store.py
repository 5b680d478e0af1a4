"""Campaigns in the database: saving a county's tables, loading them back as frames, seeding."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine, Select, and_, func, insert, or_, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from dashboard.aggregates import refresh
from dashboard.auth import seed_demo_users
from dashboard.bulk import bulk_insert
from dashboard.campaign import (
    GROUP_PROGRESS_COLUMNS,
    GROUP_QUOTA_COLUMNS,
    PROGRESS_COLUMNS,
    QUOTA_COLUMNS,
    CampaignData,
    VerifiedCounts,
)
from dashboard.db import migrate
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
    PART_REFUNDED,
    POSITION,
    QUOTA,
    RECOGNISED_ON,
    ROSTER,
    SIMULATED,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.partial_refunds import part_refunded
from dashboard.persons import MEMBER_COLUMNS
from dashboard.samples import load_sample, sample_codes, sample_policy, samples_wanted
from dashboard.simulate import simulate_groups
from dashboard.simulate_people import simulate_roster_and_payments
from dashboard.sources import choose_groups, choose_progress, cumulative, drop_shadowed
from data_models.policy import STORED, CountyPolicy
from data_models.tables import (
    PAYMENT_STANDS,
    Campaign,
    County,
    GroupDaily,
    GroupProgress,
    GroupQuota,
    GroupRoster,
    Payment,
    PaymentDaily,
    ProgressReport,
    Quota,
    RosterMember,
    Township,
    VerifiedCount,
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


ROSTER_FIELDS = {
    ID_NUMBER: "id_number",
    NAME: "name",
    VILLAGE: "village",
    GROUP: "group_code",
    RECOGNISED_ON: "recognised_on",
    PAID_ON: "paid_on",
}
PAYMENT_FIELDS = {
    ID_NUMBER: "id_number",
    NAME: "name",
    VILLAGE: "village",
    PAID_ON: "paid_on",
    AMOUNT: "amount_fen",
    CHANNEL: "channel",
}


def save_campaign(session: Session, data: CampaignData) -> Campaign:
    """Insert a county (if new), its townships (those not yet known; every one takes its place
    in this quota table), the campaign with its policy, quotas and progress; no commit."""
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
        policy=policy.model_dump_json(),
    )
    session.add(campaign)
    known = {
        t.name: t for t in session.exec(select(Township).where(Township.county_id == county.id))
    }
    townships = []
    for name, position in zip(data.quotas[TOWNSHIP], data.quotas[POSITION], strict=True):
        township = known.get(str(name)) or Township(
            county_id=_id(county), name=str(name), position=int(position)
        )
        township.position = int(position)
        townships.append(township)
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


def seed_samples(engine: Engine, *, people: bool = True) -> list[str]:
    """Create the schema and load every sample county not yet in the database (with its
    simulated rosters and payments unless ``people`` is False).

    Idempotent: a county already present is left as it is, and two processes starting at
    once cannot both insert it (the unique county code decides; the loser rolls back).
    Returns the codes that were loaded now. The demo users are created too, when there are
    no users at all. With DASHBOARD_SAMPLE_DATA=0 only the schema is made.
    """
    migrate(engine)
    if not samples_wanted():
        return []
    loaded = []
    for code in sample_codes():
        with Session(engine) as session:
            if session.exec(select(County.id).where(County.code == code)).first() is not None:
                continue
            try:
                data = load_sample(code)
                campaign = save_campaign(session, data)
                if people:
                    _save_simulated_people(session, data, _id(campaign))
                session.commit()
                loaded.append(code)
            except IntegrityError:
                session.rollback()
    seed_demo_users(engine)
    return loaded


def replacing(write: Callable[[], None]) -> None:
    """Run ``write`` — one transaction that finds a row by a unique key and replaces it, or
    inserts it — once more when another session inserted the same row first (the unique key
    refused the insert): the second run finds that row and replaces it."""
    try:
        write()
    except IntegrityError:
        write()


def campaign_of(
    session: Session, code: str, *, year: int | None = None, lock: bool = False
) -> Campaign:
    """A county's campaign of the benefit year ``year`` (None: the latest); KeyError when the
    county or that campaign is missing.

    ``lock`` holds the campaign's row until the session's transaction ends (PostgreSQL's
    FOR UPDATE; SQLite lets one writer at a time anyway), so that two changes of the same
    campaign's data — each rebuilding its aggregates over all of it — run one after the other
    instead of deadlocking.
    """
    county = session.exec(select(County).where(County.code == code)).first()
    if county is None:
        raise KeyError(code)
    statement = select(Campaign).where(Campaign.county_id == county.id)
    if year is not None:
        statement = statement.where(Campaign.benefit_year == year)
    statement = statement.order_by(col(Campaign.benefit_year).desc()).limit(1)
    campaign = session.exec(statement.with_for_update() if lock else statement).first()
    if campaign is None:
        raise KeyError(code if year is None else f"{code} {year}")
    return campaign


def campaign_years(engine: Engine, code: str) -> list[int]:
    """The benefit years a county has campaigns for, newest first."""
    with Session(engine) as session:
        years = session.exec(
            select(Campaign.benefit_year)
            .join(County, col(County.id) == col(Campaign.county_id))
            .where(County.code == code)
            .order_by(col(Campaign.benefit_year).desc())
        )
        return list(years)


def township_ids(session: Session, county_id: int) -> dict[str, int]:
    """Township name -> id for a county, in quota-table order."""
    rows = session.exec(
        select(Township.name, Township.id)
        .where(Township.county_id == county_id)
        .order_by(col(Township.position))
    ).all()
    return {name: int(tid) for name, tid in rows if tid is not None}


def campaign_townships(session: Session, campaign_id: int) -> dict[str, int]:
    """Township name -> id for the townships with a quota in one campaign (a county's
    townships can change from year to year), in quota-table order."""
    rows = session.exec(
        select(Township.name, Township.id)
        .join(Quota, col(Quota.township_id) == col(Township.id))
        .where(Quota.campaign_id == campaign_id)
        .order_by(col(Township.position))
    ).all()
    return {name: int(tid) for name, tid in rows if tid is not None}


def official_quotas(session: Session, campaign_id: int) -> dict[str, int]:
    """The campaign's official quotas as stored, by township."""
    names = {v: k for k, v in campaign_townships(session, campaign_id).items()}
    quotas = session.exec(select(Quota).where(Quota.campaign_id == campaign_id)).all()
    return {names[q.township_id]: q.quota for q in quotas}


def _save_simulated_people(session: Session, data: CampaignData, campaign_id: int) -> None:
    """Simulated rosters and payments for a sample county: after its quota table's group
    counts and group progress where it has them, else of simulated sizes."""
    if data.group_quotas.empty:
        group_quotas, group_progress = simulate_groups(data.policy, data.quotas)
    else:
        group_quotas, group_progress = data.group_quotas, data.group_progress
    roster, payments = simulate_roster_and_payments(data.policy, group_quotas, group_progress)
    # the payment date each import copies onto the roster, set here at once (faster)
    paid_on = roster[ID_NUMBER].map(payments.set_index(ID_NUMBER)[PAID_ON]).astype(object)
    roster[PAID_ON] = paid_on.where(paid_on.notna(), None)
    ids = township_ids(session, _county_id(session, data.policy.code))
    for table, frame, fields in (
        (RosterMember, roster, ROSTER_FIELDS),
        (Payment, payments, PAYMENT_FIELDS),
    ):
        rows = frame.rename(columns=fields).assign(
            campaign_id=campaign_id, township_id=frame[TOWNSHIP].map(ids), simulated=True
        )
        bulk_insert(session, table, rows.drop(columns=[TOWNSHIP]))
    refresh(session, campaign_id)


def _county_id(session: Session, code: str) -> int:
    county = session.exec(select(County).where(County.code == code)).one()
    return _id(county)


def list_counties(engine: Engine) -> list[CountyRef]:
    """Counties that have a campaign, in the order of their codes."""
    with Session(engine) as session:
        counties = session.exec(select(County).order_by(County.code)).all()
        return [CountyRef(c.code, c.name) for c in counties]


def stored_policy(campaign: Campaign, code: str) -> CountyPolicy:
    """The policy a campaign was opened under (the sample's file for a campaign stored before
    policies were kept in the database)."""
    if campaign.policy is None:
        return sample_policy(code)
    return CountyPolicy.model_validate_json(campaign.policy, context=STORED)


def campaign_table(engine: Engine, code: str) -> pd.DataFrame:
    """A county's campaigns, newest first: benefit_year, start, end, centralised_end,
    townships (how many have a quota), quota (their sum), source (the policy's basis)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Campaign, func.count(col(Quota.id)), func.sum(Quota.quota))
            .join(County, col(County.id) == col(Campaign.county_id))
            .join(Quota, col(Quota.campaign_id) == col(Campaign.id), isouter=True)
            .where(County.code == code)
            .group_by(col(Campaign.id))
            .order_by(col(Campaign.benefit_year).desc())
        ).all()
        return pd.DataFrame(
            [
                {
                    "benefit_year": c.benefit_year,
                    "start": c.start,
                    "end": c.end,
                    "centralised_end": c.centralised_end,
                    TOWNSHIP: int(n),
                    QUOTA: int(total or 0),
                    "source": stored_policy(c, code).source,
                }
                for c, n, total in rows
            ],
            columns=["benefit_year", "start", "end", "centralised_end", TOWNSHIP, QUOTA, "source"],
        )


def campaign_policy(engine: Engine, code: str, *, year: int | None = None) -> CountyPolicy:
    """The policy of a county's campaign of ``year`` (None: the latest); KeyError when the
    county or that campaign is not stored."""
    with Session(engine) as session:
        return stored_policy(campaign_of(session, code, year=year), code)


def load_campaign(
    engine: Engine, code: str, policy: CountyPolicy | None = None, *, year: int | None = None
) -> CampaignData:
    """A county's campaign of ``year`` (None: the latest) as frames, under its stored policy
    unless ``policy`` is given; KeyError when the county or the campaign is not stored."""
    with Session(engine) as session:
        campaign = campaign_of(session, code, year=year)
        policy = policy or stored_policy(campaign, code)
        campaign_id = _id(campaign)
        quotas = _frame(session, Quota, QUOTA_FIELDS, campaign_id).sort_values(POSITION)
        group_quotas = _frame(session, GroupQuota, GROUP_QUOTA_FIELDS, campaign_id)
        reports = _frame(session, ProgressReport, PROGRESS_FIELDS, campaign_id)
        group_reports = _frame(session, GroupProgress, GROUP_PROGRESS_FIELDS, campaign_id)
        paid = _payments_daily(session, campaign_id)
        roster_sizes, roster_paid = _roster_figures(session, campaign_id)
        verified = verified_counts(session, campaign_id)
    quotas = quotas[QUOTA_COLUMNS].reset_index(drop=True)
    for column in (BASE_POPULATION, LAST_YEAR_ENROLLED):
        quotas[column] = quotas[column].astype("Int64")
    progress, sources, passed_over = choose_progress(_typed(reports[PROGRESS_COLUMNS]), paid)
    groups, group_progress = choose_groups(
        group_quotas[GROUP_QUOTA_COLUMNS],
        _typed(group_reports[GROUP_PROGRESS_COLUMNS]),
        roster_sizes,
        roster_paid,
    )
    return CampaignData(
        policy=policy,
        quotas=quotas,
        progress=progress,
        group_quotas=groups,
        group_progress=_typed(group_progress),
        sources=sources,
        passed_over=passed_over,
        verified=verified,
    )


def last_years_campaign(engine: Engine, code: str, year: int) -> CampaignData | None:
    """The county's campaign of the benefit year before ``year`` (上年), None where it has
    none stored."""
    if year - 1 not in campaign_years(engine, code):
        return None
    return load_campaign(engine, code, year=year - 1)


def verified_counts(session: Session, campaign_id: int) -> VerifiedCounts | None:
    """The final counts verified after the campaign (dashboard.verified records them),
    townships in quota-table order; None before they are recorded."""
    rows = session.exec(
        select(VerifiedCount, Township.name)
        .join(Township, col(Township.id) == col(VerifiedCount.township_id))
        .where(VerifiedCount.campaign_id == campaign_id)
        .order_by(col(Township.position))
    ).all()
    if not rows:
        return None
    first = rows[0][0]
    return VerifiedCounts(
        enrolled={name: row.enrolled for row, name in rows},
        verified_on=first.verified_on,
        note=first.note,
        recorded_by=first.recorded_by,
        recorded_at=first.recorded_at,
    )


def _frame(
    session: Session, table: type[SQLModel], fields: dict[str, str], campaign_id: int
) -> pd.DataFrame:
    """A campaign's rows of a per-township table, with the township's name and position, as a
    frame whose columns are named as in the figures (the inverse of ``_insert``)."""
    columns = table.__table__.c  # type: ignore[attr-defined]
    statement: Select = (
        sa_select(
            col(Township.name).label(TOWNSHIP),
            col(Township.position).label(POSITION),
            *(columns[field].label(column) for column, field in fields.items()),
        )
        .join(Township, columns.township_id == col(Township.id))
        .where(columns.campaign_id == campaign_id)
    )
    rows = session.connection().execute(statement).fetchall()
    return _columns(rows, [TOWNSHIP, POSITION, *fields])


def _payments_daily(session: Session, campaign_id: int) -> pd.DataFrame:
    """Cumulative distinct payers per township and day, from the daily aggregate (villages
    summed in the database: a county has hundreds of villages, the pages need townships)."""
    rows = (
        session.connection()
        .execute(
            sa_select(
                col(PaymentDaily.paid_on),
                col(Township.name),
                col(PaymentDaily.simulated),
                func.sum(col(PaymentDaily.persons)),
            )
            .join(Township, col(PaymentDaily.township_id) == col(Township.id))
            .where(col(PaymentDaily.campaign_id) == campaign_id)
            .group_by(col(PaymentDaily.paid_on), col(Township.name), col(PaymentDaily.simulated))
        )
        .fetchall()
    )
    daily = _columns(rows, [DATE, TOWNSHIP, SIMULATED, ENROLLED])
    daily[VILLAGE] = ""
    if daily.empty:
        return _typed(daily[PROGRESS_COLUMNS])
    return _typed(cumulative(daily, [TOWNSHIP, VILLAGE])[PROGRESS_COLUMNS])


def payment_villages(
    engine: Engine, code: str, township: str, *, year: int | None = None
) -> pd.DataFrame:
    """Cumulative distinct payers per village and day of one township (progress columns), in
    the county's campaign of ``year`` (None: the latest)."""
    with Session(engine) as session:
        campaign_id = _id(campaign_of(session, code, year=year))
        daily = _frame(
            session,
            PaymentDaily,
            {DATE: "paid_on", VILLAGE: "village", SIMULATED: "simulated", ENROLLED: "persons"},
            campaign_id,
        )
    daily = drop_shadowed(daily[daily[TOWNSHIP] == township], daily, [TOWNSHIP])
    if daily.empty:
        return _typed(daily[PROGRESS_COLUMNS])
    return _typed(cumulative(daily, [TOWNSHIP, VILLAGE])[PROGRESS_COLUMNS])


PAYMENT_COLUMNS = [VILLAGE, ID_NUMBER, NAME, PAID_ON, AMOUNT]


def township_payments(
    engine: Engine, code: str, township: str, *, paid_by: date, year: int | None = None
) -> pd.DataFrame:
    """The payment-list rows of one township paid on or before ``paid_by`` and not paid back
    (village, id_number, name, paid_on, amount in fen: less what partial refunds paid back of
    it by then), for an export made on request, never on a rerun; simulated rows are left out
    where the township has imported ones, as everywhere."""
    with Session(engine) as session:
        campaign_id = _id(campaign_of(session, code, year=year))
        township_id = campaign_townships(session, campaign_id)[township]
        imported = session.exec(
            select(PaymentDaily.id).where(
                PaymentDaily.campaign_id == campaign_id,
                PaymentDaily.township_id == township_id,
                col(PaymentDaily.simulated).is_(False),
            )
        ).first()
        statement: Select = sa_select(
            col(Payment.village),
            col(Payment.id_number),
            col(Payment.name),
            col(Payment.paid_on),
            col(Payment.amount_fen) - part_refunded(paid_by),
        ).where(
            col(Payment.campaign_id) == campaign_id,
            col(Payment.township_id) == township_id,
            col(Payment.paid_on) <= paid_by,
            PAYMENT_STANDS,
        )
        if imported is not None:
            statement = statement.where(col(Payment.simulated).is_(False))
        rows = session.connection().execute(statement).fetchall()
    return _columns(rows, PAYMENT_COLUMNS)


def _roster_figures(session: Session, campaign_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Roster sizes per township and group, and cumulative roster members with a payment."""
    keys = [TOWNSHIP, GROUP]
    members = _frame(
        session,
        GroupRoster,
        {GROUP: "group_code", SIMULATED: "simulated", ROSTER: "members"},
        campaign_id,
    )
    sizes = drop_shadowed(members, members, keys)
    sizes = sizes.groupby(keys, as_index=False)[ROSTER].sum() if not sizes.empty else sizes
    paid = _frame(
        session,
        GroupDaily,
        {DATE: "paid_on", GROUP: "group_code", SIMULATED: "simulated", ENROLLED: "persons"},
        campaign_id,
    )
    paid = drop_shadowed(paid, members, keys)
    if not paid.empty:
        paid = cumulative(paid, [TOWNSHIP, GROUP])
    return sizes[GROUP_QUOTA_COLUMNS], _typed(paid[GROUP_PROGRESS_COLUMNS])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame[ENROLLED] = frame[ENROLLED].astype("int64")
    frame[SIMULATED] = frame[SIMULATED].astype("bool")
    return frame


def roster_members(
    engine: Engine,
    code: str,
    township: str | None = None,
    *,
    unpaid_on: date | None = None,
    year: int | None = None,
    amounts: bool = False,
    refunded_by: date | None = None,
) -> pd.DataFrame:
    """Imported roster members with their payment date (None when not paid), one row per
    member and group: id_number, name, township, village, group, recognised_on, paid_on; and
    with ``amounts`` amount_fen, what the payment that stands paid (None when there is none),
    and part_refunded_fen, what partial refunds paid back of it (on or before ``refunded_by``,
    if given; 0 where none did).

    ``township`` limits the query to one township; ``unpaid_on`` to members without a payment
    on or before that day (a filter in the database on the payment date each import copies
    onto the roster); ``year`` picks the campaign (None: the latest).
    """
    with Session(engine) as session:
        campaign_id = _id(campaign_of(session, code, year=year))
        statement: Select = (
            sa_select(
                col(RosterMember.id_number),
                col(RosterMember.name),
                col(Township.name),
                col(RosterMember.village),
                col(RosterMember.group_code),
                col(RosterMember.recognised_on),
                col(RosterMember.paid_on),
            )
            .join(Township, col(RosterMember.township_id) == col(Township.id))
            .where(col(RosterMember.campaign_id) == campaign_id)
        )
        if township is not None:
            statement = statement.where(col(Township.name) == township)
        columns = MEMBER_COLUMNS
        if amounts:  # at most one standing payment a person (uq_payment_standing)
            paid_back = part_refunded(refunded_by)
            statement = statement.add_columns(col(Payment.amount_fen), paid_back).outerjoin(
                Payment,
                and_(
                    col(Payment.campaign_id) == campaign_id,
                    col(Payment.id_number) == col(RosterMember.id_number),
                    PAYMENT_STANDS,
                ),
            )
            columns = [*MEMBER_COLUMNS, AMOUNT, PART_REFUNDED]
        statement = _without_shadowed_members(session, statement, campaign_id)
        if unpaid_on is not None:
            statement = statement.where(
                or_(col(RosterMember.paid_on).is_(None), col(RosterMember.paid_on) > unpaid_on)
            )
        rows = session.connection().execute(statement).fetchall()
    return _columns(rows, columns)


def roster_villages_of(
    engine: Engine, code: str, township: str | None, *, year: int | None = None
) -> list[str] | None:
    """Distinct villages of the roster members (of one township, if given) in the campaign of
    ``year`` (None: the latest), sorted; None when no roster was imported."""
    with Session(engine) as session:
        campaign_id = _id(campaign_of(session, code, year=year))
        statement: Select = (
            sa_select(col(RosterMember.village))
            .distinct()
            .join(Township, col(RosterMember.township_id) == col(Township.id))
            .where(col(RosterMember.campaign_id) == campaign_id)
        )
        if township is not None:
            statement = statement.where(col(Township.name) == township)
        statement = _without_shadowed_members(session, statement, campaign_id)
        villages = sorted(v for (v,) in session.connection().execute(statement).fetchall())
    return villages or None


def _without_shadowed_members(session: Session, statement: Select, campaign_id: int) -> Select:
    """Leave out simulated roster members of a township and group that has imported ones
    (the pairs come from the small per-group aggregate, not the member table)."""
    imported = session.exec(
        select(GroupRoster.township_id, GroupRoster.group_code).where(
            GroupRoster.campaign_id == campaign_id, col(GroupRoster.simulated).is_(False)
        )
    ).all()
    if not imported:
        return statement
    pairs = tuple_(col(RosterMember.township_id), col(RosterMember.group_code))
    return statement.where(
        or_(col(RosterMember.simulated).is_(False), pairs.not_in([tuple(p) for p in imported]))
    )


def _columns(rows: Sequence[Sequence[object]], names: list[str]) -> pd.DataFrame:
    """Rows of a query as a frame, built column by column (pandas treats each SQLAlchemy Row
    as a mapping otherwise, several times slower)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return pd.DataFrame({n: list(v) for n, v in zip(names, columns, strict=True)}, columns=names)
