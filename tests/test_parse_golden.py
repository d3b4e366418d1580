"""`claimhouse parse` output bytes, pinned: every corpus file in json, jsonl and csv gives
the same exit code and the same stdout bytes (SHA-256) as recorded in
tests/golden/parse-outputs.json (recorded before the reader and renderers were sped up),
and the generated 837 encoders give what the generic reflection walk gives."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.transactions._claims837_render import _ClaimJson, model_json
from claimhouse.transactions.claims837 import iter_claims, kind_of
from claimhouse.x12 import EnvelopeReader
from tests.conftest import CORPUS, corpus_rows

GOLDEN = Path(__file__).resolve().parent / "golden" / "parse-outputs.json"


def _golden() -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_parse_output_bytes_unchanged(fmt: str) -> None:
    rows = corpus_rows()
    if not rows:
        pytest.skip(f"x12 corpus not found at {CORPUS}")
    golden = _golden()
    runner = CliRunner()
    checked = 0
    wrong = []
    for row in rows:
        key = f"{row['local_path']}:{fmt}"
        if key not in golden:
            continue
        res = runner.invoke(cli, ["parse", "--format", fmt, str(CORPUS / row["local_path"])])
        got = [res.exit_code, hashlib.sha256(res.stdout_bytes).hexdigest()]
        if got != golden[key]:
            wrong.append(row["local_path"])
        checked += 1
    assert checked > 200
    assert not wrong, f"parse --format {fmt} output changed for {wrong[:10]}"


def _reference(obj: Any, parties: bool = False) -> Any:
    """The reflection walk the generated encoders replaced (None and empty lists left out,
    Decimal as str, dates ISO, enums by value)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if v is None:
                continue
            if type(v) is list:
                if v:
                    out[f.name] = [_reference(x) for x in v]
                continue
            out[f.name] = _reference(v)
        return out
    if type(v := obj) in (str, int, bool):
        return v
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, list | tuple):
        return [_reference(x) for x in obj]
    raise TypeError(type(obj))


def _837_files() -> list[Path]:
    return [CORPUS / r["local_path"] for r in corpus_rows()
            if r["transaction"].startswith("837") and "005010" in r["version"]]


def test_generated_837_encoders_match_the_reflection_walk() -> None:
    files = _837_files()
    if not files:
        pytest.skip(f"x12 corpus not found at {CORPUS}")
    n = 0
    for path in files:
        for ts in EnvelopeReader(path).transaction_sets():
            kind, ts = kind_of(ts)
            render = _ClaimJson()
            for claim in iter_claims(ts, kind):
                assert render(claim) == _reference(claim), path.name
                assert model_json(claim) == _reference(claim)
                n += 1
    assert n > 20


def test_generated_837_encoder_falls_back_on_unexpected_types() -> None:
    """A value not of its declared type renders by the generic rules (an int in a Decimal
    field stays a number, a tuple becomes a list), as the reflection walk rendered it."""
    files = _837_files()
    if not files:
        pytest.skip(f"x12 corpus not found at {CORPUS}")
    ts = next(EnvelopeReader(files[0]).transaction_sets())
    kind, ts = kind_of(ts)
    claim = next(iter_claims(ts, kind))
    odd = dataclasses.replace(claim, total_charge=7)
    line = odd.service_lines[0]
    odd.service_lines[0] = dataclasses.replace(line, units=3)
    got = model_json(odd)
    assert got == _reference(odd)
    assert got["total_charge"] == 7
    assert got["service_lines"][0]["units"] == 3
