"""The 通报 page's fields for the office's own text: 文号, 工作要求 and 落款."""

from __future__ import annotations

import streamlit as st

from dashboard import clock
from dashboard.bulletin import ISSUER_CHARS, NUMBER_CHARS, REMARKS_CHARS, BulletinNotes

REMARKS_EXAMPLE = (
    "如：各乡镇（街道）要对照任务倒排工期，逐村逐户摸排未参保人员，确保特殊群体应保尽保。\n"
    "排名后三位的乡镇要于三日内向县效能中心书面说明原因及整改措施。"
)


def notes_form(county: str) -> BulletinNotes:
    """The document number, work requirements and sign-off, applied to the bulletin with the
    form's button (so a download never races a field still being typed in); kept per county
    while the session lasts."""
    with (
        st.expander(
            "文号、工作要求与落款（可选）", icon=":material/edit_note:", key=f"notes_{county}"
        ),
        st.form(f"bulletin_notes_{county}", border=False),
    ):
        row = st.container(horizontal=True)
        number = row.text_input(
            "文号",
            max_chars=NUMBER_CHARS,
            placeholder="如：内效通〔2022〕15号",
            key=f"notes_number_{county}",
        )
        issuer = row.text_input(
            "发文单位（落款）",
            max_chars=ISSUER_CHARS,
            placeholder="如：县效能中心",
            key=f"notes_issuer_{county}",
        )
        issued = row.date_input(
            "成文日期", value=clock.today(), format="YYYY-MM-DD", key=f"notes_issued_{county}"
        )
        remarks = st.text_area(
            "工作要求（每段一行，列在通报末尾）",
            max_chars=REMARKS_CHARS,
            placeholder=REMARKS_EXAMPLE,
            height=140,
            key=f"notes_remarks_{county}",
        )
        st.form_submit_button("更新通报", icon=":material/refresh:")
    return BulletinNotes(
        number=(number or "").strip(),
        remarks=remarks or "",
        issuer=(issuer or "").strip(),
        issued=issued if (issuer or "").strip() else None,
    )
