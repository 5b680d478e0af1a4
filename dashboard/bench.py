"""`python -m dashboard bench`: the project's code path beside DuckDB doing the same work in
SQL, on the same seeded payment lists and rosters (模拟数据), and a warm rerun of every page.

Prints one line per task, ``TASK ROWS project_ms duckdb_ms ratio``, and writes the table into
docs/benchmarks.md. It measures; it asserts nothing.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard import incidents
from dashboard.access import ALLOWED
from dashboard.db import PROJECT_DIR, make_engine
from dashboard.distinct import is_in
from dashboard.figures import county_summary, ranking_for_date, settlement
from dashboard.files import write_frame_csv
from dashboard.importing import apply_import, check_file
from dashboard.persons import unenrolled
from dashboard.runtime import tune_gc
from dashboard.samples import load_sample
from dashboard.simulate import county_seed
from dashboard.simulate_people import simulate_payment_list
from dashboard.store import load_campaign, roster_members, seed_samples
from dashboard.whatif import compare, expected_enrolled

COUNTY = "dongming"
DOCS = PROJECT_DIR / "docs" / "benchmarks.md"
GROUPS = ["特困人员", "低保对象", "致贫返贫人员"]


@dataclass(frozen=True)
class Result:
    """One measured task: median milliseconds of the project and of DuckDB (None: no equivalent)."""

    task: str
    rows: int
    project_ms: float
    duckdb_ms: float | None

    @property
    def ratio(self) -> float | None:
        return None if not self.duckdb_ms else self.project_ms / self.duckdb_ms

    def line(self) -> str:
        duck = f"{self.duckdb_ms:.1f}" if self.duckdb_ms is not None else "-"
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else "-"
        return f"{self.task} {self.rows} {self.project_ms:.1f} {duck} {ratio}"


def timed(action: Callable[[], object], *, repeat: int = 5) -> float:
    """Median wall time of ``action`` in milliseconds (after one warm-up run)."""
    action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def once(action: Callable[[], object]) -> float:
    """Wall time of one run of ``action``, in milliseconds."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def make_files(rows: int, folder: Path) -> tuple[Path, Path]:  # run in a child process
    """A payment list of ``rows`` persons and a roster of a tenth as many (nine in ten of whom
    paid), as CSV with Chinese headers, from a fixed seed."""
    data = load_sample(COUNTY)
    payments = simulate_payment_list(data.policy, data.quotas, rows)
    rng = np.random.default_rng(county_seed(COUNTY) + rows)
    members = max(rows // 10, 10)
    picked = payments.sample(n=int(members * 0.9), random_state=int(rng.integers(1 << 31)))
    unpaid = simulate_payment_list(
        data.policy, data.quotas, members - len(picked), seed=int(rng.integers(1 << 31))
    )
    unpaid = unpaid[~is_in(unpaid["身份证号"], payments["身份证号"])]
    roster = pd.concat([picked, unpaid], ignore_index=True)[
        ["身份证号", "姓名", "乡镇", "村（社区）"]
    ]
    roster["人员类别"] = rng.choice(GROUPS, len(roster))
    pay_path, roster_path = folder / f"payments_{rows}.csv", folder / f"roster_{rows}.csv"
    write_frame_csv(payments, pay_path)
    write_frame_csv(roster, roster_path)
    return pay_path, roster_path


def _project_import(engine: Engine, files: Sequence[Path]) -> None:
    policy = load_campaign(engine, COUNTY).policy
    for path in files:
        checked = check_file(engine, policy, path.read_bytes(), path.name)
        apply_import(engine, policy, checked, user="bench")


def _duck_import(files: Sequence[Path]) -> Any:
    import duckdb  # only in DuckDB's own process

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    pay, roster = files
    con.execute(
        f"CREATE TABLE payment AS SELECT * FROM read_csv('{pay}', header=true, all_varchar=true)"
    )
    con.execute(
        f"CREATE TABLE roster AS SELECT * FROM read_csv('{roster}', header=true, all_varchar=true)"
    )
    return con


DUCK_RANKING = """
WITH quota(township, quota) AS (SELECT * FROM (VALUES {quotas})),
enrolled AS (
    SELECT "乡镇" AS township, COUNT(DISTINCT "身份证号") AS enrolled FROM payment
    WHERE CAST("缴费日期" AS DATE) <= DATE '{day}' GROUP BY 1
)
SELECT q.township, q.quota, COALESCE(e.enrolled, 0) AS enrolled,
       COALESCE(e.enrolled, 0) * 1.0 / q.quota AS rate,
       RANK() OVER (ORDER BY COALESCE(e.enrolled, 0) * 1.0 / q.quota DESC) AS rank,
       COALESCE(e.enrolled, 0) * 1.5 AS work_fund,
       GREATEST(COALESCE(e.enrolled, 0) - q.quota, 0) * 100 AS reward,
       GREATEST(q.quota - COALESCE(e.enrolled, 0), 0) * 100 AS deduction
FROM quota q LEFT JOIN enrolled e USING (township) ORDER BY rank
"""

DUCK_PERSONS = [
    'SELECT "乡镇", COUNT(DISTINCT "身份证号") FROM payment GROUP BY 1',
    """SELECT r."人员类别", COUNT(DISTINCT r."身份证号"), COUNT(DISTINCT p."身份证号")
       FROM roster r LEFT JOIN payment p ON p."身份证号" = r."身份证号" GROUP BY 1""",
    """SELECT r."乡镇", r."村（社区）", r."身份证号", r."姓名" FROM roster r
       ANTI JOIN payment p ON p."身份证号" = r."身份证号" ORDER BY 1, 2, 3""",
]


def _peak_mib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def page_reruns(url: str) -> Iterator[tuple[str, float]]:
    """(page, ms) of a warm AppTest rerun of every page, logged in as admin, on Dongming."""
    from streamlit.testing.v1 import AppTest

    from dashboard.auth import Account

    os.environ["DATABASE_URL"] = url
    os.environ[incidents.RAISE_SWITCH] = "raise"  # a page's defect fails the run, not timed
    # AppTest sets session state before any script runs, which Streamlit warns about ("can be
    # ignored when running in bare mode"); it would only clutter the benchmark's output.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    app = str(PROJECT_DIR / "dashboard" / "app.py")
    at = AppTest.from_file(app, default_timeout=300)
    at.session_state["account"] = Account("bench", "bench", "admin")
    at.run()
    at.selectbox(key="county").set_value(COUNTY).run()
    for page in ALLOWED["admin"]:
        at.switch_page(f"../pages/{page}.py").run()
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        yield page, timed(at.run, repeat=3)


AS_OF = date(2023, 11, 30)


def bench(sizes: Sequence[int], *, progress: Callable[[str], None] = print) -> list[Result]:
    """Run every task for every size; returns the results (also for docs).

    The data is generated, the project measured and DuckDB measured each in a process of its
    own, so that the peak memory reported is the project's alone.
    """
    results: list[Result] = []
    spawn = multiprocessing.get_context("spawn")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as folder:
            progress(f"[{rows:,}] 生成模拟缴费明细与资助名单…")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                files = pool.submit(make_files, rows, Path(folder)).result()
            progress(f"[{rows:,}] 本项目：导入、排名、名单、测算、页面…")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                project = pool.submit(_project_side, files, Path(folder)).result()
            progress(f"[{rows:,}] DuckDB：同样的工作…")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                duck = pool.submit(_duck_side, files).result()
            for task, ms in project.items():
                results.append(Result(task, rows, ms, duck.get(task)))
    return results


def _project_side(files: tuple[Path, Path], folder: Path) -> dict[str, float]:
    """The project's tasks in this (child) process; the peak memory is measured last."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    # The quota tables and simulated progress as context, not the simulated people: DuckDB
    # gets the generated files alone, and a real county's database holds no simulated persons.
    seed_samples(engine, people=False)
    tune_gc()  # as the app and the CLI do at start
    times = {"a:import": once(lambda: _project_import(engine, files))}

    def ranking() -> None:
        data = load_campaign(engine, COUNTY)
        ranking_for_date(data, "week", as_of=AS_OF)
        settlement(data, AS_OF)

    def persons() -> None:
        data = load_campaign(engine, COUNTY)
        county_summary(data, AS_OF)
        unenrolled(roster_members(engine, COUNTY, unpaid_on=AS_OF), AS_OF)

    times["b:rank+settle"] = timed(ranking)
    times["c:persons+groups+unenrolled"] = timed(persons)
    data = load_campaign(engine, COUNTY)
    enrolled = expected_enrolled(data, AS_OF, "latest")
    quotas = data.quota_by_township
    edited = {**quotas, data.townships[0]: quotas[data.townships[0]] - 2000}
    rates = data.policy.settlement
    times["d:whatif"] = timed(
        lambda: compare(data, quotas=edited, rates=rates, enrolled=enrolled), repeat=50
    )
    engine.dispose()
    times.update({f"e:page:{page}": ms for page, ms in page_reruns(url)})
    gc.collect()
    times["peak_memory_mib"] = float(_peak_mib())
    return times


def _duck_side(files: tuple[Path, Path]) -> dict[str, float]:
    """DuckDB doing the same work in SQL, in this (child) process."""
    connection: list[Any] = []
    times = {"a:import": once(lambda: connection.append(_duck_import(files)))}
    con = connection[0]
    values = ", ".join(f"('{t}', {q})" for t, q in load_sample(COUNTY).quota_by_township.items())
    times["b:rank+settle"] = timed(
        lambda: con.execute(DUCK_RANKING.format(quotas=values, day=AS_OF)).fetchall()
    )
    times["c:persons+groups+unenrolled"] = timed(
        lambda: [con.execute(sql).fetchall() for sql in DUCK_PERSONS]
    )
    con.close()
    return times


def write_docs(results: Sequence[Result], path: Path = DOCS) -> None:
    """The results table into docs/benchmarks.md, between the markers (the prose stays)."""
    table = ["| task | rows | project ms | DuckDB ms | ratio |", "|---|---:|---:|---:|---:|"]
    for r in results:
        duck = f"{r.duckdb_ms:,.1f}" if r.duckdb_ms is not None else "-"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        table.append(f"| {r.task} | {r.rows:,} | {r.project_ms:,.1f} | {duck} | {ratio} |")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = (
        path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    )
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    stamp = (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, DuckDB {version('duckdb')}."
    )
    path.write_text(
        f"{before}{start}\n{stamp}\n\n" + "\n".join(table) + f"\n{end}{after}", encoding="utf-8"
    )
