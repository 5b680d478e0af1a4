"""乡镇's villages: their enrolled, or their completion against the quotas the township set
them, and the form those quotas are set in."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cached_people, state, widgets
from dashboard.figures import village_enrolled, village_standings
from dashboard.village_quotas import QUOTA_LABEL, VillageQuotasRefused, save_village_quotas
from dashboard.village_views import (
    EDITOR_COLUMNS,
    entered_village_rows,
    village_editor_frame,
    village_quota_sentence,
    village_standings_view,
    villages_note,
    villages_view,
)
from data_models.tables import MAX_COUNT


def village_section(selection: state.Selection, township: str, *, enrolled: int) -> None:
    """The township's villages as of the selected day (``enrolled``: the township's own
    figure, which the villages' counts may cover only in part), and the quota form."""
    data = selection.data
    villages = village_enrolled(
        cached_people.village_progress(data, township), township, selection.as_of
    )
    quotas = cached_people.village_quotas_of(data.policy, township)
    note = villages_note(villages, enrolled) if not villages.empty else ""
    if quotas:
        st.subheader("各村（社区）任务完成情况")
        quota = data.quota_by_township[township]
        st.caption(village_quota_sentence(quotas, township, quota) + note)
        widgets.table_with_downloads(
            village_standings_view(village_standings(villages, quotas)),
            label="下载各村完成情况",
            file_name=f"{township}各村完成情况_{selection.as_of:%Y%m%d}",
            key="village_standings",
        )
    elif not villages.empty:
        st.subheader("各村（社区）累计参保人数")
        st.caption(note)
        widgets.table(villages_view(villages))
    _quota_form(selection, township, villages, quotas)


def _quota_form(
    selection: state.Selection, township: str, villages: pd.DataFrame, quotas: dict[str, int]
) -> None:
    """For the township's own staff (and the clerks and the admin): set its villages' quotas."""
    account = state.current_account()
    if not account.sets_village_quotas(township):
        return
    policy = selection.data.policy
    stamp = abs(hash(tuple(sorted(quotas.items()))))  # a new editor once they are saved
    key = f"village_quotas_{policy.code}_{policy.benefit_year}_{township}_{stamp}"
    title = "修改各村（社区）任务数" if quotas else "设置各村（社区）任务数"
    with st.expander(title, icon=":material/edit_note:", key=f"{key}_expander"):
        st.caption(
            "乡镇把任务分解到村（社区）后在此填写，各村即按完成率排名；不填的村不排名。"
            "尚无参保记录的村可在表格末尾添加。保存记入审计日志。"
        )
        with st.form(key, enter_to_submit=False):
            frame = village_editor_frame(villages, quotas)
            edited = st.data_editor(
                frame,
                key=f"{key}_editor",
                num_rows="dynamic",
                hide_index=True,
                height=widgets.table_height(len(frame) + 1),  # and the row to add one
                disabled=[EDITOR_COLUMNS["enrolled"]],
                column_config={
                    EDITOR_COLUMNS["village"]: st.column_config.TextColumn(),
                    EDITOR_COLUMNS["enrolled"]: st.column_config.NumberColumn(format="localized"),
                    EDITOR_COLUMNS["quota"]: st.column_config.NumberColumn(
                        min_value=0, max_value=MAX_COUNT, step=1, format="localized"
                    ),
                },
            )
            saved = st.form_submit_button(f"保存{QUOTA_LABEL}", icon=":material/save:")
    if not saved:
        return
    try:
        written = save_village_quotas(
            state.engine(),
            policy.code,
            policy.benefit_year,
            township=township,
            rows=entered_village_rows(edited),
            user=account.username,
        )
    except VillageQuotasRefused as refusal:
        widgets.show_refused_entries(f"{QUOTA_LABEL}未保存", refusal)
        return
    state.clear_caches()
    state.flash_and_rerun(f"已保存{township}{len(written)}个村（社区）的任务数（已记入审计日志）。")
