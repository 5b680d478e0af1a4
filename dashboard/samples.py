"""The shipped sample data: each seed county's policy, printed quota table, simulated progress."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from dashboard.campaign import CampaignData, quotas_by_township
from dashboard.parsing import parse_file, progress_frames, quota_frames, require_clean
from data_models.policy import CountyPolicy, load_policy

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLES_SWITCH = "DASHBOARD_SAMPLE_DATA"
POLICY_FILE = "policy.toml"
QUOTA_FILE = "quota.csv"
PROGRESS_FILE = "progress_simulated.csv"


def samples_wanted() -> bool:
    """False when DASHBOARD_SAMPLE_DATA=0: a county's own server, without the three sample
    counties and the demo users."""
    return os.environ.get(SAMPLES_SWITCH, "1").strip().lower() not in {"0", "false", "no", "off"}


def sample_codes(root: Path = SAMPLE_DIR) -> list[str]:
    """County codes that have a policy file under ``root``, sorted."""
    return sorted(p.parent.name for p in root.glob(f"*/{POLICY_FILE}"))


def sample_policy(code: str, root: Path = SAMPLE_DIR) -> CountyPolicy:
    """The policy of a sample county; KeyError for an unknown code."""
    path = root / code / POLICY_FILE
    if not path.is_file():
        raise KeyError(code)
    return load_policy(path)


def read_sample_quotas(code: str, root: Path = SAMPLE_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A sample county's printed quota table (validated like any upload, totals checked)."""
    path = root / code / QUOTA_FILE
    parsed = parse_file(
        path.read_bytes(), path.name, sample_policy(code, root), townships=None, kind="quota"
    )
    return quota_frames(require_clean(parsed).frame)


def printed_quotas(code: str, year: int, root: Path = SAMPLE_DIR) -> dict[str, int]:
    """The township quotas a sample county's notice printed for the campaign of ``year``
    (empty: not a sample county, or another year)."""
    if code not in sample_codes(root) or sample_policy(code, root).benefit_year != year:
        return {}
    quotas, _ = read_sample_quotas(code, root)
    return quotas_by_township(quotas)


def load_sample(code: str, root: Path = SAMPLE_DIR) -> CampaignData:
    """Read a sample county's files into a campaign; its progress is marked simulated."""
    policy = sample_policy(code, root)
    quotas, group_quotas = read_sample_quotas(code, root)
    path = root / code / PROGRESS_FILE
    parsed = parse_file(
        path.read_bytes(), path.name, policy, townships=list(quotas["township"]), kind="progress"
    )
    progress, group_progress = progress_frames(require_clean(parsed).frame, simulated=True)
    return CampaignData(policy, quotas, progress, group_quotas, group_progress)
