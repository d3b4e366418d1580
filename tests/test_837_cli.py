"""`claimhouse generate 837`, `claimhouse schema claim` and `claimhouse parse` on 837s."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from claimhouse.cli import cli
from tests.conftest import FIXTURES

PROFESSIONAL = FIXTURES / "json" / "claims-professional.json"


def _generate(tmp_path: Path, source: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / "out.837"
    result = CliRunner().invoke(cli, ["generate", "837", str(source), "-o", str(out),
                                      "--at", "2026-03-20T10:30:00", *extra])
    return result.exit_code, result.output, out


def test_generate_then_parse_json(tmp_path: Path) -> None:
    code, output, out = _generate(tmp_path, PROFESSIONAL, "--sender", "RFM001",
                                  "--receiver", "PHP01")
    assert code == 0, output
    data = out.read_bytes()
    assert data.startswith(b"ISA*00*          *00*          *ZZ*RFM001         *ZZ*PHP01  ")
    result = CliRunner().invoke(cli, ["parse", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["transaction"] == "837P"
    claims = doc["claims"]
    assert [c["patient_control_number"] for c in claims] == [
        "RFM-1001", "RFM-1002", "RFM-1003", "RFM-1004", "RFM-1005"]
    fourth = claims[3]
    assert fourth["patient"]["first_name"] == "SAMMY"
    assert fourth["subscriber"]["member_id"] == "PHP900000002"
    assert fourth["payer"]["id"] == "PHP01"
    assert fourth["billing_provider"]["npi"] == "1234567893"
    assert claims[2]["service_lines"][3]["drug"] == {
        "ndc": "00003029305", "quantity": "40", "unit": "ME", "qualifier": "N4"}


def test_generate_is_reproducible_and_kind_can_be_forced(tmp_path: Path) -> None:
    _, _, out = _generate(tmp_path, FIXTURES / "json" / "claims-dental.json")
    first = out.read_bytes()
    _, _, out = _generate(tmp_path, FIXTURES / "json" / "claims-dental.json")
    assert out.read_bytes() == first
    code, output, _ = _generate(tmp_path, FIXTURES / "json" / "claims-dental.json",
                                "--kind", "institutional")
    assert code == 1
    assert "revenue_code: required on institutional lines" in output


def test_parse_jsonl_and_csv(tmp_path: Path) -> None:
    _, _, out = _generate(tmp_path, PROFESSIONAL)
    result = CliRunner().invoke(cli, ["parse", str(out), "--format", "jsonl"])
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert len(lines) == 5 and {x["transaction"] for x in lines} == {"837P"}
    result = CliRunner().invoke(cli, ["parse", str(out), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 1 + 3 + 4 + 1 + 1  # one row per service line
    knee = [r for r in rows if r["procedure_code"] == "20610"]
    assert [r["modifiers"] for r in knee] == ["RT", "LT", "RT:59"]
    assert rows[-1]["patient_control_number"] == "RFM-1005"


def test_bad_claim_json_exits_1_naming_each_claim(tmp_path: Path) -> None:
    data = json.loads(PROFESSIONAL.read_text())
    data["claims"][1]["total_charge"] = "1.00"
    data["claims"][3]["service_lines"][0]["charge"] = "abc"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, output, out = _generate(tmp_path, bad)
    assert code == 1
    assert "claims[3] (patient_control_number 'RFM-1004').service_lines[0].charge" in output
    assert not out.exists()
    data["claims"][3]["service_lines"][0]["charge"] = "245.00"
    bad.write_text(json.dumps(data))
    code, output, _ = _generate(tmp_path, bad)
    assert code == 1
    assert "claims[1] (patient_control_number 'RFM-1002').total_charge" in output


def test_missing_or_non_json_input(tmp_path: Path) -> None:
    code, _, _ = _generate(tmp_path, tmp_path / "nope.json")
    assert code == 2
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    code, output, _ = _generate(tmp_path, junk)
    assert code == 1 and "not JSON" in output


def test_schema_claim_describes_the_fixtures() -> None:
    result = CliRunner().invoke(cli, ["schema", "claim"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    claim = schema["$defs"]["Claim"]
    assert {"patient_control_number", "total_charge", "service_lines"} <= set(
        claim["required"])
    assert claim["properties"]["total_charge"]["type"] == "string"
    assert claim["properties"]["patient"]["anyOf"][1] == {"type": "null"}
    assert claim["properties"]["onset_date"]["type"] == ["string", "null"]
    assert schema["$defs"]["ServiceLine"]["properties"]["service_date"]["format"] == "date"
    assert schema["properties"]["kind"]["enum"] == ["professional", "institutional", "dental"]
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for path in sorted((FIXTURES / "json").glob("claims-*.json")):
        data = json.loads(path.read_text())
        assert list(validator.iter_errors(data)) == []
        _check(data, schema, schema)
    data = json.loads(PROFESSIONAL.read_text())
    data["claims"][0]["colour"] = "blue"
    data["claims"][1]["total_charge"] = 12
    assert len(list(validator.iter_errors(data))) == 2


def _check(value: object, node: dict[str, object], schema: dict[str, object]) -> None:
    """A small structural check of ``value`` against the schema (types, required, no
    unknown fields), enough to show the fixtures and the schema agree."""
    if "anyOf" in node:
        node = node["anyOf"][0]  # type: ignore[index]
    ref = node.get("$ref")
    if isinstance(ref, str):
        node = schema["$defs"][ref.rsplit("/", 1)[1]]  # type: ignore[index]
    kind = node.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object":
        assert isinstance(value, dict)
        props = node["properties"]
        assert isinstance(props, dict)
        assert set(node.get("required", [])) <= set(value)  # type: ignore[arg-type]
        for k, v in value.items():
            assert k in props, k
            if v is not None:
                _check(v, props[k], schema)
    elif kind == "array":
        assert isinstance(value, list)
        for v in value:
            _check(v, node["items"], schema)  # type: ignore[arg-type]
    elif kind == "string":
        assert isinstance(value, str)
    elif "enum" in node:
        assert value in node["enum"]  # type: ignore[operator]
