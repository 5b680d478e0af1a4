"""用户管理 (admins): users and roles, new users, password resets, and recent failed log-ins.
Every change is written to the audit log; passwords never are."""

import streamlit as st

from dashboard import admin_views, state, widgets
from dashboard.auth import ROLES, UserRefused
from data_models.tables import CELL_TEXT, EMAIL_TEXT, SHORT_TEXT

selection = state.current()
account = state.current_account()
st.title("用户管理")
st.caption(
    "角色：县领导、效能中心可查看全部数据；经办人员可导入数据；乡镇用户只能查看本乡镇；系统管理员管理用户、正式任务数与方案应用。"
)

state.show_flash()
people = state.user_list()
widgets.table(admin_views.users_view(people, state.county_names()))
if state.login_providers():
    st.caption("已配置统一身份认证：用户以下表中的邮箱通过认证后登录，权限仍以本系统的角色为准。")
else:
    st.caption(
        "统一身份认证（OIDC）未配置：在 .streamlit/secrets.toml 的 [auth] 中配置后，"
        "填写了邮箱的用户可用单位账号登录。"
    )

left, right = st.columns(2)
with left.form("new_user", clear_on_submit=True, border=True):
    st.subheader("新建用户")
    username = st.text_input("用户名", key="new_username", max_chars=SHORT_TEXT)
    display_name = st.text_input("姓名或单位", key="new_display_name", max_chars=CELL_TEXT)
    role = st.selectbox("角色", list(ROLES), format_func=ROLES.__getitem__, key="new_role")
    township = st.selectbox(
        "乡镇（乡镇用户必选）",
        [None, *selection.data.townships],
        format_func=lambda t: t or "—",
        key="new_township",
    )
    email = st.text_input("统一身份认证邮箱（可不填）", key="new_email", max_chars=EMAIL_TEXT)
    password = st.text_input(
        "初始密码（至少8位）",
        type="password",
        key="new_password",
        help="用户首次登录时须改为自己的密码",
    )
    if st.form_submit_button("新建", type="primary"):
        try:
            state.add_user(
                username,
                password,
                role=role,
                display_name=display_name,
                county=selection.data.policy.code,
                township=township,
                email=email,
            )
        except UserRefused as refusal:
            widgets.show_refusal(refusal)
        else:
            state.flash_and_rerun(f"已新建用户“{username}”。")

with right.container(border=True):
    st.subheader("修改用户")
    by_name = {u.username: u for u in people}
    chosen = st.selectbox("用户", list(by_name), key="edit_user")
    current = by_name[chosen]
    roles = list(ROLES)
    role = st.selectbox(
        "角色",
        roles,
        index=roles.index(current.role) if current.role in ROLES else 0,
        format_func=ROLES.__getitem__,
        key=f"edit_role_{chosen}",
    )
    township_choices = [None, *selection.data.townships]
    township = st.selectbox(
        f"乡镇（{selection.data.policy.name}，乡镇用户必选）",
        township_choices,
        index=township_choices.index(current.township)
        if current.township in township_choices
        else 0,
        format_func=lambda t: t or "—",
        key=f"edit_township_{chosen}",
    )
    email = st.text_input(
        "统一身份认证邮箱（清空则取消）",
        value=current.email or "",
        key=f"edit_email_{chosen}",
        max_chars=EMAIL_TEXT,
    )
    active = st.toggle("启用", value=current.active, key=f"edit_active_{chosen}")
    password = st.text_input(
        "新密码（留空则不改）",
        type="password",
        key="edit_password",
        help="重置的密码由用户下次登录时改为自己的密码",
    )
    if st.button(
        "保存修改",
        key="edit_save",
        type="primary",
        disabled=chosen == account.username and not active,
    ):
        try:
            state.edit_user(
                chosen,
                role=role,
                active=active,
                password=password or None,
                email=email,
                county=selection.data.policy.code if township else None,
                township=township,
            )
        except UserRefused as refusal:
            widgets.show_refusal(refusal)
        else:
            state.flash_and_rerun(f"已修改用户“{chosen}”。")

st.subheader("最近的失败登录")
widgets.table(
    admin_views.failed_logins_view(state.failed_login_list()),
    empty="最近没有失败的登录。",
)
