"""The audit log as people read it: what changed in one line, counties by name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from dashboard import audit
from dashboard.auth import change_user
from dashboard.importing import apply_import, check_file, undo_import
from dashboard.samples import load_sample, sample_policy
from data_models.tables import AuditLog

from apptest import start, tables
from filemaker import csv_bytes

NAMES = {"neixiang": "内乡县", "zhashui": "柞水县"}


def test_a_record_reads_as_fields_and_values() -> None:
    assert audit.readable(None) == "—"
    assert audit.readable({"文件": "a.csv", "行数": 713138, "仅导入有效行": False}) == (
        "文件：a.csv；行数：713,138；仅导入有效行：否"
    )
    assert audit.readable({"县": "neixiang", "乡镇": None}, NAMES) == "县：内乡县；乡镇：—"
    assert audit.readable({"任务数": {"湍东镇": 37530, "赵店乡": 30160}}) == (
        "任务数：湍东镇 37,530、赵店乡 30,160"
    )


def test_changes_name_only_what_moved() -> None:
    before = {"用户名": "x", "角色": "县领导", "县": None, "乡镇": None, "启用": True}
    after = {"用户名": "x", "角色": "乡镇（街道）", "县": "zhashui", "乡镇": "营盘镇", "启用": True}
    assert audit.changes(before, after, NAMES) == (
        "角色：县领导 → 乡镇（街道）；县：— → 柞水县；乡镇：— → 营盘镇"
    )
    quotas_before = {"任务数": {"湍东镇": 37530, "赵店乡": 30160, "灌涨镇": 28300}}
    quotas_after = {"任务数": {"湍东镇": 36000, "赵店乡": 30160, "灌涨镇": 29830}}
    assert audit.changes(quotas_before, quotas_after) == (
        "任务数：湍东镇 37,530 → 36,000、灌涨镇 28,300 → 29,830"
    )
    assert audit.changes({"启用": True}, {"启用": True}) == "（无变化）"
    assert audit.changes(None, {"行数": 12}) == "行数：12"
    assert audit.changes({"行数": 12}, None) == "行数：12"
    assert audit.changes({"邮箱": None}, {"邮箱": "x@y.cn"}) == "邮箱：— → x@y.cn"
    assert audit.changes({"任务数": {"a": 1}}, {"任务数": {"a": 2}, "导入行数": 16}) == (
        "任务数：a 1 → 2；导入行数：16"
    )
    assert audit.changes({"任务数": {"a": 2}, "导入行数": 16}, {"任务数": {"a": 1}}) == (
        "任务数：a 2 → 1；导入行数：16"
    )


def test_the_audit_page_shows_the_change_in_words(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    change_user(scratch, "clerk", role="township", county="zhashui", township="营盘镇", by="admin")
    at = start("admin", county="zhashui")
    at.switch_page("../pages/audit.py").run()
    assert not at.exception
    top = at.dataframe[0].value.iloc[0]
    assert (top["操作"], top["对象"], top["操作人"]) == ("修改用户", "clerk", "admin")
    assert top["变更"] == "角色：医保/税务经办 → 乡镇（街道）；县：— → 柞水县；乡镇：— → 营盘镇"
    assert "{" not in top["修改前"] + top["修改后"]
    # the newest entry is shown in full below the table: what, the change, before and after
    assert at.selectbox(key="audit_entry").value == 0
    detail = tables(at)[0]
    assert detail.loc["变更", "内容"] == top["变更"]
    assert detail.loc["修改后", "内容"] == top["修改后"]
    at.selectbox(key="audit_entry").set_value(1).run()
    assert tables(at)[0].loc["对象", "内容"] == at.dataframe[0].value.iloc[1]["对象"]


def test_a_quota_import_and_its_undo_read_as_the_quotas_that_moved(scratch) -> None:
    policy = sample_policy("neixiang")
    quotas = load_quotas_with({"湍东镇": 60010, "板场乡": 12680})
    checked = check_file(scratch, policy, csv_bytes(quotas), "任务表.csv", kind="quota")
    outcome = apply_import(scratch, policy, checked, user="clerk")
    undo_import(scratch, policy, outcome.import_id, user="admin")
    undone, imported = audit_view_of(scratch)[:2]
    assert imported == (
        "导入数据",
        "内乡县",
        "任务数：湍东镇 62,010 → 60,010、板场乡 10,680 → 12,680；导入行数：16；"
        "已存在未重复计入：0；有问题未导入：0；仅导入无问题行：否；"
        f"内容指纹：{checked.content_hash[:12]}",
    )
    assert undone[:2] == ("撤销导入", "内乡县")
    assert undone[2].startswith("任务数：湍东镇 60,010 → 62,010、板场乡 12,680 → 10,680；")


def load_quotas_with(changes: dict[str, int]) -> list[list[str]]:
    data = load_sample("neixiang")
    rows = [["乡镇", "征缴任务数"]]
    rows += [[t, str(changes.get(t, q))] for t, q in data.quota_by_township.items()]
    return rows


def audit_view_of(engine: Engine) -> list[tuple[str, str, str]]:
    log = audit.audit_view(audit.entries(engine), NAMES)
    return list(zip(log["操作"], log["县"], log["变更"], strict=True))


def _entry(at: datetime, user: str) -> AuditLog:
    return AuditLog(at=at, username=user, action="talk_recorded", county_code="neixiang")


def test_entries_of_one_operator_and_of_beijing_days(scratch) -> None:
    """A Beijing day begins at 16:00 UTC the day before: 00:30 on 1 December in Beijing is
    that day's, not 30 November's."""
    with Session(scratch) as session:
        session.add(_entry(datetime(2026, 11, 30, 15, 59, tzinfo=UTC), "supervisor"))  # 11-30 23:59
        session.add(_entry(datetime(2026, 11, 30, 16, 30, tzinfo=UTC), "supervisor"))  # 12-01 00:30
        session.add(_entry(datetime(2026, 12, 2, 2, 0, tzinfo=UTC), "admin"))  # 12-02 10:00
        session.commit()

    def ids(**options) -> list[str]:
        return [audit.local_time(r.at) for r in audit.entries(scratch, **options)]

    assert ids(days=(date(2026, 12, 1), date(2026, 12, 1))) == ["2026-12-01 00:30"]
    assert ids(days=(date(2026, 11, 30), date(2026, 12, 2))) == [
        "2026-12-02 10:00",
        "2026-12-01 00:30",
        "2026-11-30 23:59",
    ]
    assert ids(user="supervisor", days=(date(2026, 12, 1), date(2026, 12, 2))) == [
        "2026-12-01 00:30"
    ]
    assert {"admin", "supervisor"} <= set(audit.operators(scratch))


APPEND_ONLY = "审计日志只能追加，不能修改或删除"


def test_the_database_itself_refuses_to_change_or_delete_an_audit_row(scratch) -> None:
    """Not only the app: any statement through the app's database user that would change the
    log is refused by the database (triggers of migration 0020), and the row stays as it was."""
    with Session(scratch) as session:
        session.add(_entry(datetime(2026, 12, 5, 2, 0, tzinfo=UTC), "supervisor"))
        session.commit()
    before = [(r.id, r.username, r.action) for r in audit.entries(scratch)]
    statements = ["UPDATE auditlog SET username = 'someone'", "DELETE FROM auditlog"]
    if scratch.dialect.name == "postgresql":
        statements.append("TRUNCATE auditlog")
    for statement in statements:
        with pytest.raises(DBAPIError, match=APPEND_ONLY), scratch.begin() as connection:
            connection.execute(text(statement))
    assert [(r.id, r.username, r.action) for r in audit.entries(scratch)] == before
    with Session(scratch) as session:  # appending is what the log is for
        session.add(_entry(datetime(2026, 12, 5, 3, 0, tzinfo=UTC), "admin"))
        session.commit()
    assert len(audit.entries(scratch)) == len(before) + 1


def test_the_audit_page_filters_by_operator_and_day(scratch_url, scratch, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", scratch_url)
    change_user(scratch, "clerk", role="leader", by="admin")
    with Session(scratch) as session:
        session.add(_entry(datetime(2026, 11, 30, 16, 30, tzinfo=UTC), "supervisor"))
        session.commit()
    at = start("admin", county="neixiang")
    at.switch_page("../pages/audit.py").run()
    assert len(at.dataframe[0].value) >= 2
    at.selectbox(key="audit_user").set_value("supervisor").run()
    shown = at.dataframe[0].value
    assert list(shown["操作人"]) == ["supervisor"] and list(shown["时间"]) == ["2026-12-01 00:30"]
    assert at.caption[1].value == "共1条记录"
    at.date_input(key="audit_days").set_value((date(2026, 12, 2), date(2026, 12, 3))).run()
    assert at.dataframe[0].value.empty
    assert "没有符合条件的记录。" in [c.value for c in at.caption]
