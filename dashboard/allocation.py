"""Quota allocation: share a county total over townships so the parts add up exactly.

Shares are exact fractions; whole persons are handed out by the largest-remainder method
(each township gets the floor of its share, the persons left go to the largest remainders,
ties to the township listed first). Zhashui's rule weighs each township by the mean of its
2021 rural population and 2022 enrolment. Its printed table follows that rule for eight of its
nine townships (their quotas share 124 607 by largest remainder; two of six exact-half ties are
broken the other way in print: 小岭镇 10 645 for 10 646, 曹坪镇 14 850 for 14 849); the street
office 乾佑街道办事处 has 16 650 = its 2022 enrolment × 1.01, not the mean 12 987.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

Basis = Literal["base_population", "last_year_enrolled", "current", "zhashui"]
BASIS_LABELS: dict[str, str] = {
    "current": "按现有任务数比例",
    "base_population": "按应参保人数（乡村人口数）",
    "last_year_enrolled": "按上年参保人数",
    "zhashui": "柞水办法：乡村人口数与上年参保人数的平均数",
}


def largest_remainder(total: int, weights: Sequence[int | Fraction]) -> list[int]:
    """Split ``total`` (>= 0) in proportion to ``weights`` (>= 0, not all 0) into whole numbers
    that sum to exactly ``total``.

    >>> largest_remainder(10, [1, 1, 1])
    [4, 3, 3]
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(Fraction(w) for w in weights)
    if whole == 0:
        raise ValueError("at least one weight must be positive")
    shares = [Fraction(total) * Fraction(w) / whole for w in weights]
    parts = [math.floor(s) for s in shares]
    left = total - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def weights_for(
    basis: Basis,
    *,
    quotas: Sequence[int],
    base_population: Sequence[int | None],
    last_year_enrolled: Sequence[int | None],
) -> list[Fraction]:
    """The weight of each township under a basis; ValueError when the basis is not known for
    every township (Neixiang and Dongming publish quotas only)."""
    if basis == "current":
        return [Fraction(q) for q in quotas]
    if basis == "base_population":
        columns: list[Sequence[int | None]] = [base_population]
    elif basis == "last_year_enrolled":
        columns = [last_year_enrolled]
    else:
        columns = [base_population, last_year_enrolled]
    if any(v is None for column in columns for v in column):
        raise ValueError(f"{BASIS_LABELS[basis]}：本县缺少所需的基数")
    return [
        sum((Fraction(c[i] or 0) for c in columns), Fraction(0)) / len(columns)
        for i in range(len(quotas))
    ]


def allocate(
    total: int,
    basis: Basis,
    *,
    quotas: Sequence[int],
    base_population: Sequence[int | None],
    last_year_enrolled: Sequence[int | None],
) -> list[int]:
    """Quotas for a county total under a basis, summing exactly to the total."""
    weights = weights_for(
        basis, quotas=quotas, base_population=base_population, last_year_enrolled=last_year_enrolled
    )
    return largest_remainder(total, weights)


def rebalance(quotas: Sequence[int], index: int, new_quota: int) -> list[int]:
    """Set one township's quota and keep the county total: the difference is spread over the
    other townships in proportion to their quotas (largest remainder). ValueError when the
    others cannot absorb it (the total would need a negative quota)."""
    if new_quota < 0:
        raise ValueError(f"任务数不能为负数（{new_quota}）")
    total = sum(quotas)
    if new_quota > total:
        raise ValueError(f"任务数不能超过全县总数{total}")
    others = [i for i in range(len(quotas)) if i != index]
    weights = [quotas[i] for i in others]
    remaining = total - new_quota
    if sum(weights) == 0:
        weights = [1] * len(others)
    parts = largest_remainder(remaining, weights) if others else []
    result = list(quotas)
    result[index] = new_quota
    for i, part in zip(others, parts, strict=True):
        result[i] = part
    return result
