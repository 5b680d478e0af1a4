"""The 重复缴费 page's tables: second payments per township and the list of whom to pay back,
formatted for reading (Chinese headers, separators, yuan, masked ID numbers)."""

from __future__ import annotations

import pandas as pd

from dashboard import formatting as fmt
from dashboard.glossary import (
    AMOUNT,
    ID_NUMBER,
    LABELS,
    NAME,
    PAID_ON,
    TOTAL_LABEL,
    TOWNSHIP,
    VILLAGE,
    VOUCHER,
)
from dashboard.idnumbers import mask_ids
from dashboard.money import from_fen
from dashboard.repeat_list import REFUNDED_ON, STOOD_AMOUNT, STOOD_ON, Refunds

WAITING = "待退费"
# the list's filter: all, not paid back, paid back
REFUND_STATES = {None: "全部", False: WAITING, True: "已退费"}


def refund_cards(total: Refunds) -> list[tuple[str, str, str]]:
    """The cards above the second payments: persons, still to pay back, paid back."""
    return [
        (
            "重复缴费人数",
            fmt.count(total.persons),
            f"{fmt.count(total.payments)}笔，{fmt.money(from_fen(total.amount))}元",
        ),
        (
            "待退费（元）",
            fmt.money(from_fen(total.waiting_amount)),
            f"{fmt.count(total.waiting)}笔",
        ),
        (
            "已退费（元）",
            fmt.money(from_fen(total.refunded_amount)),
            f"{fmt.count(total.refunded)}笔",
        ),
    ]


def waiting_sentence(township: str, totals: Refunds) -> str | None:
    """What the 乡镇 page says of the township's second payments not yet paid back; None
    where there are none."""
    if not totals.waiting:
        return None
    return (
        f"{township}有{fmt.count(totals.waiting)}笔重复缴费待退费，共"
        f"{fmt.money(from_fen(totals.waiting_amount))}元，名单见“重复缴费”页。"
    )


def refund_summary_view(townships: list[tuple[str, Refunds]], total: Refunds) -> pd.DataFrame:
    """One row per township with second payments, then 合计 (the county's, given as
    ``total``)."""
    rows = [*townships, (TOTAL_LABEL, total)]
    return pd.DataFrame(
        [
            {
                LABELS[TOWNSHIP]: township,
                "人数": fmt.count(r.persons),
                "笔数": fmt.count(r.payments),
                "金额（元）": fmt.money(from_fen(r.amount)),
                "待退费笔数": fmt.count(r.waiting),
                "待退费（元）": fmt.money(from_fen(r.waiting_amount)),
                "已退费笔数": fmt.count(r.refunded),
                "已退费（元）": fmt.money(from_fen(r.refunded_amount)),
            }
            for township, r in rows
        ]
    )


def second_payments_view(seconds: pd.DataFrame, *, full_ids: bool = False) -> pd.DataFrame:
    """Each second payment beside the payment that stands (有效缴费: the one the person is
    enrolled by), and whether it was paid back; ID numbers masked (4113**********1234)
    unless ``full_ids``."""
    ids = seconds[ID_NUMBER].astype("string")
    view = pd.DataFrame(
        {
            LABELS[TOWNSHIP]: seconds[TOWNSHIP].to_numpy(),
            LABELS[VILLAGE]: seconds[VILLAGE].replace("", "（未填村）").to_numpy(),
            LABELS[NAME]: seconds[NAME].to_numpy(),
            LABELS[ID_NUMBER]: (ids if full_ids else mask_ids(ids)).to_numpy(),
            "有效缴费日期": [d.isoformat() for d in seconds[STOOD_ON]],
            "有效缴费（元）": [fmt.money(from_fen(int(f))) for f in seconds[STOOD_AMOUNT]],
            "重复缴费日期": [d.isoformat() for d in seconds[PAID_ON]],
            "重复缴费（元）": [fmt.money(from_fen(int(f))) for f in seconds[AMOUNT]],
            "退费情况": [
                WAITING if pd.isna(d) else f"已退费（{fmt.short_day(d)}）"
                for d in seconds[REFUNDED_ON]
            ],
        }
    )
    if seconds[VOUCHER].ne("").any():  # the tax office finds a payment to refund by its ticket
        view["重复缴费税票号码"] = seconds[VOUCHER].to_numpy()
    return view
