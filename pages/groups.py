"""特殊群体: coverage of each special group by township, the members not yet enrolled (ID
numbers masked) for township staff, each member's subsidy, and the subsidy funds by source."""

import streamlit as st

from dashboard import cached_people, group_views, state, widgets
from dashboard import formatting as fmt
from dashboard.figures import coverage_by_township

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy

widgets.page_header(f"{policy.name}特殊群体参保与资助", selection)

account = state.current_account()
scope = account.scope
long = coverage_by_township(data, as_of, township=scope)
st.subheader("各乡镇特殊群体参保情况（已参保/名单人数，目标100%）")
if long.empty:
    st.info("本县尚无特殊群体名单人数。导入资助名单（或含特殊群体人数的任务表）后可查看。")
else:
    widgets.table(group_views.coverage_matrix(long, county_total=scope is None))

if not cached_people.has_roster(policy, township=scope):
    st.info(
        "尚未导入资助名单（花名册）。导入后可查看每村未参保人员名单、每人资助金额和资金来源。",
        icon=":material/info:",
    )
    st.stop()

st.subheader("未参保人员名单")
left, right = st.columns(2)
township = widgets.township_filter(left, data.townships, scope=scope, key="groups_township")
village = right.selectbox(
    "村（社区）",
    [None, *cached_people.roster_villages(policy, township or scope)],
    format_func=lambda v: v or "全部村（社区）",
    key=f"groups_village_{township}",
)
place = f"{policy.name}{township or ''}{village or ''}"  # the lists' file names
tables = cached_people.roster_tables(
    policy, township or scope, village, as_of, full_ids=account.sees_id_numbers
)
widgets.long_list(
    tables.waiting,
    caption=f"截至{fmt.day(as_of)}，名单内尚未参保{fmt.count(len(tables.waiting))}人。"
    + widgets.masked_note(account),
    label="下载未参保名单",
    file_name=f"{place}未参保名单_{as_of.isoformat()}",
    key="unenrolled",
)

st.subheader("参保资助测算（每人只享受一种，就高不重复）")
st.caption(
    f"个人缴费标准{fmt.money(policy.contribution_standard)}元；个人缴费 = 标准 − 资助，最低为0。"
)
widgets.table(tables.subsidies)
for line in tables.losses:
    st.caption(line)

st.subheader("缴费金额核对（实缴与应缴）")
st.caption(
    "已参保的名单人员按缴费明细的实缴金额（缴费减去已退还的多缴部分）与应缴（标准 − 资助）"
    "逐人核对：多缴的多为缴费时未享受资助，差额应退还；少缴的应补缴。"
    "上面的已资助金额按应享受的资助计。"
)
if tables.mismatches.empty:
    st.success(tables.mismatch_line, icon=":material/check_circle:")
else:
    widgets.long_list(
        tables.mismatches,
        caption=tables.mismatch_line + widgets.masked_note(account),
        label="下载缴费金额不符名单",
        file_name=f"{place}缴费金额不符名单_{as_of.isoformat()}",
        key="mismatches",
    )
st.subheader("资助资金来源（已参保人员）")
widgets.table(tables.funds)
