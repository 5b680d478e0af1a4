"""Data models: SQLModel tables and the typed county policy."""

from data_models.policy import (
    CampaignDates,
    CountyPolicy,
    FundShare,
    SettlementRates,
    SpecialGroup,
    Targets,
    load_policy,
)
from data_models.tables import (
    Campaign,
    County,
    GroupProgress,
    GroupQuota,
    ImportRecord,
    Payment,
    ProgressReport,
    Quota,
    QuotaChange,
    RosterMember,
    Scenario,
    Township,
)

__all__ = [
    "Campaign",
    "CampaignDates",
    "County",
    "CountyPolicy",
    "FundShare",
    "GroupProgress",
    "GroupQuota",
    "ImportRecord",
    "Payment",
    "RosterMember",
    "Scenario",
    "ProgressReport",
    "Quota",
    "QuotaChange",
    "SettlementRates",
    "SpecialGroup",
    "Targets",
    "Township",
    "load_policy",
]
