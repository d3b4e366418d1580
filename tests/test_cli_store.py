"""`claimhouse load / reconcile / explain / report` on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.testing._workload import CASES, Workload, generate_workload
from claimhouse.testing._workload_files import WorkloadFiles, write_workload
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres


@pytest.fixture(scope="module")
def work() -> Workload:
    return generate_workload(len(CASES) * 2)


@pytest.fixture(scope="module")
def files(work: Workload, tmp_path_factory: pytest.TempPathFactory) -> WorkloadFiles:
    return write_workload(work, tmp_path_factory.mktemp("x12"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _loaded(db: str, files: WorkloadFiles) -> None:
    code, out, _ = run("load", *map(str, files.claims + files.remittances), "--db", db)
    assert code == 0, out
    assert "already posted" in out  # the repeated remittance
    code, _, _ = run("reconcile", "--db", db)
    assert code == 0


def test_load_reconcile_report(db_url: str, work: Workload, files: WorkloadFiles) -> None:
    _loaded(db_url, files)
    code, out, _ = run("load", str(files.claims[0]), "--db", db_url)
    assert code == 0 and "duplicate" in out
    code, out, _ = run("report", "claims", "--format", "json", "--db", db_url)
    assert code == 0
    rows = json.loads(out)
    by_pcn = {r["patient_control_number"]: r for r in rows}
    for pcn, truth in work.expected.items():
        row = by_pcn[pcn]
        assert row["state"] == truth.state
        assert Decimal(row["paid_amount"]) == truth.paid
        assert Decimal(row["patient_responsibility"]) == truth.patient_responsibility
        assert row["payer"] and Decimal(row["billed_amount"]) > 0
    assert sorted(p for p, r in by_pcn.items() if r["state"] == "unmatched remit") == sorted(
        work.unmatched_pcns)
    code, out, _ = run("report", "claims", "--format", "json", "--payer", "acme1",
                       "--db", db_url)
    assert {r["payer"] for r in json.loads(out)} == {"ACME1"}
    code, out, _ = run("report", "claims", "--format", "json", "--since", "2099-01-01",
                       "--db", db_url)
    assert [r for r in json.loads(out) if r["state"] != "unmatched remit"] == []


def test_summary_denials_aging_balances(db_url: str, files: WorkloadFiles) -> None:
    _loaded(db_url, files)
    code, out, _ = run("report", "summary", "--format", "json", "--db", db_url)
    summary = json.loads(out)
    assert code == 0 and set(summary) == {"claims by state", "paid vs expected by payer",
                                          "remittances"}
    # one rule for "expected" (billed - patient responsibility - contractual write-off):
    # the summary's per-payer rows are the dashboard's, and they are not trivially zero
    code, out, _ = run("report", "dashboard", "--format", "json", "--db", db_url)
    per_payer = summary["paid vs expected by payer"]
    assert code == 0 and per_payer == json.loads(out)["paid vs expected by payer"]
    assert any(Decimal(r["difference"]) != 0 for r in per_payer)
    assert all(Decimal(r["expected"]) == Decimal(r["billed"]) - Decimal(
        r["patient_responsibility"]) - Decimal(r["contractual_writeoff"]) for r in per_payer)
    totals = summary["remittances"][0]
    assert Decimal(totals["claim_payments_total"]) - Decimal(
        totals["provider_adjustments_total"]) == Decimal(totals["payment_total"])
    code, out, _ = run("report", "denials", "--db", db_url)
    assert code == 0 and "time limit for filing" in out and "MA130" in out
    code, out, _ = run("report", "aging", "--as-of", "2026-06-30", "--format", "csv",
                       "--db", db_url)
    header = out.splitlines()[0].split(",")
    assert header == ["payer", "claims", "0-30", "31-60", "61-90", "91-120", "120+", "total"]
    assert out.splitlines()[-1].startswith("TOTAL,")
    code, out, _ = run("report", "patient-balances", "--format", "json", "--db", db_url)
    assert code == 0 and all(Decimal(r["patient_responsibility"]) > 0 for r in json.loads(out))


def test_explain(db_url: str, work: Workload, files: WorkloadFiles) -> None:
    _loaded(db_url, files)
    pcn = next(p for p, t in work.expected.items() if t.case == "reversed-repaid")
    code, out, _ = run("explain", pcn, "--db", db_url)
    assert code == 0
    for text in ("clp07+amount", "correction-after-reversal", "reversal", "settlement"):
        assert text in out
    code, _, err = run("explain", "NO-SUCH-PCN", "--db", db_url)
    assert code == 1 and "no claim" in err


def test_rejected_file_and_bad_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.x12"
    junk.write_bytes(b"this is not X12 at all")
    code, out, _ = run("load", str(junk), "--db", str(tmp_path / "c.db"))
    assert code == 1 and "rejected" in out
    code, _, err = run("reconcile", "--db",
                       "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert code == 2 and "cannot open" in err
