"""Static charts and text drawn with Pillow, for the PDF and PNG bulletins (no browser needed)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from dashboard import formatting as fmt
from dashboard.axes import completion_axis_start
from dashboard.fonts import find_cjk_font
from dashboard.glossary import NO_QUOTA
from dashboard.settlement import Settlement

BLUE = (31, 95, 168)
GREEN = (46, 139, 87)
RED = (192, 57, 43)
GREY = (138, 148, 166)
INK = (27, 36, 48)
LIGHT = (232, 236, 242)
WHITE = (255, 255, 255)


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The CJK font at a pixel size (FontMissing when none is installed)."""
    found = find_cjk_font()
    return ImageFont.truetype(str(found.bold if bold else found.regular), size, index=found.index)


def text_width(text: str, size: int, *, bold: bool = False) -> int:
    """Pixel width of a line of text."""
    return int(font(size, bold=bold).getlength(text))


CLOSING_PUNCTUATION = "，。；、）：！？”"


def wrap(text: str, size: int, width: int) -> list[str]:
    """Break Chinese text into lines that fit ``width`` pixels (see break_lines)."""
    return break_lines(text, lambda line: text_width(line, size) > width)


def break_lines(text: str, too_wide: Callable[[str], bool]) -> list[str]:
    """Break Chinese text into lines that are not ``too_wide``: between any two characters,
    but never inside a number (2,393,700.00 stays whole) nor before closing punctuation (the
    character before it goes down with it). The PNG measures in pixels, the PDF in
    millimetres of its font."""
    lines: list[str] = []
    line: list[str] = []
    for token in re.findall(r"[0-9A-Za-z.,%+\-]+|.", text):
        if not line or not too_wide("".join(line) + token):
            line.append(token)
            continue
        carried = [token]
        while carried[0] in CLOSING_PUNCTUATION and len(line) > 1:
            carried.insert(0, line.pop())
        lines.append("".join(line))
        line = carried
    return [*lines, "".join(line)] if line else lines


class Reference(NamedTuple):
    """A vertical line across a bar chart, with its label above the bars."""

    value: float
    label: str
    color: tuple[int, int, int] = RED
    dash: int = 7  # pixels drawn, then as many left out; 2: dotted


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    texts: Sequence[str],
    colors: Sequence[tuple[int, int, int]],
    *,
    title: str,
    width: int = 1600,
    references: Sequence[Reference] = (),
    start: float | None = None,
) -> bytes:
    """A horizontal bar chart as PNG bytes: one bar per label, top to bottom, values may be
    negative (bars grow from zero) or None (no bar, the text at the axis' start, and the axis
    drawn from the others'); optional reference lines (the 100 % target, the 序时进度); the
    axis from ``start`` where given, else from 0 (or the lowest negative value).
    """
    size = 26
    row = 44
    left = max(text_width(label, size) for label in labels) + 30
    right = 40
    top = 110 if references else 80  # the references' labels get a line of their own
    height = top + row * len(labels) + 50
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    draw.text((20, 16), title, font=font(30, bold=True), fill=INK)
    marks = [r.value for r in references]
    known = [v for v in values if v is not None]
    low = min([0.0, *known, *marks]) if start is None else start
    high = max([0.0, *known, *marks])
    if low == high:
        high = low + 1
    span = high - low
    plot = width - left - right - 170

    def x(value: float) -> float:
        return left + (value - low) / span * plot

    # the lines first: the bars and their figures are drawn over them
    _draw_references(draw, references, x, top=top, bottom=top + row * len(labels))
    for i, (label, value, text, color) in enumerate(
        zip(labels, values, texts, colors, strict=True)
    ):
        y = top + i * row
        draw.text((left - 12 - text_width(label, size), y + 6), label, font=font(size), fill=INK)
        start, end = sorted((x(max(low, 0.0)), x(max(low, 0.0) if value is None else value)))
        draw.rectangle((start, y + 8, max(end, start + 2), y + row - 8), fill=color)
        figure_at = max(end, x(max(low, 0.0))) + 8
        draw.rectangle(
            (figure_at - 2, y + 8, figure_at + text_width(text, 24) + 2, y + row - 8), WHITE
        )
        draw.text((figure_at, y + 7), text, font=font(24), fill=INK)
    if low < 0 < high:
        draw.line((x(0), top - 6, x(0), top + row * len(labels)), fill=GREY, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw_references(
    draw: ImageDraw.ImageDraw,
    references: Sequence[Reference],
    x: Callable[[float], float],
    *,
    top: int,
    bottom: int,
) -> None:
    """Each reference's dashed line from just above the bars to their foot, its label above.
    One label is centred on its line; two stand apart, the lower's to the left of its line and
    the higher's to the right of its own (the two lines may stand close)."""
    ordered = sorted(references, key=lambda r: r.value)
    for place, reference in enumerate(ordered):
        rx = x(reference.value)
        for y in range(top - 10, bottom, 2 * reference.dash):
            draw.line((rx, y, rx, y + reference.dash), fill=reference.color, width=3)
        label_width = text_width(reference.label, 22)
        shift = label_width / 2 if len(ordered) == 1 else (label_width + 6 if place == 0 else -6)
        draw.text((rx - shift, top - 42), reference.label, font=font(22), fill=reference.color)


def completion_chart(
    table: pd.DataFrame, *, title: str, scheduled: Fraction = Fraction(1), width: int = 1600
) -> bytes:
    """Completion per township from a ranking table (rank order), bottom three red, met green;
    the 100 % line, and the 序时进度's while the centralised period runs (``scheduled`` below 1).
    """
    rates = [float(r) if r is not None else None for r in table["completion_rate"]]
    colors = [
        RED if f else GREEN if r is not None and r >= 1 else BLUE
        for r, f in zip(rates, table["flagged"], strict=True)
    ]
    texts = [fmt.percent(r) if r is not None else NO_QUOTA for r in table["completion_rate"]]
    references = [Reference(1.0, "目标100%")]
    if scheduled < 1:
        references.append(Reference(float(scheduled), f"序时进度{fmt.percent(scheduled)}", GREY, 2))
    known = [r for r in rates if r is not None]
    return bar_chart(
        list(table["township"]),
        rates,
        texts,
        colors,
        title=title,
        width=width,
        references=references,
        start=completion_axis_start(known, marks=[r.value for r in references]),
    )


def net_chart(settlement: Settlement, *, title: str, width: int = 1600) -> bytes:
    """Net settlement money per township, receiving green, losing red."""
    lines = list(settlement.lines)
    nets = [float(line.net) for line in lines]
    return bar_chart(
        [line.township for line in lines],
        nets,
        [fmt.money(line.net) for line in lines],
        [GREEN if n >= 0 else RED for n in nets],
        title=title,
        width=width,
    )
