"""资金报解: a village collectors' cash ledger checked against the "双限" rule — each receipt
paid into the township's account within so many days, or on the day so much is held. The
ledger is read and checked, never stored."""

import streamlit as st

from dashboard import formatting as fmt
from dashboard import remittance_views as rv
from dashboard import state, views, widgets
from dashboard.failures import deferred
from dashboard.glossary import SIMULATED_LABEL
from dashboard.problems import problems_display
from dashboard.remittance import (
    RemittanceRule,
    check_day,
    check_ledger,
    collectors,
    ledger_totals,
)
from dashboard.templates import template_xlsx
from data_models.policy import MOST_DAYS

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy
account = state.current_account()
scope = account.scope

st.title(f"{policy.name}征缴资金“双限”报解检查")
st.caption(views.campaign_caption(policy, as_of))
default = RemittanceRule.of(policy)
campaign = f"{policy.code}_{policy.benefit_year}"  # each year's rule starts afresh
left, right, _ = st.columns([1, 1, 2])
days = left.number_input(
    "报解期限（天）",
    min_value=1,
    max_value=MOST_DAYS,
    value=default.days,
    key=widgets.with_default(f"remit_days_{campaign}", default.days),
)
limit = widgets.money_input(
    right,
    "报解额度（元）",
    default.limit,
    key=widgets.with_default(f"remit_limit_{campaign}", default.limit),
    step=1000.0,
)
rule = RemittanceRule(int(days), limit)
st.markdown(rv.rule_sentence(policy, rule))

widgets.upload_texts_in_chinese(st.get_option("server.maxUploadSize"), widgets.SPREADSHEET_TYPES)
upload = st.file_uploader(
    "现金台账（xlsx、xls、csv 或 txt）", type=widgets.SPREADSHEET_TYPES, key="ledger"
)
buttons = widgets.wrapping_row()
widgets.xlsx_button(
    buttons,
    "下载现金台账模板",
    template_xlsx("ledger", policy),
    file_name=f"{policy.name}现金台账模板",
    key="ledger_template",
)
buttons.download_button(
    f"下载示例台账（{SIMULATED_LABEL}）",
    deferred(lambda: state.ledger_example(data, scope)),
    file_name=f"{policy.name}现金台账示例_{SIMULATED_LABEL}.csv",
    mime="text/csv",
    key="ledger_example",
    on_click="ignore",
    icon=":material/download:",
    help="按固定随机种子生成的演示台账，可下载后上传，试用本页的检查。",
)
if upload is None:
    st.info(
        "上传村（社区）征缴经办人员的现金台账（每笔收款一行：乡镇、村、经办人、收款日期、金额、"
        "存入日期），检查截至某日有无逾期未存、逾期存入的保费。",
        icon=":material/account_balance:",
    )
    st.stop()

parsed = state.check_ledger_file(data, upload.getvalue(), upload.name, scope)
if parsed.problems:
    st.error(
        f"发现{fmt.count(len(parsed.problems))}个问题，未检查。请修正后重新上传。",
        icon=":material/error:",
    )
    st.dataframe(problems_display(parsed.problems), hide_index=True, key="ledger_problems")
    st.stop()
widgets.file_notes(parsed.notes)

day = st.date_input(
    "检查截至",
    value=check_day(parsed.frame, as_of),
    min_value=policy.campaign.start,
    format="YYYY-MM-DD",
    key=f"ledger_day_{upload.file_id}",
    help="默认为侧栏“数据截至”日期与台账最后一笔收款或存入日期中较晚的一天",
)
if upload.getvalue() == state.ledger_example(data, scope):
    st.badge(SIMULATED_LABEL, icon=":material/science:", color="orange")
checked = check_ledger(parsed.frame, rule, as_of=day)
totals = ledger_totals(checked)
widgets.note_cards(rv.ledger_cards(totals))
if totals.overdue:
    st.error(
        f"截至{fmt.day(day)}，{totals.overdue}笔保费未按“双限”要求存入，"
        f"其中{fmt.money(totals.held_overdue)}元仍在经办人手中。",
        icon=":material/warning:",
    )
else:
    st.success(f"截至{fmt.day(day)}，台账中的保费均按“双限”要求存入或尚未到期。")

st.subheader("各经办人报解情况")
widgets.table(rv.collectors_view(collectors(checked)))
overdue = rv.overdue_view(checked)
if not overdue.empty:
    st.subheader("逾期明细")
    widgets.long_list(
        overdue,
        caption=f"共{fmt.count(len(overdue))}笔，逾期天数长的在前。",
        label="下载逾期明细",
        file_name=f"{policy.name}逾期报解明细_{day.isoformat()}",
        key="ledger_overdue",
    )
