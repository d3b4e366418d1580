"""Reading received 999s and TA1s: the corpus samples and our own generated acks."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimhouse.acks import build_acks
from claimhouse.acks._read import read_ta1
from claimhouse.parse import ParseOutcome, iter_parsed
from claimhouse.validate import validate_file
from claimhouse.x12 import SequentialControlNumbers
from tests.validate_samples import CLOCK, sample_837p


def _acks(data: bytes, **kw: object) -> list:  # type: ignore[type-arg]
    report = validate_file(data, 5, **kw)  # type: ignore[arg-type]
    return build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers())


def test_our_999_reads_back_with_the_rejected_set_and_its_errors() -> None:
    data = sample_837p(claims=1, sets=2)
    second = data.index(b"ST*837*0002")
    bad = data[:second] + data[second:].replace(b"DTP*472*D8*20260101",
                                                b"DTP*472*D8*20261301", 1)
    ack = next(a for a in _acks(bad) if a.kind == "999")
    parsed = list(iter_parsed(ack.content, ParseOutcome()))
    assert [p.binding.name for p in parsed] == ["999"]
    model = parsed[0].model
    assert (model.status, model.received, model.accepted) == ("P", "2", "1")
    assert [(s.control_number, s.status) for s in model.sets] == [("0001", "A"), ("0002", "R")]
    err = model.sets[1].errors[0]
    assert (err.segment_id, err.code) == ("DTP", "8")
    assert [(e.position, e.code) for e in err.elements] == [("3", "8")]
    rows = list(parsed[0].binding.csv_rows(model))
    assert any(r.get("element_code") == "8" for r in rows)


@pytest.mark.corpus
@pytest.mark.parametrize(("path", "status"), [
    ("imsweb-x12-parser/837_5010/x12_999_accepted.txt", "A"),
    ("imsweb-x12-parser/837_5010/x12_999_rejected.txt", "R"),
    ("oopfactory-x12parser/Acknowledgments/_999/DHS_Wisconsin_Sample.txt", None),
])
def test_corpus_999s_read(corpus: Path, path: str, status: str | None) -> None:
    parsed = list(iter_parsed(corpus / path, ParseOutcome()))
    assert parsed and all(p.binding.name == "999" for p in parsed)
    model = parsed[0].model
    assert model.sets
    if status:
        assert model.status == status


def test_ta1_reads_back() -> None:
    ta1 = _acks(sample_837p(), seen_interchanges={("SUBMITTER01", "000000001")})[0].content
    [ack] = read_ta1(ta1)
    assert (ack.control_number, ack.status, ack.note) == ("000000001", "R", "025")


@pytest.mark.corpus
def test_corpus_ta1_reads(corpus: Path) -> None:
    acks = read_ta1(corpus / "oopfactory-x12parser/Acknowledgments/"
                             "TechnicalAcknowledgment_SampleFromJeffN825.txt")
    assert acks and all(a.status in ("A", "E", "R") for a in acks)
