"""Process settings for a long-running dashboard: a garbage collector tuned for data work."""

from __future__ import annotations

import gc

_TUNED = False


def tune_gc() -> None:
    """Freeze what is loaded so far out of the cyclic collector and make collections rarer.

    Building frames allocates many short-lived objects; with the default thresholds a full
    collection over a Streamlit process (every module and cached frame) runs every few queries
    and adds ~80 ms to a 40 ms one. Once per process.
    """
    global _TUNED
    if _TUNED:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    _TUNED = True
