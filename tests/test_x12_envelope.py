"""Envelope checks: each defect yields exactly its finding, located, without content."""

from __future__ import annotations

import re

import pytest

from claimhouse.x12 import ENVELOPE_CODES, EnvelopeReader, ImplementationVersion, read_envelopes
from tests.x12_build import build


def codes(data: bytes) -> list[str]:
    return [f.code for f in read_envelopes(data).findings]


def mutate(data: bytes, pattern: str, repl: str, count: int = 1) -> bytes:
    text, n = re.subn(pattern, repl, data.decode("latin-1"), count=count)
    assert n, f"pattern {pattern!r} not found"
    return text.encode("latin-1")


def test_clean_file_has_no_findings_and_a_summary() -> None:
    r = read_envelopes(build(3))
    assert r.findings == []
    (icx,) = r.interchanges
    assert icx.sender == "SENDER" and icx.receiver == "RECEIVER"
    assert icx.control_number == "000000007" and icx.delimiters.segment == "~"
    (grp,) = icx.groups
    assert grp.version == "005010X222A1"
    assert [ts.control_number for ts in grp.transaction_sets] == ["0001", "0002", "0003"]
    assert all(ts.segment_count == 5 for ts in grp.transaction_sets)


MUTATIONS = [
    ("se-count-mismatch", r"SE\*5\*0001", "SE*6*0001"),
    ("se-control-mismatch", r"SE\*5\*0001", "SE*5*0009"),
    ("ge-count-mismatch", r"GE\*2\*", "GE*3*"),
    ("ge-control-mismatch", r"GE\*2\*7", "GE*2*8"),
    ("iea-count-mismatch", r"IEA\*1\*", "IEA*2*"),
    ("iea-control-mismatch", r"IEA\*1\*000000007", "IEA*1*000000008"),
    ("st-duplicate-control", r"ST\*837\*0002", "ST*837*0001"),
    ("st-version-mismatch", r"ST\*837\*0001\*005010X222A1", "ST*837*0001*005010X223A2"),
    ("st-version-addenda", r"ST\*837\*0001\*005010X222A1", "ST*837*0001*005010X222A2"),
    ("st-missing-id", r"ST\*837\*0001", "ST**0001"),
    ("isa-invalid-value", r"\*260102\*", "*261302*"),
    ("isa-invalid-value", r"\*0\*P\*:", "*7*P*:"),
    ("empty-segment", r"~REF", "~~REF"),
    ("se-missing", r"SE\*5\*0002~", ""),
    ("ge-missing", r"GE\*2\*7~", ""),
    ("iea-missing", r"IEA\*1\*000000007~", ""),
    ("segment-outside-set", r"SE\*5\*0001~", "SE*5*0001~REF*XX*1~"),
    ("st-outside-group", r"^(.*?~)GS\*[^~]*~", r"\1"),
    ("data-after-trailer", r"(IEA\*1\*000000007~)", r"\1REF*XX*1~"),
]


@pytest.mark.parametrize("code,pattern,repl", MUTATIONS,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MUTATIONS)])
def test_each_defect_yields_its_finding(code: str, pattern: str, repl: str) -> None:
    data = mutate(build(2), pattern, repl)
    found = codes(data)
    assert code in found, found
    # Located: every finding names a segment or an offset; messages carry no element values.
    for f in read_envelopes(data).findings:
        assert f.location.segment is not None or f.location.offset is not None
        assert "SUBMITTER" not in f.message and "SENDER" not in f.message
        assert f.code in ENVELOPE_CODES


def test_exact_findings_for_wrong_se01() -> None:
    data = mutate(build(2), r"SE\*5\*0001", "SE*4*0001")
    (f,) = read_envelopes(data).findings
    assert f.code == "se-count-mismatch"
    assert f.location.segment_id == "SE" and f.location.element == 1
    assert f.location.transaction_set == "0001" and f.location.group == "7"
    assert f.location.segment == 7


def test_duplicate_interchange_in_one_file() -> None:
    data = build(1)
    assert codes(data + data) == ["isa-duplicate-control"]


def test_gs_duplicate_control() -> None:
    text = build(1).decode()
    grp = re.search(r"GS\*.*?GE\*1\*7~", text, re.S)
    assert grp
    doubled = text.replace(grp.group(0), grp.group(0) * 2).replace("IEA*1*", "IEA*2*")
    assert codes(doubled.encode()) == ["gs-duplicate-control"]


def test_isa_with_unpadded_fields_is_read_leniently_and_reported() -> None:
    data = mutate(build(1), r"\*00\*          \*00\*          \*", "*00* *00* *")
    r = read_envelopes(data)
    assert {f.code for f in r.findings} == {"isa-field-width"}
    assert {f.location.element for f in r.findings} == {2, 4}
    assert r.interchanges[0].groups[0].transaction_sets[0].segment_count == 5


def test_unreadable_file_is_a_finding_not_a_traceback() -> None:
    r = read_envelopes(b"hello world")
    assert [f.code for f in r.findings] == ["not-x12"]
    r = read_envelopes(build(1)[:50])
    assert [f.code for f in r.findings] == ["isa-unreadable"]


def test_unterminated_last_segment_is_a_warning() -> None:
    data = build(1)[:-1]
    (f,) = read_envelopes(data).findings
    assert f.code == "unterminated-segment" and f.severity.value == "warning"


def test_bare_ta1_interchange_is_accepted() -> None:
    isa = build(1).decode().split("~")[0]
    text = f"{isa}~TA1*000000001*260101*1200*A*000~IEA*0*000000007~"
    assert codes(text.encode()) == []


def test_transaction_sets_stream_bodies_lazily() -> None:
    reader = EnvelopeReader(build(3))
    seen = []
    for ts in reader.transaction_sets():
        seen.append((ts.info.control_number, [s.id for s in ts.segments]))
    assert seen == [(c, ["BHT", "NM1", "REF"]) for c in ("0001", "0002", "0003")]
    assert reader.findings == []


def test_abandoned_bodies_and_missing_se_do_not_confuse_the_walk() -> None:
    data = mutate(build(3), r"SE\*5\*0002~", "")
    reader = EnvelopeReader(data)
    got = [ts.info.control_number for ts in reader.transaction_sets()]
    assert got == ["0001", "0002", "0003"]
    (f,) = reader.findings
    assert f.code == "se-missing" and f.location.segment_id == "ST"
    assert f.location.transaction_set == "0002"


@pytest.mark.parametrize("a,b,same", [
    ("005010X222A1", "005010X222A2", True),
    ("005010X223A2", "005010X223A3", True),
    ("005010X222A1", "005010X223A2", False),
    ("004010X098A1", "005010X222A1", False),
])
def test_versions_of_the_same_guide_are_recognised(a: str, b: str, same: bool) -> None:
    assert ImplementationVersion.parse(a).same_guide(ImplementationVersion.parse(b)) is same
    assert ImplementationVersion.parse("005010X222A1").key == "005010X222"
