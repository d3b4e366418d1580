"""Mutation tests: one defect in a valid generated file yields exactly the expected
finding code(s), and the 999/TA1 rejects the right transaction set, group or interchange."""

from __future__ import annotations

import re

import pytest

from claimhouse.acks import build_acks
from claimhouse.validate import validate_file
from claimhouse.x12 import SequentialControlNumbers
from tests.validate_samples import CLOCK, sample_835, sample_837p

BASE_837 = sample_837p(claims=1)
BASE_835 = sample_835(payments=1)


def _recount(data: bytes) -> bytes:
    """Rewrite SE01 to the real segment count (for mutations that add/remove segments)."""
    text = data.decode("latin-1")
    out: list[str] = []
    count = 0
    for seg in text.split("~"):
        tag = seg.strip().split("*", 1)[0]
        if tag == "ST":
            count = 0
        count += 1
        if tag == "SE":
            seg = re.sub(r"SE\*\d+", f"SE*{count}", seg)
        out.append(seg)
    return "~".join(out).encode("latin-1")


def sub(base: bytes, old: str, new: str, *, recount: bool = False) -> bytes:
    assert old.encode() in base, old
    data = base.replace(old.encode("latin-1"), new.encode("latin-1"), 1)
    return _recount(data) if recount else data


# (id, mutated bytes, expected error codes, what the ack rejects: set / group / interchange).
# Where a defect is seen at two levels (pyx12's code-list check and our POS list, our
# character check and pyx12's), both codes are expected: each names the same defect.
CASES = [
    ("se01-wrong", sub(BASE_837, "SE*", "SE*9"), {"se-count-mismatch"}, "set"),
    ("se02-wrong", sub(BASE_837, "*0001~\nGE", "*0002~\nGE"), {"se-control-mismatch"}, "set"),
    (
        "se-missing",
        sub(BASE_837, re.search(rb"SE\*\d+\*0001~\n", BASE_837).group().decode(), ""),
        {"se-missing", "ge-missing", "ig-segment-missing"},
        "group",
    ),
    (
        "st03-missing",
        sub(BASE_837, "ST*837*0001*005010X222A1", "ST*837*0001"),
        {"st-version-missing"},
        "set",
    ),
    ("ge01-wrong", sub(BASE_837, "GE*1*", "GE*2*"), {"ge-count-mismatch"}, "group"),
    ("ge02-wrong", sub(BASE_837, "GE*1*1", "GE*1*7"), {"ge-control-mismatch"}, "group"),
    (
        "iea02-wrong",
        sub(BASE_837, "IEA*1*000000001", "IEA*1*000000009"),
        {"iea-control-mismatch"},
        "interchange",
    ),
    ("iea01-wrong", sub(BASE_837, "IEA*1*", "IEA*2*"), {"iea-count-mismatch"}, "interchange"),
    (
        "isa14-invalid",
        sub(BASE_837, "*000000001*0*T*", "*000000001*X*T*"),
        {"isa-invalid-value", "ig-element-invalid-code"},
        "interchange",
    ),
    (
        "hl-parent-broken",
        sub(BASE_837, "HL*2*1*22*0", "HL*2*5*22*0"),
        {"hl-parent-unknown", "hl-child-flag"},
        "set",
    ),
    (
        "hl-not-sequential",
        sub(BASE_837, "HL*2*1*22*0", "HL*3*1*22*0"),
        {"hl-not-sequential"},
        "set",
    ),
    (
        "hl-child-flag",
        sub(BASE_837, "HL*1**20*1", "HL*1**20*0"),
        {"hl-child-flag", "ig-element-invalid-code"},
        "set",
    ),
    (
        "patient-loop-missing",
        sub(BASE_837, "SBR*P*18*", "SBR*P**"),
        {"patient-loop-missing"},
        "set",
    ),
    ("icd10-unknown", sub(BASE_837, "ABK:E119", "ABK:Z9999"), {"icd10-unknown"}, "set"),
    ("icd10-not-billable", sub(BASE_837, "ABK:E119", "ABK:E11"), {"icd10-not-billable"}, "set"),
    (
        "ndc-missing-on-j-code",
        sub(BASE_837, "LIN**N4*00409123401~\nCTP****1*UN~\n", "", recount=True),
        {"ndc-missing"},
        "set",
    ),
    ("ndc-format", sub(BASE_837, "N4*00409123401", "N4*0040912340"), {"ndc-format"}, "set"),
    (
        "claim-charge-mismatch",
        sub(BASE_837, "*100***11", "*101***11"),
        {"claim-charge-mismatch"},
        "set",
    ),
    (
        "diagnosis-pointer",
        sub(BASE_837, "***1:2~", "***1:3~"),
        {"diagnosis-pointer-invalid"},
        "set",
    ),
    (
        "line-control-duplicate",
        sub(BASE_837, "REF*6R*L2", "REF*6R*L1"),
        {"line-control-duplicate"},
        "set",
    ),
    ("cpt-format", sub(BASE_837, "HC:99213:25", "HC:9921X:25"), {"cpt-format"}, "set"),
    ("hcpcs-format", sub(BASE_837, "HC:J1100", "HC:J110A"), {"hcpcs-format"}, "set"),
    ("modifier-format", sub(BASE_837, "99213:25", "99213:2-"), {"modifier-format"}, "set"),
    (
        "pos-unknown",
        sub(BASE_837, "*11:B:1*", "*98:B:1*"),
        {"pos-unknown", "ig-element-invalid-code"},
        "set",
    ),
    (
        "bad-date",
        sub(BASE_837, "DTP*472*D8*20260101", "DTP*472*D8*20261301"),
        {"ig-element-invalid-date"},
        "set",
    ),
    (
        "element-too-long",
        sub(BASE_837, "NM1*85*2*GOOD CLINIC", "NM1*85*2*" + "G" * 61),
        {"ig-element-too-long"},
        "set",
    ),
    (
        "missing-required-segment",
        sub(BASE_837, "N3*1 MAIN ST~\n", "", recount=True),
        {"ig-segment-missing"},
        "set",
    ),
    (
        "unknown-segment",
        sub(BASE_837, "DMG*D8", "ZZZ*1~\nDMG*D8", recount=True),
        {"ig-segment-unrecognized"},
        "set",
    ),
    (
        "invalid-code",
        sub(BASE_837, "DMG*D8*19700101*M", "DMG*D8*19700101*X"),
        {"ig-element-invalid-code"},
        "set",
    ),
    (
        "missing-mandatory-element",
        sub(BASE_837, "DMG*D8*19700101*M", "DMG*D8**M"),
        {"ig-element-missing", "ig-segment-element-errors"},
        "set",
    ),
    (
        "non-ascii-character",
        sub(BASE_837, "GOOD CLINIC", "GOOD CL\xcdNIC"),
        {"invalid-character", "ig-element-invalid-character"},
        "set",
    ),
    (
        "control-character",
        sub(BASE_837, "GOOD CLINIC", "GOOD\x01CLINIC"),
        {"invalid-character", "ig-element-invalid-character"},
        "set",
    ),
    ("835-out-of-balance", sub(BASE_835, "BPR*I*80*", "BPR*I*81*"),
     {"835-transaction-unbalanced"}, "set"),
    ("835-line-out-of-balance", sub(BASE_835, "SVC*HC:99213*100*80", "SVC*HC:99213*100*70"),
     {"835-line-unbalanced"}, "set"),
    ("carc-unknown-835", sub(BASE_835, "CAS*PR*1*", "CAS*PR*$$*"), {"carc-unknown"}, "set"),
]


@pytest.mark.parametrize(
    ("data", "expected", "scope"), [pytest.param(d, e, s, id=i) for i, d, e, s in CASES]
)
def test_mutation_yields_exactly_its_finding(data: bytes, expected: set[str], scope: str) -> None:
    report = validate_file(data, 5)
    assert set(report.codes()) == expected
    acks = build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers())
    kinds = {a.kind: a for a in acks}
    if scope == "interchange":
        assert "TA1" in kinds and b"*R*" in kinds["TA1"].content
        assert "999" not in kinds
        return
    ack = kinds["999"].content.decode()
    if scope == "set":
        assert "AK2*" in ack and "IK5*R" in ack
        assert re.search(r"AK9\*R\*1\*1\*0", ack)
    else:
        assert re.search(r"AK9\*R\*", ack)


def test_bases_are_valid() -> None:
    for base in (BASE_837, BASE_835, sample_837p(claims=3, sets=2)):
        report = validate_file(base, 5)
        assert report.valid, [str(f) for f in report.all_findings()]


def test_duplicate_interchange_from_same_sender_gets_ta1_025() -> None:
    report = validate_file(BASE_837, 1, seen_interchanges={("SUBMITTER01", "000000001")})
    assert report.codes() == ["isa-duplicate-interchange"]
    acks = build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers())
    assert [a.kind for a in acks] == ["TA1"]
    assert b"TA1*000000001*260102*0304*R*025~" in acks[0].content
    other = validate_file(BASE_837, 1, seen_interchanges={("SOMEONE ELSE", "000000001")})
    assert other.valid


def test_only_the_bad_set_is_rejected() -> None:
    data = sample_837p(claims=1, sets=2)
    second = data.index(b"ST*837*0002")
    bad = data[:second] + data[second:].replace(b"ABK:E119", b"ABK:Z9999", 1)
    report = validate_file(bad, 5)
    sets = report.interchanges[0].groups[0].sets
    assert [s.valid for s in sets] == [True, False]
    ack = build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers())[0]
    text = ack.content.decode()
    assert "AK2*837*0001*005010X222A1~\nIK5*A~" in text.replace("~", "~\n").replace("\n\n", "\n")
    assert "AK9*P*2*2*1" in text
