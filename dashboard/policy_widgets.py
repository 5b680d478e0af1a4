"""The form on which an admin fills in next year's policy, or amends this year's (征缴年度)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.policy_form import (
    AMOUNT,
    GROUP,
    SOURCE,
    TARGETS,
    PolicyDraft,
    current_draft,
    next_year_draft,
)
from dashboard.widgets import money_input, wrapping_row
from data_models.policy import MOST_DAYS, MOST_YUAN, CountyPolicy

# Pixels of the form's fields, in rows that wrap where they do not fit beside each other
FIELD_WIDTH = 150  # a date (2024-09-01) beside its calendar icon; a rate or a day count
AMOUNT_WIDTH = 180  # 10000.00 beside its steppers
SUBSIDY_TABLE_WIDTH = 460  # group, source and amount
FISCAL_TABLE_WIDTH = 320  # source and amount


def draft_form(base: CountyPolicy, *, amend: bool = False) -> PolicyDraft:
    """Next year's policy as filled in on the page, starting from the current year's moved on
    a year; or, to ``amend``, this year's as it is, its year fixed (widget keys per county
    and year, so the next year starts afresh)."""
    draft = current_draft(base) if amend else next_year_draft(base)
    key = f"{'amend' if amend else 'draft'}_{base.code}_{base.benefit_year}_"
    left, right = st.columns([1, 3])
    year = left.number_input(
        "待遇年度",
        min_value=draft.benefit_year,
        value=draft.benefit_year,
        key=key + "year",
        disabled=amend,
    )
    source = right.text_input(
        "政策依据（本年度通知或方案的文号）",
        value=draft.source,
        placeholder=f"如：{base.source}",
        key=key + "source",
    )
    days = [
        ("征缴期开始", draft.start),
        ("征缴期结束", draft.end),
        ("集中征缴截止", draft.centralised_end),
        ("补缴期开始（可空）", draft.catch_up_start),
        ("补缴期结束（可空）", draft.catch_up_end),
    ]
    dates = wrapping_row()
    picked = [
        dates.date_input(
            label, value=default, format="YYYY-MM-DD", key=key + label, width=FIELD_WIDTH
        )
        for label, default in days
    ]
    money = wrapping_row()
    amounts = [
        money_input(money, label, default, key=key + label, step=step, width=AMOUNT_WIDTH)
        for label, default, step in [
            ("个人缴费标准（元/人）", draft.contribution_standard, 10.0),
            ("工作经费（元/参保人）", draft.work_fund_per_head, 0.5),
            ("超额奖励（元/人）", draft.reward_per_head, 10.0),
            ("差额扣减（元/人）", draft.deduction_per_head, 10.0),
        ]
    ]
    basis = st.text_input("奖惩依据", value=draft.settlement_basis, key=key + "basis")
    targets, rules = _targets_and_rules(draft, key)
    tables = wrapping_row()
    subsidies = _sources_editor(
        tables.container(width=SUBSIDY_TABLE_WIDTH),
        "**参保资助**（每人一种，就高不重复；一个群体的各资金来源相加即其资助标准）",
        draft.subsidies,
        key=key + "subsidies",
        groups=[g.label for g in base.groups],
    )
    fiscal = _sources_editor(
        tables.container(width=FISCAL_TABLE_WIDTH),
        "**财政补助**（每人，按资金来源；通知只给总额时资金来源留空）",
        draft.fiscal,
        key=key + "fiscal",
        groups=None,
    )
    return replace(
        draft,
        benefit_year=int(year),
        source=source,
        start=picked[0],
        end=picked[1],
        centralised_end=picked[2],
        catch_up_start=picked[3],
        catch_up_end=picked[4],
        contribution_standard=amounts[0],
        work_fund_per_head=amounts[1],
        reward_per_head=amounts[2],
        deduction_per_head=amounts[3],
        settlement_basis=basis,
        fiscal=fiscal,
        subsidies=subsidies,
        targets=targets,
        remittance_days=rules[0],
        remittance_amount=None if rules[1] is None else Decimal(f"{rules[1]:.2f}"),
        public_notice_working_days=rules[2],
    )


def _targets_and_rules(
    draft: PolicyDraft, key: str
) -> tuple[dict[str, Decimal], tuple[int | None, float | None, int | None]]:
    """The targets in percent, and the "双限" rule and posting period (each may be left empty:
    the county has no such rule)."""
    target_row, rule_row = wrapping_row(), wrapping_row()
    targets = {
        name: Decimal(
            str(
                target_row.number_input(
                    f"{label}目标（%）",
                    min_value=0.0,
                    max_value=100.0,
                    value=float(draft.targets[name]),
                    step=0.5,
                    format="%.1f",
                    key=key + "target_" + name,
                    width=FIELD_WIDTH,
                )
            )
        )
        for name, label in TARGETS.items()
    }

    def day_count(label: str, value: int | None, name: str) -> int | None:
        return rule_row.number_input(
            label,
            min_value=1,
            max_value=MOST_DAYS,
            value=value,
            step=1,
            key=key + name,
            width=FIELD_WIDTH,
        )

    days = day_count("“双限”报解期限（天）", draft.remittance_days, "days")
    amount = rule_row.number_input(
        "“双限”报解额度（元）",
        min_value=0.0,
        max_value=float(MOST_YUAN),
        value=None if draft.remittance_amount is None else float(draft.remittance_amount),
        step=1000.0,
        format="%.2f",
        key=key + "amount",
        width=AMOUNT_WIDTH,
    )
    notice = day_count("公示期（工作日）", draft.public_notice_working_days, "notice")
    return targets, (days, amount, notice)


def _sources_editor(
    column: DeltaGenerator, title: str, rows: pd.DataFrame, *, key: str, groups: list[str] | None
) -> pd.DataFrame:
    """An editable table of amounts by funding source (rows may be added and deleted): a
    group picked from the county's (when ``groups`` is given), a source, yuan with two places."""
    column.markdown(title)
    config: dict[str, Any] = {
        SOURCE: st.column_config.TextColumn(),
        AMOUNT: st.column_config.NumberColumn(
            min_value=0, max_value=float(MOST_YUAN), step=0.01, format="%.2f"
        ),
    }
    if groups is not None:
        config[GROUP] = st.column_config.SelectboxColumn(options=groups)
    edited: pd.DataFrame = column.data_editor(
        rows, key=key, num_rows="dynamic", hide_index=True, column_config=config
    )
    return edited
