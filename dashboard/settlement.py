"""Settlement per township: work fund, reward or deduction, net, and exact county totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dashboard.glossary import TOTAL_LABEL
from dashboard.money import yuan
from data_models.policy import SettlementRates


@dataclass(frozen=True)
class SettlementLine:
    """One township's money, in yuan with two places."""

    township: str
    quota: int
    enrolled: int
    work_fund: Decimal
    reward: Decimal
    deduction: Decimal

    @property
    def net(self) -> Decimal:
        """work fund + reward − deduction; negative when the deduction outweighs the rest."""
        return self.work_fund + self.reward - self.deduction


def settle_township(
    township: str, quota: int, enrolled: int, rates: SettlementRates
) -> SettlementLine:
    """Neixiang's rule: work fund = rate × enrolled; reward = rate × heads over quota,
    deduction = rate × heads under quota (one of the two is 0). Each amount is rounded to fen.

    quota 62010, enrolled 63000 at 1.5/100/100 -> 94 500.00 + 99 000.00 − 0 = 193 500.00.
    """
    if quota < 0 or enrolled < 0:
        raise ValueError(f"{township}: quota and enrolled must not be negative")
    over = max(enrolled - quota, 0)
    under = max(quota - enrolled, 0)
    return SettlementLine(
        township=township,
        quota=quota,
        enrolled=enrolled,
        work_fund=yuan(rates.work_fund_per_head * enrolled),
        reward=yuan(rates.reward_per_head * over),
        deduction=yuan(rates.deduction_per_head * under),
    )


@dataclass(frozen=True)
class Settlement:
    """Every township's line and the county totals (sums of the rounded lines, exact)."""

    lines: tuple[SettlementLine, ...]

    @property
    def total(self) -> SettlementLine:
        """The 合计 line: sums of quota, enrolled and every money column."""
        return SettlementLine(
            township=TOTAL_LABEL,
            quota=sum(line.quota for line in self.lines),
            enrolled=sum(line.enrolled for line in self.lines),
            work_fund=sum((line.work_fund for line in self.lines), Decimal("0.00")),
            reward=sum((line.reward for line in self.lines), Decimal("0.00")),
            deduction=sum((line.deduction for line in self.lines), Decimal("0.00")),
        )


def settle(rows: Iterable[tuple[str, int, int]], rates: SettlementRates) -> Settlement:
    """Settle every ``(township, quota, enrolled)`` row under the county's rates."""
    return Settlement(tuple(settle_township(t, q, e, rates) for t, q, e in rows))
