"""Money in exact decimal yuan: the one rounding helper and conversions to and from fen."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from data_models.policy import MOST_YUAN

CENT = Decimal("0.01")


def yuan(amount: Decimal | int | str) -> Decimal:
    """Round an amount to whole fen (two places), half up, as Chinese finance rounds.

    Floats are refused: they cannot carry yuan exactly.
    """
    if isinstance(amount, float):
        raise TypeError("money must not be a float; pass Decimal, int or str")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    """Yuan to integer fen (for storage that must round-trip exactly)."""
    return int(yuan(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Integer fen back to yuan with two places."""
    return yuan(Decimal(fen) / 100)


TYPED_RULE = f"最多两位小数、不超过{MOST_YUAN:,.0f}元"


def typed_yuan(value: object) -> Decimal | None:
    """A typed number (a form's field, a command-line option) as exact yuan; None when it is
    none, not finite, beyond ``MOST_YUAN`` either way, or has more than two decimals."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    if not amount.is_finite() or abs(amount) > MOST_YUAN or amount != amount.quantize(CENT):
        return None
    return amount.quantize(CENT)


def parse_fen(text: str) -> int | None:
    """A non-negative amount of yuan as a file writes it, with at most two decimals, as integer
    fen: '380' -> 38000, '１,380.50元' -> 138050; None for anything else."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    cleaned = cleaned.replace(",", "").removeprefix("¥").removesuffix("元")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        return None
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation:
        return None


def parse_signed_fen(text: str) -> int | None:
    """An amount in fen as parse_fen reads it, negative for a refund: '-380' -> -38000."""
    minus = text.strip().startswith("-")
    fen = parse_fen(text.strip().removeprefix("-"))
    return -fen if fen is not None and minus else fen
