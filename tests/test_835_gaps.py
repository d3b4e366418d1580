"""835 gaps closed in session 2: map-bad-value findings surfaced by `claimhouse parse`, and
claim interest (AMT*I) against PLB L6 (RFI 2123)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.parse import ParsedSet, write_jsonl
from claimhouse.transactions import resolve
from claimhouse.transactions.balancing import check_remittance
from claimhouse.x12 import EnvelopeReader
from tests._835_helpers import read_all

X12 = Path(__file__).resolve().parents[1] / "fixtures" / "x12"
INTEREST = X12 / "835-interest-recovery.x12"


def _edited(name: Path, *edits: tuple[str, str]) -> str:
    text = name.read_text(encoding="latin-1")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _parse(path: Path, fmt: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["parse", "--format", fmt, str(path)])
    return result.exit_code, result.stdout, result.stderr


# -- map-bad-value in `parse` -------------------------------------------------------------

def test_parse_reports_bad_values_with_location_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad-values.x12"
    bad.write_text(_edited(INTEREST, ("*500.00*400.00*100.00*", "*500.00*4O0.00*100.00*"),
                           ("DTM*472*20251118", "DTM*472*20251399")), encoding="latin-1")
    for fmt in ("json", "jsonl", "csv"):
        code, out, err = _parse(bad, fmt)
        assert code == 1, fmt
        lines = [x for x in err.splitlines() if "map-bad-value" in x]
        assert len(lines) == 2, (fmt, err)
        assert all(str(bad) in x for x in lines)  # the file ...
        assert any("(CLP)" in x for x in lines) and any("(DTM)" in x for x in lines)
        assert "4O0.00" not in err and "20251399" not in err  # ... never the values
        assert "ACCT300" in out  # the rest is still parsed and printed
    # the untouched file still parses cleanly
    assert _parse(INTEREST, "jsonl")[0] == 0


def test_bad_value_segment_number_is_the_files() -> None:
    text = _edited(INTEREST, ("AMT*I*5.25", "AMT*I*5.2.5"))
    ordinal = [s.strip() for s in text.split("~")].index("AMT*I*5.2.5") + 1
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("f.x12").write_text(text, encoding="latin-1")
        result = runner.invoke(cli, ["parse", "f.x12"])
    assert result.exit_code == 1
    assert f"segment {ordinal} (AMT)" in result.stderr


# -- interest: AMT*I against PLB L6 -------------------------------------------------------

def _interest_codes(*edits: tuple[str, str]) -> list[str]:
    text = _edited(INTEREST, *edits)
    findings = [f for r in read_all(text.encode("latin-1")) for f in check_remittance(r)]
    for f in findings:
        assert "ACCT" not in f.message and "DOE" not in f.message
    return sorted(f.code for f in findings)


def test_interest_paid_in_plb_l6_balances() -> None:
    # AMT*I 5.25 is informational, not in CLP04; PLB L6 -5.25 pays it (RFI 2123, 1324)
    assert _interest_codes() == []


def test_interest_not_matching_plb_l6() -> None:
    assert _interest_codes(("AMT*I*5.25", "AMT*I*6.25")) == ["835-interest-unbalanced"]


def test_interest_without_plb_l6() -> None:
    # L6 dropped and BPR02 lowered so the transaction itself still balances
    assert _interest_codes(("L6:FHP260300*-5.25*", ""), ("BPR*I*368.25*", "BPR*I*363.00*")
                           ) == ["835-interest-unbalanced"]


def test_no_claim_interest_needs_no_l6_check() -> None:
    # provider-level interest alone (no AMT*I on any claim) is not checked against claims
    assert _interest_codes(("AMT*I*5.25~", ""), ("SE*41*", "SE*40*")) == []


# -- jsonl: orjson lines equal the json module's ----------------------------------------

def test_jsonl_lines_are_the_json_modules_bytes() -> None:
    binding = resolve_835_binding()
    records: list[dict[str, Any]] = [
        {"a": "plain", "n": [1, None, True, {}], "e": []},
        {"name": "CAFÉ ÅSA", "ctl": "\x01\x1f\x7f", "q": "\"\\/"},  # escaped by json
        {"big": 2**70, "neg": -(2**65)},  # beyond orjson's integers
        {1: "non-string key"},
    ] * 300  # past the 256-line write batch
    out = io.StringIO()
    write_jsonl([ParsedSet(binding, None, iter(records))], out)
    enc = json.JSONEncoder(separators=(",", ":")).encode
    assert out.getvalue() == "".join(enc(r) + "\n" for r in records)


def resolve_835_binding() -> Any:
    ts = next(EnvelopeReader(INTEREST).transaction_sets())
    binding, _ = resolve(ts)
    return binding
