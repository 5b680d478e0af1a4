"""The 排名 page's record of talks (约谈) with the townships a ranking flagged."""

from __future__ import annotations

import streamlit as st

from dashboard import clock, state, widgets
from dashboard.periods import Period
from dashboard.talks import Talk, TalkRefused, record_talk, talks
from data_models.tables import NOTE_TEXT


def talk_form(selection: state.Selection, period: Period, flagged: list[str]) -> None:
    """For the supervision office (and the admin): record the talk held with one of the
    townships the ranking of ``period`` flagged; nothing where it flagged none."""
    account = state.current_account()
    if not flagged or not account.keeps_office_records:
        return
    policy = selection.data.policy
    key = f"talk_{policy.code}_{policy.benefit_year}_{period.kind}_{period.index}"
    with st.form(key, clear_on_submit=True):
        st.markdown(f"**记录约谈**（{period.label}排名后三名且未完成任务的乡镇）")
        row = st.container(horizontal=True)
        township = row.selectbox("乡镇（街道）", flagged, key=f"{key}_township")
        today = clock.today()
        held_on = row.date_input(
            "约谈日期",
            value=today,
            min_value=min(period.start, today),
            max_value=today,
            format="YYYY-MM-DD",
            key=f"{key}_day",
        )
        note = st.text_input(
            "说明（可选）",
            max_chars=NOTE_TEXT,
            placeholder="如：县政府副县长约谈乡镇党委书记、乡镇长，要求三日内报送整改措施",
            key=f"{key}_note",
        )
        if not st.form_submit_button("记录约谈", icon=":material/record_voice_over:"):
            return
    try:
        record_talk(
            state.engine(),
            policy.code,
            policy.benefit_year,
            township=township,
            period=period,
            held_on=held_on,
            note=note or "",
            user=account.username,
        )
    except TalkRefused as refusal:
        widgets.show_refusal(refusal)
        return
    st.toast(f"已记录{township}的约谈", icon=":material/check:")


def talk_list(selection: state.Selection) -> list[Talk]:
    """The talks recorded in the selected campaign, the latest held first."""
    policy = selection.data.policy
    return talks(state.engine(), policy.code, policy.benefit_year)
