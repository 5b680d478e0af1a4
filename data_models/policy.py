"""The typed county policy: contribution, subsidies, targets, campaign dates, settlement rates."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from data_models.tables import MAX_FEN, SHORT_TEXT

# The longest a "双限" remittance deadline or a posting period may run, in (working) days: a
# notice sets 5; past this a figure is a slip (and days are counted one by one).
MOST_DAYS = 60
# Yuan as a notice writes them: not negative, whole fen, within MAX_FEN (past it, a slip).
MOST_YUAN = Decimal(MAX_FEN) / 100
Yuan = Annotated[Decimal, Field(ge=0, le=MOST_YUAN, decimal_places=2)]
PerHead = Annotated[Decimal, Field(ge=0, le=MOST_YUAN)]  # finer than a fen: each line is rounded
Fraction = Annotated[Decimal, Field(ge=0, le=1)]  # of a whole: 0.98 = 98 %


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FundShare(_Frozen):
    """One funding source's part of a per-person amount, in yuan."""

    source: str
    amount: Yuan


class SpecialGroup(_Frozen):
    """A special group (特殊群体) tracked against 100 % and, where the policy says, subsidised.

    ``subsidy`` is the yuan paid per person towards the individual contribution; ``sources``
    splits it by fund and must add up to it. ``aliases`` are the other names the group goes
    by: a group column's header in a quota table or progress report, a roster's category.
    """

    code: str = Field(max_length=SHORT_TEXT)
    label: str
    subsidy: Yuan = Decimal(0)
    share: Fraction | None = None
    sources: tuple[FundShare, ...] = ()
    aliases: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sources_add_up(self) -> SpecialGroup:
        if self.sources and sum(s.amount for s in self.sources) != self.subsidy:
            raise ValueError(f"{self.code}：各资金来源之和不等于资助标准{self.subsidy}")
        return self


class CampaignDates(_Frozen):
    """The collection campaign: whole period, centralised part, optional catch-up."""

    start: date
    end: date
    centralised_end: date
    catch_up_start: date | None = None
    catch_up_end: date | None = None

    @property
    def last_day(self) -> date:
        """The last day a report or payment of the campaign may bear: its catch-up period's
        end, else its own."""
        return self.catch_up_end or self.end

    def over_by(self, day: date) -> bool:
        """Whether ``day`` comes after the campaign's end (a catch-up period's, or later): its
        payments are counted, no period ranks it."""
        return day > self.end

    @model_validator(mode="after")
    def _ordered(self) -> CampaignDates:
        if not self.start <= self.centralised_end <= self.end:
            raise ValueError("征缴期应满足 start ≤ centralised_end ≤ end")
        return self


class Targets(_Frozen):
    """Targets as fractions: completion 1 = 100 %, participation 0.98 = 98 %."""

    completion: Fraction = Decimal(1)
    participation: Fraction = Decimal("0.98")
    special_groups: Fraction = Decimal(1)


class SettlementRates(_Frozen):
    """Yuan per head: work fund per enrolled person, reward per head over quota, deduction under.

    ``basis`` says where the rates come from (the notice, or that they are an example).
    """

    work_fund_per_head: PerHead = Decimal(0)
    reward_per_head: PerHead = Decimal(0)
    deduction_per_head: PerHead = Decimal(0)
    basis: str = ""


# The validation context of a policy read back from the database: it was checked when stored.
STORED = {"stored": True}


def campaign_year_problem(benefit_year: int, start: date) -> str | None:
    """Why a campaign starting on ``start`` cannot be the one for ``benefit_year``; None when
    it can. What is collected in the autumn pays for the next year (Zhashui collects from
    2023-09-01 for 2024), and a campaign may open in its benefit year too; any other year is a
    slip of the keyboard (2204 for 2024)."""
    if start.year in (benefit_year - 1, benefit_year):
        return None
    return f"征缴期应在{benefit_year}年度待遇的上一年或当年开始"


class CountyPolicy(_Frozen):
    """Everything about one county's campaign that is policy rather than data.

    ``subsidy_only_in_centralised_period``: a subsidy is paid only to members who pay within
    the centralised period (Zhashui). ``recognised_by_centralised_end``: members recognised
    after the centralised period get no subsidy that year (Neixiang). ``remittance_days`` and
    ``remittance_amount``: the "双限" rule, a village collector pays in within so many days or
    once so much is held (Neixiang: 5 days, 10 000 yuan). ``public_notice_working_days``: how
    long the payments are posted publicly after collection ends (Neixiang: 5 working days).
    """

    code: str = Field(max_length=SHORT_TEXT)
    name: str = Field(max_length=SHORT_TEXT)
    province: str = Field(max_length=SHORT_TEXT)
    city: str = Field(max_length=SHORT_TEXT)
    benefit_year: int
    source: str
    contribution_standard: Yuan
    fiscal_subsidy: Yuan | None = None
    fiscal_subsidy_sources: tuple[FundShare, ...] = ()
    newborn_days: int = Field(default=90, ge=0, le=366)
    # a newborn enrolled later, up to this many days from birth, is covered from the month
    # after the payment (Dongming: 6 months from birth, then up to 12)
    newborn_late_days: int | None = Field(default=None, ge=1, le=366)
    subsidy_only_in_centralised_period: bool = False
    recognised_by_centralised_end: bool = False
    remittance_days: int | None = Field(default=None, ge=1, le=MOST_DAYS)
    remittance_amount: Yuan | None = None
    public_notice_working_days: int | None = Field(default=None, ge=1, le=MOST_DAYS)
    campaign: CampaignDates
    targets: Targets = Field(default_factory=Targets)
    settlement: SettlementRates = Field(default_factory=SettlementRates)
    groups: tuple[SpecialGroup, ...] = ()

    @model_validator(mode="after")
    def _newborn_days_ordered(self) -> CountyPolicy:
        if self.newborn_late_days is not None and self.newborn_late_days <= self.newborn_days:
            raise ValueError("新生儿参保：newborn_late_days 应大于 newborn_days")
        return self

    @model_validator(mode="after")
    def _benefit_year_of_the_campaign(self, info: ValidationInfo) -> CountyPolicy:
        # a policy stored before the rule was made is read as it was opened (STORED)
        if info.context != STORED and (
            reason := campaign_year_problem(self.benefit_year, self.campaign.start)
        ):
            raise ValueError(reason)
        return self

    @model_validator(mode="after")
    def _groups_named_apart(self) -> CountyPolicy:
        """A name (code, label or alias) two groups share would put a roster's members in
        whichever group happened to come last."""
        owners: dict[str, str] = {}
        for g in self.groups:
            for name in dict.fromkeys((g.code, g.label, *g.aliases)):
                other = owners.setdefault(name.strip(), g.label)
                if other != g.label:
                    raise ValueError(f"资助人员类别“{other}”与“{g.label}”都叫“{name}”")
        return self

    @property
    def title(self) -> str:
        """The campaign's name as county users say it, e.g. 柞水县2024年度城乡居民医保征缴."""
        return f"{self.name}{self.benefit_year}年度城乡居民医保征缴"

    def group(self, code: str) -> SpecialGroup:
        """The special group with this code; KeyError if the county has none."""
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)


def load_policy(path: Path) -> CountyPolicy:
    """Read and validate one county's policy TOML file."""
    return parse_policy(path.read_text(encoding="utf-8"))


def parse_policy(text: str) -> CountyPolicy:
    """Validate a policy written as TOML (tomllib.TOMLDecodeError or pydantic's
    ValidationError when it is not one)."""
    return CountyPolicy.model_validate(tomllib.loads(text))
