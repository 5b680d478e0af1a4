"""The shipped sample data: each seed county's policy, printed quota table, simulated progress."""

from __future__ import annotations

from pathlib import Path

from dashboard.campaign import CampaignData
from dashboard.files import read_progress_table, read_quota_table, read_raw
from dashboard.glossary import TOWNSHIP
from data_models.policy import CountyPolicy, load_policy

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
POLICY_FILE = "policy.toml"
QUOTA_FILE = "quota.csv"
PROGRESS_FILE = "progress_simulated.csv"


def sample_codes(root: Path = SAMPLE_DIR) -> list[str]:
    """County codes that have a policy file under ``root``, sorted."""
    return sorted(p.parent.name for p in root.glob(f"*/{POLICY_FILE}"))


def sample_policy(code: str, root: Path = SAMPLE_DIR) -> CountyPolicy:
    """The policy of a sample county; KeyError for an unknown code."""
    path = root / code / POLICY_FILE
    if not path.is_file():
        raise KeyError(code)
    return load_policy(path)


def load_sample(code: str, root: Path = SAMPLE_DIR) -> CampaignData:
    """Read a sample county's files (validated like any upload) into a campaign."""
    policy = sample_policy(code, root)
    quotas, group_quotas = read_quota_table(read_raw(root / code / QUOTA_FILE), policy)
    progress_path = root / code / PROGRESS_FILE
    progress, group_progress = read_progress_table(
        read_raw(progress_path), policy, townships=list(quotas[TOWNSHIP]), simulated=True
    )
    return CampaignData(policy, quotas, progress, group_quotas, group_progress)
