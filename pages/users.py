"""用户管理 (admins): users and roles, new users, password resets, and recent failed log-ins.
Every change is written to the audit log; passwords never are."""

import streamlit as st

from dashboard import state, views, widgets
from dashboard.auth import ROLES, UserRefused

selection = state.current()
account = state.current_account()
st.title("用户管理")
st.caption(
    "角色：县领导、效能中心可查看全部数据；经办人员可导入数据；乡镇用户只能查看本乡镇；系统管理员管理用户、正式任务数与方案应用。"
)

widgets.table(views.users_view(state.user_list()), key="users_table")

left, right = st.columns(2)
with left.form("new_user", clear_on_submit=True, border=True):
    st.subheader("新建用户")
    username = st.text_input("用户名", key="new_username")
    display_name = st.text_input("姓名或单位", key="new_display_name")
    role = st.selectbox("角色", list(ROLES), format_func=ROLES.__getitem__, key="new_role")
    township = st.selectbox(
        "乡镇（乡镇用户必选）",
        [None, *selection.data.townships],
        format_func=lambda t: t or "—",
        key="new_township",
    )
    password = st.text_input("初始密码（至少8位）", type="password", key="new_password")
    if st.form_submit_button("新建", type="primary"):
        try:
            state.add_user(
                username,
                password,
                role=role,
                display_name=display_name,
                county=selection.data.policy.code,
                township=township,
            )
        except UserRefused as refusal:
            st.error(str(refusal))
        else:
            st.success(f"已新建用户“{username}”。")

with right.container(border=True):
    st.subheader("修改用户")
    names = [u.username for u in state.user_list()]
    chosen = st.selectbox("用户", names, key="edit_user")
    role = st.selectbox("角色", list(ROLES), format_func=ROLES.__getitem__, key="edit_role")
    active = st.toggle("启用", value=True, key="edit_active")
    password = st.text_input("新密码（留空则不改）", type="password", key="edit_password")
    if st.button(
        "保存修改",
        key="edit_save",
        type="primary",
        disabled=chosen == account.username and not active,
    ):
        try:
            state.edit_user(chosen, role=role, active=active, password=password or None)
        except UserRefused as refusal:
            st.error(str(refusal))
        else:
            st.success(f"已修改用户“{chosen}”。")

st.subheader("最近的失败登录")
widgets.table(views.failed_logins_view(state.failed_login_list()), key="failed_logins")
