"""审计日志: every change of official data — who, when, what, before and after. Read-only."""

import streamlit as st

from dashboard import formatting as fmt
from dashboard import state
from dashboard.audit import ACTION_LABELS, audit_view
from dashboard.exports import csv_bytes
from dashboard.failures import deferred

selection = state.current()
st.title("审计日志")
st.caption(
    "记录导入、撤销导入、方案应用为正式任务数、核定参保人数、用户变更等对正式数据的每一次修改，以及通报文字和约谈记录的保存。本页只读；日志只能追加，系统和数据库都拒绝修改或删除。"
)
by_action, by_user, by_day, by_county = st.columns([3, 2, 3, 2], vertical_alignment="bottom")
action = by_action.selectbox(
    "操作",
    [None, *ACTION_LABELS],
    format_func=lambda a: "全部操作" if a is None else ACTION_LABELS[a],
    key="audit_action",
)
user = by_user.selectbox(
    "操作人",
    [None, *state.audit_operators()],
    format_func=lambda u: "全部操作人" if u is None else u,
    key="audit_user",
)
picked = by_day.date_input(
    "日期", value=[], format="YYYY-MM-DD", key="audit_days", help="选一天，或起止两天（北京时间）"
)
only_county = by_county.toggle(f"只看{selection.data.policy.name}", value=False, key="audit_county")
log = audit_view(
    state.audit_entries(
        county=selection.data.policy.code if only_county else None,
        action=action,
        user=user,
        days=(picked[0], picked[-1]) if picked else None,
    ),
    state.county_names(),
)
st.caption(f"共{fmt.count(len(log))}条记录" if len(log) else "没有符合条件的记录。")
st.dataframe(
    log,
    hide_index=True,
    key="audit_table",
    column_config={
        "编号": st.column_config.NumberColumn(width="small"),
        "变更": st.column_config.TextColumn(width="large"),
        "修改前": st.column_config.TextColumn(width="medium"),
        "修改后": st.column_config.TextColumn(width="medium"),
    },
)
if not log.empty:  # a cell shows one line of a long change; here one entry is read in full
    chosen = st.selectbox(
        "查看一条记录的全部内容",
        log.index,
        format_func=lambda i: " · ".join(
            [f"第{log.at[i, '编号']}号", *log.loc[i, ["时间", "操作", "对象"]]]
        ),
        key="audit_entry",
    )
    entry = log.loc[chosen, ["对象", "变更", "修改前", "修改后"]].map(lambda v: fmt.plain(str(v)))
    st.table(entry.rename("内容").to_frame())  # read as Markdown: a name is shown as written
st.download_button(
    "下载审计日志（CSV）",
    deferred(lambda: csv_bytes(log)),  # written when clicked, not on every rerun
    file_name="审计日志.csv",
    mime="text/csv",
    key="audit_download",
    on_click="ignore",
    icon=":material/download:",
)
