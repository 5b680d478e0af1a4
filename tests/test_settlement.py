"""Settlement in exact decimal yuan."""

from decimal import Decimal

import pytest

from dashboard.money import from_fen, to_fen, yuan
from dashboard.settlement import settle, settle_township
from data_models.policy import SettlementRates

NEIXIANG = SettlementRates(
    work_fund_per_head=Decimal("1.5"), reward_per_head=Decimal(100), deduction_per_head=Decimal(100)
)


@pytest.mark.parametrize(
    ("quota", "enrolled", "work_fund", "reward", "deduction", "net"),
    [
        (62010, 63000, "94500.00", "99000.00", "0.00", "193500.00"),
        (10680, 10000, "15000.00", "0.00", "68000.00", "-53000.00"),
        (24130, 24130, "36195.00", "0.00", "0.00", "36195.00"),
        (15980, 1, "1.50", "0.00", "1597900.00", "-1597898.50"),
        (0, 0, "0.00", "0.00", "0.00", "0.00"),
        (33830, 33831, "50746.50", "100.00", "0.00", "50846.50"),
    ],
)
def test_domain_examples(quota, enrolled, work_fund, reward, deduction, net) -> None:
    line = settle_township("t", quota, enrolled, NEIXIANG)
    assert (line.work_fund, line.reward, line.deduction, line.net) == (
        Decimal(work_fund),
        Decimal(reward),
        Decimal(deduction),
        Decimal(net),
    )
    assert str(line.net) == net


def test_totals_are_exact_sums() -> None:
    result = settle([("A", 62010, 63000), ("B", 10680, 10000), ("C", 3, 1)], NEIXIANG)
    total = result.total
    assert total.township == "合计"
    assert (total.quota, total.enrolled) == (72693, 73001)
    assert total.work_fund == Decimal("109501.50")
    assert total.reward == Decimal("99000.00")
    assert total.deduction == Decimal("68200.00")
    assert total.net == Decimal("140301.50")


def test_a_county_without_rates_settles_to_zero() -> None:
    line = settle_township("t", 100, 50, SettlementRates())
    assert line.net == Decimal("0.00")


def test_odd_rates_round_each_line_to_fen_half_up() -> None:
    rates = SettlementRates(work_fund_per_head=Decimal("0.125"))
    assert settle_township("t", 0, 1, rates).work_fund == Decimal("0.13")
    assert settle_township("t", 0, 3, rates).work_fund == Decimal("0.38")


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        settle_township("t", -1, 0, NEIXIANG)


def test_money_helpers() -> None:
    assert yuan("1.005") == Decimal("1.01")
    assert to_fen(Decimal("-53000.00")) == -5300000
    assert from_fen(19350000) == Decimal("193500.00")
    with pytest.raises(TypeError):
        yuan(1.5)  # type: ignore[arg-type]
