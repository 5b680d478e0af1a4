"""重复缴费: the second payments of people already enrolled, per township, and the list of
whom to pay back (ID numbers masked for township staff), with what was paid back by the day
chosen."""

import streamlit as st

from dashboard import cached_people, state, widgets
from dashboard import formatting as fmt
from dashboard import repeat_views as rv
from dashboard.glossary import TOWNSHIP
from dashboard.policy_points import DUPLICATE_ENROLMENT
from dashboard.repeat_list import (
    refund_totals,
    refunds_by_township,
    second_payments_on,
    select_seconds,
)

selection = state.current()
policy, as_of = selection.data.policy, selection.as_of
account = state.current_account()
scope = account.scope

widgets.page_header(f"{policy.name}{scope or ''}重复缴费与退费", selection)
st.caption(
    f"{DUPLICATE_ENROLMENT}。导入缴费明细时，已参保人员的另一笔缴费（另一天、另一金额或另一张税票）记为"
    "重复缴费，不重复计入参保；之后导入的退费记录（负数金额）先冲抵重复缴费。"
)
stored = cached_people.second_payments(policy, scope)
if stored is None:
    st.info(
        f"{scope or '本县'}本年度尚未导入缴费明细（税务部门导出的缴费名单）。重复缴费只能从缴费明细"
        "中发现：导入后，已参保人员的另一笔缴费在此列出，供办理退费。",
        icon=":material/info:",
    )
    st.stop()
seconds = second_payments_on(stored, as_of)
if seconds.empty:
    st.info(
        f"截至{fmt.day(as_of)}，{scope or '本县'}没有重复缴费记录。",
        icon=":material/check_circle:",
    )
    st.stop()

total = refund_totals(seconds)
widgets.note_cards(rv.refund_cards(total))

if scope is None:
    st.subheader("各乡镇重复缴费情况")
    widgets.table(rv.refund_summary_view(refunds_by_township(seconds), total))

st.subheader("重复缴费人员名单")
left, right = st.columns(2)
townships = list(dict.fromkeys(seconds[TOWNSHIP]))
township = widgets.township_filter(left, townships, scope=scope, key="repeats_township")
refunded = right.selectbox(
    "退费情况",
    [None, False, True],
    format_func=lambda r: rv.REFUND_STATES[r],
    key="repeats_state",
    help="按数据截至日期",
)
listed = select_seconds(seconds, township=township, refunded=refunded)
view = rv.second_payments_view(listed, full_ids=account.sees_id_numbers)
widgets.long_list(
    view,
    caption=f"共{fmt.count(len(view))}笔。{widgets.masked_note(account)}",
    label="下载重复缴费名单",
    file_name=f"{policy.name}{township or scope or ''}重复缴费名单_{as_of.isoformat()}",
    key="repeats_list",
)
