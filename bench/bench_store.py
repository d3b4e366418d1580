"""Claim store and reconcile engine: load and reconcile 100,000 synthetic claims (plus the
837 voids of the workload) and their 835s on SQLite and on PostgreSQL (claims/s end to end,
and per CPU second of this process, the robust figure on a shared machine), the decisions
recorded per claim, the time of reports on that database, and the same through real
837/835 files (parse + load) on a smaller set.

Baseline, same process: a bare ``sqlite3`` executemany of one plain tuple per stored row
(claims, lines, remittances, claim and service payments, adjustments) into tables with no
constraints: what writing the bytes alone costs. ``CLAIMHOUSE_BENCH_CLAIMS`` overrides N.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from claimhouse.reconcile import reconcile
from claimhouse.reports import ReportFilter, claims_report, render, summary_report
from claimhouse.store import open_store
from claimhouse.store._files import load_file
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.testing._postgres import PostgresServer, postgres_bin_dir
from claimhouse.testing._workload import Workload, generate_workload
from claimhouse.testing._workload_files import write_workload

N = int(os.environ.get("CLAIMHOUSE_BENCH_CLAIMS", "100000"))
N_FILES = max(N // 10, 1000)


def _baseline(work: Workload, folder: Path) -> tuple[float, int]:
    rows = 0
    conn = sqlite3.connect(folder / "baseline.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (a, b, c, d, e)")
    start = time.perf_counter()
    claims = [(c.patient_control_number, c.payer.id, str(c.total_charge), None, None)
              for c in work.claims]
    lines = [(c.patient_control_number, ln.procedure.code if ln.procedure else None,
              str(ln.charge), ln.service_date, ln.line_item_control_number)
             for c in work.claims for ln in c.service_lines]
    payments = []
    for r in work.posted_remittances():
        for cp in r.claims():
            payments.append((cp.patient_control_number, cp.status_code, str(cp.paid_amount),
                             None, None))
            payments += [(cp.patient_control_number, sp.procedure_code, str(sp.paid_amount),
                          None, None) for sp in cp.service_lines]
            payments += [(a.group_code, a.reason_code, str(a.amount), None, None)
                         for sp in cp.service_lines for a in sp.adjustments]
    for batch in (claims, lines, payments):
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", batch)
        rows += len(batch)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, rows


def _end_to_end(url: str, work: Workload) -> dict[str, Any]:
    store = open_store(url)
    start = time.perf_counter()
    cpu = time.process_time()
    with store.session() as s:
        add_claims(s, work.all_claims())  # the claims, then the 837 voids (frequency 8)
    t_claims = time.perf_counter() - start
    with store.session() as s:
        add_remittances(s, work.remittances)
    t_load = time.perf_counter() - start
    summary = reconcile(store)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    filt = ReportFilter(today=date(2026, 6, 30))
    t0 = time.perf_counter()
    with store.session() as s:
        render(summary_report(s, filt))
    t_summary = time.perf_counter() - t0
    t0 = time.perf_counter()
    with store.session() as s:
        render(claims_report(s, filt), "csv")
    t_claims_report = time.perf_counter() - t0
    store.close()
    return {"claims": len(work.claims), "load_claims_s": round(t_claims, 2),
            "load_remits_s": round(t_load - t_claims, 2),
            "reconcile_s": round(total - t_load, 2), "total_s": round(total, 2),
            "claims_per_s": round(len(work.claims) / total),
            "process_cpu_s": round(cpu, 2),
            "claims_per_process_cpu_s": round(len(work.claims) / cpu),
            "decisions": summary.decisions,
            "decisions_per_claim": round(summary.decisions / len(work.claims), 2),
            "report_summary_s": round(t_summary, 2),
            "report_claims_csv_s": round(t_claims_report, 2)}


def _from_files(url: str, folder: Path) -> dict[str, Any]:
    work = generate_workload(N_FILES, seed=7)
    files = write_workload(work, folder / "x12")
    store = open_store(url)
    start = time.perf_counter()
    for path in files.claims + files.remittances:
        load_file(store, path)
    t_load = time.perf_counter() - start
    reconcile(store)
    total = time.perf_counter() - start
    store.close()
    return {"claims": N_FILES, "parse_load_s": round(t_load, 2), "total_s": round(total, 2),
            "claims_per_s": round(N_FILES / total)}


def run() -> dict[str, Any]:
    work = generate_workload(N)
    out: dict[str, Any] = {"claims": N}
    with tempfile.TemporaryDirectory(prefix="claimhouse-bench-") as tmp:
        folder = Path(tmp)
        t_base, rows = _baseline(work, folder)
        out["baseline_raw_sqlite3_insert"] = {"rows": rows, "seconds": round(t_base, 2)}
        sqlite = _end_to_end(str(folder / "bench.db"), work)
        sqlite["ratio_to_raw_insert"] = round(sqlite["total_s"] / t_base, 1)
        out["sqlite"] = sqlite
        print(f"sqlite: {N} claims loaded+reconciled in {sqlite['total_s']} s = "
              f"{sqlite['claims_per_s']} claims/s ({sqlite['claims_per_process_cpu_s']} per "
              f"CPU second of this process; {sqlite['ratio_to_raw_insert']}x a raw "
              f"sqlite3 insert of the same {rows} rows, {t_base:.2f} s); summary report "
              f"{sqlite['report_summary_s']} s, claims CSV {sqlite['report_claims_csv_s']} s",
              flush=True)
        files = _from_files(str(folder / "files.db"), folder)
        files["ratio_to_models_path"] = round(sqlite["claims_per_s"] / files["claims_per_s"], 1)
        out["sqlite_from_files"] = files
        print(f"sqlite from 837/835 files: {files['claims']} claims in {files['total_s']} s = "
              f"{files['claims_per_s']} claims/s (parse+load {files['parse_load_s']} s; "
              f"{files['ratio_to_models_path']}x slower than from models)", flush=True)
        bindir = postgres_bin_dir()
        if bindir is None:
            out["postgresql"] = "skipped: PostgreSQL not installed"
            print("postgresql: skipped (not installed)")
            return out
        server = PostgresServer(bindir)
        server.start()
        try:
            pg = _end_to_end(server.create_database(), work)
        finally:
            server.stop()
        pg["ratio_to_sqlite"] = round(pg["total_s"] / sqlite["total_s"], 2)
        out["postgresql"] = pg
        print(f"postgresql: {N} claims in {pg['total_s']} s = {pg['claims_per_s']} claims/s "
              f"({pg['ratio_to_sqlite']}x the SQLite time); summary report "
              f"{pg['report_summary_s']} s, claims CSV {pg['report_claims_csv_s']} s")
    return out


if __name__ == "__main__":
    print(run())
