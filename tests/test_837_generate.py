"""Writing 837s from claim JSON: pyx12 accepts them, the HL hierarchy is right, they read
back to the same claims, output is reproducible, and bad input is reported claim by claim,
field by field, all at once."""

from __future__ import annotations

import copy
import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from claimhouse.errors import ModelError
from claimhouse.models import ClaimBatch, ClaimKind, load_claim_batch
from claimhouse.transactions.claims837 import read_claim_batch, write_claim_batch
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers, fixed_clock
from tests._pyx12_check import pyx12_errors
from tests.conftest import FIXTURES

FIXTURE_FILES = sorted((FIXTURES / "json").glob("claims-*.json"))
CLOCK = fixed_clock(datetime(2026, 3, 20, 10, 30))


def _load(path: Path) -> tuple[dict[str, Any], ClaimBatch]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data, load_claim_batch(data)


def _write(batch: ClaimBatch) -> bytes:
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="CLAIMHOUSE", receiver=batch.receiver.id,
                      clock=CLOCK, control_numbers=SequentialControlNumbers())
    return out.getvalue()


def _read(data: bytes) -> list[ClaimBatch]:
    return [read_claim_batch(ts) for ts in EnvelopeReader(data).transaction_sets()]


def _segments(data: bytes) -> list[list[str]]:
    return [s.split("*") for s in data.decode("latin-1").split("~") if s]


def test_fixtures_cover_what_the_issue_lists() -> None:
    batches = {p.name: _load(p)[1] for p in FIXTURE_FILES}
    kinds = {b.kind for b in batches.values()}
    assert kinds == set(ClaimKind)
    lines = [line for b in batches.values() for c in b.claims for line in c.service_lines]
    codes = {line.procedure.code for line in lines if line.procedure}
    assert {"99202", "99203", "99213", "99214", "99215"} <= codes
    mods = {m for line in lines if line.procedure for m in line.procedure.modifiers}
    assert {"25", "59", "LT", "RT"} <= mods
    assert any(line.drug and line.procedure and line.procedure.code.startswith("J")
               for line in lines)
    inst = [c for b in batches.values() if b.kind is ClaimKind.INSTITUTIONAL for c in b.claims]
    assert any(c.admission_date for c in inst) and any(c.place_of_service == "13" for c in inst)
    assert any(t for line in lines for t in line.teeth)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_generated_837_passes_pyx12(path: Path) -> None:
    _, batch = _load(path)
    data = _write(batch)
    map_path = None
    if batch.kind is ClaimKind.DENTAL:
        from claimhouse.validate._pyx12 import merged_map_path, project_map_dir

        if not (project_map_dir() / "837.5010.X224.A2.xml").is_file():
            pytest.skip("no pyx12 map for 837D (005010X224A2) in maps/ yet")
        map_path = merged_map_path()
    ok, errors = pyx12_errors(data, map_path)
    assert ok is True and errors == []


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_generated_837_reads_back_to_the_same_claims(path: Path) -> None:
    _, batch = _load(path)
    [back] = _read(_write(batch))
    expected = copy.deepcopy(batch)
    for claim in expected.claims:
        for i, line in enumerate(claim.service_lines, 1):
            line.line_number = i
    assert back.kind is batch.kind
    assert back.claims == expected.claims
    assert (back.submitter, back.receiver, back.reference) == (
        batch.submitter, batch.receiver, batch.reference)
    assert _write(back) == _write(batch)  # reproducible, and stable through a read


def test_hl_hierarchy() -> None:
    _, batch = _load(FIXTURES / "json" / "claims-professional.json")
    hls = [s for s in _segments(_write(batch)) if s[0] == "HL"]
    levels: dict[str, str] = {}
    for i, hl in enumerate(hls):
        hl += [""] * (5 - len(hl))
        assert hl[1] == str(i + 1)  # HL01 sequential from 1
        parent_level = {"20": None, "22": "20", "23": "22"}[hl[3]]
        if parent_level is None:
            assert hl[2] == ""
        else:
            assert levels[hl[2]] == parent_level  # HL02 names an earlier HL of the parent level
        levels[hl[1]] = hl[3]
        has_child = i + 1 < len(hls) and hls[i + 1][2:3] == [hl[1]]
        assert hl[4] == ("1" if has_child else "0")
    assert [h[3] for h in hls] == ["20", "22", "22", "22", "23", "22"]
    # the subscriber is the patient (SBR02 18) exactly where no 2000C follows
    segs = _segments(_write(batch))
    sbrs = [s[2] for s in segs if s[0] == "SBR"]
    assert sbrs == ["18", "18", "", "18"]


def test_clm02_must_balance() -> None:
    data, _ = _load(FIXTURES / "json" / "claims-professional.json")
    data["claims"][1]["total_charge"] = "300.00"
    with pytest.raises(ModelError) as err:
        load_claim_batch(data)
    [problem] = err.value.problems
    assert problem.startswith("claims[1] (patient_control_number 'RFM-1002').total_charge")
    assert "310.00" in problem


def test_writer_refuses_an_unbalanced_claim_and_writes_nothing() -> None:
    _, batch = _load(FIXTURES / "json" / "claims-professional.json")
    batch.claims[0].service_lines[0].charge = Decimal("70.00")
    out = io.BytesIO()
    with pytest.raises(ModelError) as err:
        write_claim_batch(batch, out, sender="CLAIMHOUSE", receiver="PHP01", clock=CLOCK,
                          control_numbers=SequentialControlNumbers())
    assert out.getvalue() == b""
    assert "claims[0] (patient_control_number 'RFM-1001').total_charge" in str(err.value)
    problems = write_claim_batch(batch, out, sender="CLAIMHOUSE", receiver="PHP01",
                                 clock=CLOCK, control_numbers=SequentialControlNumbers(),
                                 strict=False)
    assert len(problems) == 1 and out.getvalue().startswith(b"ISA")


def test_bad_json_names_every_claim_and_field_at_once() -> None:
    data, _ = _load(FIXTURES / "json" / "claims-professional.json")
    data["claims"][0]["total_charge"] = 75
    data["claims"][2]["service_lines"][1]["charge"] = "12O.00"
    data["claims"][3]["subscriber"]["birth_date"] = "03/04/1975"
    del data["claims"][4]["payer"]
    data["claims"][4]["colour"] = "blue"
    with pytest.raises(ModelError) as err:
        load_claim_batch(data)
    problems = err.value.problems
    assert problems == [
        "claims[2] (patient_control_number 'RFM-1003').service_lines[1].charge: "
        "not a decimal amount",
        "claims[3] (patient_control_number 'RFM-1004').subscriber.birth_date: "
        "not an ISO 8601 date (YYYY-MM-DD)",
        "claims[4] (patient_control_number 'RFM-1005').payer: required",
        "claims[4] (patient_control_number 'RFM-1005').colour: unknown field",
    ]
    assert "ROE" not in str(err.value) and "1975" not in str(err.value)


def test_guide_problems_are_reported_before_writing() -> None:
    _, batch = _load(FIXTURES / "json" / "claims-institutional.json")
    batch.claims[0].facility_code_qualifier = "B"
    batch.claims[1].service_lines[0].revenue_code = None
    batch.claims[1].providers.append(copy.deepcopy(batch.claims[1].providers[0]))
    with pytest.raises(ModelError) as err:
        _write(batch)
    text = str(err.value)
    assert "claims[0] (patient_control_number 'LGH-IP-5001').facility_code_qualifier" in text
    assert "claims[1] (patient_control_number 'LGH-OP-5002').service_lines[0].revenue_code" \
        in text
    assert "claims[1] (patient_control_number 'LGH-OP-5002').providers[2].role" in text
    assert len(err.value.problems) == 3


def test_corrections_and_line_control_numbers() -> None:
    _, batch = _load(FIXTURES / "json" / "claims-professional.json")
    batch.claims[4].payer_claim_control_number = None  # RFM-1005 is a replacement (7)
    batch.claims[0].frequency_code = "5"
    batch.claims[2].service_lines[1].line_item_control_number = "RFM-1003-1"
    with pytest.raises(ModelError) as err:
        _write(batch)
    assert err.value.problems == [
        "claims[0] (patient_control_number 'RFM-1001').frequency_code: must be 1 "
        "(original), 7 (replacement) or 8 (void)",
        "claims[2] (patient_control_number 'RFM-1003').service_lines: line item control "
        "numbers (REF*6R) must be unique within the claim",
        "claims[4] (patient_control_number 'RFM-1005').payer_claim_control_number: a "
        "replacement or void names the payer's claim control number (REF*F8)",
    ]


def test_institutional_segments() -> None:
    _, batch = _load(FIXTURES / "json" / "claims-institutional.json")
    segs = _segments(_write(batch))
    his = [s for s in segs if s[0] == "HI"]
    assert [h[1].split(":")[0] for h in his[:7]] == ["ABK", "ABJ", "DR", "ABF", "BBR", "BH",
                                                     "BE"]
    assert ["HI", "DR:470"] in segs  # the DRG, in guide order after the admitting diagnosis
    ids = [s[0] for s in segs]
    assert ids.index("CL1") < ids.index("PWK") < ids.index("HI")  # the guide's order
    assert ["PWK", "OZ", "BM", "", "", "AC", "LGH-OPNOTE-1"] in segs
    assert his[0][1] == "ABK:J189:::::::Y"
    assert ["DTP", "434", "RD8", "20260210-20260214"] in segs
    assert ["DTP", "435", "DT", "202602100830"] in segs
    assert ["DTP", "096", "TM", "1400"] in segs
    assert ["SV2", "0300", "HC:80053", "1850.00", "UN", "12"] in segs
    assert ["CL1", "1", "7", "01"] in segs


def test_dental_segments() -> None:
    _, batch = _load(FIXTURES / "json" / "claims-dental.json")
    segs = _segments(_write(batch))
    assert ["SV3", "AD:D2392", "220.00", "11", "", "", "1"] in segs
    assert ["TOO", "JP", "30", "M:O"] in segs
    assert ["SV3", "AD:D2740", "1000.00", "11", "", "I", "1"] in segs
    assert ["SV3", "AD:D4341", "180.00", "", "10", "", "1"] in segs
    assert next(s for s in segs if s[0] == "GS")[8] == "005010X224A2"
