"""HTML reconciliation report: the dashboard (tiles, charts, worklists) over 100,000
reconciled synthetic claims on SQLite: seconds to build it, the file's size (must stay one
file under 10 MB), and the CSV of the same report (every row, patients named).

Baselines, same database and run: the existing ``summary`` report (SQL aggregates only)
and the ``claims`` CSV (one row per claim). ``CLAIMHOUSE_BENCH_CLAIMS`` overrides N.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from claimhouse.reconcile import reconcile
from claimhouse.reports import ReportFilter
from claimhouse.reports._render import build_report
from claimhouse.store import open_store
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.testing._workload import generate_workload

N = int(os.environ.get("CLAIMHOUSE_BENCH_CLAIMS", "100000"))


def _timed(url: str, name: str, fmt: str, f: ReportFilter) -> tuple[float, str]:
    store = open_store(url)
    try:
        start = time.perf_counter()
        with store.session() as s:
            text = build_report(s, name, f, fmt)
        return time.perf_counter() - start, text
    finally:
        store.close()


def run() -> dict[str, Any]:
    work = generate_workload(N)
    out: dict[str, Any] = {"claims": N}
    with tempfile.TemporaryDirectory(prefix="claimhouse-bench-report-") as tmp:
        url = str(Path(tmp) / "report.db")
        store = open_store(url)
        start = time.perf_counter()
        with store.session() as s:
            add_claims(s, work.claims)
        with store.session() as s:
            add_remittances(s, work.remittances)
        reconcile(store)
        store.close()
        out["setup_load_reconcile_s"] = round(time.perf_counter() - start, 1)
        f = ReportFilter(today=date(2026, 6, 30))
        t_summary, _ = _timed(url, "summary", "table", f)
        t_claims, _ = _timed(url, "claims", "csv", f)
        t_html, html = _timed(url, "dashboard", "html", f)
        t_csv, csv = _timed(url, "dashboard", "csv", f)
        out.update({
            "baseline_summary_table_s": round(t_summary, 2),
            "baseline_claims_csv_s": round(t_claims, 2),
            "dashboard_html_s": round(t_html, 2),
            "dashboard_html_bytes": len(html.encode()),
            "dashboard_csv_s": round(t_csv, 2),
            "dashboard_csv_bytes": len(csv.encode()),
            "html_ratio_to_summary": round(t_html / t_summary, 1),
            "html_ratio_to_claims_csv": round(t_html / t_claims, 2),
        })
    print(f"report: {N} claims: dashboard HTML {out['dashboard_html_s']} s, "
          f"{out['dashboard_html_bytes'] / 1e6:.2f} MB ({out['html_ratio_to_summary']}x the "
          f"summary report's {out['baseline_summary_table_s']} s, "
          f"{out['html_ratio_to_claims_csv']}x the claims CSV's "
          f"{out['baseline_claims_csv_s']} s); full dashboard CSV {out['dashboard_csv_s']} s, "
          f"{out['dashboard_csv_bytes'] / 1e6:.1f} MB", flush=True)
    return out


if __name__ == "__main__":
    print(run())
