"""Quota allocation: exact sums always (hypothesis), the bases, rebalancing, Zhashui's rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.allocation import allocate, largest_remainder, rebalance, weights_for
from dashboard.samples import load_sample

weights = st.lists(st.integers(0, 100_000), min_size=1, max_size=30).filter(lambda w: sum(w) > 0)


@given(st.integers(0, 10_000_000), weights)
def test_largest_remainder_always_sums_to_the_total(total: int, w: list[int]) -> None:
    parts = largest_remainder(total, w)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    for part, weight in zip(parts, w, strict=True):  # each within one person of its exact share
        assert abs(Fraction(part) - Fraction(total * weight, sum(w))) < 1
        if weight == 0:
            assert part == 0


@given(
    st.lists(st.integers(0, 100_000), min_size=2, max_size=20).filter(lambda q: sum(q) > 0),
    st.data(),
)
def test_rebalance_keeps_the_total(quotas: list[int], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(quotas) - 1))
    new = data.draw(st.integers(0, sum(quotas)))
    result = rebalance(quotas, index, new)
    assert sum(result) == sum(quotas)
    assert result[index] == new
    assert all(q >= 0 for q in result)


@pytest.mark.parametrize(
    ("total", "w", "parts"),
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [2, 1], [5, 2]),
        (0, [5, 5], [0, 0]),
        (100, [0, 1], [0, 100]),
        (3, [1, 1, 1, 1], [1, 1, 1, 0]),
    ],
)
def test_largest_remainder_examples(total, w, parts) -> None:
    assert largest_remainder(total, w) == parts


def test_bad_inputs() -> None:
    with pytest.raises(ValueError):
        largest_remainder(10, [0, 0])
    with pytest.raises(ValueError):
        largest_remainder(-1, [1])
    with pytest.raises(ValueError, match="不能超过全县总数"):
        rebalance([10, 10], 0, 21)


def test_rebalance_spreads_by_share() -> None:
    # 36 810 left for 10 680 : 24 130 -> 11 293.6 and 25 516.3; the spare person to the .6
    assert rebalance([62010, 10680, 24130], 0, 60010) == [60010, 11294, 25516]


def test_neixiang_has_no_base_for_population_allocation() -> None:
    data = load_sample("neixiang")
    with pytest.raises(ValueError, match="缺少所需的基数"):
        weights_for(
            "base_population",
            quotas=list(data.quotas["quota"]),
            base_population=[None] * 16,
            last_year_enrolled=[None] * 16,
        )


def test_current_shares_reproduce_the_quotas() -> None:
    data = load_sample("dongming")
    quotas = [int(q) for q in data.quotas["quota"]]
    assert (
        allocate(
            713138,
            "current",
            quotas=quotas,
            base_population=[None] * 14,
            last_year_enrolled=[None] * 14,
        )
        == quotas
    )


def test_zhashui_rule_against_the_printed_table() -> None:
    """The printed quotas of eight townships are the mean of 2021 rural population and 2022
    enrolment, shared by largest remainder; two exact-half ties are broken the other way in
    print, and the street office 乾佑街道办事处 is 2022 enrolment × 1.01 instead."""
    q = load_sample("zhashui").quotas.set_index("township")
    rural = q.drop(index="乾佑街道办事处")
    ruled = allocate(
        int(rural["quota"].sum()),
        "zhashui",
        quotas=list(rural["quota"]),
        base_population=list(rural["base_population"]),
        last_year_enrolled=list(rural["last_year_enrolled"]),
    )
    differences = {
        t: r - p for t, r, p in zip(rural.index, ruled, rural["quota"], strict=True) if r != p
    }
    assert (
        int(rural["quota"].sum())
        == 124607
        == (int(rural["base_population"].sum()) + int(rural["last_year_enrolled"].sum())) // 2
    )
    assert differences == {"小岭镇": 1, "曹坪镇": -1}
    assert (
        round(q.loc["乾佑街道办事处", "last_year_enrolled"] * Fraction(101, 100))
        == q.loc["乾佑街道办事处", "quota"]
        == 16650
    )
