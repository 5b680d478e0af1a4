"""结算's verified final counts (核定): which figures the settlement rests on, and the form the
bureaus' clerk (or the admin) enters the counts in, or withdraws them with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import streamlit as st
from sqlalchemy import Engine

from dashboard import cached, clock, state, widgets
from dashboard import formatting as fmt
from dashboard.campaign import VerifiedCounts
from dashboard.failures import deferred
from dashboard.files import SPREADSHEET_TYPES
from dashboard.problems import problems_display
from dashboard.templates import verified_template_xlsx
from dashboard.verified import (
    NOTE,
    VERIFIED_ON,
    VerificationRefused,
    file_counts,
    verify_counts,
    withdraw_verification,
)
from dashboard.verified_views import VERIFIED_COLUMNS, counts_editor_frame, entered_counts
from data_models.tables import MAX_COUNT, NOTE_TEXT

BASIS_LABELS = {"verified": "核定参保人数", "figures": "系统统计（测算）"}


def on_verified_counts(selection: state.Selection) -> VerifiedCounts | None:
    """The verified counts 结算 settles on: they come first where they are recorded, and the
    user may switch to the system's figures as of the selected day (None)."""
    data = selection.data
    if data.verified is None:
        return None
    picked = st.segmented_control(
        "结算依据",
        list(BASIS_LABELS),
        format_func=BASIS_LABELS.__getitem__,
        default="verified",
        required=True,
        key=f"settlement_basis_{data.policy.code}_{data.policy.benefit_year}",
    )
    return data.verified if picked == "verified" else None


def verification_form(selection: state.Selection) -> None:
    """For the clerk and the admin, once the campaign is over: enter the counts the bureaus
    verified (starting from the ones recorded, or the system's), or withdraw them."""
    account = state.current_account()
    data = selection.data
    if not account.can_import:
        return
    end, today = data.policy.campaign.end, clock.today()
    if today < end:
        st.caption(
            f"征缴期结束（{fmt.day(end)}）后，数据管理员可在此页录入县税务局、医保局核定的最终参保人数。"
        )
        return
    verified = data.verified
    title = "修改核定的最终参保人数" if verified else "录入核定的最终参保人数"
    stamp = "" if verified is None else f"{verified.recorded_at:%Y%m%d%H%M%S%f}"
    key = f"verify_{data.policy.code}_{data.policy.benefit_year}_{stamp}"
    with st.expander(title, icon=":material/fact_check:", key=f"{key}_expander"):
        st.caption(
            "征缴全部结束后，县税务局、医保局核定各乡镇最终参保人数，奖惩按核定人数兑现。"
            f"“{VERIFIED_COLUMNS['verified']}”一栏"
            + ("为已录入的核定数" if verified else f"预填为征缴期末（{fmt.day(end)}）的系统统计")
            + "，逐乡镇改为核定数后保存（或下载核定人数表，由两局填好后上传读入）；"
            "保存和撤销都记入审计日志。"
        )
        system = cached.system_counts(selection)
        read = _counts_file(selection, system, key)
        # Enter in the 依据 field does not save: the counts are looked over first
        with st.form(key, enter_to_submit=False):
            edited = st.data_editor(
                counts_editor_frame(data, system, read.counts if read else None),
                key=f"{key}_editor" + (f"_{read.file_id}" if read else ""),
                hide_index=True,
                height=widgets.table_height(len(data.townships)),
                disabled=[VERIFIED_COLUMNS[c] for c in ("township", "quota", "system")],
                column_config={
                    VERIFIED_COLUMNS[c]: st.column_config.NumberColumn(format="localized")
                    for c in ("quota", "system")
                }
                | {
                    VERIFIED_COLUMNS["verified"]: st.column_config.NumberColumn(
                        min_value=0, max_value=MAX_COUNT, step=1, format="localized"
                    )
                },
            )
            row = widgets.wrapping_row()
            day = row.date_input(
                VERIFIED_ON,
                value=verified.verified_on if verified else today,
                min_value=end,
                max_value=today,
                format="YYYY-MM-DD",
                key=f"{key}_day",
            )
            note = row.text_input(
                f"{NOTE}（可选）",
                value=verified.note if verified else "",
                max_chars=NOTE_TEXT,
                placeholder="如：县税务局、医保局联合核定（文号）",
                key=f"{key}_note",
            )
            saved = st.form_submit_button("保存核定结果", icon=":material/save:", type="primary")
        if saved and isinstance(day, date):
            _save(selection, entered_counts(edited), day, note or "", read.name if read else "")
        if verified is not None:
            _withdraw_button(selection, key)


@dataclass(frozen=True)
class _Read:
    """The counts of an uploaded 核定人数表, its name, and its upload's id (the form's table
    is keyed by it: a new file starts the table afresh)."""

    counts: dict[str, int]
    name: str
    file_id: str


def _counts_file(selection: state.Selection, system: dict[str, int], key: str) -> _Read | None:
    """The 核定人数表 to download (each township with its quota and the system's figure,
    the verified count to fill in) and to upload: what it gives, to go into the form; None
    where no file is read, or the file has problems, which are listed."""
    data = selection.data
    policy = data.policy
    widgets.xlsx_button(
        widgets.wrapping_row(),
        "下载核定人数表（各乡镇已列出）",
        deferred(lambda: verified_template_xlsx(policy, data.quota_by_township, system)),
        file_name=f"{policy.name}{policy.benefit_year}年度核定人数表",
        key=f"{key}_template",
        help="发给县税务局、医保局填写“核定参保人数”，填好后在下方上传。",
    )
    widgets.upload_texts_in_chinese(st.get_option("server.maxUploadSize"), SPREADSHEET_TYPES)
    upload = st.file_uploader(
        "上传核定人数表，读入下表（xlsx、xls、csv 或 txt：乡镇、核定参保人数）",
        type=SPREADSHEET_TYPES,
        key=f"{key}_file",
    )
    if upload is None:
        return None
    parsed = state.read_verified_file(data, upload.getvalue(), upload.name)
    name = fmt.plain(upload.name)  # shown as written, not read as Markdown
    if parsed.problems:
        st.error(
            f"{name}有{fmt.count(len(parsed.problems))}个问题，未读入。请修正后重新上传。",
            icon=":material/error:",
        )
        widgets.problem_table(problems_display(parsed.problems))
        return None
    counts = file_counts(parsed)
    st.info(
        f"已从{name}读入{fmt.count(len(counts))}个乡镇的核定参保人数，"
        f"合计{fmt.count(sum(counts.values()))}人，填入下表；核对后点“保存核定结果”。",
        icon=":material/upload_file:",
    )
    widgets.file_notes(parsed.notes)
    return _Read(counts, upload.name, upload.file_id)


def _save(
    selection: state.Selection, counts: dict[str, object], day: date, note: str, source: str
) -> None:
    _change(
        selection,
        lambda engine, code, year, user: verify_counts(
            engine,
            code,
            year,
            counts=counts,
            verified_on=day,
            note=note,
            user=user,
            today=clock.today(),
            source=source,
        ),  # fmt: skip
        refused="核定结果未保存",
        done="已保存核定的最终参保人数（已记入审计日志），结算按核定人数。",
    )


def _withdraw_button(selection: state.Selection, key: str) -> None:
    with st.popover("撤销核定", icon=":material/undo:"):
        st.caption("撤销后结算改按系统统计，撤销记入审计日志。")
        if not st.button("确认撤销核定", key=f"{key}_withdraw", type="primary"):
            return
    _change(
        selection,
        lambda engine, code, year, user: withdraw_verification(engine, code, year, user=user),
        refused="未能撤销",  # another user withdrew them first
        done="已撤销核定的最终参保人数（已记入审计日志），结算按系统统计。",
    )


def _change(
    selection: state.Selection,
    write: Callable[[Engine, str, int, str], object],
    *,
    refused: str,
    done: str,
) -> None:
    """Write a change of the selected campaign's verified counts as the logged-in user; then
    every figure is read again and the page says ``done``, or it lists why it was refused."""
    policy = selection.data.policy
    try:
        write(state.engine(), policy.code, policy.benefit_year, state.current_account().username)
    except VerificationRefused as refusal:
        widgets.show_refused_entries(refused, refusal)
        return
    state.clear_caches()
    state.flash_and_rerun(done)
