"""Log-in, roles, rate limiting, the audit of user changes, and logs free of secrets."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from sqlmodel import Session, select

from dashboard import audit
from dashboard.access import pages_for
from dashboard.auth import (
    DEMO_PASSWORD,
    MAX_FAILURES,
    Account,
    LoginRefused,
    UserRefused,
    authenticate,
    change_user,
    create_user,
    seed_demo_users,
)
from dashboard.idnumbers import make_id
from dashboard.importing import apply_import, check_file
from dashboard.samples import sample_policy
from data_models.tables import LoginAttempt, User

from apptest import start
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


def test_inactive_users_cannot_log_in(scratch) -> None:
    change_user(scratch, "clerk", active=False, by="admin")
    with pytest.raises(LoginRefused):
        authenticate(scratch, "clerk", DEMO_PASSWORD)


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
    rows = [r for r in audit.entries(scratch) if r.target == "banchang"]
    assert [r.action for r in rows] == ["password_reset", "user_created"]
    assert json.loads(rows[1].after)["乡镇"] == "板场乡"
    text = json.dumps([(r.before, r.after) for r in rows], ensure_ascii=False)
    assert "secret" not in text


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


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("township", {"township", "groups"}),
        ("clerk", {"overview", "ranking", "township", "settlement", "groups", "imports"}),
        (
            "leader",
            {
                "overview",
                "ranking",
                "township",
                "settlement",
                "groups",
                "whatif",
                "bulletin",
                "meeting",
                "audit",
            },
        ),
        (
            "admin",
            {
                "overview",
                "ranking",
                "township",
                "settlement",
                "whatif",
                "bulletin",
                "meeting",
                "groups",
                "imports",
                "audit",
                "users",
            },
        ),
    ],
)
def test_pages_per_role(role, pages) -> None:
    sections = pages_for(Account("u", "u", role, "neixiang", "湍东镇"))
    assert {name for items in sections.values() for name, _, _ in items} == pages


def test_log_in_form_in_apptest(app_env) -> None:
    from streamlit.testing.v1 import AppTest

    from apptest import APP

    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "城乡居民医保征缴工作看板"
    at.text_input(key="login_username").set_value("leader")
    at.text_input(key="login_password").set_value("not-the-password")
    at.button[0].click().run()
    assert at.error[0].value == "用户名或密码错误"
    at.text_input(key="login_password").set_value(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value.endswith("城乡居民医保征缴总览")
    assert any("县领导" in c.value for c in at.sidebar.caption)


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
