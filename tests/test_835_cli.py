"""`claimhouse parse` on 835s (json, jsonl, csv) and `claimhouse generate 835`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.codes import UNKNOWN, carc_description, known_carc_codes, rarc_description
from claimhouse.transactions._x221_render import jsonl_records
from claimhouse.transactions.x221 import stream_claim_records
from claimhouse.x12 import EnvelopeReader
from tests._835_helpers import read_all

X12 = Path(__file__).resolve().parents[1] / "fixtures" / "x12"
STATUSES = X12 / "835-statuses.x12"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_json_has_the_issue_keys() -> None:
    code, out, _ = _run("parse", str(X12 / "835-interest-recovery.x12"))
    assert code == 0
    doc = json.loads(out)
    assert doc["transaction"] == "835"
    (remit,) = doc["remittances"]
    assert remit["payment"]["amount"] == "368.25" and remit["payment"]["trace_number"]
    assert remit["payment"]["method"] == "CHK" and remit["payment"]["date"] == "2026-01-20"
    claim = remit["claim_groups"][0]["claims"][0]
    for key in ("patient_control_number", "status_code", "total_charge", "paid_amount",
                "patient_responsibility", "payer_claim_control_number", "service_lines"):
        assert key in claim
    line = claim["service_lines"][0]
    assert line["adjustments"][0] == {"group_code": "CO", "reason_code": "45",
                                      "amount": "20.00"}
    assert remit["provider_adjustments"][0]["adjustments"][0]["reason_code"] == "L6"


def test_generate_is_the_reverse_of_parse(tmp_path: Path) -> None:
    for name in ("835-statuses.x12", "835-reversal.x12", "835-interest-recovery.x12"):
        js, out = tmp_path / f"{name}.json", tmp_path / f"{name}.out"
        assert _run("parse", str(X12 / name), "-o", str(js))[0] == 0
        code, _, err = _run("generate", "835", str(js), "-o", str(out), "--at",
                            "2026-01-18T08:00")
        assert code == 0 and "1 remittance" in err
        assert read_all(out.read_bytes()) == read_all((X12 / name).read_bytes())
        again = tmp_path / "again.json"
        assert _run("parse", str(out), "-o", str(again))[0] == 0
        assert again.read_text() == js.read_text()


def test_generate_is_reproducible(tmp_path: Path) -> None:
    js = tmp_path / "r.json"
    _run("parse", str(STATUSES), "-o", str(js))
    a, b = tmp_path / "a.x12", tmp_path / "b.x12"
    for out in (a, b):
        assert _run("generate", "835", str(js), "-o", str(out), "--at", "2026-02-01T10:00",
                    "--sender", "PAYER1", "--receiver", "CLINIC9")[0] == 0
    assert a.read_bytes() == b.read_bytes()
    assert b"*ZZ*PAYER1         *ZZ*CLINIC9        *260201*1000*" in a.read_bytes()


def test_generate_reports_every_problem(tmp_path: Path) -> None:
    js = tmp_path / "bad.json"
    js.write_text(json.dumps({"transaction": "835", "remittances": [
        {"payment": {"amount": 12.5, "date": "2026-13-01"}, "bogus": 1}]}))
    code, _, err = _run("generate", "835", str(js), "-o", str(tmp_path / "x.x12"))
    assert code == 1
    for part in ("remittances[0].payment.amount", "remittances[0].payment.date",
                 "remittances[0].bogus"):
        assert part in err
    js.write_text("{not json")
    assert _run("generate", "835", str(js), "-o", str(tmp_path / "x.x12"))[0] == 1
    assert _run("generate", "835", str(tmp_path / "missing.json"), "-o",
                str(tmp_path / "x.x12"))[0] == 2
    js.write_text(json.dumps({"transaction": "837P", "remittances": []}))
    assert _run("generate", "835", str(js), "-o", str(tmp_path / "x.x12"))[0] == 2


def test_jsonl_is_one_claim_a_line_with_payer_and_payment() -> None:
    code, out, _ = _run("parse", "--format", "jsonl", str(STATUSES))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["status_code"] for r in records] == ["1", "2", "3", "4", "19", "20", "21", "22",
                                                   "23", "25"]
    for r in records:
        assert r["payer"] == {"name": "FICTIONAL HEALTH PLAN", "identifier": "FHP01"}
        assert r["payment"]["trace_number"] == "EFT0001"
        assert r["payment"]["date"] == "2026-01-20"


def test_streamed_jsonl_equals_jsonl_of_the_model() -> None:
    data = (X12 / "835-interest-recovery.x12").read_bytes()
    ts = next(EnvelopeReader(data).transaction_sets())
    streamed = list(stream_claim_records(ts))
    (model,) = read_all(data)
    assert streamed == list(jsonl_records(model))


def test_csv_is_one_row_per_service_line() -> None:
    code, out, _ = _run("parse", "--format", "csv", str(STATUSES))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    claims = list(read_all(STATUSES.read_bytes())[0].claims())
    assert len(rows) == sum(max(1, len(c.service_lines)) for c in claims)
    assert rows[0]["patient_control_number"] == "ACCT001"
    assert rows[0]["line_adjustments"] == "PR-1:20.00"
    assert rows[0]["trace_number"] == "EFT0001"


def test_004010_835_is_reported_unsupported(corpus: Path) -> None:
    code, _, err = _run("parse", str(corpus / "pyx12/test/files/835_simple.txt"))
    assert code == 1
    assert "004010X091A1" in err and "not supported" in err


def test_carc_rarc_descriptions() -> None:
    assert carc_description("45").startswith("Charge exceeds the fee schedule")
    assert carc_description("2") == "Coinsurance amount."
    assert rarc_description("N130").startswith("Consult plan benefit")
    assert rarc_description("n130") == rarc_description("N130")
    assert carc_description("ZZ999") == UNKNOWN and rarc_description(None) == UNKNOWN
    assert {"1", "2", "3", "45", "96", "97", "A1"} <= known_carc_codes()


@pytest.mark.parametrize("name", ["carc.tsv", "rarc.tsv"])
def test_code_lists_name_their_source(name: str) -> None:
    from importlib import resources
    text = resources.files("claimhouse").joinpath("data", name).read_text(encoding="utf-8")
    assert "X12" in text.splitlines()[0] and "x12.org/codes" in text
