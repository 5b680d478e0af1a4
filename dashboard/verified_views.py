"""The verified final counts (核定) as 结算 shows them: the table beside the system's figures,
the sentence that says what the settlement rests on, and the table the counts are entered in."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import formatting as fmt
from dashboard.campaign import CampaignData, VerifiedCounts
from dashboard.clock import local_time
from dashboard.figures import has_figures, settlement, verified_settlement
from dashboard.glossary import (
    ENROLLED,
    LABELS,
    QUOTA,
    SYSTEM_ENROLLED,
    TOTAL_LABEL,
    TOWNSHIP,
    VERIFIED,
    VERIFIED_DIFFERENCE,
)
from dashboard.progress import enrolled_as_of
from dashboard.rates import completion_rate
from dashboard.settlement import Settlement
from dashboard.views import NO_FIGURES_YET, money_sentence, settlement_view

SYSTEM = LABELS[SYSTEM_ENROLLED]
DIFFERENCE = LABELS[VERIFIED_DIFFERENCE]
VERIFIED_COLUMNS = {
    "township": LABELS[TOWNSHIP],
    "quota": LABELS[QUOTA],
    "system": SYSTEM,
    "verified": LABELS[VERIFIED],
}


def system_counts(data: CampaignData) -> dict[str, int]:
    """Each township's enrolled in the system on the campaign's last day (what the bureaus
    verify), quota-table order."""
    townships = data.townships
    enrolled = enrolled_as_of(data.progress, data.policy.campaign.end, townships)
    return dict(zip(townships, (int(n) for n in enrolled), strict=True))


def verified_settlement_view(
    settlement: Settlement, ranked: pd.DataFrame, system: dict[str, int]
) -> pd.DataFrame:
    """The settlement on verified counts as settlement_view shows one, its 参保人数 named
    核定参保人数, followed by the system's figure and the difference (核定 − 系统)."""
    frame = settlement_view(settlement, ranked).rename(columns={LABELS[ENROLLED]: LABELS[VERIFIED]})
    townships = frame[LABELS[TOWNSHIP]]
    counts = [sum(system.values()) if t == TOTAL_LABEL else system[t] for t in townships]
    verified = [line.enrolled for line in (*settlement.lines, settlement.total)]
    at = frame.columns.get_loc(LABELS[VERIFIED]) + 1
    frame.insert(at, SYSTEM, [fmt.count(n) for n in counts])
    frame.insert(
        at + 1,
        DIFFERENCE,
        [f"{v - n:+,}" if v != n else "0" for v, n in zip(verified, counts, strict=True)],
    )
    return frame


def verified_basis(verified: VerifiedCounts) -> str:
    """'按县税务局、医保局2023年1月10日核定的最终参保人数结算（依据：内医保〔2023〕2号）': what a
    settlement on the verified counts rests on (the page, the 结算表)."""
    noted = f"（依据：{verified.note}）" if verified.note else ""
    return f"{verified.words}结算{noted}"


def verified_sentence(verified: VerifiedCounts, campaign_end: date) -> str:
    """verified_basis, then who entered the counts when, and what “系统统计” is."""
    return (
        f"{verified_basis(verified)}；"
        f"{verified.recorded_by}于{local_time(verified.recorded_at)}录入。"
        f"“{SYSTEM}”为征缴期末（{fmt.day(campaign_end)}）系统中的参保人数。"
    )


def counts_editor_frame(
    data: CampaignData, system: dict[str, int], read: dict[str, int] | None = None
) -> pd.DataFrame:
    """The table the verified counts are entered in: township, quota, the system's figure on
    the campaign's last day, and the verified count — those ``read`` from a 核定人数表, else
    the ones recorded before, else the system's figure to start from."""
    recorded = data.verified.enrolled if data.verified is not None else system
    entered = read if read is not None else recorded
    townships = data.townships
    quotas = data.quota_by_township
    return pd.DataFrame(
        {
            VERIFIED_COLUMNS["township"]: townships,
            VERIFIED_COLUMNS["quota"]: [quotas[t] for t in townships],
            VERIFIED_COLUMNS["system"]: [system[t] for t in townships],
            VERIFIED_COLUMNS["verified"]: [entered[t] for t in townships],
        }
    )


def entered_counts(edited: pd.DataFrame) -> dict[str, object]:
    """The counts as entered: township -> raw value (verified.checked_counts checks them)."""
    return dict(
        zip(
            edited[VERIFIED_COLUMNS["township"]],
            edited[VERIFIED_COLUMNS["verified"]],
            strict=True,
        )
    )


def final_or_current(data: CampaignData, as_of: date) -> tuple[Settlement, str]:
    """The settlement a sentence speaks of — on the verified counts once they are recorded,
    else on the figures as of the day — and what it rests on, in words."""
    if data.verified is None:
        return settlement(data, as_of)[0], "按当前参保人数测算"
    result, _ = verified_settlement(data, data.verified)
    return result, f"按{fmt.day(data.verified.verified_on)}核定的最终参保人数"


def _nothing_to_settle(data: CampaignData, as_of: date) -> bool:
    """No count yet on the day, nor verified ones: every township would owe its whole quota."""
    return data.verified is None and not has_figures(data.first_date, as_of)


def overview_money_sentence(data: CampaignData, as_of: date) -> str:
    """总览's money sentence (views.money_sentence) on final_or_current's settlement; before
    the campaign's first figure, that there is none to settle on yet."""
    if _nothing_to_settle(data, as_of):
        return NO_FIGURES_YET
    result, basis = final_or_current(data, as_of)
    return money_sentence(result, basis=basis)


def township_money_sentence(data: CampaignData, as_of: date, township: str) -> str | None:
    """乡镇's money line for one township on final_or_current's settlement: '按当前参保人数测算，
    湍东镇参保59,982人，工作经费89,973.00元，扣减202,800.00元，净额-112,827.00元。' (a reward or
    deduction only where there is one); None where the county pays and deducts nothing; before
    the campaign's first figure, that there is none to settle on yet."""
    rates = data.policy.settlement
    if not (rates.work_fund_per_head or rates.reward_per_head or rates.deduction_per_head):
        return None
    if _nothing_to_settle(data, as_of):
        return NO_FIGURES_YET
    result, basis = final_or_current(data, as_of)
    line = next(line for line in result.lines if line.township == township)
    parts = [f"参保{fmt.count(line.enrolled)}人", f"工作经费{fmt.money(line.work_fund)}元"]
    if line.reward:
        parts.append(f"奖励{fmt.money(line.reward)}元")
    if line.deduction:
        parts.append(f"扣减{fmt.money(line.deduction)}元")
    return f"{basis}，{township}{'，'.join(parts)}，净额{fmt.money(line.net)}元。"


def verified_total_sentence(data: CampaignData, system: dict[str, int]) -> str | None:
    """总览's line once the bureaus have verified the final counts, beside the ``system``'s
    (system_counts): '县税务局、医保局已于2023年1月10日核定全县最终参保602,650人，完成任务的
    99.8%（征缴期末系统统计600,492人）；奖惩按核定人数结算。' None before."""
    verified = data.verified
    if verified is None:
        return None
    quota = sum(data.quota_by_township.values())
    rate = completion_rate(verified.total, quota)
    return (
        f"县税务局、医保局已于{fmt.day(verified.verified_on)}核定全县最终参保"
        f"{fmt.count(verified.total)}人，完成任务的{fmt.percent(rate)}"
        f"（征缴期末系统统计{fmt.count(sum(system.values()))}人）；奖惩按核定人数结算。"
    )
