"""Users, roles and log-in: argon2 password hashes, rate-limited attempts, audited changes.

Works without internet. Passwords are never stored, logged or put in the audit log; a bad
log-in is logged with the user name only.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard import audit
from dashboard.township_names import suggestion, township_keys
from data_models.tables import (
    CELL_TEXT,
    EMAIL_TEXT,
    SHORT_TEXT,
    County,
    LoginAttempt,
    LoginSession,
    Township,
    User,
)

log = logging.getLogger(__name__)
HASHER = PasswordHasher()
ROLES: dict[str, str] = {
    "leader": "县领导",
    "supervisor": "效能中心",
    "clerk": "医保/税务经办",
    "township": "乡镇（街道）",
    "admin": "系统管理员",
}
MAX_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)
SESSION_LENGTH = timedelta(hours=12)  # a working day: a reload or a new tab needs no new log-in
MIN_PASSWORD = 8
DEMO_PASSWORD = "demo-2024"
DEMO_USERS = [
    ("admin", "系统管理员", "admin", None, None),
    ("leader", "县领导", "leader", None, None),
    ("supervisor", "效能中心", "supervisor", None, None),
    ("clerk", "医保局经办", "clerk", None, None),
    ("tuandong", "湍东镇征缴专班", "township", "neixiang", "湍东镇"),
    ("yingpan", "营盘镇征缴专班", "township", "zhashui", "营盘镇"),
]


class LoginRefused(Exception):
    """A log-in that did not succeed; the message is safe to show (no hint which part was wrong)."""


class UserRefused(Exception):
    """A user change that cannot be made; the reason is in Chinese."""


@dataclass(frozen=True)
class Account:
    """Who is logged in, and what they may see and do."""

    username: str
    display_name: str
    role: str
    county_code: str | None = None
    township: str | None = None
    must_change_password: bool = False  # an admin set it: changed before any page opens

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def sees_all_townships(self) -> bool:
        """False for a township user, who sees their own township only."""
        return self.role != "township"

    @property
    def scope(self) -> str | None:
        """The township a township user's pages are limited to; None for the whole county."""
        return None if self.sees_all_townships else self.township

    @property
    def sees_id_numbers(self) -> bool:
        """Full ID numbers only for those who must correct records (clerks, admins)."""
        return self.role in {"clerk", "admin"}

    @property
    def can_import(self) -> bool:
        return self.role in {"clerk", "admin"}

    @property
    def keeps_office_records(self) -> bool:
        """The supervision office's records — the bulletins' own text (文号, 工作要求, 落款) and
        the talks (约谈) held with flagged townships — are its own (and the admin's) to write."""
        return self.role in {"supervisor", "admin"}

    def sets_village_quotas(self, township: str) -> bool:
        """A township's quotas for its villages are its own to set (将征收任务落实到村组), and
        the clerks' and the admin's who keep the county's data."""
        return self.can_import or self.township == township

    @property
    def sets_official_quotas(self) -> bool:
        """The official quotas — a quota table imported or undone, a scenario applied or
        undone — are the admin's; the clerks import every other kind of file."""
        return self.role == "admin"

    @property
    def can_manage_users(self) -> bool:
        return self.role == "admin"

    @property
    def reads_audit_log(self) -> bool:
        return self.role in {"admin", "leader", "supervisor"}


def _account(user: User) -> Account:
    return Account(
        user.username,
        user.display_name,
        user.role,
        user.county_code,
        user.township,
        must_change_password=user.must_change_password,
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserRefused(f"密码至少{MIN_PASSWORD}位")


def _canonical_email(email: str | None) -> str:
    return (email or "").strip().lower()


def normalise_email(email: str | None) -> str | None:
    """An address as stored and compared: trimmed, lower-case; None when empty."""
    email = _canonical_email(email)
    if not email:
        return None
    if email.count("@") != 1 or email.startswith("@") or email.endswith("@") or " " in email:
        raise UserRefused(f"邮箱地址格式不对：{email}")
    _check_width("邮箱地址", email, EMAIL_TEXT)
    return email


def _check_width(what: str, value: str, width: int) -> None:
    if len(value) > width:
        raise UserRefused(f"{what}最多{width}个字符")


def _check_role(role: str, county: str | None, township: str | None) -> None:
    if role not in ROLES:
        raise UserRefused(f"未知角色：{role}")
    if role == "township" and not (county and township):
        raise UserRefused("乡镇用户须指定县和乡镇（街道）")


def _check_place(session: Session, county: str | None, township: str | None) -> None:
    """A township user's county and township are known ones (from a quota table, this
    year's or an earlier one's)."""
    found = session.exec(select(County).where(County.code == county)).first()
    if found is None:
        raise UserRefused(f"没有县“{county}”")
    names = session.exec(select(Township.name).where(Township.county_id == found.id)).all()
    if township not in names:
        hint = suggestion(township or "", township_keys(names))
        raise UserRefused(f"{found.name}没有乡镇（街道）“{township}”{hint}")


def create_user(
    engine: Engine,
    username: str,
    password: str,
    *,
    role: str,
    display_name: str = "",
    county: str | None = None,
    township: str | None = None,
    email: str | None = None,
    by: str,
    temporary: bool = False,
) -> Account:
    """Add a user (audited without the password). ``email`` lets them log in through the
    county's identity provider as well. A ``temporary`` password (an admin's, for the user's
    first log-in) is changed by the user before any page opens."""
    username = username.strip()
    if not username:
        raise UserRefused("请填写用户名")
    _check_width("用户名", username, SHORT_TEXT)
    _check_width("姓名或单位", display_name, CELL_TEXT)
    _check_password(password)
    _check_role(role, county, township)
    with Session(engine) as session:
        if role == "township":
            _check_place(session, county, township)
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            county_code=county if role == "township" else None,
            township=township if role == "township" else None,
            password_hash=HASHER.hash(password),
            created_at=datetime.now(UTC),
            email=normalise_email(email),
            must_change_password=temporary,
        )
        session.add(user)
        audit.record(session, user=by, action="user_created", target=username, after=_public(user))
        address = user.email
        try:
            session.commit()
        except IntegrityError as exc:
            raise UserRefused(_clash(session, username, address)) from exc
        return _account(user)


def _clash(session: Session, username: str, email: str | None) -> str:
    session.rollback()
    taken = session.exec(select(User).where(User.email == email)).first() if email else None
    if taken is not None and taken.username != username:
        return f"邮箱“{email}”已被用户“{taken.username}”使用"
    return f"用户名“{username}”已存在"


def _public(user: User) -> dict[str, object]:
    return {
        "用户名": user.username,
        "姓名": user.display_name,
        "角色": ROLES.get(user.role, user.role),
        "县": user.county_code,
        "乡镇": user.township,
        "邮箱": user.email,
        "启用": user.active,
    }


def change_user(
    engine: Engine,
    username: str,
    *,
    by: str,
    role: str | None = None,
    active: bool | None = None,
    county: str | None = None,
    township: str | None = None,
    password: str | None = None,
    email: str | None = None,
) -> None:
    """Change a user's role, scope, state, password or e-mail (``""`` removes it); audited (the
    password never is). A password set here is the admin's: the user changes it at their next
    log-in."""
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            raise UserRefused(f"没有用户“{username}”")
        before = _public(user)
        if role is not None:
            _check_role(role, county or user.county_code, township or user.township)
            user.role = role
        if user.role == "township":
            user.county_code = county or user.county_code
            user.township = township or user.township
            if (county, township) != (None, None) or role is not None:
                _check_place(session, user.county_code, user.township)
        else:  # only a township user is bound to a county and township
            user.county_code = user.township = None
        if active is not None:
            user.active = active
        if password is not None:
            _check_password(password)
            user.password_hash = HASHER.hash(password)
            user.must_change_password = True
        if email is not None:
            user.email = normalise_email(email)
        session.add(user)
        action = (
            "password_reset"
            if password is not None and role is None and active is None
            else "user_changed"
        )
        audit.record(
            session, user=by, action=action, target=username, before=before, after=_public(user)
        )
        if (role, active, county, township, password) != (None, None, None, None, None):
            # new rights, or none: log in again
            _end_sessions(session, col(LoginSession.user_id) == user.id)
        address = user.email
        try:
            session.commit()
        except IntegrityError as exc:
            raise UserRefused(_clash(session, username, address)) from exc


def change_own_password(
    engine: Engine, username: str, *, current: str, new: str, keep_token: str | None = None
) -> None:
    """A user's change of their own password: the current one must be right (a wrong one counts
    as a failed log-in, so the form cannot be used to guess it past the lock), the new one
    another and long enough. Audited (no password in it); the user's other log-in sessions end,
    the one of ``keep_token`` (this browser's) goes on."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        if _recent_failures(session, username, now) >= MAX_FAILURES:
            raise UserRefused(_locked_message())
        if not _verify(user.password_hash, current):
            session.add(LoginAttempt(username=username, at=now, success=False))
            session.commit()
            log.warning("password change refused, wrong current password: user=%s", username)
            raise UserRefused("当前密码不对")
        if new == current:
            raise UserRefused("新密码与当前密码相同")
        _check_password(new)
        user.password_hash = HASHER.hash(new)
        user.must_change_password = False
        session.add(user)
        audit.record(session, user=username, action="password_changed", target=username)
        others = col(LoginSession.user_id) == user.id
        if keep_token:
            others = others & (col(LoginSession.token_hash) != _token_hash(keep_token))
        _end_sessions(session, others, now)
        session.commit()
    log.info("password changed: user=%s", username)


def users(engine: Engine) -> list[User]:
    """Every user, by name."""
    with Session(engine) as session:
        return list(session.exec(select(User).order_by(col(User.username))).all())


def named_account(engine: Engine, username: str) -> tuple[Account, bool] | None:
    """The account of the user named so, and whether it is active; None where no user is."""
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        return None if user is None else (_account(user), user.active)


def has_users(engine: Engine) -> bool:
    """True once anyone can log in (a server started without the samples has no user yet)."""
    with Session(engine) as session:
        return session.exec(select(User.id).limit(1)).first() is not None


def seed_demo_users(engine: Engine) -> list[str]:
    """Create the demo users (README) when there is no user at all; returns the names made."""
    if has_users(engine):
        return []
    made = []
    for username, name, role, county, township in DEMO_USERS:
        try:
            create_user(
                engine,
                username,
                DEMO_PASSWORD,
                role=role,
                display_name=name,
                county=county,
                township=township,
                by="（系统初始化）",
            )
            made.append(username)
        except UserRefused:  # another process created them at the same moment
            continue
    return made


def _recent_failures(session: Session, username: str, now: datetime) -> int:
    since = now - LOCK_WINDOW
    attempts = session.exec(
        select(LoginAttempt)
        .where(LoginAttempt.username == username, col(LoginAttempt.at) >= since)
        .order_by(col(LoginAttempt.id).desc())
    ).all()
    failures = 0
    for attempt in attempts:
        if attempt.success:
            break
        failures += 1
    return failures


def authenticate(engine: Engine, username: str, password: str) -> Account:
    """Check a log-in. After MAX_FAILURES bad attempts in LOCK_WINDOW the name is locked until
    the window passes. Every attempt is recorded; failures are logged (name only)."""
    username = username.strip()
    recorded = username[:SHORT_TEXT]  # as long as a user name can be: a longer one is no user's
    now = datetime.now(UTC)
    with Session(engine) as session:
        if _recent_failures(session, recorded, now) >= MAX_FAILURES:
            session.add(LoginAttempt(username=recorded, at=now, success=False))
            session.commit()
            log.warning("log-in refused, locked after repeated failures: user=%s", username)
            raise LoginRefused(_locked_message())
        user = session.exec(select(User).where(User.username == username)).first()
        ok = user is not None and user.active and _verify(user.password_hash, password)
        session.add(LoginAttempt(username=recorded, at=now, success=ok))
        session.commit()
        if not ok or user is None:
            log.warning("log-in failed: user=%s", username)
            raise LoginRefused("用户名或密码错误")
        log.info("log-in: user=%s role=%s", username, user.role)
        return _account(user)


def _locked_message() -> str:
    minutes = int(LOCK_WINDOW.total_seconds() // 60)
    return f"连续登录失败次数过多，请{minutes}分钟后再试"


def identity_providers(auth_section: Mapping[str, object]) -> list[str | None]:
    """The identity providers configured in the ``[auth]`` section of secrets.toml, as
    ``st.login`` names them: ``None`` for one provider set directly in ``[auth]`` (it has a
    ``client_id``), then each ``[auth.NAME]`` that has a ``client_id``. Empty: password only."""
    found: list[str | None] = [None] if "client_id" in auth_section else []
    found += [
        name
        for name, value in auth_section.items()
        if isinstance(value, Mapping) and "client_id" in value
    ]
    return found


def authenticate_external(
    engine: Engine, email: str, *, verified: bool = True, provider: str = "oidc"
) -> Account:
    """Log in someone the county's identity provider has vouched for, by the e-mail address it
    gives: they must be an active user here with that address (the provider proves who they
    are; this system decides what they may see). An address the provider says it has not
    verified (``email_verified`` false) is not trusted. The attempt is recorded like any other."""
    address = _canonical_email(email)
    now = datetime.now(UTC)
    with Session(engine) as session:
        user = (
            session.exec(select(User).where(User.email == address)).first()
            if address and verified
            else None
        )
        ok = user is not None and user.active
        session.add(
            LoginAttempt(
                username=user.username if user else address[:SHORT_TEXT], at=now, success=ok
            )
        )
        session.commit()
        if not ok or user is None:
            log.warning(
                "external log-in refused: provider=%s email=%s verified=%s",
                provider,
                address,
                verified,
            )
            shown = address or "（无邮箱）"
            if not verified:
                raise LoginRefused(f"统一身份认证尚未验证邮箱“{shown}”，请联系系统管理员")
            raise LoginRefused(f"统一身份认证账号“{shown}”未在本系统开通或已停用，请联系系统管理员")
        log.info("log-in through %s: user=%s role=%s", provider, user.username, user.role)
        # the provider's log-in uses no password here: none to change before the pages
        return replace(_account(user), must_change_password=False)


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def failed_logins(engine: Engine, *, limit: int = 200) -> list[LoginAttempt]:
    """The latest failed log-ins, newest first."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(LoginAttempt)
                .where(col(LoginAttempt.success).is_(False))
                .order_by(col(LoginAttempt.id).desc())
                .limit(limit)
            ).all()
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine: Engine, username: str, *, now: datetime | None = None) -> str:
    """A new log-in session for a user who has just logged in: the random token for the
    browser's cookie (only its SHA-256 is stored), valid for SESSION_LENGTH."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        assert user.id is not None
        session.add(
            LoginSession(
                user_id=user.id,
                token_hash=_token_hash(token),
                created_at=now,
                expires_at=now + SESSION_LENGTH,
            )
        )
        session.commit()
    return token


def resume_session(engine: Engine, token: str, *, now: datetime | None = None) -> Account | None:
    """The account of a session token, as the user is now (role and township from the database);
    None when the token is unknown, expired or ended, or the user is disabled."""
    now = now or datetime.now(UTC)
    with Session(engine) as session:
        user = session.exec(
            select(User)
            .join(LoginSession, col(LoginSession.user_id) == col(User.id))
            .where(
                LoginSession.token_hash == _token_hash(token),
                col(LoginSession.ended_at).is_(None),
                col(LoginSession.expires_at) > now,
                col(User.active).is_(True),
            )
        ).first()
        return None if user is None else _account(user)


def end_session(engine: Engine, token: str, *, now: datetime | None = None) -> None:
    """Log-out: the session's token is no longer accepted."""
    with Session(engine) as session:
        _end_sessions(session, col(LoginSession.token_hash) == _token_hash(token), now)
        session.commit()


def _end_sessions(
    session: Session, which: ColumnElement[bool], now: datetime | None = None
) -> None:
    """End the open log-in sessions that ``which`` selects (in the caller's transaction)."""
    session.execute(
        update(LoginSession)
        .where(which, col(LoginSession.ended_at).is_(None))
        .values(ended_at=now or datetime.now(UTC))
    )
