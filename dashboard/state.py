"""Streamlit glue in one place: cached database access, the shared sidebar, session state."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard import formatting as fmt
from dashboard.amending import Amendment, amend_policy, amendment_of
from dashboard.audit import data_version, entries, operators
from dashboard.auth import (
    SESSION_LENGTH,
    Account,
    LoginRefused,
    UserRefused,
    authenticate,
    authenticate_external,
    change_own_password,
    change_user,
    create_user,
    end_session,
    failed_logins,
    has_users,
    identity_providers,
    resume_session,
    start_session,
    users,
)
from dashboard.campaign import CampaignData
from dashboard.db import database_url, make_engine
from dashboard.failures import guarded
from dashboard.glossary import SIMULATED_LABEL
from dashboard.importing import (
    Checked,
    ImportRefused,
    LaterImportsFirst,
    Outcome,
    apply_import,
    check_file,
    content_hash,
    import_history,
    undo_import,
)
from dashboard.layout import FileKind, Kind
from dashboard.opening import Opened, OpeningCheck, check_opening, open_campaign
from dashboard.parsing import Parsed, outside_scope, parse_file
from dashboard.policy_form import PolicyDraft
from dashboard.problems import InputError, Problem
from dashboard.remittance import RemittanceRule
from dashboard.samples import printed_quotas, samples_wanted
from dashboard.scenario_files import ScenarioFile, parse_scenario, read_scenario
from dashboard.scenarios import (
    Application,
    ScenarioData,
    ScenarioRefused,
    apply_scenario,
    delete_scenario,
    last_application,
    list_scenarios,
    save_scenario,
    undo_application,
)
from dashboard.simulate_ledger import ledger_example_csv
from dashboard.store import (
    CountyRef,
    campaign_table,
    campaign_years,
    list_counties,
    load_campaign,
    seed_samples,
)
from dashboard.township_names import find_township
from dashboard.whatif import Expectation, expected_enrolled, rebased
from data_models.policy import CountyPolicy
from data_models.tables import AuditLog, ImportRecord, LoginAttempt, User

T = TypeVar("T")
COUNTY_KEY = "county"
TOWNSHIP_PARAM = "township"  # a township page's address names its township: ?township=湍东镇
ACCOUNT_KEY = "account"
CHECKS_KEY = "upload_checks"
CHECKS_VERSION_KEY = "upload_checks_version"  # the data version they were made at
FLASH_KEY = "flash"
UNDO_CONFIRM_KEY = "undo_confirm"
SELECTION_KEY = "selection"
YEAR_KEY = "year"
AS_OF_MEMORY_KEY = "as_of_by_county"
AS_OF_LATEST_KEY = "latest_by_county"  # the newest day each county had at the session's last run
EXTERNAL_REFUSAL_KEY = "external_login_refused"
SESSION_TOKEN_KEY = "session_token"
COOKIE_PENDING_KEY = "session_cookie_pending"
SESSION_COOKIE = "dashboard_session"


@st.cache_resource(show_spinner="正在准备数据库（首次启动时建立数据库、载入示例数据，约需十余秒）…")
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    seed_samples(engine)
    return engine


# --- who is logged in ------------------------------------------------------------------


def account() -> Account | None:
    """The logged-in account of this browser session, or None. Someone the county's identity
    provider has logged in (st.login) is taken in here once, if an active user has their
    e-mail address; otherwise the refusal is kept for the log-in page to show."""
    found: Account | None = st.session_state.get(ACCOUNT_KEY)
    if found is None:
        found = _resume_from_cookie()
    if found is None and _external_login_pending():
        try:
            found = authenticate_external(
                engine(),
                str(st.user.get("email") or ""),
                verified=st.user.get("email_verified") is not False,
            )
        except LoginRefused as refusal:
            st.session_state[EXTERNAL_REFUSAL_KEY] = str(refusal)
        else:
            st.session_state[ACCOUNT_KEY] = found
    return found


def _resume_from_cookie() -> Account | None:
    """After a reload or in a new tab: the account of the browser's session cookie, while that
    log-in session lasts (its token is checked against the database every time)."""
    token = st.context.cookies.get(SESSION_COOKIE)
    if not isinstance(token, str) or not token:  # AppTest's context has stand-ins, not cookies
        return None
    found = resume_session(engine(), token)
    if found is not None:
        st.session_state[ACCOUNT_KEY] = found
        st.session_state[SESSION_TOKEN_KEY] = token
    return found


def write_session_cookie() -> None:
    """Give the browser the session cookie after a log-in, or take it away after a log-out
    (Streamlit cannot set a cookie from Python: a line of JavaScript does, once)."""
    token = st.session_state.pop(COOKIE_PENDING_KEY, None)  # "" takes the cookie away
    if token is None:
        return
    seconds = int(SESSION_LENGTH.total_seconds()) if token else 0
    secure = '(location.protocol === "https:" ? "; secure" : "")'
    st.html(
        f'<script>document.cookie = "{SESSION_COOKIE}={token}; path=/; max-age={seconds}; '
        f'samesite=strict" + {secure};</script>',
        unsafe_allow_javascript=True,
    )


def _external_login_pending() -> bool:
    return (
        bool(login_providers())
        and st.user.get("is_logged_in") is True
        and EXTERNAL_REFUSAL_KEY not in st.session_state
    )


def login_providers() -> list[str | None]:
    """The identity providers configured in secrets.toml ([auth]); empty: password log-in only."""
    if not st.secrets.load_if_toml_exists():
        return []
    section = st.secrets.get("auth", {})
    return identity_providers(section) if isinstance(section, Mapping) else []


def external_refusal() -> str | None:
    """Why the identity provider's user was not let in (not a user here, or disabled)."""
    return st.session_state.get(EXTERNAL_REFUSAL_KEY)


def current_account() -> Account:
    """The logged-in account (pages are only reachable after log-in)."""
    found = account()
    if found is None:
        st.stop()
    assert found is not None
    return found


def log_in(username: str, password: str) -> str | None:
    """Try a log-in; None on success (the account is kept in the session), else the message."""
    try:
        found = authenticate(engine(), username, password)
    except LoginRefused as refusal:
        return str(refusal)
    st.session_state[ACCOUNT_KEY] = found
    token = start_session(engine(), found.username)
    st.session_state[SESSION_TOKEN_KEY] = st.session_state[COOKIE_PENDING_KEY] = token
    return None


def change_password(current: str, new: str, *, repeated: str) -> str | None:
    """The logged-in user's change of their own password; None when made (this browser stays
    logged in, their others are logged out), else why not."""
    if new != repeated:
        return "两次输入的新密码不一致"
    user = current_account()
    try:
        change_own_password(
            engine(),
            user.username,
            current=current,
            new=new,
            keep_token=st.session_state.get(SESSION_TOKEN_KEY),
        )
    except UserRefused as refusal:
        return str(refusal)
    st.session_state[ACCOUNT_KEY] = replace(user, must_change_password=False)
    return None


@guarded
def log_out() -> None:
    """Forget the account and everything the session held; a log-in through the identity
    provider is ended too (its cookie removed), and so is the log-in session kept for reloads."""
    token = st.session_state.get(SESSION_TOKEN_KEY)
    if token:
        end_session(engine(), token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[COOKIE_PENDING_KEY] = ""
    if login_providers() and st.user.get("is_logged_in") is True:
        st.logout()


def show_demo_accounts() -> bool:
    """The log-in page lists the demo accounts unless DASHBOARD_HIDE_DEMO is set."""
    return samples_wanted() and not os.environ.get("DASHBOARD_HIDE_DEMO")


def engine() -> Engine:
    """The app's engine, created (and the sample data seeded) once per database URL."""
    return _engine(database_url())


@st.cache_data(show_spinner=False)
def _counties(url: str) -> list[CountyRef]:
    return list_counties(_engine(url))


@st.cache_data(show_spinner="正在读取征缴数据…")
def campaign(url: str, code: str, year: int) -> CampaignData:
    """A county's campaign of a benefit year as loaded from the database (cached until the
    next import)."""
    return load_campaign(_engine(url), code, year=year)


@st.cache_data(show_spinner=False)
def _printed_quotas(code: str, year: int) -> dict[str, int]:
    return printed_quotas(code, year)


@st.cache_data(show_spinner=False)
def county_years(url: str, code: str) -> list[int]:
    """The benefit years a county has campaigns for, newest first (cached until the next
    import)."""
    return campaign_years(_engine(url), code)


@dataclass(frozen=True)
class Selection:
    """What the sidebar selected: the county's campaign and the as-of date; ``current`` is
    False when an earlier year's campaign is being looked at; ``moved_from`` is the day the
    as-of date was on before newer figures moved it on in this run (None: not moved)."""

    data: CampaignData
    as_of: date
    current: bool = True
    moved_from: date | None = None


NO_COUNTY_YET = (
    "系统中还没有本县的征缴数据。系统管理员在服务器上用 "
    "`python -m dashboard new-campaign --policy policy.toml --quota 任务表.xlsx` "
    "建立本县的征缴年度后，这里即显示各项数据。"
)

# The data version each database's cached figures were read at, for this server process.
_CACHED_VERSIONS: dict[str, tuple[int, int]] = {}


def _forget_changed_data(url: str) -> None:
    """Clear the cached figures when official data changed since they were read: an import
    from the command line or another server process must show on the next click, as one made
    in this process does. One small query a rerun. This session's checks of uploaded files go
    too when the data changed since they were made — in another session of this process as
    well, whose run cleared the shared figures first: a file checked before another clerk's
    import is checked again against the data it would join."""
    version = data_version(_engine(url))
    if _CACHED_VERSIONS.setdefault(url, version) != version:
        _CACHED_VERSIONS[url] = version
        clear_caches()
    if st.session_state.get(CHECKS_VERSION_KEY) != (url, version):
        st.session_state[CHECKS_VERSION_KEY] = (url, version)
        st.session_state.pop(CHECKS_KEY, None)


def sidebar() -> Selection:
    """The account box, the county picker and the as-of date, shared by every page."""
    url = database_url()
    _forget_changed_data(url)
    user = current_account()
    counties = [c for c in _counties(url) if user.county_code in (None, c.code)]
    if not counties:
        st.info(NO_COUNTY_YET, icon=":material/event_repeat:")
        st.stop()
    names = {c.code: c.name for c in counties}
    codes = list(names)
    requested = st.query_params.get(COUNTY_KEY)
    if COUNTY_KEY not in st.session_state and requested in names:
        st.session_state[COUNTY_KEY] = requested
    with st.sidebar:
        code = st.selectbox("县（区）", codes, format_func=names.__getitem__, key=COUNTY_KEY)
        st.query_params[COUNTY_KEY] = code
        years = county_years(url, code)
        year = years[0]
        if len(years) > 1:  # a county with last year's campaign too: it can be looked back at
            year = st.selectbox(
                "征缴年度",
                years,
                format_func=lambda y: f"{y}年度" + ("（当前）" if y == years[0] else ""),
                key=f"{YEAR_KEY}_{code}",
            )
        data = campaign(url, code, year)
        as_of, moved_from = _as_of_picker(data)
        if data.simulated:
            quotas = (
                "任务数为县政府文件公布的真实数字"
                if data.quota_by_township == _printed_quotas(code, year)
                else "任务数已由系统管理员调整（记入审计日志），不再是县政府文件公布的数字"
            )
            st.warning(
                f"**{SIMULATED_LABEL}**：征缴进度为按固定随机种子生成的演示数据；{quotas}。",
                icon="⚠️",
            )
        st.caption(f"政策依据：{data.policy.source}")
    if user.township is not None and user.township not in data.townships:
        st.info(f"{user.township}不在{data.policy.title}的任务表中，没有本年度的数据。")
        st.stop()
    selection = Selection(data, as_of, current=year == years[0], moved_from=moved_from)
    st.session_state[SELECTION_KEY] = selection
    return selection


def township_from_link(key: str, choices: Sequence[str]) -> None:
    """Open the township picker ``key`` on the township the page's address names
    (?township=湍东镇, a link shared or followed from the ranking; spelt as a file may spell
    it, 湍东 or with spaces) when the page opens; once open, the user's own pick stands. A
    township not among ``choices`` (another's, for a township's account) is passed over."""
    requested = st.query_params.get(TOWNSHIP_PARAM)
    if key not in st.session_state and requested:
        if (found := find_township(requested, choices)) is not None:
            st.session_state[key] = found


def current() -> Selection:
    """The selection the entrypoint's sidebar made on this run (pages call this)."""
    selection = st.session_state.get(SELECTION_KEY)
    if selection is None:
        return sidebar()
    return selection


def _as_of_picker(data: CampaignData) -> tuple[date, date | None]:
    """The as-of date, remembered per county while the user switches counties, and the day it
    was moved on from in this run, if it was. A user on the newest day stays on it when newer
    figures come in (another office's import): the day was not picked, it was where the
    figures ended."""
    campaign = data.policy.campaign
    latest = data.default_as_of()
    key = f"as_of_{data.policy.code}"  # a date of another year is outside the range: reset
    remembered = st.session_state.setdefault(AS_OF_MEMORY_KEY, {})
    newest = st.session_state.setdefault(AS_OF_LATEST_KEY, {})
    if key not in st.session_state:
        st.session_state[key] = remembered.get(data.policy.code, latest)
    before = newest.get(data.policy.code)
    moved_from = before if st.session_state[key] == before != latest else None
    if moved_from is not None or not campaign.start <= st.session_state[key] <= latest:
        st.session_state[key] = latest
    newest[data.policy.code] = latest
    day = st.date_input(
        "数据截至",
        min_value=campaign.start,
        max_value=latest,
        key=key,
        format="YYYY-MM-DD",
        help=f"查看截至某日的进度与排名；最新数据为{fmt.day(latest)}",
    )
    remembered[data.policy.code] = day
    return day, moved_from


def clear_caches() -> None:
    """Forget cached campaigns, rosters and file checks (after an import or an undo)."""
    _counties.clear()
    county_years.clear()
    campaign.clear()
    _applied_in_force.clear()
    from dashboard import cached, cached_people  # they build on this module

    cached.clear()
    cached_people.clear()
    st.session_state.pop(CHECKS_KEY, None)


def check_upload(policy: CountyPolicy, raw: bytes, name: str, kind: Kind | None) -> Checked:
    """Check an uploaded file once per session (until the next import or undo) against the
    campaign of the year viewed (another year's check is not this one's), with a progress bar
    while it runs."""

    def check() -> Checked:
        bar = st.progress(0.0, text=f"正在检查 {name}…")
        checked = check_file(engine(), policy, raw, name, kind=kind, progress=_bar(bar))
        bar.empty()
        return checked

    key = (policy.code, policy.benefit_year, content_hash(raw), name, kind)
    return _once_per_session(key, check)


def _once_per_session(key: tuple[object, ...], check: Callable[[], T]) -> T:
    """A check of uploaded files, made once per session for the same files and kept until
    the next change of data (clear_caches forgets them all)."""
    checks = st.session_state.setdefault(CHECKS_KEY, {})
    if key not in checks:
        checks[key] = check()
    return checks[key]


def check_ledger_file(data: CampaignData, raw: bytes, name: str, scope: str | None) -> Parsed:
    """Read an uploaded cash ledger once per session (it is checked, never imported); a
    township user (``scope``) may check only their own township's rows."""
    return _read_once(data, raw, name, "ledger", scope)


def read_verified_file(data: CampaignData, raw: bytes, name: str) -> Parsed:
    """Read an uploaded table of verified counts (核定人数表) once per session: its counts
    go into 结算's form, to be looked over and saved there."""
    return _read_once(data, raw, name, "verified", None)


def read_scenario_file(data: CampaignData, raw: bytes, name: str) -> ScenarioFile:
    """Read an uploaded scenario (a quota table, perhaps of some townships only) once per
    session: its quotas go into 模拟测算's edit table."""
    parsed = _read_once(data, raw, name, "quota", None, as_scenario=True)
    return read_scenario(parsed, data.quota_by_township)


def _read_once(
    data: CampaignData,
    raw: bytes,
    name: str,
    kind: FileKind,
    scope: str | None,
    *,
    as_scenario: bool = False,
) -> Parsed:
    """A file read on a page and not imported: its rows, or every problem found (a file that
    is no such table at all too), within a township user's (``scope``) own township; a quota
    table ``as_scenario`` may be a comparison downloaded from 模拟测算 (parse_scenario)."""

    policy, townships = data.policy, data.townships

    def check() -> Parsed:
        try:
            if as_scenario:
                parsed = parse_scenario(raw, name, policy, townships=townships)
            else:
                parsed = parse_file(raw, name, policy, townships=townships, kind=kind, home=scope)
        except InputError as error:
            parsed = Parsed(kind, name, pd.DataFrame(), error.problems)
        return outside_scope(parsed, scope)

    key = (kind, as_scenario, policy.code, policy.benefit_year, content_hash(raw), name, scope)
    return _once_per_session(key, check)


def ledger_example(data: CampaignData, scope: str | None) -> bytes:
    """The simulated example ledger of the county (or the user's township), under the county's
    own rule (cached: the page compares an upload with it to label it 模拟数据)."""
    policy = data.policy
    townships = tuple([scope] if scope else data.townships)
    return _ledger_example(policy.code, policy.benefit_year, townships, policy)


@st.cache_data(show_spinner=False)
def _ledger_example(
    code: str, year: int, townships: tuple[str, ...], _policy: CountyPolicy
) -> bytes:  # the policy is that of the county's campaign of the year: not hashed again
    return ledger_example_csv(_policy, list(townships), days=RemittanceRule.of(_policy).days)


def _bar(bar: Any) -> Callable[[float, str], None]:
    return lambda fraction, text: bar.progress(fraction, text=text)


def run_import(
    policy: CountyPolicy, checked: Checked, *, valid_only: bool, full_roster: bool = False
) -> Outcome:
    """Import a checked file (as the logged-in user) with a progress bar, and refresh every
    cached figure."""
    account = current_account()
    bar = st.progress(0.0, text=f"正在导入 {checked.file_name}…")
    outcome = apply_import(
        engine(),
        policy,
        checked,
        valid_only=valid_only,
        full_roster=full_roster,
        user=account.username,
        sets_quotas=account.sets_official_quotas,
        progress=_bar(bar),
    )
    bar.empty()
    clear_caches()
    return outcome


def undo(policy: CountyPolicy, import_id: int) -> ImportRecord:
    """Undo an import and refresh every cached figure; ImportRefused when it may not be."""
    user = current_account()
    record = undo_import(
        engine(), policy, import_id, user=user.username, sets_quotas=user.sets_official_quotas
    )
    clear_caches()
    return record


@guarded
def undo_and_report(
    policy: CountyPolicy, import_id: int, choice_key: str, offered: Sequence[int]
) -> None:
    """Button callback: undo, and leave the outcome for the next run to show; refused for a
    later import, that one (the newest, to be undone first) is chosen in the selectbox
    ``choice_key`` where it is ``offered`` there."""
    st.session_state[UNDO_CONFIRM_KEY] = False
    try:
        record = undo(policy, import_id)
    except ImportRefused as refusal:
        if isinstance(refusal, LaterImportsFirst) and max(refusal.later) in offered:
            st.session_state[choice_key] = max(refusal.later)
        st.session_state[FLASH_KEY] = ("error", str(refusal))
    else:
        st.session_state[FLASH_KEY] = (
            "success",
            f"已撤销第{record.id}号导入（{record.file_name}）。",
        )


def flash_and_rerun(text: str) -> None:
    """Rerun the page (so every table on it shows the change) with a success message on top."""
    st.session_state[FLASH_KEY] = ("success", text)
    st.rerun()


def show_flash() -> None:
    """Show (once) the message a callback left (a file, user or scenario name in it as it
    is written)."""
    kind, text = st.session_state.pop(FLASH_KEY, (None, ""))
    if kind == "success":
        st.success(fmt.plain(text))
    elif kind == "error":
        st.error(fmt.plain(text))


def history(policy: CountyPolicy) -> pd.DataFrame:
    """The county's imports, newest first."""
    return import_history(engine(), policy)


# --- campaigns: a county's years, and opening the next one ---------------------------------


def campaign_list(code: str) -> pd.DataFrame:
    """The county's campaigns, newest (current) first."""
    return campaign_table(engine(), code)


def current_policy(code: str) -> CountyPolicy:
    """The policy of the county's current (newest) campaign, whichever year is being viewed."""
    url = database_url()
    return campaign(url, code, county_years(url, code)[0]).policy


def check_opening_files(
    policy_raw: bytes, policy_file: str, quota_raw: bytes, quota_file: str
) -> OpeningCheck:
    """Check a policy file and a quota table for a new campaign (nothing is written), once per
    session until the next change of data, as uploads are checked."""
    key = ("opening", content_hash(policy_raw), policy_file, content_hash(quota_raw), quota_file)
    return _once_per_session(
        key, lambda: check_opening(engine(), policy_raw, policy_file, quota_raw, quota_file)
    )


def open_checked(checked: OpeningCheck, policy_file: str) -> Opened:
    """Open a checked campaign as the logged-in admin and refresh every cached figure and
    the county and year pickers; InputError when it clashes after all."""
    assert checked.data is not None
    user = current_account()
    if user.role != "admin":
        raise InputError([Problem(policy_file, None, None, None, "只有系统管理员可以建立征缴年度")])
    opened = open_campaign(engine(), checked.data, policy_file=policy_file, user=user.username)
    clear_caches()
    return opened


def check_amendment(
    base: CountyPolicy, given: PolicyDraft | bytes, file: str
) -> Amendment | list[Problem]:
    """The amendment of ``base`` a form or a file makes, or why it cannot be made (nothing is
    written); checked on every run, as the form changes."""
    try:
        return amendment_of(engine(), base, given, file)
    except InputError as refusal:
        return refusal.problems


def amend_checked(amended: CountyPolicy, file: str) -> Amendment:
    """Amend the campaign's policy as the logged-in admin and refresh every cached figure;
    InputError when it cannot be made after all (an import meanwhile)."""
    user = current_account()
    if user.role != "admin":
        raise InputError([Problem(file, None, None, None, "只有系统管理员可以修改政策")])
    amendment = amend_policy(engine(), amended, file=file, user=user.username)
    clear_caches()
    return amendment


# --- what-if: the scenario being edited lives in session state, per county ---------------


@dataclass
class Draft:
    """The quotas and expected enrolment being edited on the 模拟测算 page."""

    quotas: dict[str, int]
    enrolled: dict[str, int]
    expectation: Expectation
    base: dict[str, int]  # the official quotas the edits are against
    year: int  # the benefit year of the campaign it was drawn from
    version: int = 0


def draft(data: CampaignData, as_of: date, expectation: Expectation) -> Draft:
    """The county's draft, created from the official quotas on first use (and afresh for a new
    campaign, next year's). New official quotas (a scenario applied, a quota table imported
    by another office) are taken where the draft has no edit (whatif.rebased); the expected
    enrolment is recomputed when the basis or the as-of date changes. Neither redraws the
    editor: the cells the user edited there stay edited (Streamlit keeps a keyed editor's edits
    while only its values change)."""
    key = f"whatif_{data.policy.code}"
    current: Draft | None = st.session_state.get(key)
    marker = (expectation, as_of)
    official = data.quota_by_township
    year = data.policy.benefit_year
    if current is None or current.year != year or set(current.base) != set(official):
        version = 0 if current is None else current.version + 1
        enrolled = expected_enrolled(data, as_of, expectation)
        current = Draft(dict(official), enrolled, expectation, official, year, version)
        st.session_state[key] = current
        st.session_state[f"{key}_marker"] = marker
        return current
    if current.base != official:
        current.quotas = rebased(current.quotas, current.base, official)
        current.base = official
    if st.session_state.get(f"{key}_marker") != marker:
        current.enrolled = expected_enrolled(data, as_of, expectation)
        current.expectation = expectation
        st.session_state[f"{key}_marker"] = marker
    return current


def replace_draft(
    code: str, *, quotas: dict[str, int] | None = None, enrolled: dict[str, int] | None = None
) -> None:
    """Put new figures into the draft and redraw the editor with them."""
    current: Draft = st.session_state[f"whatif_{code}"]
    if quotas is not None:
        current.quotas = quotas
    if enrolled is not None:
        current.enrolled = enrolled
    current.version += 1


def saved_scenarios(code: str) -> list[ScenarioData]:
    """The county's saved scenarios."""
    return list_scenarios(engine(), code)


def save_draft(code: str, scenario: ScenarioData, *, replace: bool) -> None:
    """Save a scenario (ScenarioRefused with the reason when it cannot be)."""
    save_scenario(engine(), code, scenario, replace=replace, user=current_account().username)


def delete_saved(code: str, name: str) -> None:
    """Delete a saved scenario."""
    delete_scenario(engine(), code, name)


def apply_saved(code: str, name: str) -> AuditLog:
    """Make a saved scenario's quotas official (admins only; audited) and refresh every figure."""
    return _change_quotas(code, lambda user: apply_scenario(engine(), code, name, user=user))


def applied_in_force(code: str) -> Application | None:
    """The latest scenario applied as the county's official quotas, if not undone (cached
    until the next change of data)."""
    return _applied_in_force(database_url(), code)


@st.cache_data(show_spinner=False)
def _applied_in_force(url: str, code: str) -> Application | None:
    return last_application(_engine(url), code)


def undo_applied(code: str) -> AuditLog:
    """Put back the quotas the latest application replaced (admins only; audited)."""
    return _change_quotas(code, lambda user: undo_application(engine(), code, user=user))


def _change_quotas(code: str, change: Callable[[str], AuditLog]) -> AuditLog:
    user = current_account()
    if not user.sets_official_quotas:
        raise ScenarioRefused("只有系统管理员可以改变正式任务数")
    entry = change(user.username)
    clear_caches()
    st.session_state.pop(f"whatif_{code}", None)
    return entry


# --- users and the audit log (the pages check the role; these act as the logged-in user) ----


def county_names() -> dict[str, str]:
    """County code → name, for tables that store the code."""
    return {c.code: c.name for c in _counties(database_url())}


def nobody_can_log_in() -> bool:
    """True on a new server without the samples, before its first user is made."""
    return not has_users(engine())


def user_list() -> list[User]:
    """Every user."""
    return users(engine())


def add_user(
    username: str,
    password: str,
    *,
    role: str,
    display_name: str,
    county: str,
    township: str | None,
    email: str | None = None,
) -> None:
    """Create a user as the logged-in admin (UserRefused with the reason)."""
    _require_admin()
    create_user(
        engine(),
        username,
        password,
        role=role,
        display_name=display_name,
        county=county,
        township=township,
        email=email,
        by=current_account().username,
        temporary=True,
    )


def edit_user(
    username: str,
    *,
    role: str,
    active: bool,
    password: str | None,
    email: str | None = None,
    county: str | None = None,
    township: str | None = None,
) -> None:
    """Change a user as the logged-in admin (UserRefused with the reason)."""
    _require_admin()
    change_user(
        engine(),
        username,
        role=role,
        active=active,
        password=password,
        email=email,
        county=county,
        township=township,
        by=current_account().username,
    )


def _require_admin() -> None:
    if not current_account().can_manage_users:
        raise UserRefused("只有系统管理员可以管理用户")


def failed_login_list() -> list[LoginAttempt]:
    """Recent failed log-ins."""
    return failed_logins(engine())


def audit_entries(
    *,
    county: str | None,
    action: str | None,
    user: str | None = None,
    days: tuple[date, date] | None = None,
) -> list[AuditLog]:
    """The audit log for those allowed to read it (audit.entries)."""
    if not current_account().reads_audit_log:
        return []
    return entries(engine(), county=county, action=action, user=user, days=days)


def audit_operators() -> list[str]:
    """Everyone the audit log names, for those allowed to read it."""
    if not current_account().reads_audit_log:
        return []
    return operators(engine())
