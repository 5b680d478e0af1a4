"""The 通报 page's fields for the office's own text (文号, 工作要求, 落款), saved per bulletin."""

from __future__ import annotations

import streamlit as st

from dashboard import clock, state
from dashboard.bulletin import ISSUER_CHARS, NUMBER_CHARS, REMARKS_CHARS, BulletinNotes
from dashboard.bulletin_texts import (
    SavedNotes,
    all_saved_notes,
    last_issuer,
    save_notes,
    saved_for,
    saved_notes,
)
from dashboard.clock import local_time
from dashboard.periods import Period

REMARKS_EXAMPLE = (
    "如：各乡镇（街道）要对照任务倒排工期，逐村逐户摸排未参保人员，确保特殊群体应保尽保。\n"
    "排名后三位的乡镇要于三日内向县效能中心书面说明原因及整改措施。"
)


def notes_form(
    selection: state.Selection, period: Period, listed: list[SavedNotes]
) -> BulletinNotes:
    """The document number, work requirements and sign-off of the bulletin of ``period``: as
    saved for it among ``listed`` (saved_list: the campaign's saved texts; a new one's
    sign-off starts from the office that signed the last one), and saved with the form's
    button, which applies them too (so a download never races a field still being typed
    in). Only the supervision office and the admin have the form; a leader's bulletin has
    the text as saved."""
    policy = selection.data.policy
    code, year = policy.code, policy.benefit_year
    saved = saved_for(listed, period)
    account = state.current_account()
    if not account.keeps_office_records:  # a leader reads the office's text, as saved
        return saved.notes if saved else BulletinNotes()
    start = saved.notes if saved else BulletinNotes(issuer=last_issuer(listed))
    key = f"{code}_{year}_{period.kind}_{period.index}"  # each bulletin's fields of its own
    with (
        st.expander(
            "文号、工作要求与落款（可选）", icon=":material/edit_note:", key=f"notes_{code}"
        ),
        st.form(f"bulletin_notes_{key}", border=False),
    ):
        row = st.container(horizontal=True)
        number = row.text_input(
            "文号",
            value=start.number,
            max_chars=NUMBER_CHARS,
            placeholder="如：内效通〔2022〕15号",
            key=f"notes_number_{key}",
        )
        issuer = row.text_input(
            "发文单位（落款）",
            value=start.issuer,
            max_chars=ISSUER_CHARS,
            placeholder="如：县效能中心",
            key=f"notes_issuer_{key}",
        )
        issued = row.date_input(
            "成文日期",
            value=start.issued or clock.today(),
            format="YYYY-MM-DD",
            key=f"notes_issued_{key}",
        )
        remarks = st.text_area(
            "工作要求（每段一行，列在通报末尾）",
            value=start.remarks,
            max_chars=REMARKS_CHARS,
            placeholder=REMARKS_EXAMPLE,
            height=140,
            key=f"notes_remarks_{key}",
        )
        submitted = st.form_submit_button("保存并更新通报", icon=":material/save:")
        if saved is not None:
            st.caption(f"本期通报的文字由 {saved.saved_by} 于{local_time(saved.saved_at)}保存。")
    notes = BulletinNotes.written(
        number=number or "", remarks=remarks or "", issuer=issuer or "", issued=issued
    )
    if submitted and notes != (saved.notes if saved else BulletinNotes()):  # nothing new: kept
        save_notes(state.engine(), code, year, period, notes, user=account.username)
        st.rerun()  # the caption says who saved it, and when
    return notes


def saved_list(selection: state.Selection) -> list[SavedNotes]:
    """Every bulletin text saved in the selected campaign, the latest saved first."""
    policy = selection.data.policy
    return all_saved_notes(state.engine(), policy.code, policy.benefit_year)


def saved_text(selection: state.Selection, period: Period) -> BulletinNotes:
    """The office's text saved for the bulletin of ``period`` (empty when none was saved)."""
    policy = selection.data.policy
    saved = saved_notes(state.engine(), policy.code, policy.benefit_year, period)
    return saved.notes if saved else BulletinNotes()
