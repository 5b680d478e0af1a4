"""总览: the county's completion, participation and special groups, its curve and townships."""

import streamlit as st

from dashboard import charts, state, views, widgets
from dashboard import formatting as fmt
from dashboard.figures import county_summary, daily_curves, ranking_for_date

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy
summary = county_summary(data, as_of)

st.title(f"{policy.name}城乡居民医保征缴总览")
st.caption(views.campaign_caption(policy, as_of))
state.simulated_badge(data)
st.markdown(views.summary_sentence(summary, policy))

cols = st.columns(4)
cols[0].metric(
    "全县参保人数",
    fmt.count(summary.enrolled),
    f"任务数 {fmt.count(summary.quota)}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
cols[1].metric(
    "任务完成率",
    fmt.percent(summary.completion),
    views.target_delta(summary.completion, policy.targets.completion),
    border=True,
)
if summary.participation is not None:
    cols[2].metric(
        "参保率",
        fmt.percent(summary.participation),
        views.target_delta(summary.participation, policy.targets.participation),
        border=True,
        help=f"参保人数 ÷ 应参保人数（{fmt.count(summary.base_population)}人）",
    )
else:
    cols[2].metric(
        "参保率",
        fmt.MISSING,
        "本县未提供应参保人数",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
if not summary.groups.empty:
    groups_rate = views.overall_coverage(summary.groups)
    cols[3].metric(
        "特殊群体参保",
        fmt.percent(groups_rate),
        views.target_delta(groups_rate, policy.targets.special_groups),
        border=True,
        help="特困、孤儿、低保、脱贫、监测等名单人员中已参保的比例",
    )
else:
    cols[3].metric(
        "完成任务乡镇",
        f"{summary.townships_met} / {summary.townships}",
        "本县未提供特殊群体名单",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )

daily = daily_curves(data, as_of)
st.plotly_chart(
    charts.progress_curve(
        daily.sum(axis=1),
        summary.quota,
        start=policy.campaign.start,
        centralised_end=policy.campaign.centralised_end,
        title="全县累计参保进度",
    ),
    key="county_curve",
)
week = ranking_for_date(data, "week", as_of=as_of)
st.plotly_chart(
    charts.completion_bars(
        week.table, title=f"各乡镇任务完成率（{week.period.label}，红色为后三名且未完成）"
    ),
    key="township_bars",
)

if not summary.groups.empty:
    st.subheader("特殊群体参保情况（目标100%）")
    widgets.table(views.groups_view(summary.groups), key="groups_table")
