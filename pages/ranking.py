"""排名: weekly ranking, half-month bulletin, monthly evaluation; changes and the bottom three."""

import streamlit as st

from dashboard import cached, state, talk_widgets, views, widgets
from dashboard import formatting as fmt
from dashboard.bulletin_xlsx import ranking_xlsx
from dashboard.evaluation import evaluation_basis, evaluation_view
from dashboard.exports import ranking_csv
from dashboard.failures import deferred
from dashboard.figures import flag_record
from dashboard.glossary import PERIOD_LABELS
from dashboard.talks import talks_per_township

selection = state.current()
data = selection.data
policy = data.policy

widgets.page_header(f"{policy.name}征缴进度排名", selection)

period = widgets.period_picker(selection, key="period")
kind = period.kind

result = cached.ranking(selection, period)
previous = f"较上期（{result.previous.label}）" if result.previous else "本期为首期，无名次变化"
st.markdown(
    f"**{PERIOD_LABELS[kind]} · {period.label}**　统计截至{fmt.day(result.snapshot)}；{previous}。"
    "排名后三名且未完成任务的乡镇标红，由县主要领导约谈乡镇主要负责人，并扣减年度绩效考评分值。"
)
widgets.quotas_changed_since(selection, period)
if after := views.after_campaign_sentence(policy.campaign, selection.as_of):
    st.info(after, icon=":material/event_busy:")
flagged = list(result.table.loc[result.table["flagged"], "township"])
if unranked := views.unranked_sentence(result):
    st.info(unranked, icon=":material/hourglass_empty:")
elif flagged:
    st.error(f"后三名且未完成任务：{'、'.join(flagged)}", icon=":material/flag:")
    widgets.township_links(selection, flagged, label="查看乡镇详情：")
else:
    st.success("本期没有排名后三名且未完成任务的乡镇。", icon=":material/check_circle:")

if behind := views.report_sentence(result):
    st.warning(behind, icon=":material/schedule:")
last_year = cached.townships_a_year_before(selection, result.snapshot)
widgets.table(views.ranking_view(result.table, last_year))
if last_year is not None:
    st.caption(views.last_year_ranking_note(last_year))
downloads = widgets.wrapping_row()
widgets.xlsx_button(
    downloads,
    "下载排名（Excel）",
    deferred(lambda: ranking_xlsx(cached.bulletin(selection, period))),
    file_name=f"{policy.name}排名_{period.label}",
    key="ranking_xlsx",
)
downloads.download_button(
    "下载排名（CSV）",
    ranking_csv(result).encode("utf-8-sig"),
    file_name=f"{policy.code}_{kind}_{period.index}_ranking.csv",
    mime="text/csv",
    key="ranking_download",
    on_click="ignore",
    icon=":material/download:",
    help="供其他系统读取：与命令行 rank 的输出相同（英文列名，完成率为四位小数）。",
)
widgets.completion_bars(
    result, title=f"{period.label}各乡镇任务完成率", key="ranking_chart", opens=selection
)

st.subheader(f"累计排名后三名且未完成任务（{PERIOD_LABELS[kind]}，至{period.label}）")
flags = st.container()  # filled below, once a talk recorded in this run is counted
st.subheader("约谈记录")
talk_widgets.talk_form(selection, period, flagged)
held = talk_widgets.talk_list(selection)
record = flag_record(cached.rank_history(selection, kind), through=result.snapshot)
with flags:
    widgets.table(
        views.flag_record_view(record, talks_per_township(held, kind) or None),
        empty=f"至{period.label}，没有乡镇排名后三名且未完成任务。",
    )
widgets.table(views.talks_view(held, policy.campaign), empty="尚无约谈记录。")

st.subheader("年度考核汇总")
evaluated = cached.township_evaluation(selection, talks_per_township(held))
st.caption(
    f"{evaluation_basis(data, selection.as_of)}排名；后三名指各期排名后三名且未完成任务的次数。"
)
widgets.table_with_downloads(
    evaluation_view(evaluated),
    label="下载年度考核汇总",
    file_name=f"{policy.name}{policy.benefit_year}年度考核汇总_{selection.as_of:%Y%m%d}",
    key="evaluation",
)
