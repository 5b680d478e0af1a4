"""数据导入: upload quota tables, progress reports, payment lists and rosters; see every
problem; import all or nothing (or only the valid rows, recorded); undo an import."""

import streamlit as st

from dashboard import formatting as fmt
from dashboard import state, views, widgets
from dashboard.batch import waiting_note, waits_for
from dashboard.importing import QUOTAS_ADMIN_ONLY, ImportRefused, undoable_imports
from dashboard.layout import KIND_LABELS
from dashboard.problems import problems_display
from dashboard.quota_history import quota_preview
from dashboard.templates import template_xlsx

selection = state.current()
policy = selection.data.policy
account = state.current_account()

widgets.page_header(f"{policy.name}数据导入", selection)
if not selection.current:
    st.warning(
        f"正在查看{policy.benefit_year}年度：在此导入的文件写入{policy.benefit_year}年度的征缴数据"
        "（往年数据更正），日期须在该年度征缴期内。",
        icon=":material/history:",
    )
st.markdown(
    "支持 **任务表、进度表、缴费明细、资助名单** 四类文件，"
    "格式为 xlsx、xls、csv（UTF-8 或 GBK 编码）或 Excel 另存的文本文件（txt，制表符分隔）。"
    "导入前逐行检查；有问题的文件不会写入任何数据。同一文件重复导入不会重复计数，每次导入都可撤销。"
)

st.subheader("下载模板")
buttons = widgets.wrapping_row()
for kind, label in KIND_LABELS.items():
    widgets.xlsx_button(
        buttons,
        f"{label}模板",
        template_xlsx(kind, policy),
        file_name=f"{policy.name}{label}模板",
        key=f"template_{kind}",
    )

st.subheader("上传文件")
kind = st.selectbox(
    "文件类型",
    [None, *KIND_LABELS],
    format_func=lambda k: "自动识别" if k is None else KIND_LABELS[k],
    key="import_kind",
)
widgets.upload_texts_in_chinese(st.get_option("server.maxUploadSize"), widgets.SPREADSHEET_TYPES)
uploads = st.file_uploader(
    "选择文件（可多选）",
    type=widgets.SPREADSHEET_TYPES,
    accept_multiple_files=True,
    key=f"import_files_{policy.code}",
)

uploads = uploads or []
batch = [state.check_upload(policy, u.getvalue(), u.name, kind) for u in uploads]
for upload, checked in zip(uploads, batch, strict=True):
    # a refund list may wait for another upload, imported first, holding what it pays back
    waiting = waits_for(checked, [other for other in batch if other is not checked])
    with st.container(border=True):
        label = KIND_LABELS[checked.kind] if checked.kind else "未识别"
        st.markdown(f"**{fmt.plain(upload.name)}** · {label}")
        if checked.already is not None:
            st.info(checked.already_note(), icon=":material/info:")
            continue
        widgets.file_notes(checked.parsed.notes if checked.parsed else ())
        full_roster = False
        quotas_refused = checked.kind == "quota" and not account.sets_official_quotas
        if checked.importable:
            st.success(
                checked.passed_note(can_import=not quotas_refused), icon=":material/check_circle:"
            )
            valid_only = False
            full_roster = checked.absent > 0 and st.checkbox(
                f"本文件是全量名单：之前导入的名单中，本文件所含乡镇（街道）和人员类别里有"
                f"{fmt.count(checked.absent)}人不在本文件中，导入时将其移出名单",
                key=f"full_roster_{checked.content_hash}",
                help="民政等部门每月提供的全量名单：不在新名单中的人员（退出低保、脱离监测等）"
                "不再计入特殊群体人数和未参保名单。此选择记入审计日志；撤销本次导入可恢复。"
                "只导入部分乡镇或部分人员时请勿勾选。",
            )
        elif waiting:
            st.warning(waiting_note(waiting), icon=":material/hourglass_top:")
            valid_only = False
        else:
            st.error(
                f"发现{fmt.count(len(checked.problems))}个问题，文件未导入。请修正后重新上传。",
                icon=":material/error:",
            )
            problems = problems_display(checked.problems)
            widgets.problem_table(problems)
            widgets.list_downloads(
                problems,
                label="下载问题清单",
                file_name=f"问题清单_{upload.name}",
                key=f"problems_download_{checked.content_hash}",
            )
            valid_only = checked.partly_importable and st.checkbox(
                f"仅导入无问题的{fmt.count(len(checked.valid_rows()))}行（有问题的行不导入；此选择将记入导入记录）",
                key=f"valid_only_{checked.content_hash}",
            )
            if valid_only and (known := checked.known_note()):
                st.caption(known)
        if checked.kind == "quota" and checked.importable:
            preview = quota_preview(selection.data.quota_by_township, checked.incoming_quotas())
            if preview.empty:
                st.caption("本文件的任务数与现行正式任务数相同。")
            else:
                st.caption(
                    "导入后，以下乡镇（街道）的正式任务数改为本文件的数"
                    "（记入审计日志；撤销本次导入可恢复）："
                )
                widgets.table(preview)
        if quotas_refused:
            st.info(f"{QUOTAS_ADMIN_ONLY}：请将文件交系统管理员导入。", icon=":material/lock:")
        if st.button(
            "导入",
            key=f"import_{checked.content_hash}",
            type="primary",
            disabled=quotas_refused or not (checked.importable or valid_only),
            icon=":material/upload:",
        ):
            try:
                outcome = state.run_import(
                    policy, checked, valid_only=valid_only, full_roster=full_roster
                )
            except ImportRefused as refusal:
                widgets.show_refusal(refusal)
            else:  # rerun: the sidebar's dates and every figure include the new data
                state.flash_and_rerun(outcome.summary())

st.subheader("导入记录")
state.show_flash()
history = state.history(policy)
widgets.table(history, empty="尚无导入记录。")
active, files, quotas_left_out = undoable_imports(history, sets_quotas=account.sets_official_quotas)
if quotas_left_out:
    st.caption("任务表的导入只有系统管理员可以撤销。")
if active:
    left, right = st.columns([2, 1])
    # keyed by the newest import: a new one is offered first, not the one chosen before
    choice_key = f"undo_choice_{active[0]}"
    chosen = left.selectbox(
        "撤销导入", active, format_func=lambda i: f"第{i}号：{files[i]}", key=choice_key
    )
    confirmed = left.checkbox("确认撤销（删除该次导入写入的全部数据）", key="undo_confirm")
    right.button(
        "撤销",
        key="undo_button",
        disabled=not confirmed,
        icon=":material/undo:",
        on_click=state.undo_and_report,
        args=(policy, chosen, choice_key, active),
    )

st.subheader("各乡镇参保数据来源")
st.caption(
    "同一乡镇有几种数据时，参保人数按进度报表、缴费明细（按身份证号去重）、模拟数据的顺序取第一种；"
    "特殊群体以导入的资助名单为准。"
)
widgets.table(views.sources_view(selection.data))
