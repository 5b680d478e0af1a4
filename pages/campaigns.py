"""征缴年度 (admins): the county's yearly campaigns, its policy file to start next year's from,
and opening a new campaign (or a new county) from a policy file and the official quota table."""

import streamlit as st

from dashboard import formatting as fmt
from dashboard import state, views, widgets
from dashboard.opening import policy_toml
from dashboard.problems import InputError, problems_display

selection = state.current()
policy = selection.data.policy

st.title(f"{policy.name}征缴年度")
st.caption(
    "每年的征缴是一个征缴年度：本年度的政策（缴费标准、资助、征缴期、奖惩标准）和正式任务数。"
    "建立新的年度后，各页面显示新的年度；往年的数据仍可在侧栏“征缴年度”中查看。"
)
state.show_flash()
widgets.table(views.campaigns_view(state.campaign_list(policy.code)))
st.download_button(
    f"下载{policy.benefit_year}年度政策文件（作为下一年度的模板）",
    policy_toml(policy),
    file_name=f"{policy.code}_{policy.benefit_year}_policy.toml",
    mime="application/toml",
    key="policy_download",
    icon=":material/download:",
)

st.subheader("建立新的征缴年度")
st.markdown(
    "上传下一年度的**政策文件**（上面下载的文件改好待遇年度、征缴期、缴费与资助标准、奖惩标准）"
    "和正式**任务表**（xlsx 或 csv，检查与数据导入相同）。"
    "政策文件中的县代码是新的代码时，新增一个县。"
)
widgets.upload_texts_in_chinese(st.get_option("server.maxUploadSize"), ["toml", "xlsx", "csv"])
left, right = st.columns(2)
policy_upload = left.file_uploader("政策文件（policy.toml）", type=["toml"], key="opening_policy")
quota_upload = right.file_uploader("任务表", type=["xlsx", "xls", "csv"], key="opening_quota")
if policy_upload is not None and quota_upload is not None:
    checked = state.check_opening_files(
        policy_upload.getvalue(), policy_upload.name, quota_upload.getvalue(), quota_upload.name
    )
    if checked.data is None:
        st.error(
            f"发现{len(checked.problems)}个问题，未建立。请修正后重新上传。",
            icon=":material/error:",
        )
        st.dataframe(problems_display(checked.problems), hide_index=True, key="opening_problems")
    else:
        new = checked.data.policy
        st.success(
            f"检查通过：将建立{new.title}"
            f"（征缴期{fmt.day(new.campaign.start)}至{fmt.day(new.campaign.end)}），"
            f"{len(checked.data.quotas)}个乡镇（街道）。",
            icon=":material/check_circle:",
        )
        widgets.table(views.opening_preview(checked.data))
        if st.button("建立征缴年度", type="primary", key="opening_button", icon=":material/add:"):
            try:
                opened = state.open_checked(checked, policy_upload.name)
            except InputError as refusal:
                st.error(str(refusal))
            else:
                state.flash_and_rerun(opened.summary())
