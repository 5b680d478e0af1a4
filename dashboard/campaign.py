"""One county's campaign in memory: its policy, quota table and progress reports as frames."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd

from dashboard import formatting as fmt
from dashboard.glossary import (
    BASE_POPULATION,
    DATE,
    ENROLLED,
    GROUP,
    LAST_YEAR_ENROLLED,
    POSITION,
    QUOTA,
    REPORT_SOURCE,
    ROSTER,
    SIMULATED,
    SIMULATED_LABEL,
    TOWNSHIP,
    VILLAGE,
)
from data_models.policy import CountyPolicy

QUOTA_COLUMNS = [TOWNSHIP, POSITION, QUOTA, BASE_POPULATION, LAST_YEAR_ENROLLED]
PROGRESS_COLUMNS = [DATE, TOWNSHIP, VILLAGE, ENROLLED, SIMULATED]
GROUP_QUOTA_COLUMNS = [TOWNSHIP, GROUP, ROSTER]
GROUP_PROGRESS_COLUMNS = [DATE, TOWNSHIP, GROUP, ENROLLED, SIMULATED]


@dataclass(frozen=True)
class VerifiedCounts:
    """The final enrolled count of every township as the county's tax and medical-insurance
    bureaus verified it (核定) after the campaign, in the quota table's order: the day they
    verified it, the document or remark it rests on, and who recorded it when."""

    enrolled: dict[str, int]
    verified_on: date
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def total(self) -> int:
        """The county's verified enrolled."""
        return sum(self.enrolled.values())

    @property
    def words(self) -> str:
        """'按县税务局、医保局2023年1月10日核定的最终参保人数': what a figure on them rests on."""
        return f"按县税务局、医保局{fmt.day(self.verified_on)}核定的最终参保人数"


@dataclass(frozen=True)
class CampaignData:
    """Everything the figures are computed from.

    ``quotas``: township, position, quota, base_population, last_year_enrolled (the last two
    nullable), in the quota table's order. ``progress``: date, township, village ("" for a
    township-level figure), cumulative enrolled, simulated. ``group_quotas``: township, group
    code, roster size. ``group_progress``: date, township, group code, cumulative enrolled,
    simulated. Dates are ``datetime.date``. ``sources`` names, per township, where its
    enrolled counts come from (进度报表, 缴费明细 or 模拟数据).
    """

    policy: CountyPolicy
    quotas: pd.DataFrame
    progress: pd.DataFrame
    group_quotas: pd.DataFrame
    group_progress: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    # per township: an imported source its figures do not come from (outranked) and its
    # latest day, as sources.choose_progress gives it
    passed_over: dict[str, tuple[str, date]] = field(default_factory=dict)
    # the final counts verified after the campaign (None: not yet), what it is settled on
    verified: VerifiedCounts | None = None

    @property
    def townships(self) -> list[str]:
        """Township names in the quota table's order."""
        return list(self.quotas.sort_values(POSITION)[TOWNSHIP])

    @property
    def quota_by_township(self) -> dict[str, int]:
        """Official quotas: township -> quota."""
        return quotas_by_township(self.quotas)

    @property
    def simulated(self) -> bool:
        """True when any progress figure shown is generated sample data (模拟数据)."""
        return bool(self.progress[SIMULATED].any() or self.group_progress[SIMULATED].any())

    @property
    def first_date(self) -> date | None:
        """The date of the oldest progress figure, or None before the first."""
        return None if self.progress.empty else min(self.progress[DATE])

    @property
    def latest_date(self) -> date | None:
        """The date of the newest progress report, or None before the first."""
        return None if self.progress.empty else max(self.progress[DATE])

    @property
    def has_base_population(self) -> bool:
        """True when every township has a base population, so participation can be computed."""
        return bool(self.quotas[BASE_POPULATION].notna().all())

    def with_quotas(
        self, quotas: pd.DataFrame, group_quotas: pd.DataFrame | None = None
    ) -> CampaignData:
        """The same campaign with another quota table (a file, or a what-if); special-group
        rosters are replaced too when given."""
        if group_quotas is None or group_quotas.empty:
            return replace(self, quotas=quotas)
        return replace(self, quotas=quotas, group_quotas=group_quotas)

    def with_progress(self, progress: pd.DataFrame) -> CampaignData:
        """The same campaign with other progress reports (a file's), each township's counts
        from them (its source 进度报表, or 模拟数据); special-group progress and the verified
        counts (of the stored reports) are dropped."""
        sources = {
            t: SIMULATED_LABEL if simulated else REPORT_SOURCE
            for t, simulated in zip(progress[TOWNSHIP], progress[SIMULATED], strict=True)
        }
        return replace(
            self,
            progress=progress,
            group_progress=empty_group_progress(),
            sources=sources,
            passed_over={},
            verified=None,
        )

    def default_as_of(self) -> date:
        """The latest report date, or the campaign start when nothing is reported yet."""
        return self.latest_date or self.policy.campaign.start


def empty_progress() -> pd.DataFrame:
    """A progress frame with no rows (a campaign before its first report)."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PROGRESS_COLUMNS})


def empty_group_progress() -> pd.DataFrame:
    """A group-progress frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in GROUP_PROGRESS_COLUMNS})


def _dtype(column: str) -> str:
    return {ENROLLED: "int64", SIMULATED: "bool"}.get(column, "object")


def quotas_by_township(quotas: pd.DataFrame) -> dict[str, int]:
    """A quota frame's quotas by township, in its order."""
    return {str(t): int(q) for t, q in zip(quotas[TOWNSHIP], quotas[QUOTA], strict=True)}
