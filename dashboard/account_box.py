"""The logged-in user's own account: the sidebar's box (who, 修改密码, 退出登录), and the one
screen of a user whose password an admin set, to change before any page."""

from __future__ import annotations

import streamlit as st

from dashboard import formatting as fmt
from dashboard import state
from dashboard.auth import MIN_PASSWORD, Account
from dashboard.widgets import wrapping_row

PASSWORD_FIELDS = ("当前密码", f"新密码（至少{MIN_PASSWORD}位）", "再次输入新密码")


def account_box(user: Account) -> None:
    """The user's name and role, 修改密码 and 退出登录."""
    scope = f" · {user.township}" if user.township else ""
    st.caption(fmt.plain(f"{user.display_name or user.username}（{user.role_label}{scope}）"))
    with wrapping_row():
        with st.popover("修改密码", icon=":material/password:"):
            _password_form()
        _log_out_button()


def password_required(user: Account) -> None:
    """The only screen of a user whose password an admin set (a new user, a reset): they
    change it before any page opens."""
    st.title("请先修改密码")
    st.info(
        f"{fmt.plain(user.display_name or user.username)}，您的密码是系统管理员设置的"
        "（新建用户或重置密码），请改为只有您自己知道的密码后再使用看板。",
        icon=":material/password:",
    )
    with st.container(width=420):
        _password_form()
    _log_out_button()


def _log_out_button() -> None:
    st.button("退出登录", key="logout", on_click=state.log_out, icon=":material/logout:")


def _password_form() -> None:
    """The three fields; the change is made on 确认修改, or refused with the reason."""
    with st.form("own_password", clear_on_submit=True, border=False):
        current, new, repeated = (
            st.text_input(label, type="password") for label in PASSWORD_FIELDS
        )
        if not st.form_submit_button("确认修改", type="primary"):
            return
    must_change = state.current_account().must_change_password
    refusal = state.change_password(current, new, repeated=repeated)
    if refusal is None and must_change:
        st.rerun()  # on to the pages
    if refusal is None:
        st.success("密码已修改。其他浏览器上的登录已退出，需用新密码重新登录。")
    else:
        st.error(refusal)
