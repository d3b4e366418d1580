"""Every sample the project ships is valid at SNIP level 5: the X12 fixtures as they are,
and the 837s written from the claim JSON fixtures (a billing system's starting point)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from claimhouse.models import ClaimKind, load_claim_batch
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.validate import validate_file
from claimhouse.x12 import SequentialControlNumbers, Severity, fixed_clock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("path", sorted((FIXTURES / "x12").glob("*.x12")), ids=lambda p: p.name)
def test_x12_fixture_is_valid_at_level_5(path: Path) -> None:
    report = validate_file(path, 5)
    assert report.valid, report.codes()
    assert report.codes(Severity.WARNING) == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "json").glob("claims-*.json")),
                         ids=lambda p: p.name)
def test_claim_fixture_writes_an_837_valid_at_level_5(path: Path) -> None:
    batch = load_claim_batch(json.loads(path.read_text()))
    assert isinstance(batch.kind, ClaimKind)
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="CLAIMHOUSE", receiver="PAYER01",
                      clock=fixed_clock(datetime(2026, 1, 5, 9, 30)),
                      control_numbers=SequentialControlNumbers())
    report = validate_file(out.getvalue(), 5)
    assert report.valid, report.codes()
    assert report.codes(Severity.WARNING) == []
