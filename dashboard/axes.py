"""Where a completion chart's axis starts: the same rule for the pages' plotly charts and the
bulletin's drawn ones."""

from __future__ import annotations

from collections.abc import Sequence


def completion_axis_start(rates: Sequence[float], *, marks: Sequence[float]) -> float:
    """0 % unless every bar and line (``marks``: the target, the 序时进度) is past half the
    highest: then 10 points below the lowest, so that 96 % and 99 % look apart near the end;
    earlier a bar at 25 % beside one at 52 % would look a tenth of it. ``rates`` leaves out
    townships without one (a quota of 0)."""
    values = [*rates, *marks]
    lowest, highest = min(values), max(values)
    return max(0.0, lowest - 0.1) if lowest > 0.5 * highest else 0.0
