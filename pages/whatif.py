"""模拟测算: edit quotas and settlement rates and see the settlement and ranking change beside
the official ones; allocate a county total; save, compare and (recorded) apply scenarios."""

import streamlit as st

from dashboard import charts, clock, state, whatif_views, widgets
from dashboard import formatting as fmt
from dashboard.allocation import BASIS_LABELS, allocate
from dashboard.failures import deferred
from dashboard.problems import problems_display
from dashboard.quota_history import APPLIED_QUOTA, quota_preview
from dashboard.scenarios import ScenarioData, ScenarioRefused
from dashboard.templates import scenario_xlsx
from dashboard.whatif import (
    EXPECTATION_HELP,
    EXPECTATION_LABELS,
    compare,
    kept_total,
    totals_row,
    validate_quotas,
)
from dashboard.whatif_xlsx import whatif_workbook
from data_models.policy import SettlementRates
from data_models.tables import CELL_TEXT, MAX_COUNT, NOTE_TEXT

selection = state.current()
data, as_of = selection.data, selection.as_of
policy = data.policy
code = policy.code
campaign = f"{code}_{policy.benefit_year}"  # the fields from the policy start afresh each year
official = data.quota_by_township
admin = state.current_account().sets_official_quotas  # sets the official quotas

widgets.page_header(f"{policy.name}任务与奖惩模拟测算", selection)
widgets.current_year_only(selection, "模拟测算")
st.info(
    "测算只在本页进行，不会改变正式任务数；方案可保存、比较，经管理员确认后才可应用为正式任务数。",
    icon=":material/science:",
)

st.subheader("测算参数")
cols = st.columns(4)
rates = SettlementRates(
    **{
        field: widgets.money_input(
            column,
            label,
            getattr(policy.settlement, field),
            key=widgets.with_default(f"{key}_{campaign}", getattr(policy.settlement, field)),
            step=step,
        )
        for column, (field, label, key, step) in zip(
            cols[:3], whatif_views.RATE_FIELDS, strict=True
        )
    },
    basis="模拟测算",
)
expectation = cols[3].radio(
    "期末参保人数",
    list(EXPECTATION_LABELS),
    format_func=EXPECTATION_LABELS.__getitem__,
    key=f"expectation_{code}",
    help=EXPECTATION_HELP,
)
draft = state.draft(data, as_of, expectation)

with st.expander(  # keyed: stays open while the total and the basis are chosen
    "按规则分配全县任务数", icon=":material/calculate:", key=f"alloc_expander_{code}"
):
    left, middle, right = st.columns([1, 2, 1])
    total = left.number_input(
        "全县任务总数",
        min_value=0,
        max_value=MAX_COUNT,
        value=sum(official.values()),
        step=100,
        key=widgets.with_default(f"alloc_total_{campaign}", sum(official.values())),
    )
    bases = [b for b in BASIS_LABELS if whatif_views.basis_available(data, b)]
    basis = middle.selectbox(
        "分配依据", bases, format_func=BASIS_LABELS.__getitem__, key=f"alloc_basis_{code}"
    )
    if right.button("按此分配", key=f"allocate_{code}", icon=":material/calculate:"):
        quotas = allocate(int(total), basis, **whatif_views.allocation_inputs(data))
        state.replace_draft(code, quotas=dict(zip(data.townships, quotas, strict=True)))
        st.rerun()
    st.caption("按比例分配后取整（最大余数法），各乡镇之和恰好等于全县总数。")

with st.expander(  # keyed: stays open while the file is checked and loaded
    "从文件载入任务数", icon=":material/upload_file:", key=f"scenario_file_expander_{code}"
):
    st.caption(
        "上传任务数表（xlsx 或 csv：乡镇,征缴任务数；可用下方“下载测算任务数”得到的表修改；"
        "“下载测算结果”得到的表读其中的测算任务数），核对后载入编辑表。"
        "文件可只列出改动的乡镇（街道），其余沿用正式任务数。"
    )
    widgets.upload_texts_in_chinese(
        st.get_option("server.maxUploadSize"), widgets.SPREADSHEET_TYPES
    )
    upload = st.file_uploader(
        "方案文件", type=widgets.SPREADSHEET_TYPES, key=f"scenario_file_{code}"
    )
    if upload is not None:
        read = state.read_scenario_file(data, upload.getvalue(), upload.name)
        if read.problems:
            st.error(
                f"发现{fmt.count(len(read.problems))}个问题，未载入。请修正后重新上传。",
                icon=":material/error:",
            )
            widgets.problem_table(problems_display(read.problems))
        else:
            passed, left_out = whatif_views.scenario_file_notes(read)
            st.success(passed, icon=":material/check_circle:")
            if left_out:
                st.caption(fmt.plain(left_out))
            widgets.file_notes(read.notes)
            if st.button("载入到编辑表", key=f"scenario_file_load_{code}", icon=":material/edit:"):
                state.replace_draft(code, quotas=read.quotas)
                st.rerun()

fixed = st.toggle(
    "保持全县总数不变（修改一个乡镇时，差额按现有比例分摊到其他乡镇）", key=f"fixed_total_{code}"
)
edited = st.data_editor(
    whatif_views.editor_frame(data.townships, official, draft.quotas, draft.enrolled),
    key=f"whatif_editor_{code}_{draft.version}",
    hide_index=True,
    height=widgets.table_height(len(data.townships)),
    disabled=[whatif_views.EDITOR_COLUMNS["township"], whatif_views.EDITOR_COLUMNS["official"]],
    column_config=widgets.editor_config(),
)
quotas, problems = validate_quotas(whatif_views.editor_values(edited, "quota"), data.townships)
enrolled, enrolled_problems = validate_quotas(
    whatif_views.editor_values(edited, "enrolled"), data.townships, label="预计参保人数"
)
problems += enrolled_problems
if not problems and fixed:
    try:
        spread = kept_total(draft.quotas, quotas, data.townships)
    except ValueError as error:
        problems.append(str(error))
    else:
        if spread is not None:
            state.replace_draft(code, quotas=spread, enrolled=enrolled)
            st.rerun()
    quotas, more = validate_quotas(quotas, data.townships, fixed_total=sum(draft.quotas.values()))
    problems += more
if problems:
    st.error(
        "以下修改无效，测算结果未更新，方案不能保存：\n\n" + "\n".join(f"- {p}" for p in problems),
        icon=":material/error:",
    )
    st.stop()

result = compare(data, quotas=quotas, rates=rates, enrolled=enrolled)
st.subheader("测算结果（与正式方案对比）")
widgets.note_cards(whatif_views.result_cards(result))
st.markdown(whatif_views.flag_changes_sentence(result.deltas))
st.caption(
    "排名写作“正式→测算”；后三名一栏写明测算后新进入或移出后三名，"
    "标红的是测算后排名后三名且未完成任务的乡镇。"
)
widgets.table(whatif_views.whatif_view(result.deltas, totals_row(result)))
if result.changed:
    widgets.chart(
        charts.change_bars(result.deltas, title="各乡镇结算净额变化（测算 − 正式，元）"),
        key="whatif_chart",
    )
else:
    st.caption("修改任务数或奖惩标准后，这里显示各乡镇结算净额的变化。")

downloads = widgets.wrapping_row()
widgets.xlsx_button(
    downloads,
    "下载测算结果",
    deferred(  # written when clicked
        lambda: whatif_workbook(
            data, result, rates=rates, expectation=expectation, as_of=as_of, today=clock.today()
        )
    ),
    file_name=f"{policy.name}模拟测算结果",
    key=f"whatif_xlsx_{code}",
    help="上表及测算标准（Excel），不改变正式任务数",
)
widgets.xlsx_button(
    downloads,
    "下载测算任务数",
    deferred(lambda: scenario_xlsx(policy, quotas)),
    file_name=f"{policy.name}模拟测算任务数",
    key=f"scenario_xlsx_{code}",
    help="编辑表中的任务数（Excel）：修改后可在“从文件载入任务数”上传",
)

st.subheader("保存方案")
left, right = st.columns([2, 1])
name = left.text_input(
    "方案名称",
    key=f"scenario_name_{code}",
    placeholder=f"如：{next(iter(official))}调减2000人",  # a township of this county
    max_chars=CELL_TEXT,
)
note = left.text_input("说明（可选）", key=f"scenario_note_{code}", max_chars=NOTE_TEXT)
overwrite = right.checkbox("覆盖同名方案", key=f"scenario_overwrite_{code}")
if right.button("保存方案", key=f"scenario_save_{code}", type="primary", icon=":material/save:"):
    try:
        state.save_draft(
            code, ScenarioData(name, quotas, rates, expectation, enrolled, note), replace=overwrite
        )
    except ScenarioRefused as refusal:
        widgets.show_refusal(refusal)
    else:
        st.success(f"方案“{name.strip()}”已保存。")

saved = state.saved_scenarios(code)
applied = state.applied_in_force(code)  # the application the official quotas come from
st.subheader("已保存的方案")
state.show_flash()
if not saved:
    st.caption("尚无保存的方案。")
else:
    rows = whatif_views.scenario_rows(data, saved, enrolled, applied.scenario if applied else None)
    widgets.table(whatif_views.scenarios_view(rows))
    names = [s.name for s in saved]
    chosen = st.multiselect(
        "对比方案（各乡镇净额）", names, default=names[:3], key=f"scenario_compare_{code}"
    )
    if chosen:
        widgets.table(
            whatif_views.scenario_comparison(
                data, [s for s in saved if s.name in chosen], enrolled
            ),
        )
    left, middle, right = st.columns(3)
    picked = left.selectbox("选择方案", names, key=f"scenario_pick_{code}")
    scenario = next(s for s in saved if s.name == picked)
    if middle.button("载入到编辑表", key=f"scenario_load_{code}", icon=":material/edit:"):
        state.replace_draft(code, quotas=scenario.quotas, enrolled=scenario.enrolled)
        st.rerun()
    if right.button("删除方案", key=f"scenario_delete_{code}", icon=":material/delete:"):
        state.delete_saved(code, picked)
        st.rerun()
    if admin:
        with st.expander(  # keyed: stays open while the admin ticks the confirmation
            "应用为正式任务数（管理员）",
            icon=":material/admin_panel_settings:",
            key=f"apply_expander_{code}",
        ):
            st.warning(
                "应用后正式任务数将被方案中的任务数替换，并在审计日志中记录操作人、时间及修改前后的任务数。",
                icon=":material/warning:",
            )
            preview = quota_preview(official, scenario.quotas, after=APPLIED_QUOTA)
            if preview.empty:
                st.caption(f"方案“{fmt.plain(picked)}”的任务数与正式任务数相同，无需应用。")
            else:
                st.caption(f"应用方案“{fmt.plain(picked)}”后，以下乡镇（街道）的正式任务数改变：")
                widgets.table(preview)
            if not preview.empty and widgets.confirmed_button(
                f"确认将方案“{picked}”应用为正式任务数",
                "应用",
                key=f"apply_{code}",
                icon=":material/published_with_changes:",
            ):
                try:
                    change = state.apply_saved(code, picked)
                except ScenarioRefused as refusal:
                    widgets.show_refusal(refusal)
                else:  # rerun: the official quotas and settlement above change with it
                    state.flash_and_rerun(
                        f"已由{change.username}将方案“{picked}”应用为正式任务数（已记入审计日志）。"
                    )

if admin and applied:
    with st.expander(  # keyed: stays open while the admin ticks the confirmation
        "撤销方案应用（管理员）", icon=":material/undo:", key=f"undo_expander_{code}"
    ):
        st.caption(
            fmt.plain(f"现行正式任务数来自{applied}的应用。")
            + "撤销后恢复应用前的任务数，记入审计日志；之后若又导入了任务表，须先撤销该导入。"
        )
        if widgets.confirmed_button(
            "确认撤销该次应用", "撤销应用", key=f"undo_apply_{code}", icon=":material/undo:"
        ):
            try:
                state.undo_applied(code)
            except ScenarioRefused as refusal:
                widgets.show_refusal(refusal)
            else:
                state.flash_and_rerun(
                    f"已撤销{applied}，正式任务数恢复为应用前的数（已记入审计日志）。"
                )
