"""征缴年度 (admins): the county's yearly campaigns, its policy file to start next year's from,
and opening a new campaign (or a new county) from next year's policy, filled in on the page or
uploaded as a file, and the official quota table."""

import streamlit as st

from dashboard import admin_views, policy_widgets, state, widgets
from dashboard import formatting as fmt
from dashboard.opening import policy_toml
from dashboard.policy_form import PolicyDraft, drafted_policy
from dashboard.problems import InputError, problems_display

selection = state.current()
policy = selection.data.policy

st.title(f"{policy.name}征缴年度")
st.caption(
    "每年的征缴是一个征缴年度：本年度的政策（缴费标准、资助、征缴期、奖惩标准）和正式任务数。"
    "建立新的年度后，各页面显示新的年度；往年的数据仍可在侧栏“征缴年度”中查看。"
)
state.show_flash()
widgets.table(admin_views.campaigns_view(state.campaign_list(policy.code)))
st.download_button(
    f"下载{policy.benefit_year}年度政策文件（作为下一年度的模板）",
    policy_toml(policy),
    file_name=f"{policy.code}_{policy.benefit_year}_policy.toml",
    mime="application/toml",
    key="policy_download",
    on_click="ignore",
    icon=":material/download:",
)

st.subheader(f"修改{policy.benefit_year}年度政策")
st.caption(
    "征缴期延长、奖惩或资助标准调整等，按县里的通知修改本年度政策（已导入的数据不变）。"
    "修改记入审计日志；已导入的数据须仍在修改后的征缴期内。"
)
amend_box = st.expander(
    f"修改{policy.title}的政策",
    icon=":material/edit_calendar:",
    key="amend_open",
    on_change="rerun",
)
with amend_box:  # the form is read and checked only while it is open
    if amend_box.open:
        amend_how = st.radio(
            "修改方式",
            ["form", "file"],
            format_func={"form": "在本页修改", "file": "上传修改后的政策文件"}.get,
            horizontal=True,
            key="amend_method",
        )
        amending: tuple[PolicyDraft | bytes, str] | None = None
        if amend_how == "form":
            form = policy_widgets.draft_form(policy, amend=True)
            amending = form, f"{policy.benefit_year}年度政策（页面修改）"
        else:
            upload = st.file_uploader("政策文件（policy.toml）", type=["toml"], key="amend_policy")
            amending = None if upload is None else (upload.getvalue(), upload.name)
        checked = None if amending is None else state.check_amendment(policy, *amending)
        if isinstance(checked, list):
            widgets.problem_table(problems_display(checked))
        elif checked is not None and not checked.changed:
            st.caption("与现行政策相同，没有要修改的内容；修改后这里列出修改前后的对比。")
        elif checked is not None and amending is not None:
            widgets.table(admin_views.amendment_view(checked))
            if st.button("确认修改", type="primary", key="amend_button", icon=":material/save:"):
                try:
                    done = state.amend_checked(checked.after, amending[1])
                except InputError as refusal:
                    widgets.show_refusal(refusal)
                else:
                    state.flash_and_rerun(done.summary())

st.subheader("建立新的征缴年度")
base = state.current_policy(policy.code)
how = st.radio(
    "下一年度的政策",
    ["form", "file"],
    format_func={
        "form": f"在本页填写（从{base.benefit_year}年度的政策改起）",
        "file": "上传政策文件",
    }.get,
    horizontal=True,
    key="opening_method",
)
given: tuple[bytes, str] | None = None
if how == "form":
    filled = policy_widgets.draft_form(base)
    name = f"{filled.benefit_year}年度政策（页面填写）"
    try:
        drafted = drafted_policy(base, filled, name)
    except InputError as refusal:
        listed = "\n".join(f"- {fmt.plain(p.describe(file=False))}" for p in refusal.problems)
        st.warning(
            f"政策填写有{fmt.count(len(refusal.problems))}个问题：\n\n{listed}",
            icon=":material/edit_note:",
        )
    else:
        given = policy_toml(drafted).encode("utf-8"), name
else:
    st.caption(
        "上传上面下载的政策文件，改好待遇年度、征缴期、缴费与资助标准、奖惩标准。"
        "政策文件中的县代码是新的代码时，新增一个县。"
    )
    upload = st.file_uploader("政策文件（policy.toml）", type=["toml"], key="opening_policy")
    given = None if upload is None else (upload.getvalue(), upload.name)
st.markdown("上传正式**任务表**（xlsx、xls 或 csv，检查与数据导入相同）。")
widgets.upload_texts_in_chinese(
    st.get_option("server.maxUploadSize"),
    widgets.SPREADSHEET_TYPES + (["toml"] if how == "file" else []),
)
quota_upload = st.file_uploader("任务表", type=widgets.SPREADSHEET_TYPES, key="opening_quota")
if given is not None and quota_upload is not None:
    policy_raw, policy_name = given
    checked = state.check_opening_files(
        policy_raw, policy_name, quota_upload.getvalue(), quota_upload.name
    )
    if checked.data is None:
        st.error(
            f"发现{fmt.count(len(checked.problems))}个问题，未建立。请修正后重新上传。",
            icon=":material/error:",
        )
        widgets.problem_table(problems_display(checked.problems))
    else:
        new = checked.data.policy
        st.success(
            f"检查通过：将建立{new.title}"
            f"（征缴期{fmt.day(new.campaign.start)}至{fmt.day(new.campaign.end)}），"
            f"{len(checked.data.quotas)}个乡镇（街道）。",
            icon=":material/check_circle:",
        )
        widgets.file_notes(checked.notes)
        widgets.table(admin_views.opening_preview(checked.data))
        if st.button("建立征缴年度", type="primary", key="opening_button", icon=":material/add:"):
            try:
                opened = state.open_checked(checked, policy_name)
            except InputError as refusal:
                widgets.show_refusal(refusal)
            else:
                state.flash_and_rerun(opened.summary())
