"""Neixiang's campaign of the next benefit year (2024), opened beside the 2023 sample."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.opening import Opened, open_campaign, prepare_campaign, read_policy
from dashboard.samples import SAMPLE_DIR

NEIXIANG_QUOTA = (SAMPLE_DIR / "neixiang" / "quota.csv").read_bytes()


def next_year_policy() -> bytes:
    """Neixiang's policy moved on a year (as a county would copy and edit it)."""
    text = (SAMPLE_DIR / "neixiang" / "policy.toml").read_text(encoding="utf-8")
    for old, new in [
        ("benefit_year = 2023", "benefit_year = 2024"),
        ("start = 2022-10-15", "start = 2023-10-15"),
        ("end = 2022-12-31", "end = 2023-12-31"),
        ("centralised_end = 2022-11-30", "centralised_end = 2023-11-30"),
        ('reward_per_head = "100"', 'reward_per_head = "50"'),
    ]:
        assert old in text
        text = text.replace(old, new)
    return text.encode("utf-8")


def opened_next_year(engine: Engine, policy: bytes | None = None) -> Opened:
    """Open the 2024 campaign: next_year_policy(), or the policy file given."""
    data = prepare_campaign(
        read_policy(policy or next_year_policy(), "policy.toml"), NEIXIANG_QUOTA, "q.csv"
    ).data
    return open_campaign(engine, data, policy_file="policy.toml", user="admin")
