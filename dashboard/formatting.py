"""How figures read in the UI and exports: thousands separators, one-decimal percentages, arrows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from dashboard.money import yuan
from dashboard.rates import as_decimal

MISSING = "—"

# What Streamlit's Markdown would act on in a text from a file or a user: emphasis, code,
# links and images, HTML, headings, quotes, LaTeX, strikethrough, tables, the colon of a
# directive (:red[…]); a list marker at the start. (A bare web address is still made a link
# of, showing itself: no text can hide where it leads.)
MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]<>#$~|]|:(?=[A-Za-z])")
LIST_MARKER = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))(?=\s)")


def count(n: int | None) -> str:
    """12345 -> '12,345'."""
    return MISSING if n is None else f"{n:,}"


def percent(rate: Fraction | Decimal | None, places: int = 1) -> str:
    """A fraction as a percentage with ``places`` decimals, half up: 63000/62010 -> '101.6%'.

    A rate short of 100 % never reads as 100 %: it gets the decimals ``percent_places`` gives
    (10597/10598 -> '99.99%'), so a township one person short does not look finished beside
    its 未完成 flag.
    """
    if rate is None:
        return MISSING
    exact = Fraction(rate)
    extra = percent_places(exact, places)
    shown = _percent_digits(exact, extra)
    if exact < 1 and shown == 100:  # short by less than 0.00005 %: still short
        shown = Decimal(100) - Decimal(1).scaleb(-extra)
    return f"{shown:.{extra}f}%"


def percent_places(rate: Fraction | Decimal, places: int = 1) -> int:
    """The decimals a percentage needs: ``places``, or up to three more while a rate short of
    100 % would round to 100 % (the Excel bulletins format their cells with the same number)."""
    exact = Fraction(rate)
    extra = places
    while exact < 1 and _percent_digits(exact, extra) == 100 and extra < places + 3:
        extra += 1
    return extra


def _percent_digits(rate: Fraction, places: int) -> Decimal:
    value = as_decimal(rate, places + 2)
    assert value is not None
    return value * 100


def points(delta: Fraction | None) -> str:
    """A change of rate in percentage points, one decimal, half up: '+1.2个百分点', '-0.3个百分点'.

    A change that is not zero never reads as ±0.0: it gets up to three decimals
    ('-0.01个百分点'; '+不足0.001个百分点' below that), exactly zero reads '+0.0个百分点'.
    """
    if delta is None:
        return MISSING
    exact = Decimal(delta.numerator) / Decimal(delta.denominator) * 100
    for places in (1, 2, 3):
        value = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if value or not exact:
            return f"{value:+.{places}f}个百分点"
    return f"{'+' if exact > 0 else '-'}不足0.001个百分点"


def money(amount: Decimal) -> str:
    """Yuan with thousands separators and two places: Decimal('-53000') -> '-53,000.00'."""
    return f"{yuan(amount):,.2f}"


def signed_money(amount: Decimal) -> str:
    """A change of money, its sign always written: Decimal('190') -> '+190.00'."""
    return f"{yuan(amount):+,.2f}"


def notice_yuan(amount: Decimal) -> str:
    """380 -> '380元', 12.80 -> '12.8元', 10000 -> '10,000元' (as a notice writes them)."""
    return f"{amount.normalize():,f}元"


def change(places_up: int | None) -> str:
    """▲2 for two places up, ▼1 for one down, – for no change or no previous period."""
    if not places_up:
        return "–"
    return f"▲{places_up}" if places_up > 0 else f"▼{-places_up}"


def day(d: date) -> str:
    """2023-11-30 -> '2023年11月30日'."""
    return f"{d.year}年{d.month}月{d.day}日"


def short_day(d: date) -> str:
    """2023-11-30 -> '11月30日' (where the year is plain from the context)."""
    return f"{d.month}月{d.day}日"


def county(code: str | None, names: Mapping[str, str], *, none: str) -> str:
    """A stored county code by its name (the code itself if unknown); ``none`` when empty."""
    return names.get(code, code) if code else none


def plain(text: str) -> str:
    """``text`` to show as it is where Streamlit reads Markdown (table cells, captions): a
    village written *新*村, a value [点此](http://…) from an uploaded file is shown, not
    turned into italics or a link. The escapes are not seen: 4113**********1234 reads so."""
    escaped = MARKDOWN_ACTIVE.sub(lambda m: "\\" + m.group(0), text)
    return LIST_MARKER.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", escaped, count=1
    )
