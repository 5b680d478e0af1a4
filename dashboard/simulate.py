"""Simulated campaign progress (模拟数据) for the sample counties, from a fixed seed.

The seed notices give quotas, never progress, so the sample progress is generated: per
township a noisy S-curve over the centralised period, quieter at weekends, with a thin tail
after it; final counts spread from about 95 % to 104 % of quota so that some townships beat
their quota and some miss it. Special groups, where the quota table counts them, are pushed
earlier and mostly reach 100 %. Where a quota table counts no special groups (Neixiang,
Dongming), rosters of plausible size are simulated too (``simulate_groups``), so that every
sample county shows its rosters, subsidies and the not-yet-enrolled lists.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.glossary import DATE, ENROLLED, GROUP, QUOTA, ROSTER, TOWNSHIP
from data_models.policy import CountyPolicy

SEED = 20231101
WEEKEND_FACTOR = 0.6
BASELINE_SHARE = 0.25  # part of the payments spread evenly: renewals, auto-debit
SPRINT_SHARES = (0.03, 0.16)  # part of a township's payments in its deadline sprint
SPRINT_CENTRES = (0.82, 0.95)  # where the sprint peaks, as a fraction of the centralised period
TAIL_SHARES = (0.01, 0.05)  # part paid after the centralised period, where there is one
# Simulated roster sizes, as shares of a township's quota, for counties whose notice prints
# none: of the order of Zhashui's printed counts (特困 1.3 %, 低保 5.7 %, 监测 0.4 %).
GROUP_SHARES = {
    "extreme_poverty": 0.008,
    "minimum_living": 0.035,
    "monitored": 0.004,
    "poverty_alleviated": 0.04,
    "returned_to_poverty": 0.003,
}


def county_seed(code: str, seed: int = SEED) -> int:
    """A stable per-county seed, so adding a county never changes another's numbers."""
    return seed + zlib.crc32(code.encode())


def _curve(
    rng: np.random.Generator,
    final: int,
    days: list[date],
    centralised_days: int,
    *,
    midpoint: float,
    steepness: float,
    tail_share: float,
    sprint: tuple[float, float] = (0.0, 1.0),
) -> np.ndarray:
    """Cumulative counts for each day, ending exactly at ``final``, never decreasing.

    ``sprint`` is (share, centre): that share of the centralised payments arrives in a short
    push peaking at that fraction of the centralised period.
    """
    x = np.linspace(0, 1, centralised_days + 1)
    share, centre = sprint
    shape = (1 - share) * _normalised(_wave(x, midpoint, steepness) + BASELINE_SHARE / len(x))
    if share:
        shape += share * _normalised(_wave(x, centre, 40.0))
    weekday = np.array([WEEKEND_FACTOR if d.weekday() >= 5 else 1.0 for d in days[: len(x)]])
    increments = shape * weekday * rng.lognormal(0, 0.25, len(x))
    central = np.cumsum(increments) / increments.sum() * final * (1 - tail_share)
    tail_days = len(days) - len(x)
    if tail_days:
        tail = np.cumsum(rng.uniform(0.5, 1.5, tail_days))
        central = np.concatenate([central, central[-1] + tail / tail[-1] * final * tail_share])
    counts = np.maximum.accumulate(np.floor(central).astype(np.int64))
    counts[-1] = final
    return counts


def _wave(x: np.ndarray, midpoint: float, steepness: float) -> np.ndarray:
    """Daily increments of a logistic S-curve over ``x`` (0 to 1)."""
    logistic = 1 / (1 + np.exp(-steepness * (x - midpoint)))
    return np.diff(logistic, prepend=logistic[0])


def _normalised(values: np.ndarray) -> np.ndarray:
    return values / values.sum()


def _campaign_days(policy: CountyPolicy) -> tuple[list[date], int]:
    """Every day of the campaign, and how many of them the centralised period spans."""
    campaign = policy.campaign
    days = [campaign.start + timedelta(d) for d in range((campaign.end - campaign.start).days + 1)]
    return days, (campaign.centralised_end - campaign.start).days


def _final_ratios(rng: np.random.Generator, n: int) -> np.ndarray:
    spread = np.linspace(0.952, 1.038, n)
    return rng.permutation(spread) + rng.uniform(-0.004, 0.004, n)


def simulate_progress(
    policy: CountyPolicy, quotas: pd.DataFrame, group_quotas: pd.DataFrame, *, seed: int = SEED
) -> pd.DataFrame:
    """Daily cumulative progress for every township over the whole campaign.

    Wide frame: date, township, enrolled, then one column per special group (by label) when
    the county has rosters. Deterministic for a given seed.
    """
    rng = np.random.default_rng(county_seed(policy.code, seed))
    campaign = policy.campaign
    days, centralised_days = _campaign_days(policy)
    has_tail = campaign.centralised_end < campaign.end
    ratios = _final_ratios(rng, len(quotas))
    # The sprints have their own stream, so the final counts and the noise stay as they were.
    sprint_rng = np.random.default_rng(county_seed(policy.code, seed) + 5)
    frames = []
    for (township, quota), ratio in zip(
        quotas[[TOWNSHIP, QUOTA]].itertuples(index=False), ratios, strict=True
    ):
        midpoint = rng.uniform(0.35, 0.55)
        steepness = rng.uniform(7, 12)
        frame = pd.DataFrame({DATE: days, TOWNSHIP: township})
        frame[ENROLLED] = _curve(
            rng,
            round(quota * ratio),
            days,
            centralised_days,
            midpoint=midpoint,
            steepness=steepness,
            tail_share=sprint_rng.uniform(*TAIL_SHARES) if has_tail else 0.0,
            sprint=(sprint_rng.uniform(*SPRINT_SHARES), sprint_rng.uniform(*SPRINT_CENTRES)),
        )
        for group in policy.groups:
            rows = group_quotas[
                (group_quotas[TOWNSHIP] == township) & (group_quotas[GROUP] == group.code)
            ]
            if rows.empty:
                continue
            frame[group.label] = _group_curve(
                rng,
                int(rows[ROSTER].iloc[0]),
                days,
                centralised_days,
                midpoint=midpoint,
                steepness=steepness,
            )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).sort_values(
        [DATE], kind="stable", ignore_index=True
    )


def _group_curve(
    rng: np.random.Generator,
    roster: int,
    days: list[date],
    centralised_days: int,
    *,
    midpoint: float,
    steepness: float,
) -> np.ndarray:
    """Cumulative enrolled members of one roster: ahead of the township, and in three rosters
    of ten a few members (up to 2 %) still missing at the end."""
    missing = int(rng.integers(1, max(2, roster // 50 + 1))) if roster and rng.random() < 0.3 else 0
    return _curve(
        rng,
        roster - missing,
        days,
        centralised_days,
        midpoint=max(midpoint - 0.12, 0.2),
        steepness=steepness,
        tail_share=0.0,
    )


def simulate_groups(
    policy: CountyPolicy, quotas: pd.DataFrame, *, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Roster sizes and daily cumulative enrolled members per township and special group, for
    a county whose quota table counts none (模拟数据; sizes from ``GROUP_SHARES``).

    Returns (group_quotas, group_progress): township, group, roster_size; and date, township,
    group, enrolled. Its own random stream: the township progress is not changed by it.
    """
    rng = np.random.default_rng(county_seed(policy.code, seed) + 3)
    days, centralised_days = _campaign_days(policy)
    sizes, curves = [], []
    for township, quota in quotas[[TOWNSHIP, QUOTA]].itertuples(index=False):
        midpoint, steepness = rng.uniform(0.35, 0.55), rng.uniform(7, 12)
        for group in policy.groups:
            share = GROUP_SHARES.get(group.code, 0.0) * rng.uniform(0.7, 1.3)
            roster = max(1, round(quota * share)) if share else 0
            sizes.append({TOWNSHIP: township, GROUP: group.code, ROSTER: roster})
            counts = _group_curve(
                rng, roster, days, centralised_days, midpoint=midpoint, steepness=steepness
            )
            curves.append(
                pd.DataFrame({DATE: days, TOWNSHIP: township, GROUP: group.code, ENROLLED: counts})
            )
    return pd.DataFrame(sizes), pd.concat(curves, ignore_index=True)


def progress_csv(frame: pd.DataFrame) -> str:
    """The simulated frame as a progress-report CSV with Chinese headers (日期,乡镇,参保人数,…)."""
    out = frame.rename(columns={DATE: "日期", TOWNSHIP: "乡镇", ENROLLED: "参保人数"})
    out["日期"] = [d.isoformat() for d in out["日期"]]
    return out.to_csv(index=False, lineterminator="\n")
