"""会议模式: for the meeting-room screen — large type, the ranking and the laggards at a glance."""

import streamlit as st

from dashboard import bulletin_widgets, cached, state, views, widgets
from dashboard import formatting as fmt
from dashboard.bulletin import REMARKS_HEADING

# The meeting-room screen gets the whole width: the sidebar folds away on the way in (its »
# button opens it again; the entrypoint asks for it expanded on every other page).
st.set_page_config(initial_sidebar_state="collapsed")
selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy

period = widgets.period_picker(selection, key="meeting")
bulletin = cached.bulletin(selection, period)
st.title(bulletin.title)
st.markdown(f"## {bulletin.subtitle}")
if data.simulated:
    st.badge("模拟数据", icon=":material/science:", color="orange")
widgets.data_age_notice(selection)

widgets.big_figures(bulletin.kpis())

flagged = bulletin.flagged
if unranked := views.unranked_sentence(bulletin.ranking):
    st.info(f"## {unranked}", icon=":material/hourglass_empty:")
elif flagged:
    st.error(f"## 后三名且未完成任务：{'、'.join(flagged)}", icon=":material/flag:")
else:
    st.success("## 本期没有排名后三名且未完成任务的乡镇", icon=":material/check_circle:")

# the bars beside the table (above it on a narrow screen: the table needs 36rem); the table
# alone across the screen before any figure (no bars)
if bulletin.ranking.unranked:
    left = right = st.container()
else:
    left, right = widgets.side_by_side("meeting_board", least_rem=36)
with left:
    widgets.completion_bars(
        bulletin.ranking,
        title="各乡镇任务完成率",
        key="meeting_chart",
        large=True,
        own_theme=True,
        opens=selection,
    )
with right:
    widgets.chart(
        cached.chart(
            "ranking_table_figure",
            bulletin.ranking.table,
            title="乡镇排名",
            year_on_year=bulletin.year_on_year(),
        ),
        key="meeting_ranking",
        own_theme=True,
    )
    for note in bulletin.ranking_notes:
        st.caption(note)
st.markdown(f"### {bulletin.summary_text()}")
if requirements := bulletin_widgets.saved_text(selection, period).paragraphs:
    st.markdown(f"## {REMARKS_HEADING}")  # as the office saved them on 通报
    for paragraph in requirements:
        st.markdown(f"### {fmt.plain(paragraph)}")
st.caption(f"净额合计 {fmt.money(bulletin.settlement.total.net)} 元（按当前参保人数测算）")
