"""What the user is told of an error no page handles, in Chinese and without a stack trace: the
database out of reach, a database the app does not run on, or a defect (dashboard.incidents)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import streamlit as st
from sqlalchemy.exc import OperationalError

from dashboard import incidents
from dashboard.db import DatabaseSetupError

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

DATABASE_DOWN = (
    "暂时无法连接数据库，页面无法显示。请稍后刷新；如果一直如此，请联系系统管理员检查数据库服务。"
)


def show_failure(error: Exception) -> None:
    """Say what went wrong where the page (or, from a button's callback, the top of the next
    run) shows it. A defect goes on to Streamlit when DASHBOARD_PAGE_ERRORS=raise."""
    if isinstance(error, OperationalError):  # the server down, the SQLite file not to be opened
        log.error("database unreachable", exc_info=error)  # its parameters hidden (db.py)
        st.error(DATABASE_DOWN, icon=":material/cloud_off:")
    elif isinstance(error, DatabaseSetupError):  # DATABASE_URL names no database it runs on
        log.error("database not usable: %s", error)
        st.error(str(error), icon=":material/database:")
    elif incidents.raised():
        raise error
    else:  # Streamlit's own box is in English, with a stack trace naming the server's files
        st.error(
            f"页面运行出错（错误编号 {incidents.report(error)}）。请刷新页面再试；"
            "如仍出错，请把错误编号告诉系统管理员。",
            icon=":material/error:",
        )


def guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """A button's callback whose failure is said as a page's is (a callback runs before the
    page's script, outside the app's own handling)."""

    @wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as error:
            show_failure(error)

    return run


class DownloadFailed(RuntimeError):
    """A download's file could not be written; the server's log has why, under the reference
    this error names."""


def deferred(render: Callable[[], T]) -> Callable[[], T]:
    """A download's file, written when its button is clicked, outside the page's run, where
    Streamlit logs a failure whole, its message too (which may quote an ID number): a failure
    is logged as a page's is, under a reference, and goes on to Streamlit without its message
    and without the error it came from. Streamlit tells the user the file failed."""

    @wraps(render)
    def run() -> T:
        try:
            return render()
        except Exception as error:
            if incidents.raised():
                raise
            reference = incidents.report(error, met_in="download")
            raise DownloadFailed(f"download error {reference}") from None

    return run
