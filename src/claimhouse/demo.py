"""`make demo`: the whole story on built-in, made-up data with the embedded database.

Generate a few hundred claims, write them as 837P files, simulate the payers' 835s (paid,
partially paid, denied, reversed and re-paid, split, secondary, PLB recoveries and
interest, an unmatched remit and a remittance sent twice), load both into a SQLite
database in the output folder, reconcile, and print the summary report.
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import date
from pathlib import Path

from claimhouse._fs import private_dir
from claimhouse.reconcile import reconcile
from claimhouse.reports import ReportFilter, render, summary_report
from claimhouse.store import open_store
from claimhouse.store._files import load_file
from claimhouse.testing._workload import Workload, generate_workload
from claimhouse.testing._workload_files import WorkloadFiles, write_workload

DEFAULT_CLAIMS = 360


def write_demo_files(out: Path, n_claims: int = DEFAULT_CLAIMS) -> tuple[Workload, WorkloadFiles]:
    """The demo's workload and its 837P and 835 files under ``out/x12`` (replaced): the
    files ``make demo`` loads (their validity: tests/test_workload_valid.py)."""
    work = generate_workload(n_claims)
    x12 = out / "x12"
    shutil.rmtree(x12, ignore_errors=True)
    return work, write_workload(work, x12)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="claimhouse.demo")
    ap.add_argument("--out", default="demo-output", help="folder for the demo's outputs")
    ap.add_argument("--claims", type=int, default=DEFAULT_CLAIMS,
                    help="how many claims to generate")
    args = ap.parse_args(argv)
    out = Path(args.out)
    private_dir(out)
    started = time.perf_counter()
    work, files = write_demo_files(out, args.claims)
    x12 = out / "x12"
    print(f"claimhouse demo: {len(work.claims)} claims in {len(files.claims)} 837P file(s), "
          f"{len(work.remittances)} remittances in {len(files.remittances)} 835 file(s) "
          f"under {x12}")
    db = out / "claimhouse.db"
    for stale in out.glob("claimhouse.db*"):
        stale.unlink()
    store = open_store(str(db))
    try:
        outcomes: dict[str, int] = {}
        for path in files.claims + files.remittances:
            result = load_file(store, path)
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
            if result.counts.remittances_duplicate:
                print(f"  {path.name}: remittance already posted (same payer and TRN02); "
                      "not posted twice")
        again = load_file(store, files.claims[0])
        print(f"loaded into {db}: {outcomes}; loading {files.claims[0].name} again: "
              f"{again.outcome}")
        run = reconcile(store)
        print(f"reconciled: {run.payments_matched} of {run.payments_examined} payments "
              f"matched, {run.claims_settled} claims settled, "
              f"{run.provider_adjustments_linked} PLB recoveries linked, "
              f"{run.decisions} decisions recorded\n")
        with store.session() as session:
            print(render(summary_report(session, ReportFilter(today=date(2026, 6, 30)))))
    finally:
        store.close()
    print(f"try: claimhouse report claims --db {db}   |   claimhouse explain PCN00000005 "
          f"--db {db}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
