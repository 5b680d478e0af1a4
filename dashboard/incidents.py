"""A defect met while a page runs: logged without personal data, under a reference to quote."""

from __future__ import annotations

import logging
import os
import secrets
import traceback

log = logging.getLogger(__name__)
RAISE_SWITCH = "DASHBOARD_PAGE_ERRORS"  # "raise": Streamlit's own box and trace, for developers


def raised() -> bool:
    """Whether a page's defect is to go on to Streamlit (its box with the stack trace) rather
    than be reported: for developers, the tests and the benchmark, which must fail on one."""
    return os.environ.get(RAISE_SWITCH, "").strip().lower() == "raise"


def report(error: BaseException, *, met_in: str = "page") -> str:
    """Log where ``error`` was raised under a new reference (eight hex digits) and return it,
    for the page to show the user instead of a stack trace; ``met_in`` says what was running
    (a page, a download)."""
    reference = secrets.token_hex(4)
    log.error("%s error %s\n%s", met_in, reference, describe(error))
    return reference


def describe(error: BaseException) -> str:
    """The error's type and frames, and those of the errors it came from, without any
    message: a message may quote the data (an ID number, a name), which no log may hold."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None:
        frames = traceback.format_list(traceback.extract_tb(current.__traceback__))
        kind = type(current)
        parts.insert(0, "".join(frames) + f"{kind.__module__}.{kind.__qualname__}")
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\nwhich led to:\n".join(parts)
