"""结算: work fund, reward, deduction and net per township, with county totals — on the final
counts the bureaus verified once they are recorded, else on the figures as of a day."""

import streamlit as st

from dashboard import cached, clock, state, views, widgets
from dashboard import formatting as fmt
from dashboard.exports import settlement_csv
from dashboard.failures import deferred
from dashboard.figures import settlement, verified_settlement
from dashboard.settlement_xlsx import settlement_workbook
from dashboard.verified_views import verified_sentence, verified_settlement_view
from dashboard.verified_widgets import on_verified_counts, verification_form

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy

widgets.page_header(f"{policy.name}征缴奖惩结算", selection)
state.show_flash()
st.markdown(f"**结算标准**：{views.rates_sentence(policy.settlement)}")
if (verified := on_verified_counts(selection)) is not None:
    st.caption(f"依据：{policy.settlement.basis}。")
    result, ranked = verified_settlement(data, verified)
    st.success(verified_sentence(verified, policy.campaign.end), icon=":material/verified:")
    shown = verified_settlement_view(result, ranked, cached.system_counts(selection))
    stem = f"{policy.code}_settlement_verified_{verified.verified_on.isoformat()}"
else:
    st.caption(
        f"依据：{policy.settlement.basis}。按截至{fmt.day(as_of)}的参保人数测算；最终以县税务局、医保局核定的参保人数为准。"
    )
    if after := views.settlement_after_campaign_note(policy.campaign, as_of):
        st.info(after, icon=":material/event_busy:")
    result, ranked = settlement(data, as_of)
    shown = views.settlement_view(result, ranked)
    stem = f"{policy.code}_settlement_{as_of.isoformat()}"

total = result.total
cols = st.columns(4)
cols[0].metric("工作经费合计（元）", fmt.money(total.work_fund), border=True)
cols[1].metric("奖励合计（元）", fmt.money(total.reward), border=True)
cols[2].metric("扣减合计（元）", fmt.money(total.deduction), border=True)
cols[3].metric("净额合计（元）", fmt.money(total.net), border=True)

widgets.table(shown)
downloads = widgets.wrapping_row()
widgets.xlsx_button(
    downloads,
    "下载结算表（Excel，供打印签章）",
    deferred(
        lambda: settlement_workbook(
            data, result, ranked, verified=verified, as_of=as_of, today=clock.today()
        )
    ),
    file_name=stem,
    key="settlement_xlsx",
)
downloads.download_button(
    "下载结算表（CSV）",
    settlement_csv(result, ranked).encode("utf-8-sig"),
    file_name=f"{stem}.csv",
    mime="text/csv",
    key="settlement_download",
    on_click="ignore",
    icon=":material/download:",
)
widgets.township_bars(
    cached.chart("settlement_bars", result, title="各乡镇结算净额（元）"),
    key="settlement_chart",
    opens=selection,
)
verification_form(selection)
