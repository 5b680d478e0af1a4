"""How figures read: percentages and percentage points that never hide a shortfall."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from dashboard import formatting as fmt


@pytest.mark.parametrize(
    ("rate", "places", "text"),
    [
        (Fraction(63000, 62010), 1, "101.6%"),
        (Fraction(10000, 10680), 1, "93.6%"),
        (Fraction(1), 1, "100.0%"),
        (Fraction(10599, 10598), 1, "100.0%"),  # over quota may round to 100.0 %
        (Fraction(10597, 10598), 1, "99.99%"),  # one person short is not 100.0 %
        (Fraction(604119, 604120), 1, "99.9998%"),
        (Fraction(99_999_999, 100_000_000), 1, "99.9999%"),
        (Fraction(9796, 10000), 1, "98.0%"),
        (Decimal("0.98"), 0, "98%"),
        (Fraction(0), 1, "0.0%"),
        (None, 1, "—"),
    ],
)
def test_percent(rate, places: int, text: str) -> None:
    assert fmt.percent(rate, places) == text


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (Fraction(12, 1000), "+1.2个百分点"),
        (Fraction(-3, 1000), "-0.3个百分点"),
        (Fraction(0), "+0.0个百分点"),
        (Fraction(-1, 10598), "-0.01个百分点"),  # one person short of the target
        (Fraction(1, 604120), "+不足0.001个百分点"),
        (None, "—"),
    ],
)
def test_points(delta, text: str) -> None:
    assert fmt.points(delta) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*新*村", "\\*新\\*村"),
        ("[点此](http://x)", "\\[点此\\](http://x)"),
        ("# 一组", "\\# 一组"),
        ("- 二组", "\\- 二组"),
        ("1. 三组", "1\\. 三组"),
        ("<b>粗</b>", "\\<b\\>粗\\</b\\>"),
        (":red[红]", "\\:red\\[红\\]"),
        ("$5$", "\\$5\\$"),
        ("4113**********1234", "4113" + "\\*" * 10 + "1234"),
        # figures, dates and times are left as they are
        ("-2,000", "-2,000"),
        ("99.4%", "99.4%"),
        ("2023-11-30 14:05", "2023-11-30 14:05"),
        ("进度_1108.csv", "进度\\_1108.csv"),
    ],
)
def test_plain_text_is_not_read_as_markdown(text: str, escaped: str) -> None:
    assert fmt.plain(text) == escaped
