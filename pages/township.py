"""乡镇: one township's trajectory, rank history, forecast and special groups."""

import streamlit as st

from dashboard import charts, state, views, widgets
from dashboard import formatting as fmt
from dashboard.figures import (
    daily_curves,
    forecasts,
    group_coverage,
    rank_history,
    ranking_for_date,
)

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy

picker, _ = st.columns([1, 2])
township = picker.selectbox("乡镇（街道）", data.townships, key=f"township_{policy.code}")
st.title(f"{policy.name}{township}征缴进度")
st.caption(views.campaign_caption(policy, as_of))
state.simulated_badge(data)

week = ranking_for_date(data, "week", as_of=as_of)
row = week.table.set_index("township").loc[township]
forecast = forecasts(data, as_of)[township]

cols = st.columns(4)
cols[0].metric(
    "累计参保人数",
    fmt.count(row["enrolled"]),
    f"任务数 {fmt.count(row['quota'])}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
cols[1].metric(
    "任务完成率",
    fmt.percent(row["completion_rate"]),
    views.target_delta(row["completion_rate"], policy.targets.completion),
    border=True,
)
cols[2].metric(
    "本周排名",
    f"第{row['rank']}名 / {len(data.townships)}",
    f"较上周 {fmt.change(row['rank_change'])}" if row["rank_change"] is not None else "本周为首周",
    delta_color="off",
    delta_arrow="off",
    border=True,
    help=week.period.label,
)
cols[3].metric(
    "预计完成",
    fmt.day(forecast.reach_date) if forecast.reach_date else f"差{fmt.count(forecast.shortfall)}人",
    views.forecast_basis(forecast, as_of=as_of, campaign_end=policy.campaign.end),
    delta_color="off",
    delta_arrow="off",
    border=True,
)
if row["flagged"]:
    st.error(f"{township}本周排名后三名且未完成任务，将被约谈。", icon=":material/flag:")
st.info(
    views.forecast_sentence(
        forecast, quota=int(row["quota"]), as_of=as_of, campaign_end=policy.campaign.end
    ),
    icon=":material/trending_up:",
)

daily = daily_curves(data, as_of)
st.plotly_chart(
    charts.township_trajectory(
        daily[township],
        int(row["quota"]),
        forecast,
        as_of=as_of,
        campaign_end=policy.campaign.end,
        title=f"{township}累计参保与预测",
    ),
    key="township_curve",
)
history = rank_history(data, "week", as_of=as_of)
st.plotly_chart(
    charts.rank_history_chart(
        history[history["township"] == township],
        townships=len(data.townships),
        title=f"{township}每周排名",
    ),
    key="rank_history",
)

groups = group_coverage(data, as_of, township=township)
st.subheader("特殊群体参保情况（目标100%）")
if groups.empty:
    st.caption("本县未提供特殊群体名单人数。")
else:
    widgets.table(views.groups_view(groups), key="township_groups")
