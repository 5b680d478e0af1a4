"""总览: the county's completion, participation and special groups, its curve and townships."""

import streamlit as st

from dashboard import cached, state, views, widgets
from dashboard import formatting as fmt
from dashboard.figures import county_curve, enrolled_lately
from dashboard.policy_points import policy_points
from dashboard.verified_views import overview_money_sentence, verified_total_sentence

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy
summary = cached.county_summary(selection)

curve = county_curve(cached.known_curves(selection))

widgets.page_header(f"{policy.name}城乡居民医保征缴总览", selection)
last_year = cached.same_day_last_year(selection)
st.markdown(views.summary_sentence(summary, policy, lately=enrolled_lately(curve)))
if same_day := views.same_day_sentence(summary.enrolled, summary.completion, last_year):
    st.markdown(same_day)
if verified := verified_total_sentence(data, cached.system_counts(selection)):
    st.success(verified, icon=":material/verified:")

cols = st.columns(4)
widgets.note_metric(
    cols[0], "全县参保人数", fmt.count(summary.enrolled), f"任务数 {fmt.count(summary.quota)}"
)
widgets.target_metric(cols[1], "任务完成率", summary.completion, policy.targets.completion)
if summary.participation is not None:
    widgets.target_metric(
        cols[2],
        "参保率",
        summary.participation,
        policy.targets.participation,
        help=f"参保人数 ÷ 应参保人数（{fmt.count(summary.base_population)}人）",
    )
else:
    widgets.note_metric(cols[2], "参保率", fmt.MISSING, "本县未提供应参保人数")
if not summary.groups.empty:
    widgets.target_metric(
        cols[3],
        "特殊群体参保",
        views.overall_coverage(summary.groups),
        policy.targets.special_groups,
        help="特困、孤儿、低保、脱贫、监测等名单人员中已参保的比例",
    )
else:
    widgets.note_metric(
        cols[3],
        "完成任务乡镇",
        f"{summary.townships_met} / {summary.townships}",
        views.townships_card_note(summary),
        help="已完成任务的乡镇（街道）数 / 乡镇（街道）总数。本县未导入特殊群体名单，"
        "此处不显示特殊群体参保率。",
    )

widgets.chart(
    cached.chart(
        "progress_curve",
        curve,
        summary.quota,
        start=policy.campaign.start,
        centralised_end=policy.campaign.centralised_end,
        title="全县累计参保进度",
        last_year=views.last_year_line(last_year),
    ),
    key="county_curve",
)
if policy.campaign.over_by(as_of):  # a catch-up period: counted, ranked no more
    widgets.standings_bars(
        summary.standings,
        title=views.standings_title(policy.campaign, as_of),
        key="township_bars",
        opens=selection,
    )
else:
    week = cached.ranking_for_date(selection, "week")
    widgets.completion_bars(
        week,
        title=f"各乡镇任务完成率（{week.period.label}，红色为后三名且未完成）",
        key="township_bars",
        opens=selection,
    )
    if behind := views.report_sentence(week):
        st.warning(behind, icon=":material/schedule:")

st.markdown(f"**奖惩结算**：{overview_money_sentence(data, as_of)}（详见“结算”页）")

if not summary.groups.empty:
    st.subheader("特殊群体参保情况（目标100%）")
    widgets.table(views.groups_view(summary.groups))

with st.expander(
    f"征缴政策要点（依据：{policy.source}）", icon=":material/gavel:", key="policy_points"
):
    widgets.points(policy_points(policy))
