"""A defect met while a page runs: a Chinese message with a reference, a log without data."""

from __future__ import annotations

import logging
import re
import traceback

import pytest

from dashboard import incidents, views
from dashboard.failures import DownloadFailed, deferred

from apptest import start

ID_NUMBER = "411325199001011238"


def failing(message: str):  # type: ignore[no-untyped-def]
    def fail(*args: object, **kwargs: object) -> str:
        raise ValueError(message)

    return fail


def test_a_page_defect_shows_a_reference_and_logs_no_personal_data(
    app_env, monkeypatch, caplog
) -> None:
    monkeypatch.delenv(incidents.RAISE_SWITCH)  # conftest's page_defects_fail set it
    monkeypatch.setattr(views, "summary_sentence", failing(f"{ID_NUMBER} 张三 不在名单中"))
    caplog.set_level(logging.ERROR, logger="dashboard.incidents")
    at = start("leader", county="neixiang")
    assert not at.exception, "shown as the app's own message, not Streamlit's English box"
    (shown,) = [e.value for e in at.error]
    reference = re.fullmatch(
        r"页面运行出错（错误编号 ([0-9a-f]{8})）。请刷新页面再试；如仍出错，请把错误编号告诉系统管理员。",
        shown,
    )
    assert reference is not None, shown
    assert at.title[0].value == "内乡县城乡居民医保征缴总览", "what ran before the defect stays"
    # each run of the page logs its own: the last is the one on the screen
    logged = [r for r in caplog.records if r.name == "dashboard.incidents"][-1].getMessage()
    assert logged.startswith(f"page error {reference[1]}\n")
    assert "builtins.ValueError" in logged and "summary_sentence" in logged
    assert ID_NUMBER not in logged and "张三" not in logged


def test_the_log_follows_an_error_back_to_the_one_it_came_from() -> None:
    def parse() -> None:
        raise KeyError(ID_NUMBER)

    def load() -> None:
        try:
            parse()
        except KeyError as error:
            raise RuntimeError(f"{ID_NUMBER}无法读取") from error

    with pytest.raises(RuntimeError) as caught:
        load()
    described = incidents.describe(caught.value)
    first, then = described.split("\nwhich led to:\n")
    assert "in parse" in first and first.endswith("builtins.KeyError")
    assert "in load" in then and then.endswith("builtins.RuntimeError")
    assert ID_NUMBER not in described


def test_a_developer_may_have_streamlits_own_box_with_the_trace(app_env, monkeypatch) -> None:
    # DASHBOARD_PAGE_ERRORS=raise, as conftest's page_defects_fail sets for every test
    monkeypatch.setattr(views, "summary_sentence", failing("无法汇总"))
    at = start("leader", county="neixiang")
    (box,) = at.exception  # its message redacted (showErrorDetails), its trace shown
    assert any("summary_sentence" in line for line in box.stack_trace)
    assert not at.error


def test_a_download_that_fails_logs_a_reference_and_hands_streamlit_no_data(
    monkeypatch, caplog
) -> None:
    monkeypatch.delenv(incidents.RAISE_SWITCH)
    caplog.set_level(logging.ERROR, logger="dashboard.incidents")
    render = deferred(failing(f"{ID_NUMBER} 张三 无法写入"))
    with pytest.raises(DownloadFailed) as caught:
        render()
    reference = re.fullmatch(r"download error ([0-9a-f]{8})", str(caught.value))
    assert reference is not None, str(caught.value)
    # what Streamlit logs of it: the trace, without the error it came from
    handed_on = "".join(traceback.format_exception(caught.value))
    assert ID_NUMBER not in handed_on and "张三" not in handed_on
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "dashboard.incidents"]
    assert logged.startswith(f"download error {reference[1]}\n")
    assert "builtins.ValueError" in logged and "fail" in logged
    assert ID_NUMBER not in logged
    assert deferred(lambda: b"xlsx")() == b"xlsx", "a file written is handed on as it is"


def test_a_developer_sees_a_downloads_own_error(monkeypatch) -> None:
    monkeypatch.setenv(incidents.RAISE_SWITCH, "raise")
    with pytest.raises(ValueError, match="无法写入"):
        deferred(failing("无法写入"))()
