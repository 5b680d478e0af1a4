"""通报: the weekly ranking, half-month bulletin or monthly evaluation as the supervision office
prints it, projects it or pastes it into a chat group (xlsx, PDF, PNG)."""

from functools import partial

import streamlit as st

from dashboard import bulletin_widgets, cached, state, views, widgets
from dashboard import formatting as fmt
from dashboard.bulletin import NET_CHART_TITLE, REMARKS_HEADING
from dashboard.bulletin_formats import FORMATS
from dashboard.failures import deferred
from dashboard.fonts import INSTALL_HINT, has_cjk_font

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy

widgets.page_header(f"{policy.name}征缴通报", selection)
period = widgets.period_picker(selection, key="bulletin")
saved = bulletin_widgets.saved_list(selection)
notes = bulletin_widgets.notes_form(selection, period, saved)
bulletin = cached.bulletin(selection, period).with_notes(notes)
name = f"{policy.name}{bulletin.kind_label}_{period.label}"

fonts = has_cjk_font()
buttons = widgets.wrapping_row()
for form in FORMATS.values():
    buttons.download_button(
        form.label,
        deferred(partial(form.render, bulletin)),
        file_name=f"{name}.{form.extension}",
        mime=form.mime,
        key=f"bulletin_{form.extension}",
        on_click="ignore",
        icon=form.icon,
        disabled=form.needs_font and not fonts,
    )
if not fonts:
    st.warning(INSTALL_HINT, icon=":material/font_download_off:")

with st.container(border=True):
    if notes.number:
        st.markdown(fmt.plain(notes.number), text_alignment="center")
    st.markdown(f"### {bulletin.title}")
    st.caption(bulletin.subtitle)
    widgets.table(views.kpi_view(bulletin.kpis()))
    st.markdown("**通报摘要**")
    st.markdown(bulletin.summary_text())
    st.markdown(f"**{bulletin.kind_label}（{period.label}）**")
    widgets.table(bulletin.ranking_table())
    for note in bulletin.ranking_notes:
        st.caption(note)
    widgets.completion_bars(
        bulletin.ranking, title=bulletin.completion_chart_title, key="bulletin_completion_chart"
    )
    below = bulletin.groups_below_target()
    if not below.empty:
        st.markdown("**未实现全员参保的特殊群体**")
        widgets.table(below)
    st.markdown("**奖惩结算（按当前参保人数测算）**")
    widgets.table(bulletin.settlement_table())
    widgets.chart(
        cached.chart("settlement_bars", bulletin.settlement, title=NET_CHART_TITLE),
        key="bulletin_net_chart",
    )
    if notes.paragraphs:
        st.markdown(f"**{REMARKS_HEADING}**")
        for paragraph in notes.paragraphs:
            st.markdown(fmt.plain(paragraph))
    if notes.sign_off:
        st.markdown("  \n".join(map(fmt.plain, notes.sign_off)), text_alignment="right")

st.subheader("已保存的通报文字")
widgets.table(
    views.saved_bulletins_view(saved, policy.campaign),
    empty="尚未保存任何通报的文号、工作要求或落款。",
)
