"""The 资金报解 page's sentences and tables: the "双限" rule in words, each collector's figures,
and the overdue receipts, formatted for reading (Chinese headers, separators, yuan)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard import formatting as fmt
from dashboard.glossary import (
    AMOUNT,
    COLLECTOR,
    DEPOSITED_ON,
    LABELS,
    NAME,
    RECEIVED_ON,
    TOTAL_LABEL,
    TOWNSHIP,
    VILLAGE,
)
from dashboard.money import from_fen
from dashboard.remittance import (
    DAYS_LATE,
    DEADLINE,
    STATUS,
    TRIGGER,
    LedgerTotals,
    RemittanceRule,
    is_overdue,
)
from data_models.policy import CountyPolicy


def rule_sentence(policy: CountyPolicy, rule: RemittanceRule) -> str:
    """The rule being checked, and where it comes from."""
    basis = (
        f"依据{policy.source}"
        if policy.remittance_days is not None
        else "本县政策未规定“双限”报解，按上面的期限和额度检查（默认参照内乡县办法）"
    )
    return (
        f"{basis}：村（社区）征缴经办人员收取的保费，收款后{rule.days}天内，或手中累计满"
        f"{fmt.notice_yuan(rule.limit)}之日，须存入乡镇财政所账户，以先到者为准。"
        "台账只用于检查，不导入、不改变任何数据。"
    )


def ledger_cards(totals: LedgerTotals) -> list[tuple[str, str, str]]:
    """The cards above a checked ledger: label, figure and its note."""
    return [
        ("收款笔数", fmt.count(totals.receipts), f"{fmt.money(totals.received)}元"),
        ("逾期笔数", fmt.count(totals.overdue), f"{fmt.money(totals.overdue_amount)}元"),
        ("逾期未存（元）", fmt.money(totals.held_overdue), "仍在经办人手中"),
        ("经办人", fmt.count(totals.collectors), "村（社区）征缴经办人员"),
    ]


def collectors_view(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per collector, then 合计."""
    money = ["received", "paid_in", "held", "overdue_amount"]
    totals = {c: sum(summary[c], Decimal("0.00")) for c in money}
    frame = pd.DataFrame(
        {
            LABELS[TOWNSHIP]: [*summary[TOWNSHIP], TOTAL_LABEL],
            LABELS[VILLAGE]: [*summary[VILLAGE], ""],
            LABELS[COLLECTOR]: [*summary[COLLECTOR], ""],
            "收款笔数": [
                fmt.count(int(n)) for n in [*summary["receipts"], summary["receipts"].sum()]
            ],
            "收款金额（元）": [fmt.money(a) for a in [*summary["received"], totals["received"]]],
            "已存入（元）": [fmt.money(a) for a in [*summary["paid_in"], totals["paid_in"]]],
            "未存入（元）": [fmt.money(a) for a in [*summary["held"], totals["held"]]],
            "逾期笔数": [
                fmt.count(int(n)) for n in [*summary["overdue"], summary["overdue"].sum()]
            ],
            "逾期金额（元）": [
                fmt.money(a) for a in [*summary["overdue_amount"], totals["overdue_amount"]]
            ],
            "最长逾期（天）": [
                str(int(n)) if n else "–" for n in [*summary["longest"], summary["longest"].max()]
            ],
        }
    )
    return frame


def overdue_view(checked: pd.DataFrame) -> pd.DataFrame:
    """The receipts paid in late or still held past their deadline, longest delay first."""
    late = checked[is_overdue(checked)].sort_values(DAYS_LATE, ascending=False, kind="stable")
    return pd.DataFrame(
        {
            LABELS[TOWNSHIP]: late[TOWNSHIP],
            LABELS[VILLAGE]: late[VILLAGE],
            LABELS[COLLECTOR]: late[COLLECTOR],
            "缴费人": late[NAME],
            LABELS[RECEIVED_ON]: [d.isoformat() for d in late[RECEIVED_ON]],
            "金额（元）": [fmt.money(from_fen(int(f))) for f in late[AMOUNT]],
            "应存入日期": [d.isoformat() for d in late[DEADLINE]],
            "依据": late[TRIGGER],
            LABELS[DEPOSITED_ON]: [d.isoformat() if d else "未存入" for d in late[DEPOSITED_ON]],
            "状态": late[STATUS],
            "逾期天数": [str(int(n)) for n in late[DAYS_LATE]],
        }
    ).reset_index(drop=True)
