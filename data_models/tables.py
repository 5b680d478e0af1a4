"""SQLModel tables: counties, townships, campaigns, quotas and progress reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel, col

# Widths of the text columns, in characters. PostgreSQL refuses a longer value (SQLite keeps
# it), so every way in (a file's cells, a form, a policy file, a log-in) checks against these.
SHORT_TEXT = 40  # codes and names of counties, townships and groups; user names
CELL_TEXT = 60  # a person's name, a village, a payment channel, a scenario, a user's full name
LONG_TEXT = 255  # a file name; what an audit entry is about
EMAIL_TEXT = 120
NOTE_TEXT = 500  # a scenario's note
REMARKS_TEXT = 2000  # a bulletin's work requirements (工作要求)

# The largest count and amount one figure may be: beyond them it is a slip (an ID number in a
# count or amount column), never a county's; the database keeps both as 32-bit integers.
MAX_COUNT = 10_000_000  # people: a township's quota or enrolled, a county's total
MAX_FEN = 100_000_000  # 1,000,000 yuan: one payment, one receipt, one per-head rate


class County(SQLModel, table=True):
    """A county (县) that runs a campaign; ``code`` is the stable key used by the CLI."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=SHORT_TEXT)
    name: str = Field(max_length=SHORT_TEXT)
    province: str = Field(max_length=SHORT_TEXT)
    city: str = Field(max_length=SHORT_TEXT)


class Township(SQLModel, table=True):
    """A township or street office (乡镇/街道); ``position`` is its order in the quota table."""

    __table_args__ = (UniqueConstraint("county_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    name: str = Field(max_length=SHORT_TEXT)
    position: int


class Campaign(SQLModel, table=True):
    """One yearly collection campaign of a county, named by the benefit year it pays for."""

    __table_args__ = (UniqueConstraint("county_id", "benefit_year"),)

    id: int | None = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    benefit_year: int
    start: date
    end: date
    centralised_end: date
    # The campaign's CountyPolicy as JSON, so that a county's every year keeps its own rules;
    # empty in databases made before it was kept (their policy is the sample's file).
    policy: str | None = None


class Quota(SQLModel, table=True):
    """A township's quota (征缴任务数); where known, its base population and last year's count."""

    __table_args__ = (UniqueConstraint("campaign_id", "township_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    quota: int = Field(ge=0)
    base_population: int | None = Field(default=None, ge=0)
    last_year_enrolled: int | None = Field(default=None, ge=0)


class GroupQuota(SQLModel, table=True):
    """How many members of a special group a township's roster holds (the 100 % target)."""

    __table_args__ = (UniqueConstraint("campaign_id", "township_id", "group_code"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    group_code: str = Field(max_length=SHORT_TEXT)
    roster_size: int = Field(ge=0)


class ProgressReport(SQLModel, table=True):
    """A cumulative enrolled count reported for a township (or one of its villages) on a date.

    ``village`` is the empty string for a township-level figure, so the unique key works the
    same on SQLite and PostgreSQL. ``simulated`` marks generated sample data (模拟数据).
    """

    __table_args__ = (
        UniqueConstraint("campaign_id", "township_id", "village", "report_date", "simulated"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    village: str = Field(default="", max_length=CELL_TEXT)
    report_date: date
    enrolled: int = Field(ge=0)
    simulated: bool = False
    import_id: int | None = Field(default=None, foreign_key="importrecord.id", index=True)


class GroupProgress(SQLModel, table=True):
    """A cumulative enrolled count of one special group in a township on a date."""

    __table_args__ = (
        UniqueConstraint("campaign_id", "township_id", "group_code", "report_date", "simulated"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    group_code: str = Field(max_length=SHORT_TEXT)
    report_date: date
    enrolled: int = Field(ge=0)
    simulated: bool = False
    import_id: int | None = Field(default=None, foreign_key="importrecord.id", index=True)


class ImportRecord(SQLModel, table=True):
    """One file imported into a campaign: when, what, how many rows, and whether undone.

    ``content_hash`` (SHA-256 of the bytes) makes a second import of the same file a no-op.
    ``valid_only`` records that the user chose to import only the rows without problems
    (``skipped_rows`` were left out); ``previous`` keeps, for a quota table, the quotas it
    replaced (JSON), so that undoing it restores them.
    """

    __table_args__ = (
        # One active import per content: two clerks uploading the same file at once cannot
        # both get it in.
        Index(
            "uq_active_import",
            "campaign_id",
            "content_hash",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    kind: str = Field(max_length=20)
    file_name: str = Field(max_length=LONG_TEXT)
    content_hash: str = Field(max_length=64, index=True)
    imported_at: datetime
    rows: int = Field(ge=0)
    skipped_rows: int = Field(default=0, ge=0)
    existing_rows: int = Field(default=0, ge=0)
    valid_only: bool = False
    previous: str | None = None
    user: str = Field(default="", max_length=80)
    undone_at: datetime | None = None
    undone_by: str = Field(default="", max_length=80)


# A payment without a tax ticket: the list had none (a column the database fills, so that
# lists without one are written without it)
NO_VOUCHER = {"server_default": ""}
PAID_BACK = "refund_import_id IS NOT NULL"
STANDING = "refund_import_id IS NULL"


class Payment(SQLModel, table=True):
    """One person's payment (缴费明细 row): who, where, when, how much (integer fen).

    A person has one payment that stands per campaign; beside it, any they were paid back
    (a person paid back who paid again has both)."""

    __table_args__ = (
        # Lookups of a person's standing payment say STANDING too, so that they use this index.
        Index(
            "uq_payment_standing",
            "campaign_id",
            "id_number",
            unique=True,
            sqlite_where=text(STANDING),
            postgresql_where=text(STANDING),
        ),
        # Only the few payments paid back are indexed: a million inserted pay nothing for it.
        Index(
            "ix_payment_refund_import_id",
            "refund_import_id",
            sqlite_where=text(PAID_BACK),
            postgresql_where=text(PAID_BACK),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # campaign.id, importrecord.id and township.id, without foreign keys: PostgreSQL's check of
    # each inserted row doubled the import's write (migration 0011); the import, their only
    # writer, takes them from rows of its own transaction, and those rows are never deleted
    campaign_id: int = Field(index=True)
    import_id: int | None = Field(default=None, index=True)
    township_id: int = Field(index=True)
    village: str = Field(default="", max_length=CELL_TEXT)
    id_number: str = Field(max_length=18)
    name: str = Field(default="", max_length=CELL_TEXT)
    paid_on: date
    amount_fen: int = Field(ge=0)
    channel: str = Field(default="", max_length=CELL_TEXT)
    # its tax ticket (电子税票号码), where the list gave it: one per payment, it tells two of one
    # day and amount apart, and one listed again from another export (on another day) the same
    voucher: str = Field(default="", max_length=CELL_TEXT, sa_column_kwargs=NO_VOUCHER)
    simulated: bool = False
    # Paid back (a refund row of a later payment list): the person no longer counts as enrolled;
    # undoing that list's import puts the payment back.
    refunded_on: date | None = None
    refund_import_id: int | None = Field(default=None, foreign_key="importrecord.id")


# STANDING as a query's condition: a payment not paid back.
PAYMENT_STANDS = col(Payment.refund_import_id).is_(None)


class RepeatPayment(SQLModel, table=True):
    """A second payment (重复缴费) of someone whose payment stands: another day or amount, in a
    later list or later in the list that enrols them. The person is enrolled once, by the
    payment that stands; this one is kept so that its refund, in a list after it, pays it back
    instead of the payment that stands; and where a refund pays back the payment that stands
    instead (another amount), it stands in its place: a Payment of the refund's import
    (``promoted_import_id``). Undoing the import that brought it removes it."""

    __table_args__ = (Index("ix_repeatpayment_person", "campaign_id", "id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    import_id: int = Field(foreign_key="importrecord.id", index=True)
    id_number: str = Field(max_length=18)
    paid_on: date
    amount_fen: int = Field(ge=0)
    voucher: str = Field(default="", max_length=CELL_TEXT, sa_column_kwargs=NO_VOUCHER)
    refunded_on: date | None = None
    refund_import_id: int | None = Field(default=None, foreign_key="importrecord.id", index=True)
    promoted_import_id: int | None = Field(default=None, foreign_key="importrecord.id", index=True)


class PartialRefund(SQLModel, table=True):
    """Part of a payment paid back (退还多缴): a refund row of a payment list for less than the
    payment that stands (``payment_id``), the difference a subsidised person paid too much
    where the subsidy was not applied. The person stays enrolled; what they paid is the payment
    less its partial refunds. Undoing the import that recorded it removes it; the import that
    stored the payment is undone only after it."""

    __table_args__ = (Index("ix_partialrefund_person", "campaign_id", "id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    import_id: int = Field(foreign_key="importrecord.id", index=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    id_number: str = Field(max_length=18)
    refunded_on: date
    amount_fen: int = Field(gt=0)


class RosterMember(SQLModel, table=True):
    """A member of a special-group roster (资助名单): the group and when it was recognised."""

    __table_args__ = (
        UniqueConstraint("campaign_id", "id_number", "group_code"),
        Index("ix_rostermember_campaign_paid", "campaign_id", "paid_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    import_id: int | None = Field(default=None, foreign_key="importrecord.id", index=True)
    township_id: int = Field(foreign_key="township.id", index=True)
    village: str = Field(default="", max_length=CELL_TEXT)
    id_number: str = Field(max_length=18, index=True)
    name: str = Field(default="", max_length=CELL_TEXT)
    group_code: str = Field(max_length=SHORT_TEXT)
    recognised_on: date | None = None
    simulated: bool = False
    # The member's payment date, copied from the payment list by every import and undo, so
    # that the unenrolled list is a filter on this table rather than a join with payments.
    paid_on: date | None = None


class StruckMember(SQLModel, table=True):
    """A roster member struck off by a later roster (its status: 死亡, 注销, 停保 …): the
    RosterMember as it was, moved here by the import that struck it (``import_id``), and
    moved back when that import is undone. ``member_import_id`` is the import that listed it,
    ``member_id`` its id, which it gets back (a move of it, PlaceChange, still finds it; none
    where struck before migration 0015)."""

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    import_id: int = Field(foreign_key="importrecord.id", index=True)
    member_import_id: int = Field(foreign_key="importrecord.id", index=True)
    member_id: int | None = None
    township_id: int = Field(foreign_key="township.id")
    village: str = Field(default="", max_length=CELL_TEXT)
    id_number: str = Field(max_length=18)
    name: str = Field(default="", max_length=CELL_TEXT)
    group_code: str = Field(max_length=SHORT_TEXT)
    recognised_on: date | None = None


class PlaceChange(SQLModel, table=True):
    """A stored payment or roster member that a later list places in another township or
    village (the tax or civil-affairs system corrected it): its place before and after, set by
    the import that listed it so (``import_id``) and set back when that import is undone.
    ``kind`` is the import kind of the row's table ("payments": Payment, "roster":
    RosterMember), ``row_id`` its id there."""

    # an import moves a row once; its undo looks its rows up by this index
    __table_args__ = (Index("uq_placechange_import_row", "import_id", "row_id", unique=True),)

    # campaign.id, importrecord.id and township.id without foreign keys, as Payment's: the
    # import, their only writer, takes them from rows of its own transaction, and PostgreSQL's
    # four checks of each row took 6.8 s of a 200 000-row COPY
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(index=True)
    import_id: int
    kind: str = Field(max_length=SHORT_TEXT)
    row_id: int = Field(index=True)
    township_before: int
    village_before: str = Field(default="", max_length=CELL_TEXT)
    township_after: int
    village_after: str = Field(default="", max_length=CELL_TEXT)


class HeldRows(SQLModel, table=True):
    """Rows of a file stored already by an earlier import (``earlier_import_id``) that a later
    import (``import_id``) listed again, so wrote nothing of: a payment list, roster or progress
    report exported from the campaign's start and sent again. ``rows`` counts them (a progress
    report's: its township, village and special-group figures). The earlier import is undone
    only after the later one, whose file would otherwise lose them; the later one's undo drops
    its rows here."""

    import_id: int = Field(foreign_key="importrecord.id", primary_key=True)
    earlier_import_id: int = Field(foreign_key="importrecord.id", primary_key=True, index=True)
    rows: int = Field(ge=1)


class Scenario(SQLModel, table=True):
    """A named what-if: edited quotas and settlement rates, never the official figures.

    Quotas and expected enrolment are JSON objects keyed by township name; per-head rates are
    integer fen, so they come back exactly from SQLite and PostgreSQL alike.
    """

    __table_args__ = (UniqueConstraint("campaign_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    name: str = Field(max_length=CELL_TEXT)
    note: str = Field(default="", max_length=NOTE_TEXT)
    quotas: str
    enrolled: str | None = None
    expectation: str = Field(default="forecast", max_length=20)
    work_fund_fen: int = Field(ge=0)
    reward_fen: int = Field(ge=0)
    deduction_fen: int = Field(ge=0)
    created_at: datetime
    created_by: str = Field(default="", max_length=80)


class QuotaChange(SQLModel, table=True):
    """A scenario applied as the official quotas: who, when, the quotas before and after
    (JSON objects keyed by township name), and whether it was undone since.

    It orders the application among the campaign's quota-table imports, so that neither an
    import nor an application is undone past a later change of the quotas.
    """

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    scenario: str = Field(max_length=CELL_TEXT)
    applied_at: datetime
    applied_by: str = Field(max_length=SHORT_TEXT)
    before: str
    after: str
    undone_at: datetime | None = None
    undone_by: str = Field(default="", max_length=SHORT_TEXT)


class BulletinText(SQLModel, table=True):
    """The supervision office's own text of one bulletin (a period of a campaign): its document
    number (文号), work requirements (工作要求) and sign-off (落款: office and date), and who
    saved it last, when. Not official data: the figures never come from here."""

    __table_args__ = (UniqueConstraint("campaign_id", "kind", "period_index"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    kind: str = Field(max_length=20)  # week, half-month or month
    period_index: int
    number: str = Field(default="", max_length=SHORT_TEXT)
    remarks: str = Field(default="", max_length=REMARKS_TEXT)
    issuer: str = Field(default="", max_length=SHORT_TEXT)
    issued: date | None = None
    saved_at: datetime
    saved_by: str = Field(default="", max_length=80)


class TalkRecord(SQLModel, table=True):
    """A talk (约谈) held with a township flagged in a ranking (排名后三名且未完成任务): which
    ranking (kind and period number in the campaign), the day it was held, a note, and who
    recorded it when. One per township and ranking; recorded again, it is replaced."""

    __table_args__ = (UniqueConstraint("campaign_id", "township_id", "kind", "period_index"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    kind: str = Field(max_length=20)  # week, half-month or month
    period_index: int
    held_on: date
    note: str = Field(default="", max_length=NOTE_TEXT)
    recorded_at: datetime
    recorded_by: str = Field(default="", max_length=80)


class VerifiedCount(SQLModel, table=True):
    """A township's final enrolled count as the county's tax and medical-insurance bureaus
    verified it (核定) after the campaign: what the settlement is paid on. The counts of a
    campaign are verified together, on one day, with one note (the document it rests on), by
    one user; verified again, they are replaced."""

    __table_args__ = (UniqueConstraint("campaign_id", "township_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    enrolled: int
    verified_on: date
    note: str = Field(default="", max_length=NOTE_TEXT)
    recorded_at: datetime
    recorded_by: str = Field(default="", max_length=80)


class VillageQuota(SQLModel, table=True):
    """A village's (村/社区) quota as its township set it (将征收任务落实到村组), against which the
    township ranks its villages. A township's are saved together, replacing what it had."""

    __table_args__ = (UniqueConstraint("campaign_id", "township_id", "village"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    village: str = Field(max_length=CELL_TEXT)
    quota: int


class User(SQLModel, table=True):
    """A person who logs in. ``role``: leader, supervisor, clerk, township or admin; a township
    user has a county and a township and sees only that township. Only an argon2 hash of the
    password is kept."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=SHORT_TEXT)
    display_name: str = Field(default="", max_length=CELL_TEXT)
    role: str = Field(max_length=20)
    county_code: str | None = Field(default=None, max_length=SHORT_TEXT)
    township: str | None = Field(default=None, max_length=SHORT_TEXT)
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: datetime
    email: str | None = Field(default=None, unique=True, index=True, max_length=EMAIL_TEXT)
    """For the county's own identity provider (OIDC, Streamlit's st.login): the e-mail address the
    provider vouches for; stored lower-case. None: password log-in only."""
    must_change_password: bool = False
    """The password was set by an admin (a new user's first one, or a reset): the user changes it
    before any page opens."""


class LoginAttempt(SQLModel, table=True):
    """A log-in attempt (never the password): for rate limiting and the audit of bad log-ins."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, max_length=SHORT_TEXT)
    at: datetime = Field(index=True)
    success: bool


class LoginSession(SQLModel, table=True):
    """A log-in kept across page reloads: the browser holds a random token in a cookie, the
    database only its SHA-256. Ends at ``expires_at``, on log-out, or when the user's password,
    role or state changes (``ended_at``)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """A change of official data: who, when, what, before and after (JSON). Append-only: the
    app has no way to edit or delete a row."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    username: str = Field(max_length=SHORT_TEXT)
    action: str = Field(max_length=SHORT_TEXT)
    county_code: str = Field(default="", max_length=SHORT_TEXT)
    target: str = Field(default="", max_length=LONG_TEXT)
    before: str | None = None
    after: str | None = None


class PaymentDaily(SQLModel, table=True):
    """New payers per township, village and day: the payment list summed, kept up to date by
    every import and undo, so pages never read person-level rows to draw progress."""

    __table_args__ = (
        UniqueConstraint("campaign_id", "township_id", "village", "paid_on", "simulated"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    village: str = Field(default="", max_length=CELL_TEXT)
    paid_on: date
    simulated: bool = False
    persons: int = Field(ge=0)


class GroupDaily(SQLModel, table=True):
    """Roster members whose payment falls on a day, per township and group (kept like
    PaymentDaily)."""

    __table_args__ = (
        UniqueConstraint("campaign_id", "township_id", "group_code", "paid_on", "simulated"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    group_code: str = Field(max_length=SHORT_TEXT)
    paid_on: date
    simulated: bool = False
    persons: int = Field(ge=0)


class GroupRoster(SQLModel, table=True):
    """Roster size per township and group (distinct ID numbers), kept like PaymentDaily."""

    __table_args__ = (UniqueConstraint("campaign_id", "township_id", "group_code", "simulated"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    township_id: int = Field(foreign_key="township.id")
    group_code: str = Field(max_length=SHORT_TEXT)
    simulated: bool = False
    members: int = Field(ge=0)
