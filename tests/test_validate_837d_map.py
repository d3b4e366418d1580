"""The 837D (005010X224A2) map in maps/: pyx12 validates dental claims through it."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
import pyx12.errors
import pyx12.params
import pyx12.x12n_document

from claimhouse.acks import build_acks
from claimhouse.models import load_claim_batch
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.validate import validate_file
from claimhouse.validate._pyx12 import _quiet_pyx12
from claimhouse.x12 import SequentialControlNumbers, fixed_clock
from tests.conftest import FIXTURES


def dental_837() -> bytes:
    batch = load_claim_batch(json.loads((FIXTURES / "json" / "claims-dental.json").read_text()))
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="CLAIMHOUSE", receiver="SDI77",
                      clock=fixed_clock(datetime(2026, 3, 18, 9, 0)),
                      control_numbers=SequentialControlNumbers(), newline=True)
    return out.getvalue()


def test_installed_pyx12_has_no_837d_map() -> None:
    with _quiet_pyx12(), pytest.raises(pyx12.errors.EngineError, match="Map not found"):
        pyx12.x12n_document.x12n_document(pyx12.params.params(),
                                          io.StringIO(dental_837().decode()), None, None)


def test_dental_claims_validate_through_our_map() -> None:
    report = validate_file(dental_837(), 5)
    assert report.valid, [str(f) for f in report.all_findings()]
    assert "ig-guide-not-checked" not in report.codes(None)


@pytest.mark.parametrize(("old", "new", "code"), [
    (b"SV3*AD:D0150*95.00*11", b"SV3*XX:D0150*95.00*11", "ig-segment-unrecognized"),
    (b"TOO*JP*30*M:O", b"TOO*JP*30*M:Q", "ig-element-invalid-code"),
    (b"SV3*AD:D0150*95.00*11", b"SV3*AD:D0150*95.00*98", "pos-unknown"),
    (b"TOO*JP*19", b"TOOTH*JP*19", "ig-segment-unrecognized"),
])
def test_dental_defects_are_found(old: bytes, new: bytes, code: str) -> None:
    data = dental_837()
    assert old in data
    report = validate_file(data.replace(old, new, 1), 5)
    assert code in report.codes()
    ack = build_acks(report, clock=fixed_clock(datetime(2026, 3, 18)),
                     control_numbers=SequentialControlNumbers())[-1]
    assert b"IK5*R" in ack.content
