"""Log-in, roles, rate limiting, the audit of user changes, and logs free of secrets."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard import audit
from dashboard.access import pages_for
from dashboard.auth import (
    DEMO_PASSWORD,
    MAX_FAILURES,
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
    identity_providers,
    resume_session,
    seed_demo_users,
    start_session,
    users,
)
from dashboard.db import make_engine
from dashboard.idnumbers import make_id
from dashboard.importing import apply_import, check_file
from dashboard.samples import sample_policy
from data_models.tables import LoginAttempt, LoginSession, Payment, User

from apptest import APP, start, table
from filemaker import csv_bytes


def test_demo_users_are_seeded_once_with_hashed_passwords(scratch) -> None:
    assert seed_demo_users(scratch) == []  # the seeded copy already has them
    with Session(scratch) as session:
        admin = session.exec(select(User).where(User.username == "admin")).one()
    assert admin.password_hash.startswith("$argon2id$") and DEMO_PASSWORD not in admin.password_hash
    account = authenticate(scratch, "tuandong", DEMO_PASSWORD)
    assert (account.role, account.county_code, account.township) == (
        "township",
        "neixiang",
        "湍东镇",
    )


def test_bad_log_ins_are_rate_limited_and_recorded(scratch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused, match="用户名或密码错误"):
            authenticate(scratch, "leader", "wrong-password-1")
    with pytest.raises(LoginRefused, match="连续登录失败次数过多"):
        authenticate(scratch, "leader", DEMO_PASSWORD)  # even the right password, while locked
    with Session(scratch) as session:
        attempts = session.exec(select(LoginAttempt).where(LoginAttempt.username == "leader")).all()
    assert [a.success for a in attempts] == [False] * (MAX_FAILURES + 1)
    assert "log-in failed: user=leader" in caplog.text
    assert "wrong-password-1" not in caplog.text and DEMO_PASSWORD not in caplog.text
    assert authenticate(scratch, "clerk", DEMO_PASSWORD).role == "clerk", (
        "other users are not locked"
    )


def test_a_name_longer_than_any_users_is_refused_and_recorded_like_any_other(scratch) -> None:
    typed = "leader" + "x" * 60  # longer than the column: PostgreSQL refused the record itself
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused, match="用户名或密码错误"):
            authenticate(scratch, typed, DEMO_PASSWORD)
    with pytest.raises(LoginRefused, match="连续登录失败次数过多"):
        authenticate(scratch, typed, DEMO_PASSWORD)
    with Session(scratch) as session:
        recorded = session.exec(select(LoginAttempt.username)).all()
    assert recorded == [typed[:40]] * (MAX_FAILURES + 1)
    assert authenticate(scratch, "leader", DEMO_PASSWORD).role == "leader"


def test_user_details_longer_than_kept_are_refused_with_the_limit(scratch) -> None:
    with pytest.raises(UserRefused, match="用户名最多40个字符"):
        create_user(scratch, "u" * 41, "long-enough-1", role="leader", by="admin")
    with pytest.raises(UserRefused, match="姓名或单位最多60个字符"):
        create_user(
            scratch, "u1", "long-enough-1", role="leader", display_name="某" * 61, by="admin"
        )
    with pytest.raises(UserRefused, match="邮箱地址最多120个字符"):
        create_user(
            scratch, "u1", "long-enough-1", role="leader", email="a" * 120 + "@x.cn", by="admin"
        )
    assert "u1" not in [u.username for u in users(scratch)]


def test_inactive_users_cannot_log_in(scratch) -> None:
    change_user(scratch, "clerk", active=False, by="admin")
    with pytest.raises(LoginRefused):
        authenticate(scratch, "clerk", DEMO_PASSWORD)


def test_a_log_in_session_lasts_a_working_day_and_ends_on_log_out(scratch) -> None:
    now = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    token = start_session(scratch, "tuandong", now=now)
    with Session(scratch) as session:
        stored = session.exec(select(LoginSession)).all()
    assert len(token) >= 40 and all(token not in s.token_hash for s in stored), "only a hash"
    account = resume_session(scratch, token, now=now + timedelta(hours=11))
    assert account is not None and (account.username, account.township) == ("tuandong", "湍东镇")
    assert resume_session(scratch, token, now=now + SESSION_LENGTH) is None, "expired"
    assert resume_session(scratch, token[:-1] + "x", now=now) is None, "unknown"
    end_session(scratch, token, now=now + timedelta(hours=1))
    assert resume_session(scratch, token, now=now + timedelta(hours=2)) is None, "logged out"


def test_a_changed_or_disabled_user_logs_in_again(scratch) -> None:
    kept = start_session(scratch, "clerk")
    ended = start_session(scratch, "leader")
    other = start_session(scratch, "supervisor")
    change_user(scratch, "clerk", email="clerk@neixiang.gov.cn", by="admin")
    change_user(scratch, "leader", active=False, by="admin")
    change_user(scratch, "supervisor", password="new-password-1", by="admin")
    assert resume_session(scratch, kept) is not None, "an address alone changes no rights"
    assert resume_session(scratch, ended) is None
    assert resume_session(scratch, other) is None


def test_user_changes_are_audited_without_passwords(scratch) -> None:
    create_user(
        scratch,
        "banchang",
        "a-long-secret",
        role="township",
        county="neixiang",
        township="板场乡",
        by="admin",
    )
    change_user(scratch, "banchang", password="another-secret", by="admin")
    with pytest.raises(UserRefused, match="已存在"):
        create_user(scratch, "banchang", "a-long-secret", role="leader", by="admin")
    with pytest.raises(UserRefused, match="至少8位"):
        create_user(scratch, "short", "1234", role="leader", by="admin")
    with pytest.raises(UserRefused, match="乡镇用户须指定县和乡镇"):
        create_user(scratch, "nowhere", "a-long-secret", role="township", by="admin")
    for county, township, said in [
        ("neixiang", "营盘镇", "内乡县没有乡镇（街道）“营盘镇”$"),  # 柞水县's
        ("neixiang", "湍东", "内乡县没有乡镇（街道）“湍东”，是否为“湍东镇”？"),
        ("shanghai", "湍东镇", "没有县“shanghai”"),
    ]:
        with pytest.raises(UserRefused, match=said):
            create_user(
                scratch, "elsewhere", "a-long-secret", role="township", county=county,
                township=township, by="admin",
            )  # fmt: skip
        with pytest.raises(UserRefused, match=said):
            change_user(scratch, "banchang", county=county, township=township, by="admin")
    rows = [r for r in audit.entries(scratch) if r.target == "banchang"]
    assert [r.action for r in rows] == ["password_reset", "user_created"]
    assert json.loads(rows[1].after)["乡镇"] == "板场乡"
    text = json.dumps([(r.before, r.after) for r in rows], ensure_ascii=False)
    assert "secret" not in text


def test_a_user_changes_their_own_password_and_their_other_log_ins_end(scratch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    here = start_session(scratch, "tuandong")
    elsewhere = start_session(scratch, "tuandong")
    with pytest.raises(UserRefused, match="当前密码不对"):
        change_own_password(scratch, "tuandong", current="not-it-at-all", new="a-new-secret-1")
    with pytest.raises(UserRefused, match="新密码与当前密码相同"):
        change_own_password(scratch, "tuandong", current=DEMO_PASSWORD, new=DEMO_PASSWORD)
    with pytest.raises(UserRefused, match="至少8位"):
        change_own_password(scratch, "tuandong", current=DEMO_PASSWORD, new="short")
    assert resume_session(scratch, elsewhere) is not None, "nothing changed yet"
    change_own_password(
        scratch, "tuandong", current=DEMO_PASSWORD, new="a-new-secret-1", keep_token=here
    )
    with pytest.raises(LoginRefused):
        authenticate(scratch, "tuandong", DEMO_PASSWORD)
    assert authenticate(scratch, "tuandong", "a-new-secret-1").township == "湍东镇"
    assert resume_session(scratch, here) is not None, "this browser stays logged in"
    assert resume_session(scratch, elsewhere) is None, "another one logs in again"
    [entry] = [r for r in audit.entries(scratch) if r.action == "password_changed"]
    assert (entry.username, entry.target) == ("tuandong", "tuandong")
    logged = caplog.text + json.dumps([entry.before, entry.after])
    assert "secret" not in logged and DEMO_PASSWORD not in logged and "not-it" not in logged


def test_a_password_an_admin_sets_is_changed_at_the_first_log_in(scratch) -> None:
    made = create_user(
        scratch, "banchang", "given-by-admin", role="leader", by="admin", temporary=True
    )
    assert made.must_change_password
    assert authenticate(scratch, "banchang", "given-by-admin").must_change_password
    change_own_password(scratch, "banchang", current="given-by-admin", new="mine-only-123")
    assert not authenticate(scratch, "banchang", "mine-only-123").must_change_password
    change_user(scratch, "banchang", password="reset-by-admin", by="admin")
    assert authenticate(scratch, "banchang", "reset-by-admin").must_change_password, "a reset"
    change_user(scratch, "banchang", role="supervisor", by="admin")
    assert authenticate(scratch, "banchang", "reset-by-admin").must_change_password
    assert not authenticate(scratch, "leader", DEMO_PASSWORD).must_change_password, "demo users"
    # through the county's identity provider no password is used: none to change first
    change_user(scratch, "banchang", email="banchang@neixiang.gov.cn", by="admin")
    assert not authenticate_external(scratch, "banchang@neixiang.gov.cn").must_change_password


def test_the_first_log_in_opens_no_page_before_the_password_is_changed(
    scratch_url, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    engine = make_engine(scratch_url)
    create_user(engine, "banchang", "given-by-admin", role="leader", by="admin", temporary=True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["account"] = authenticate(engine, "banchang", "given-by-admin")
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["请先修改密码"]
    assert "您的密码是系统管理员设置的" in at.info[0].value
    assert not at.sidebar.selectbox, "no county picker, no page"
    fields = {t.label: t for t in at.text_input}
    fields["当前密码"].set_value("given-by-admin")
    fields["新密码（至少8位）"].set_value("mine-only-123")
    fields["再次输入新密码"].set_value("mine-only-123")
    [b for b in at.button if b.label == "确认修改"][0].click().run()
    assert not at.exception
    assert at.title[0].value.endswith("城乡居民医保征缴总览")
    assert not authenticate(engine, "banchang", "mine-only-123").must_change_password


def test_the_password_form_cannot_guess_past_the_lock(scratch) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(UserRefused, match="当前密码不对"):
            change_own_password(scratch, "clerk", current="a-guess-123", new="a-new-secret-1")
    with pytest.raises(UserRefused, match="连续登录失败次数过多"):
        change_own_password(scratch, "clerk", current=DEMO_PASSWORD, new="a-new-secret-1")
    with pytest.raises(LoginRefused, match="连续登录失败次数过多"):
        authenticate(scratch, "clerk", DEMO_PASSWORD)


def test_the_sidebar_changes_the_users_own_password(scratch_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("township", county="neixiang", township="湍东镇")
    at.session_state["account"] = Account(
        "tuandong", "湍东镇经办", "township", "neixiang", "湍东镇"
    )
    at.run()
    fields = {t.label: t for t in at.sidebar.text_input}
    fields["当前密码"].set_value(DEMO_PASSWORD)
    fields["新密码（至少8位）"].set_value("a-new-secret-1")
    fields["再次输入新密码"].set_value("a-new-secret-2")
    submit = [b for b in at.sidebar.button if b.label == "确认修改"]
    submit[0].click().run()
    assert [e.value for e in at.sidebar.error] == ["两次输入的新密码不一致"]
    fields = {t.label: t for t in at.sidebar.text_input}
    fields["当前密码"].set_value(DEMO_PASSWORD)
    fields["新密码（至少8位）"].set_value("a-new-secret-1")
    fields["再次输入新密码"].set_value("a-new-secret-1")
    [b for b in at.sidebar.button if b.label == "确认修改"][0].click().run()
    assert not at.exception and [e.value for e in at.sidebar.error] == []
    assert at.sidebar.success[0].value.startswith("密码已修改")
    engine = make_engine(scratch_url)
    assert authenticate(engine, "tuandong", "a-new-secret-1").username == "tuandong"


def test_imports_log_no_id_numbers(scratch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    policy = sample_policy("neixiang")
    number = make_id("411325", date(1970, 5, 5), 1)
    raw = csv_bytes(
        [
            ["身份证号", "姓名", "乡镇", "缴费日期", "缴费金额"],
            [number, "张三", "湍东镇", "2022-11-01", "350"],
        ]
    )
    apply_import(scratch, policy, check_file(scratch, policy, raw, "pay.csv"), user="clerk")
    assert number not in caplog.text and "张三" not in caplog.text
    [entry] = [r for r in audit.entries(scratch) if r.action == "import"]
    assert number not in (entry.after or "") and entry.username == "clerk"
    with Session(scratch) as session, pytest.raises(IntegrityError) as failed:
        stored = session.exec(select(Payment).where(Payment.id_number == number)).one()
        session.add(Payment(**stored.model_dump(exclude={"id"})))  # the same person again
        session.commit()
    # The statement's values are hidden: the name is nowhere. (PostgreSQL's own DETAIL line
    # still names the key of the constraint; an import's clash is said without it.)
    message = str(failed.value)
    assert "张三" not in message and "SQL parameters hidden" in message


# the pages of the county's figures and lists, which every role but township staff sees
COUNTY = {"overview", "ranking", "township", "settlement", "groups", "repeats", "remittance"}
LEADER = COUNTY | {"whatif", "bulletin", "meeting", "audit"}


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("township", {"township", "groups", "repeats", "remittance"}),
        ("clerk", COUNTY | {"imports"}),
        ("leader", LEADER),
        ("supervisor", LEADER),
        ("admin", LEADER | {"imports", "campaigns", "users"}),
    ],
)
def test_pages_per_role(role, pages) -> None:
    sections = pages_for(Account("u", "u", role, "neixiang", "湍东镇"))
    assert {name for items in sections.values() for name, _, _ in items} == pages


def test_log_in_form_in_apptest(app_env, engine) -> None:
    from streamlit.testing.v1 import AppTest

    from apptest import APP

    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "城乡居民医保征缴工作看板"
    assert "登录后12小时内，刷新页面或打开新标签页无需再次登录" in at.caption[0].value
    at.text_input(key="login_username").set_value("leader")
    at.text_input(key="login_password").set_value("not-the-password")
    at.button[0].click().run()
    assert at.error[0].value == "用户名或密码错误"
    at.text_input(key="login_password").set_value(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value.endswith("城乡居民医保征缴总览")
    assert any("县领导" in c.value for c in at.sidebar.caption)
    # the session kept for reloads is in the database; the browser is given its cookie, by
    # the run that draws the first page (the run at the app's own address moves on to it, and
    # what that run had drawn was dropped with it: a reload asked for the log-in again)
    token = at.session_state["session_token"]
    assert resume_session(engine, token) is not None
    scripts = [h.proto.body for h in at.get("html")]
    assert any(f"dashboard_session={token};" in body for body in scripts), scripts


def test_admin_creates_a_user_in_the_page_and_it_is_audited(scratch_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("admin", county="neixiang")
    at.switch_page("../pages/users.py").run()
    assert not at.exception
    at.text_input(key="new_username").set_value("zhaodian")
    at.selectbox(key="new_role").set_value("township")
    at.selectbox(key="new_township").set_value("赵店乡")
    at.text_input(key="new_password").set_value("zhaodian-2024")
    next(b for b in at.button if b.label == "新建").click().run()
    assert any(s.value == "已新建用户“zhaodian”。" for s in at.success)
    at.switch_page("../pages/audit.py").run()
    log = at.dataframe[0].value
    assert (
        log.iloc[0]["操作"] == "新建用户"
        and log.iloc[0]["对象"] == "zhaodian"
        and log.iloc[0]["操作人"] == "admin"
    )
    assert "zhaodian-2024" not in log.to_string()


OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://sso.example.gov.cn/.well-known/openid-configuration",
}


def test_identity_providers_are_read_from_the_auth_section() -> None:
    assert identity_providers({}) == []
    assert identity_providers({"redirect_uri": "x", "cookie_secret": "y"}) == []
    assert identity_providers(OIDC) == [None]
    shared = {"redirect_uri": "x", "cookie_secret": "y"}
    assert identity_providers(shared | {"政务网": {"client_id": "a"}, "other": {"x": 1}}) == [
        "政务网"
    ]


def test_the_identity_provider_logs_in_only_users_with_that_address(scratch) -> None:
    change_user(scratch, "leader", email="  Leader@Zhashui.gov.cn ", by="admin")
    account = authenticate_external(scratch, "leader@zhashui.gov.cn")
    assert (account.username, account.role) == ("leader", "leader")
    assert authenticate_external(scratch, "LEADER@zhashui.gov.cn").username == "leader"
    with pytest.raises(LoginRefused, match="“stranger@example.com”未在本系统开通或已停用"):
        authenticate_external(scratch, "stranger@example.com")
    with pytest.raises(LoginRefused, match="统一身份认证尚未验证邮箱“leader@zhashui.gov.cn”"):
        authenticate_external(scratch, "leader@zhashui.gov.cn", verified=False)
    with pytest.raises(UserRefused, match="邮箱“leader@zhashui.gov.cn”已被用户“leader”使用"):
        change_user(scratch, "clerk", email="leader@zhashui.gov.cn", by="admin")
    with pytest.raises(UserRefused, match="邮箱地址格式不对"):
        change_user(scratch, "clerk", email="not-an-address", by="admin")
    change_user(scratch, "leader", active=False, by="admin")
    with pytest.raises(LoginRefused, match="未在本系统开通或已停用"):
        authenticate_external(scratch, "leader@zhashui.gov.cn")
    with Session(scratch) as session:
        attempts = session.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.username, a.success) for a in attempts] == [
        ("leader", True),
        ("leader", True),
        ("stranger@example.com", False),
        ("leader@zhashui.gov.cn", False),
        ("leader", False),
    ]
    changed = [r for r in audit.entries(scratch) if r.target == "leader"]  # newest first
    assert [r.action for r in changed] == ["user_changed", "user_changed", "user_created"]
    assert json.loads(changed[1].after)["邮箱"] == "leader@zhashui.gov.cn"


def _external(app_env: str, user: dict[str, object]):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from apptest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = OIDC
    at.user = user
    return at.run()


def test_log_in_page_offers_the_identity_provider_when_configured(app_env) -> None:
    at = _external(app_env, {"is_logged_in": False})
    assert [b.label for b in at.button] == ["登录", "使用统一身份认证登录"]


def test_a_user_known_by_address_is_let_in_by_the_identity_provider(
    scratch_url, scratch, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    change_user(scratch, "supervisor", email="xiaoneng@neixiang.gov.cn", by="admin")
    at = _external(scratch_url, {"is_logged_in": True, "email": "XiaoNeng@neixiang.gov.cn"})
    assert not at.exception
    assert at.title[0].value.endswith("城乡居民医保征缴总览")
    assert any("效能中心" in c.value for c in at.sidebar.caption)


def test_an_unknown_address_is_refused_with_a_way_out(app_env) -> None:
    at = _external(app_env, {"is_logged_in": True, "email": "someone@example.com"})
    assert at.error[0].value.startswith("统一身份认证账号“someone@example.com”未在本系统开通")
    assert "退出统一身份认证" in [b.label for b in at.button]
    assert at.title[0].value == "城乡居民医保征缴工作看板"


def test_admin_gives_a_user_an_address_for_the_identity_provider(scratch_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    at = start("admin", county="zhashui")
    at.switch_page("../pages/users.py").run()
    at.selectbox(key="edit_user").set_value("clerk").run()
    assert at.selectbox(key="edit_role_clerk").value == "clerk", "the form starts from the user"
    at.text_input(key="edit_email_clerk").set_value(" Clerk@Zhashui.gov.cn").run()
    at.button(key="edit_save").click().run()
    assert any(s.value == "已修改用户“clerk”。" for s in at.success)
    users = table(at, "用户名").set_index("用户名")
    assert users.loc["clerk", "统一身份认证邮箱"] == "clerk@zhashui.gov.cn"
    assert users.loc["yingpan", "县"] == "柞水县"
    at.switch_page("../pages/audit.py").run()
    assert at.dataframe[0].value.iloc[0]["变更"] == "邮箱：— → clerk@zhashui.gov.cn"


def test_an_address_the_provider_has_not_verified_is_not_trusted(
    scratch_url, scratch, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    change_user(scratch, "leader", email="leader@neixiang.gov.cn", by="admin")
    user = {"is_logged_in": True, "email": "leader@neixiang.gov.cn", "email_verified": False}
    at = _external(scratch_url, user)
    assert at.error[0].value == "统一身份认证尚未验证邮箱“leader@neixiang.gov.cn”，请联系系统管理员"
    assert at.title[0].value == "城乡居民医保征缴工作看板"
