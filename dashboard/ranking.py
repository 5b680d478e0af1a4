"""Ranking townships by completion rate: shared ranks, rank changes and the bottom-three flag."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

BOTTOM_PLACES = 3


def competition_ranks(rates: Sequence[Fraction | None]) -> list[int | None]:
    """Rank rates highest first; equal rates share a rank and the next rank is skipped.

    ``[1, 0.9, 0.9, 0.8]`` ranks ``[1, 2, 2, 4]``. A missing rate (quota 0) gets no rank.
    Rates are compared exactly, so 1/3 and 2/6 tie and 0.3333 and 1/3 do not.
    """
    present = [r for r in rates if r is not None]
    return [None if r is None else 1 + sum(1 for o in present if o > r) for r in rates]


def rank_changes(
    current: Mapping[str, int | None], previous: Mapping[str, int | None] | None
) -> dict[str, int | None]:
    """Places gained since the previous period: positive moved up, negative down, 0 stayed.

    None where there is no previous period, or the township had no rank in one of the two.
    """
    changes: dict[str, int | None] = {}
    for township, rank in current.items():
        before = previous.get(township) if previous is not None else None
        changes[township] = None if rank is None or before is None else before - rank
    return changes


def bottom_three_flags(ranks: Sequence[int | None], rates: Sequence[Fraction | None]) -> list[bool]:
    """排名后三名且未完成任务: fewer than three townships rank strictly below, and rate < 100 %.

    Ties at the bottom are all flagged (ranks 13, 14, 15, 15 of 16: the 13th has three below
    it and is not flagged). A township that has met its quota is never flagged; one without
    a rank (quota 0) is never flagged.
    """
    ranked = [r for r in ranks if r is not None]
    flags = []
    for rank, rate in zip(ranks, rates, strict=True):
        if rank is None or rate is None or rate >= 1:
            flags.append(False)
            continue
        below = sum(1 for other in ranked if other > rank)
        flags.append(below < BOTTOM_PLACES)
    return flags
