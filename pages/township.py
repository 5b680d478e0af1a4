"""乡镇: one township's trajectory, rank history, forecast and special groups."""

import streamlit as st

from dashboard import cached, cached_people, group_views, state, talk_widgets, views, widgets
from dashboard import formatting as fmt
from dashboard import repeat_views as rv
from dashboard.failures import deferred
from dashboard.figures import flag_record
from dashboard.quota_history import township_quota_sentence
from dashboard.rates import completion_rate
from dashboard.repeat_list import refund_totals, second_payments_on
from dashboard.talks import talks_per_township
from dashboard.verified_views import township_money_sentence
from dashboard.village_widgets import village_section

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy
end = policy.campaign.end

account = state.current_account()
choices = data.townships if account.sees_all_townships else [account.township]
picker, _ = st.columns([1, 2])
township = widgets.township_picker(picker, choices, key=f"township_{policy.code}")
widgets.page_header(f"{policy.name}{township}征缴进度", selection)
state.show_flash()

week = cached.ranking_for_date(selection, "week")
row = week.table.set_index("township").loc[township]
quota = int(row["quota"])
curve = cached.known_curves(selection)[township].dropna().astype("int64")
# as of the chosen day: after the campaign (catch-up payments) the week's ranking stays the
# campaign's final one, while the count goes on
enrolled = int(curve.iloc[-1])
this_week = "征缴期末" if policy.campaign.over_by(as_of) else "本周"
forecast = cached.forecasts(selection)[township]
completion = completion_rate(enrolled, quota)

cols = st.columns(4)
widgets.note_metric(cols[0], "累计参保人数", fmt.count(enrolled), f"任务数 {fmt.count(quota)}")
widgets.target_metric(cols[1], "任务完成率", completion, policy.targets.completion)
widgets.note_metric(
    cols[2],
    f"{this_week}排名",
    views.rank_text(row["rank"], int(week.table["rank"].notna().sum())),  # of those ranked
    views.rank_change_note(row["rank_change"], first_period=week.previous is None),
    help=week.period.label,
)
widgets.note_metric(
    cols[3],
    "预计完成",
    views.forecast_value(forecast),
    views.forecast_basis(forecast, as_of=as_of, campaign_end=end),
)
if gap := views.schedule_gap(completion, week.scheduled):  # 序时进度 on the figures' day
    st.caption(f"{township}完成{fmt.percent(completion)}，{gap}（集中征缴期内按天均衡推进）。")
if changed := township_quota_sentence(cached.quota_changes(selection), township):
    st.caption(changed)
if own := views.own_report_sentence(week, township):
    st.warning(own, icon=":material/schedule:")
history = cached.rank_history(selection, "week")
talked = talks_per_township(talk_widgets.talk_list(selection), "week").get(township, 0)
so_far = views.times_flagged(flag_record(history), township, talked=talked)
if row["flagged"]:
    st.error(
        f"{township}{this_week}排名后三名且未完成任务，将被约谈；{so_far}。", icon=":material/flag:"
    )
elif so_far:
    st.warning(f"{township}{so_far}。", icon=":material/history:")
st.info(
    views.forecast_sentence(forecast, quota=quota, as_of=as_of, campaign_end=end),
    icon=":material/trending_up:",
)
last_year = cached.same_day_last_year(selection, township)
if same_day := views.same_day_sentence(enrolled, completion, last_year, place=township):
    st.markdown(same_day)
if money := township_money_sentence(data, as_of, township):
    st.markdown(f"**奖惩**：{money}")
    st.caption(f"依据：{policy.settlement.basis}。")

widgets.chart(
    cached.chart(
        "township_trajectory",
        curve,
        quota,
        forecast,
        as_of=as_of,
        campaign=policy.campaign,
        title=f"{township}累计参保"
        + ("与预测" if forecast.projects(as_of=as_of, campaign_end=end) else ""),
        last_year=views.last_year_line(last_year),
    ),
    key="township_curve",
)
own_history = history[history["township"] == township]
if own_history["rank"].notna().any():
    widgets.chart(
        cached.chart(
            "rank_history_chart",
            own_history,
            townships=len(data.townships),
            title=f"{township}每周排名",
        ),
        key="rank_history",
    )
else:
    st.caption(f"{township}尚无每周排名（排名从报送参保数据的第一周起）。")

village_section(selection, township, enrolled=enrolled)
if cached_people.has_payments(data.policy, township):
    widgets.xlsx_button(
        st.container(),
        "下载缴费信息公示表（Excel，每村一表）",
        deferred(lambda: cached_people.public_notice(data.policy, township, as_of)),
        file_name=f"{township}缴费信息公示表_{as_of:%Y%m%d}",
        key="public_notice",
        help=group_views.public_notice_help(data.policy),
    )

seconds = cached_people.second_payments(data.policy, township)
if seconds is not None and (
    refunds := rv.waiting_sentence(township, refund_totals(second_payments_on(seconds, as_of)))
):
    st.warning(refunds, icon=":material/currency_exchange:")
    widgets.township_page_link(
        "repeats", selection, township, label=f"查看{township}重复缴费人员名单"
    )

groups = cached.group_coverage(selection, township)
st.subheader("特殊群体参保情况（目标100%）")
if groups.empty:
    st.caption("本县未提供特殊群体名单人数。")
else:
    widgets.table(views.groups_view(groups))
if cached_people.has_roster(policy, township=township):
    roster = cached_people.roster_tables(
        policy, township, None, as_of, full_ids=account.sees_id_numbers
    )
    if not roster.mismatches.empty:  # a subsidised member who paid in full is owed the rest
        st.warning(
            f"{township}{roster.mismatch_line}名单见“特殊群体”页的缴费金额核对。",
            icon=":material/currency_exchange:",
        )
    widgets.township_page_link("groups", selection, township, label=f"查看{township}未参保人员名单")
