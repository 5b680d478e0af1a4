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


# A whole number as files write it: plain (10598) or in groups of three (10,598); 350,00 (a
# decimal comma) and 10,59 are neither, and are refused rather than read as 35000 and 1059
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
FEN_PATTERN = re.compile(DIGITS + r"(?:\.\d{1,2}0*)?")


def parse_fen(text: str) -> int | None:
    """A non-negative amount of yuan as a file writes it, with at most two decimals (zeros after
    them allowed: 350.0000), as integer fen: '380' -> 38000, '１,380.50元' -> 138050; None for
    anything else."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    cleaned = cleaned.removeprefix("¥").removesuffix("元")
    if not FEN_PATTERN.fullmatch(cleaned):
        return None
    try:
        return int(Decimal(cleaned.replace(",", "")) * 100)
    except InvalidOperation:
        return None


def parse_signed_fen(text: str) -> int | None:
    """An amount in fen as parse_fen reads it, negative for a refund: '-380' -> -38000 (a
    full-width or typeset minus too: '－380', '−380')."""
    written = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    minus = written.startswith("-")
    fen = parse_fen(written.removeprefix("-"))
    return -fen if fen is not None and minus else fen
