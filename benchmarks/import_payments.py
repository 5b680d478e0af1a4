"""Benchmark: import a Dongming-sized payment list (713 138 simulated rows) and print time and
peak memory. Not a test: it asserts nothing about speed.

    python benchmarks/import_payments.py [--rows 713138] [--database-url URL] [--format csv|xlsx]
                                         [--weekly] [--reading] [--tickets] [--voided]

The list is generated first (seeded, 模拟数据) and written as CSV (UTF-8 with BOM) or as an Excel
workbook (ID numbers as text, dates as dates, amounts as numbers); a child process then checks
and imports it into a fresh database seeded with the samples, so the peak memory printed is
the import's alone. With --weekly, last week's list (the first 98 % of the rows) is imported
before the one timed, which holds them all: a list exported from the campaign's start each week.
With --reading, this process meanwhile loads the county's figures and settles them every quarter
second, as a leader's clicks on the pages do, and prints how long each read took while the import
ran (the import's own time then includes sharing the two cores with the reads). With --tickets,
each payment has its tax ticket (电子税票号码), as the tax system's export gives it; with --voided,
a 缴费状态 column says 作废 of one payment in fifty (seeded), to be left out.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(path: Path, url: str, earlier: Path | None = None) -> None:
    from dashboard.db import make_engine
    from dashboard.importing import apply_import, check_file
    from dashboard.samples import sample_policy
    from dashboard.store import load_campaign, seed_samples

    engine = make_engine(url)
    seed_samples(engine, people=False)  # a real county has no simulated persons
    policy = sample_policy("dongming")
    if earlier is not None:  # last week's list, stored first: its payments are known
        apply_import(engine, policy, check_file(engine, policy, earlier.read_bytes(), earlier.name))
    raw = path.read_bytes()
    started = time.perf_counter()
    checked = check_file(engine, policy, raw, path.name)
    checked_at = time.perf_counter()
    outcome = apply_import(engine, policy, checked)
    imported_at = time.perf_counter()
    data = load_campaign(engine, "dongming")
    loaded_at = time.perf_counter()
    print(
        json.dumps(
            {
                "rows": outcome.rows,
                "existing": outcome.existing_rows,
                "problems": len(checked.problems),
                "check_s": round(checked_at - started, 2),
                "write_s": round(imported_at - checked_at, 2),
                "total_s": round(imported_at - started, 2),
                "reload_s": round(loaded_at - imported_at, 2),
                "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "sources": sorted(set(data.sources.values())),
            }
        )
    )


def read_meanwhile(process: subprocess.Popen[str], url: str) -> tuple[list[float], int]:
    """Read the county's figures every quarter second until ``process`` ends: the milliseconds
    of each read, and how many failed, from the first that succeeds (the child seeds before)."""
    from dashboard.db import make_engine
    from dashboard.figures import settlement
    from dashboard.store import load_campaign

    engine = make_engine(url)
    times: list[float] = []
    failed = 0
    while process.poll() is None:
        started = time.perf_counter()
        try:
            data = load_campaign(engine, "dongming")
            settlement(data, data.latest_date)
            times.append((time.perf_counter() - started) * 1000)
        except Exception:  # noqa: BLE001 (before the samples are in: no county; after: counted)
            failed += bool(times)
        time.sleep(0.25)
    engine.dispose()
    return times, failed


def write_xlsx(frame, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The list as a county's clerk saves it from Excel: one sheet, a header row, ID numbers as
    text, dates as dates and amounts as numbers (openpyxl's streaming writer)."""
    from datetime import date

    from openpyxl import Workbook

    cells = frame.astype(object)
    cells["缴费日期"] = [date.fromisoformat(d) for d in frame["缴费日期"]]
    cells["缴费金额"] = frame["缴费金额"].astype(float)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("缴费明细")
    sheet.append(list(frame.columns))
    for values in cells.itertuples(index=False):
        sheet.append(list(values))
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=713_138)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp folder")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument(
        "--weekly",
        action="store_true",
        help="import the list exported from the campaign's start over last week's (98 %% of it)",
    )
    parser.add_argument(
        "--reading", action="store_true", help="read the county's figures while it imports"
    )
    parser.add_argument(
        "--tickets", action="store_true", help="give each payment its tax ticket (电子税票号码)"
    )
    parser.add_argument(
        "--voided", action="store_true", help="a status column, one payment in fifty voided"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--earlier", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database_url, args.earlier)
        return

    from dashboard.files import write_frame_csv
    from dashboard.samples import load_sample
    from dashboard.simulate_people import simulate_payment_list

    with tempfile.TemporaryDirectory() as folder:
        data = load_sample("dongming")
        started = time.perf_counter()
        frame = simulate_payment_list(data.policy, data.quotas, args.rows)
        if args.tickets:  # 20 digits, one per payment
            frame["电子税票号码"] = [f"3371{n:016d}" for n in range(len(frame))]
        if args.voided:
            import numpy as np

            voided = np.random.default_rng(2024).random(len(frame)) < 0.02
            frame["缴费状态"] = np.where(voided, "作废", "正常")
        path = Path(folder) / f"东明县缴费明细_模拟数据.{args.format}"
        if args.format == "csv":
            write_frame_csv(frame, path, bom=True)
        else:
            write_xlsx(frame, path)
        generated = time.perf_counter() - started
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        command = [sys.executable, __file__, "--child", str(path), "--database-url", url]
        if args.weekly:
            earlier = Path(folder) / "上周缴费明细_模拟数据.csv"
            write_frame_csv(frame.iloc[: len(frame) * 98 // 100], earlier, bom=True)
            command += ["--earlier", str(earlier)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        reads, failed = read_meanwhile(process, url) if args.reading else ([], 0)
        output, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"the import failed (exit {process.returncode})")
        figures = json.loads(output.strip().splitlines()[-1])
    size = path.stat().st_size if path.exists() else 0
    print(
        f"generated {args.rows} rows in {generated:.1f} s ({args.format} {size / 2**20:.0f} MiB)"
        if size
        else f"generated {args.rows} rows in {generated:.1f} s"
    )
    known, rows = figures["existing"], figures["rows"]
    over = f" over last week's ({known} known, {rows} new)" if args.weekly else ""
    print(
        f"import of {rows + known} payment rows{over}: check {figures['check_s']} s + write "
        f"{figures['write_s']} s = {figures['total_s']} s; peak memory {figures['peak_mib']} MiB; "
        f"reload of the county's figures {figures['reload_s']} s ({', '.join(figures['sources'])})"
    )
    if args.reading:
        reads.sort()
        print(
            f"reads of the county's figures meanwhile: {len(reads)}, median "
            f"{reads[len(reads) // 2]:.0f} ms, longest {reads[-1]:.0f} ms, failed {failed}"
            if reads
            else f"no read of the county's figures succeeded meanwhile (failed {failed})"
        )


if __name__ == "__main__":
    main()
