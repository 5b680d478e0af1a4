"""The final counts verified (核定) after the campaign: checked, recorded with the audit entry,
replaced, withdrawn, loaded with the campaign, and settled on to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dashboard.audit import entries
from dashboard.figures import verified_settlement
from dashboard.store import load_campaign
from dashboard.verified import (
    VerificationRefused,
    checked_counts,
    verify_counts,
    withdraw_verification,
)
from data_models.tables import MAX_COUNT, NOTE_TEXT

NEIXIANG_QUOTAS = {
    "湍东镇": 62010, "板场乡": 10680, "桃溪镇": 24130, "七里坪乡": 15980, "余关镇": 33830,
    "岞镇": 27330, "夏馆镇": 24070, "师岗镇": 60200, "大桥乡": 33950, "王店镇": 47320,
    "赤眉镇": 45790, "马山口镇": 52410, "灌涨镇": 50150, "赵店乡": 43850, "瓦亭镇": 29260,
    "城关镇": 43160,
}  # fmt: skip
# DOMAIN.md's two examples, every other township exactly at its quota
FINAL = {**NEIXIANG_QUOTAS, "湍东镇": 63000, "板场乡": 10000}
END = date(2022, 12, 31)  # Neixiang's campaign ends
TODAY = date(2023, 2, 1)


def verify(engine, counts, *, on=date(2023, 1, 10), note="内医保〔2023〕2号", user="clerk"):
    verify_counts(
        engine, "neixiang", 2023, counts=counts, verified_on=on, note=note, user=user,
        today=TODAY,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("counts", "day", "note", "problems"),
    [
        (FINAL, END, "", []),  # the campaign's last day will do
        (FINAL | {"湍东镇": 63000.0}, END, "", []),  # as an editor gives a whole number
        (
            {k: v for k, v in FINAL.items() if k != "城关镇"},
            END,
            "",
            ["城关镇：核定参保人数为空，应为非负整数"],
        ),
        (FINAL | {"湍东镇": -1}, END, "", ["湍东镇：核定参保人数不能为负数（-1）"]),
        (FINAL | {"湍东镇": 6300.5}, END, "", ["湍东镇：核定参保人数为“6300.5”，应为非负整数"]),
        (
            FINAL | {"湍东镇": MAX_COUNT + 1},
            END,
            "",
            ["湍东镇：核定参保人数过大（10,000,001，超过10,000,000）"],
        ),
        (FINAL | {"营盘镇": 100}, END, "", ["本年度任务表中没有乡镇：营盘镇"]),
        (
            FINAL,
            date(2022, 12, 30),
            "",
            [
                "核定日期2022年12月30日早于征缴结束日2022年12月31日：征缴全部结束后才能核定最终参保人数"
            ],
        ),
        (FINAL, date(2023, 2, 2), "", ["核定日期2023年2月2日晚于今天"]),
        (FINAL, END, "据" * (NOTE_TEXT + 1), [f"依据最多{NOTE_TEXT}个字（现有{NOTE_TEXT + 1}个）"]),
    ],
)
def test_counts_are_checked_before_they_are_recorded(counts, day, note, problems) -> None:
    enrolled, found = checked_counts(
        counts, list(NEIXIANG_QUOTAS), verified_on=day, campaign_end=END, today=TODAY, note=note
    )
    assert found == problems
    if not problems:
        assert enrolled == FINAL and all(type(n) is int for n in enrolled.values())


def test_verified_counts_are_settled_on_to_the_cent(scratch) -> None:
    assert load_campaign(scratch, "neixiang").verified is None
    assert verified_settlement(load_campaign(scratch, "neixiang")) is None
    verify(scratch, FINAL)
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None
    assert list(data.verified.enrolled) == list(NEIXIANG_QUOTAS)  # the quota table's order
    assert (data.verified.verified_on, data.verified.note) == (
        date(2023, 1, 10),
        "内医保〔2023〕2号",
    )
    assert data.verified.recorded_by == "clerk" and data.verified.total == 604_430
    found = verified_settlement(data)
    assert found is not None
    result, ranked = found
    lines = {line.township: line for line in result.lines}
    assert (lines["湍东镇"].work_fund, lines["湍东镇"].reward, lines["湍东镇"].net) == (
        Decimal("94500.00"), Decimal("99000.00"), Decimal("193500.00"),
    )  # fmt: skip
    assert (lines["板场乡"].work_fund, lines["板场乡"].deduction, lines["板场乡"].net) == (
        Decimal("15000.00"), Decimal("68000.00"), Decimal("-53000.00"),
    )  # fmt: skip
    total = result.total
    assert (total.enrolled, total.work_fund, total.reward, total.deduction, total.net) == (
        604_430, Decimal("906645.00"), Decimal("99000.00"), Decimal("68000.00"),
        Decimal("937645.00"),
    )  # fmt: skip
    assert list(ranked["township"])[0] == "湍东镇" and list(ranked["rank"])[0] == 1
    assert list(ranked["township"])[-1] == "板场乡" and list(ranked["rank"])[-1] == 16
    assert set(ranked["rank"][1:-1]) == {2}  # fourteen at their quota share rank 2


def test_verifying_again_replaces_and_withdrawing_clears_with_audit_entries(scratch) -> None:
    verify(scratch, FINAL)
    verify(scratch, FINAL | {"板场乡": 10680}, on=date(2023, 1, 12), note="更正", user="admin")
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None
    assert (data.verified.enrolled["板场乡"], data.verified.note) == (10680, "更正")
    assert data.verified.recorded_by == "admin"
    assert data.verified.total == 604_430 + 680
    withdraw_verification(scratch, "neixiang", 2023, user="admin")
    assert load_campaign(scratch, "neixiang").verified is None
    logged = entries(scratch, county="neixiang")
    assert [e.action for e in logged[:3]] == [
        "verification_withdrawn", "counts_verified", "counts_verified",
    ]  # fmt: skip
    withdrawn, again, first = logged[:3]
    assert first.before is None and '"湍东镇": 63000' in (first.after or "")
    assert '"板场乡": 10000' in (again.before or "") and '"板场乡": 10680' in (again.after or "")
    assert '"核定日期": "2023-01-12"' in (withdrawn.before or "") and withdrawn.after is None
    assert {e.target for e in logged[:3]} == {"2023年度核定参保人数"}


def test_refused_counts_change_nothing(scratch) -> None:
    verify(scratch, FINAL)
    before = entries(scratch)
    with pytest.raises(VerificationRefused) as refused:
        verify(scratch, FINAL | {"湍东镇": -5}, on=date(2022, 12, 1))
    assert refused.value.problems == [
        "湍东镇：核定参保人数不能为负数（-5）",
        "核定日期2022年12月1日早于征缴结束日2022年12月31日：征缴全部结束后才能核定最终参保人数",
    ]
    data = load_campaign(scratch, "neixiang")
    assert data.verified is not None and data.verified.enrolled["湍东镇"] == 63000
    assert len(entries(scratch)) == len(before)


def test_nothing_to_withdraw_is_refused(scratch) -> None:
    with pytest.raises(VerificationRefused, match="2023年度尚未核定最终参保人数"):
        withdraw_verification(scratch, "neixiang", 2023, user="admin")
    assert entries(scratch, action="verification_withdrawn") == []


def test_files_of_progress_drop_the_stored_verified_counts(scratch) -> None:
    verify(scratch, FINAL)
    data = load_campaign(scratch, "neixiang")
    assert data.with_progress(data.progress).verified is None
    assert data.with_quotas(data.quotas).verified == data.verified
