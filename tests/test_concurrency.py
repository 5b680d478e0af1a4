"""Two users importing and editing at the same moment on PostgreSQL: nothing is lost or doubled."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from dashboard.db import make_engine
from dashboard.idnumbers import make_id
from dashboard.importing import ImportRefused, apply_import, check_file
from dashboard.samples import sample_policy
from dashboard.scenarios import ScenarioData, save_scenario
from data_models.policy import SettlementRates
from data_models.tables import AuditLog, ImportRecord, Payment, Scenario

from databases import postgres_server_url, throwaway_postgres
from filemaker import csv_bytes

pytestmark = pytest.mark.skipif(
    postgres_server_url() is None,
    reason="no PostgreSQL server: set TEST_POSTGRES_URL (.ci/run starts one)",
)
NEIXIANG = sample_policy("neixiang")
TOWNSHIPS = ["湍东镇", "板场乡", "桃溪镇", "七里坪乡"]


def payments(start: int, count: int, township: str) -> bytes:
    rows = [["身份证号", "乡镇", "缴费日期", "缴费金额"]]
    for i in range(start, start + count):
        rows.append(
            [
                make_id("411325", date(1950 + i % 50, 1 + i % 12, 1 + i % 28), i // 600),
                township,
                "2022-11-01",
                "350",
            ]
        )
    return csv_bytes(rows)


def count(engine, table, *conditions) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table).where(*conditions)).one()


@pytest.fixture
def pg(pg_template):
    for url in throwaway_postgres(postgres_server_url(), template=make_url(pg_template).database):
        engine = make_engine(url, pool_size=10)
        yield engine
        engine.dispose()


def test_two_users_at_once_lose_nothing(pg) -> None:
    shared = payments(0, 300, "湍东镇")  # both users upload this same file at the same moment
    own = {"clerk-a": [payments(1000 + 400 * i, 400, TOWNSHIPS[i]) for i in range(2)],
           "clerk-b": [payments(3000 + 400 * i, 400, TOWNSHIPS[2 + i]) for i in range(2)]}  # fmt: skip
    overlap = {
        "clerk-a": payments(5000, 200, "赵店乡"),
        "clerk-b": payments(5100, 200, "赵店乡"),
    }  # 100 in both
    start = threading.Barrier(2)
    refused: list[str] = []
    errors: list[BaseException] = []

    def work(user: str) -> None:
        try:
            start.wait()
            for name, raw in [("shared.csv", shared), (f"{user}-overlap.csv", overlap[user])]:
                try:
                    apply_import(pg, NEIXIANG, check_file(pg, NEIXIANG, raw, name), user=user)
                except ImportRefused as refusal:
                    refused.append(f"{user}: {refusal}")
            for i, raw in enumerate(own[user]):
                apply_import(
                    pg, NEIXIANG, check_file(pg, NEIXIANG, raw, f"{user}-{i}.csv"), user=user
                )
                quotas = dict.fromkeys(load_townships(), 1000 + i)
                save_scenario(
                    pg,
                    "neixiang",
                    ScenarioData(f"{user}-{i}", quotas, SettlementRates(), "latest"),
                    user=user,
                )
        except BaseException as error:  # surfaced below, with the thread's traceback
            errors.append(error)

    def load_townships() -> list[str]:
        from dashboard.store import load_campaign

        return load_campaign(pg, "neixiang").townships

    threads = [threading.Thread(target=work, args=(u,)) for u in ("clerk-a", "clerk-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    # The shared file went in once; the other upload was told it already was.
    assert len([r for r in refused if "未重复导入" in r]) == 1, refused
    imports = count(pg, ImportRecord, ImportRecord.undone_at.is_(None))
    assert imports == 1 + 2 + 4
    # Every person once: 300 shared + 1 600 own + 300 distinct in the overlapping pair.
    assert count(pg, Payment, Payment.simulated == False) == 300 + 1600 + 300  # noqa: E712
    assert count(pg, Scenario) == 4
    assert count(pg, AuditLog, AuditLog.action == "import") == imports
    with Session(pg) as session:
        records = session.exec(select(ImportRecord)).all()
        logged = {
            r.target
            for r in session.exec(select(AuditLog).where(AuditLog.action == "import")).all()
        }
    assert {f"第{r.id}号 {r.file_name}（缴费明细）" for r in records} == logged
    assert sum(r.rows for r in records) == 300 + 1600 + 300
