"""Secondary billing: the 837 for the next payer from a stored claim and its primary 835,
valid at SNIP 1-5 (pyx12 included), on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.testing._workload import generate_workload
from claimhouse.testing._workload_files import write_workload
from claimhouse.transactions._registry import resolve
from claimhouse.validate import validate_file
from claimhouse.x12 import EnvelopeReader
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres


def test_secondary_837_from_primary_835(db_url: str, tmp_path: Path) -> None:
    work = generate_workload(24)
    files = write_workload(work, tmp_path / "x12")
    runner = CliRunner()
    assert runner.invoke(cli, ["load", *map(str, files.claims + files.remittances),
                               "--db", db_url]).exit_code == 0
    assert runner.invoke(cli, ["reconcile", "--db", db_url]).exit_code == 0
    pcn = next(p for p, t in work.expected.items() if t.case == "secondary")
    claim = next(c for c in work.claims if c.patient_control_number == pcn)
    primary = next(cp for r in work.remittances for cp in r.claims()
                   if cp.patient_control_number == pcn and cp.status_code == "1")
    out = tmp_path / "secondary.837"
    result = runner.invoke(cli, ["generate", "secondary", pcn, "-o", str(out), "--db", db_url,
                                 "--at", "2026-05-01T10:00"])
    assert result.exit_code == 0, result.output
    report = validate_file(out, level=5)
    assert report.valid, report.codes()
    ts = next(EnvelopeReader(out).transaction_sets())
    binding, ts = resolve(ts)
    assert binding is not None
    (sec,) = list(binding.read(ts).claims)
    assert sec.payer.id == "MGAP1" and sec.subscriber.payer_responsibility == "S"
    (other,) = sec.other_payers
    assert other.payer_id == claim.payer.id and other.paid_amount == primary.paid_amount
    assert other.remaining_patient_liability == primary.patient_responsibility
    assert other.payer_claim_control_number == primary.payer_claim_control_number
    for line, paid in zip(sec.service_lines, primary.service_lines, strict=True):
        (adj,) = line.adjudications
        assert adj.paid_amount == paid.paid_amount
        assert line.charge - adj.paid_amount == sum((a.amount for a in adj.adjustments),
                                                    Decimal(0))
    again = tmp_path / "again.837"
    runner.invoke(cli, ["generate", "secondary", pcn, "-o", str(again), "--db", db_url,
                        "--at", "2026-05-01T10:00"])
    assert again.read_bytes() == out.read_bytes()
    plain = next(p for p, t in work.expected.items() if t.case == "paid")
    result = runner.invoke(cli, ["generate", "secondary", plain, "-o", str(tmp_path / "x.837"),
                                 "--db", db_url])
    assert result.exit_code == 1 and "no secondary payer" in result.output
