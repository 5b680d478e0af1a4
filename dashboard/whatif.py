"""What-if: the settlement and ranking under edited quotas and rates, beside the official ones.

Both sides settle the same expected final enrolment (the forecast, or the latest figure), so
every difference comes from the edits alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

import pandas as pd

from dashboard.allocation import rebalance
from dashboard.campaign import CampaignData
from dashboard.figures import forecasts, rates_and_ranks, standings
from dashboard.glossary import ENROLLED, FLAGGED, QUOTA, TOTAL_LABEL, TOWNSHIP
from dashboard.ranking import bottom_three_flags
from dashboard.settlement import Settlement, settle
from data_models.policy import SettlementRates
from data_models.tables import MAX_COUNT

Expectation = Literal["forecast", "latest"]
EXPECTATION_LABELS = {"forecast": "按近期进度预测的期末人数", "latest": "当前最新参保人数"}
EXPECTATION_HELP = (
    "预测：按近期日均进度推算至征缴期结束，至多推算到乡镇的应参保人数（没有时为上年参保人数，"
    "都没有时为任务数；已超过的按当前人数），不按征缴高峰期的进度一直推算下去。"
    "表中“预计参保人数”可逐个修改。"
)
DELTA_COLUMNS = [
    TOWNSHIP,
    ENROLLED,
    "quota",
    "scenario_quota",
    "quota_change",
    "net",
    "scenario_net",
    "net_change",
    "rank",
    "scenario_rank",
    "flagged",
    "scenario_flagged",
]


def expected_enrolled(data: CampaignData, as_of: date, basis: Expectation) -> dict[str, int]:
    """The final enrolment to settle on: each township's forecast at the campaign end (never
    below its current count), or its latest figure."""
    latest = dict(zip(*(standings(data, as_of)[c] for c in (TOWNSHIP, ENROLLED)), strict=True))
    if basis == "latest":
        return {t: int(n) for t, n in latest.items()}
    projected = forecasts(data, as_of)
    return {t: max(int(latest[t]), projected[t].projected_end) for t in data.townships}


def rebased(
    quotas: Mapping[str, int], base: Mapping[str, int], official: Mapping[str, int]
) -> dict[str, int]:
    """A draft's quotas, edited from ``base``, carried onto new ``official`` quotas of the same
    townships (a scenario applied, a quota table imported while the draft is open): a township
    edited keeps its edit, the others take the new official quota."""
    return {t: quotas[t] if quotas[t] != base[t] else official[t] for t in official}


@dataclass(frozen=True)
class Comparison:
    """Official and scenario settlements on the same enrolment, and the per-township deltas."""

    official: Settlement
    scenario: Settlement
    deltas: pd.DataFrame

    @property
    def changed(self) -> bool:
        """True when any township's net money differs from the official settlement."""
        return bool(self.deltas["net_change"].any())

    @property
    def net_change(self) -> Decimal:
        """County net under the scenario minus the official county net."""
        return self.scenario.total.net - self.official.total.net


def _ranked(
    townships: list[str], quotas: Mapping[str, int], enrolled: Mapping[str, int]
) -> tuple[list, list]:
    """Ranks and bottom-three flags; none while no township is expected to enrol anyone (as
    the ranking of a period before the first figure)."""
    rates, ranks = rates_and_ranks(
        [enrolled[t] for t in townships],
        [quotas[t] for t in townships],
        reported=any(enrolled[t] > 0 for t in townships),
    )
    return ranks, bottom_three_flags(ranks, rates)


def compare(
    data: CampaignData,
    *,
    quotas: Mapping[str, int],
    rates: SettlementRates,
    enrolled: Mapping[str, int],
) -> Comparison:
    """Settle and rank the official quotas and rates and the scenario's, on ``enrolled``.

    ``quotas`` and ``enrolled`` map every township to a non-negative whole number.
    The deltas frame has one row per township in quota-table order (columns DELTA_COLUMNS).
    """
    townships = data.townships
    official_quotas = dict(
        zip(data.quotas[TOWNSHIP], (int(q) for q in data.quotas[QUOTA]), strict=True)
    )
    official = settle(
        ((t, official_quotas[t], enrolled[t]) for t in townships), data.policy.settlement
    )
    scenario = settle(((t, quotas[t], enrolled[t]) for t in townships), rates)
    ranks, flags = _ranked(townships, official_quotas, enrolled)
    new_ranks, new_flags = _ranked(townships, quotas, enrolled)
    deltas = pd.DataFrame(
        {
            TOWNSHIP: townships,
            ENROLLED: [enrolled[t] for t in townships],
            "quota": [official_quotas[t] for t in townships],
            "scenario_quota": [quotas[t] for t in townships],
            "quota_change": [quotas[t] - official_quotas[t] for t in townships],
            "net": [line.net for line in official.lines],
            "scenario_net": [line.net for line in scenario.lines],
            "net_change": [
                s.net - o.net for s, o in zip(scenario.lines, official.lines, strict=True)
            ],
            # object columns: a township without a rank (quota 0) is None, not NaN among floats
            "rank": pd.Series(ranks, dtype=object),
            "scenario_rank": pd.Series(new_ranks, dtype=object),
            FLAGGED: flags,
            "scenario_flagged": new_flags,
        },
        columns=DELTA_COLUMNS,
    )
    return Comparison(official, scenario, deltas)


def totals_row(comparison: Comparison) -> dict[str, object]:
    """The county line of the deltas: sums, no ranks."""
    o, s = comparison.official.total, comparison.scenario.total
    return {
        TOWNSHIP: TOTAL_LABEL,
        ENROLLED: o.enrolled,
        "quota": o.quota,
        "scenario_quota": s.quota,
        "quota_change": s.quota - o.quota,
        "net": o.net,
        "scenario_net": s.net,
        "net_change": s.net - o.net,
        "rank": None,
        "scenario_rank": None,
        FLAGGED: None,
        "scenario_flagged": None,
    }


def kept_total(
    before: Mapping[str, int], edited: Mapping[str, int], townships: Sequence[str]
) -> dict[str, int] | None:
    """With the county total kept fixed: the quotas after one township's edit, the
    difference spread over the others by their shares (allocation.rebalance). None where not
    exactly one township was edited (the sum is then checked as it stands); ValueError, the
    township named, when the others cannot take up the difference."""
    changed = [t for t in townships if edited[t] != before[t]]
    if len(changed) != 1:
        return None
    (township,) = changed
    try:
        spread = rebalance(
            [before[t] for t in townships], list(townships).index(township), edited[township]
        )
    except ValueError as error:
        raise ValueError(f"{township}：{error}") from error
    return dict(zip(townships, spread, strict=True))


def validate_quotas(
    edited: Mapping[str, object],
    townships: list[str],
    *,
    fixed_total: int | None = None,
    label: str = "测算任务数",
) -> tuple[dict[str, int], list[str]]:
    """Check edited counts (quotas unless ``label`` names others): every township present, a
    whole number, not negative, at most MAX_COUNT; with ``fixed_total``, the sum must equal it.
    Returns the counts and the problems (Chinese)."""
    quotas: dict[str, int] = {}
    problems = []
    for township in townships:
        value = edited.get(township)
        number = _whole(value)
        if number is None:
            shown = (
                "空"
                if value is None or (isinstance(value, float) and pd.isna(value))
                else f"“{value}”"
            )
            problems.append(f"{township}：{label}为{shown}，应为非负整数")
        elif number < 0:
            problems.append(f"{township}：{label}不能为负数（{number}）")
        elif number > MAX_COUNT:
            problems.append(f"{township}：{label}过大（{number:,}，超过{MAX_COUNT:,}）")
        else:
            quotas[township] = number
    if fixed_total is not None and not problems and sum(quotas.values()) != fixed_total:
        problems.append(
            f"各乡镇任务数之和为{sum(quotas.values()):,}，与固定的全县总数{fixed_total:,}不一致"
        )
    return quotas, problems


def _whole(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() else None
