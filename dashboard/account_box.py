"""The sidebar's account box: who is logged in, the change of their own password, log-out."""

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
        st.button("退出登录", key="logout", on_click=state.log_out, icon=":material/logout:")


def _password_form() -> None:
    """The three fields; the change is made on 确认修改, or refused with the reason."""
    with st.form("own_password", clear_on_submit=True, border=False):
        current, new, repeated = (
            st.text_input(label, type="password") for label in PASSWORD_FIELDS
        )
        if not st.form_submit_button("确认修改", type="primary"):
            return
    refusal = state.change_password(current, new, repeated=repeated)
    if refusal is None:
        st.success("密码已修改。其他浏览器上的登录已退出，需用新密码重新登录。")
    else:
        st.error(refusal)
