"""A simulated cash ledger (模拟数据) of village collectors, to try the 资金报解 check on.

Per township two villages, each with one collector who takes a household's premiums on some
days of the centralised period. Collectors keep to the "双限" rule differently: most pay in
within the days allowed, some a few days late, and one in five leaves the last receipts of
the period unpaid. Fixed seed per county, like the simulated progress.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from dashboard.exports import csv_bytes
from dashboard.simulate import SEED, county_seed
from dashboard.simulate_people import person_names, villages
from data_models.policy import CountyPolicy

HEADERS = ["乡镇", "村（社区）", "经办人", "缴费人", "收款日期", "金额", "存入日期", "备注"]
RECEIPT_CHANCE = 0.35  # of a collector taking money on a given day
VILLAGES_PER_TOWNSHIP = 2


def simulate_ledger(
    policy: CountyPolicy, townships: list[str], *, days: int, seed: int = SEED
) -> pd.DataFrame:
    """Ledger rows with Chinese headers (HEADERS; 备注 says 模拟数据), receipts in date order per
    collector; ``days`` is the rule's number of days, which the punctual keep to."""
    rng = np.random.default_rng(county_seed(policy.code, seed) + 7)
    campaign = policy.campaign
    period = (campaign.centralised_end - campaign.start).days + 1
    rows = []
    for township in townships:
        for village in villages(rng, VILLAGES_PER_TOWNSHIP):
            collector = str(person_names(rng, 1)[0])
            habit = rng.choice(["punctual", "late", "sitting"], p=[0.6, 0.2, 0.2])
            taken = np.flatnonzero(rng.random(period) < RECEIPT_CHANCE)
            payers = person_names(rng, len(taken)).to_pylist()
            members = rng.integers(1, 6, len(taken))
            delays = (
                rng.integers(0, days, len(taken))
                if habit != "late"
                else rng.integers(days - 1, days + 5, len(taken))
            )
            for index, (day, payer, count, delay) in enumerate(
                zip(taken, payers, members, delays, strict=True)
            ):
                received = campaign.start + timedelta(int(day))
                unpaid = habit == "sitting" and index >= len(taken) - 3
                deposited = None if unpaid else received + timedelta(int(delay))
                rows.append(
                    [
                        township,
                        village,
                        collector,
                        payer,
                        received.isoformat(),
                        str(policy.contribution_standard * int(count)),
                        deposited.isoformat() if deposited else "",
                        "模拟数据",
                    ]
                )
    return pd.DataFrame(rows, columns=HEADERS)


def ledger_example_csv(policy: CountyPolicy, townships: list[str], *, days: int) -> bytes:
    """The simulated ledger as a CSV file for Excel users (UTF-8 with BOM)."""
    return csv_bytes(simulate_ledger(policy, townships, days=days))
