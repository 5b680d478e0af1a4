"""Competition ranks, rank changes and the bottom-three flag."""

from fractions import Fraction as F

import pytest

from dashboard.ranking import bottom_three_flags, competition_ranks, rank_changes


@pytest.mark.parametrize(
    ("rates", "ranks"),
    [
        ([F(1), F(9, 10), F(9, 10), F(8, 10)], [1, 2, 2, 4]),
        ([F(8, 10), F(9, 10), F(1)], [3, 2, 1]),
        ([F(1, 2), F(1, 2), F(1, 2)], [1, 1, 1]),
        ([F(1, 3), F(2, 6), F(3333, 10000)], [1, 1, 3]),
        ([F(1), None, F(1, 2)], [1, None, 2]),
        ([], []),
    ],
)
def test_competition_ranks(rates, ranks) -> None:
    assert competition_ranks(rates) == ranks


def test_rank_change_positive_when_moving_up() -> None:
    changes = rank_changes({"A": 1, "B": 2, "C": 3}, {"A": 3, "B": 2, "C": 1})
    assert changes == {"A": 2, "B": 0, "C": -2}


def test_rank_change_empty_in_first_period_or_unranked() -> None:
    assert rank_changes({"A": 1}, None) == {"A": None}
    assert rank_changes({"A": 1, "B": None}, {"A": None, "B": 2}) == {"A": None, "B": None}


def test_domain_example_sixteen_townships_tied_at_the_bottom() -> None:
    # DOMAIN.md: ranks ..., 13, 14, 15, 15 — 13 has three below it; 14, 15, 15 are flagged.
    rates = [F(120 - i, 100) for i in range(12)] + [F(80, 100), F(70, 100), F(60, 100), F(60, 100)]
    ranks = competition_ranks(rates)
    assert ranks[-4:] == [13, 14, 15, 15]
    flags = bottom_three_flags(ranks, rates)
    assert flags[-4:] == [False, True, True, True]
    assert sum(flags) == 3


def test_a_township_at_quota_is_never_flagged() -> None:
    rates = [F(12, 10), F(11, 10), F(1), F(1), F(99, 100)]
    flags = bottom_three_flags(competition_ranks(rates), rates)
    assert flags == [False, False, False, False, True]


def test_all_tied_below_quota_are_all_flagged() -> None:
    rates = [F(9, 10)] * 5
    assert bottom_three_flags(competition_ranks(rates), rates) == [True] * 5


def test_fewer_than_three_townships() -> None:
    rates = [F(1, 2), F(3, 4)]
    assert bottom_three_flags(competition_ranks(rates), rates) == [True, True]


def test_unranked_township_is_not_flagged() -> None:
    rates = [F(1, 2), None, F(3, 4), F(2, 3)]
    assert bottom_three_flags(competition_ranks(rates), rates) == [True, False, True, True]
