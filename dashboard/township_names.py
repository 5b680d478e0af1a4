"""A township as a county's file spells it, matched to the county's own names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from dashboard.layout import normalise_name

TOWNSHIP_SUFFIX = re.compile(r"(镇|乡|街道)$")


def township_keys(names: Sequence[str]) -> dict[str, str]:
    """The county's township names by the key a file's spelling of them is matched on: spaces
    and full-width characters aside, a 街道办事处 is its 街道 ('乾佑街道' finds 乾佑街道办事处),
    and a name without its 镇, 乡 or 街道 (湍东, as county tables write them) is the one township
    it can be, where it is one and of two characters or more."""
    keys = {_township_key(name): name for name in reversed(names)}  # the first name of a key
    stems: dict[str, list[str]] = {}
    for name in names:
        stem = TOWNSHIP_SUFFIX.sub("", _township_key(name))
        if len(stem) >= 2:
            stems.setdefault(stem, []).append(name)
    return keys | {s: found[0] for s, found in stems.items() if len(found) == 1 and s not in keys}


def find_township(text: str, names: Sequence[str]) -> str | None:
    """The township of ``names`` that ``text`` spells, as a file's cell is matched; None."""
    return known_township(text, township_keys(names))


def _township_key(text: str) -> str:
    key = normalise_name(text)
    return key.removesuffix("办事处") if key.endswith("街道办事处") else key


def known_township(text: str, by_key: dict[str, str]) -> str | None:
    """The township ``text`` names: as it is spelt, or once the places above it (河南省南阳市
    内乡县湍东镇, as the tax system writes an address) or its government (湍东镇人民政府) are
    taken off. Only a whole known name counts, so a township whose own name has 县 or 市 in it
    is still found."""
    key = _township_key(text).removesuffix("人民政府")
    if key in by_key:
        return by_key[key]
    for above in re.finditer(r"[省市州盟县区旗]", key):
        if (rest := key[above.end() :]) in by_key:
            return by_key[rest]
    return None


def suggestion(text: str, by_key: dict[str, str]) -> str:
    """ "，是否为“…”？" naming the known township closest to ``text``; "" when none is close."""
    close = difflib.get_close_matches(_township_key(text), list(by_key), n=1, cutoff=0.5)
    return f"，是否为“{by_key[close[0]]}”？" if close else ""
