"""277CA (005010X214): per-claim acceptance of 837 sets the 999 accepted."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
import pyx12.params
import pyx12.x12n_document

from claimhouse.acks import build_277ca
from claimhouse.models import load_claim_batch
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.validate import validate_file
from claimhouse.validate._pyx12 import _quiet_pyx12
from claimhouse.x12 import SequentialControlNumbers, fixed_clock
from tests.conftest import FIXTURES
from tests.validate_samples import CLOCK, sample_837p


def _837(kind: str) -> bytes:
    batch = load_claim_batch(json.loads((FIXTURES / "json" / f"claims-{kind}.json").read_text()))
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="CLAIMHOUSE", receiver=batch.receiver.id,
                      clock=fixed_clock(datetime(2026, 3, 18, 9, 0)),
                      control_numbers=SequentialControlNumbers(), newline=True)
    return out.getvalue()


def _277(data: bytes) -> list:  # type: ignore[type-arg]
    return build_277ca(data, validate_file(data, 5), clock=CLOCK,
                       control_numbers=SequentialControlNumbers())


@pytest.mark.parametrize("kind", ["professional", "institutional", "dental"])
def test_277ca_passes_pyx12(kind: str) -> None:
    [ack] = _277(_837(kind))
    with _quiet_pyx12():
        assert pyx12.x12n_document.x12n_document(
            pyx12.params.params(), io.StringIO(ack.content.decode()), None, None)


def test_each_claim_accepted_or_rejected_with_its_reason() -> None:
    data = sample_837p(claims=3)
    second = data.index(b"CLM*C000001")
    bad = data[:second] + data[second:].replace(b"ABK:E119", b"ABK:Z9999", 1)
    [ack] = _277(bad)
    text = ack.content.decode()
    assert ack.kind == "277CA" and not ack.accepted
    assert "TRN*2*C000000~\nSTC*A2:20*" in text.replace("~", "~\n").replace("\n\n", "\n")
    assert "TRN*2*C000001~STC*A7:255*20260102*U*100.00" in text
    assert "QTY*90*2~QTY*AA*1~AMT*YU*200.00~AMT*YY*100.00" in text
    assert [_277(bad)[0].content] == [ack.content]  # reproducible


def test_sets_rejected_by_the_999_get_no_277ca() -> None:
    bad = sample_837p().replace(b"DTP*472*D8*20260101", b"DTP*472*D8*20261301", 1)
    assert _277(bad) == []


def test_our_277ca_reads_back_claim_by_claim() -> None:
    from claimhouse.parse import ParseOutcome, iter_parsed

    data = sample_837p(claims=2)
    bad = data.replace(b"ABK:E119", b"ABK:Z9999", 1)
    [ack] = _277(bad)
    [parsed] = list(iter_parsed(ack.content, ParseOutcome()))
    assert parsed.binding.name == "277CA"
    claims = parsed.model.claims
    assert [(c.claim_id, c.accepted) for c in claims] == [("C000000", False), ("C000001", True)]
    assert (claims[0].statuses[0].category, claims[0].statuses[0].code) == ("A7", "255")


@pytest.mark.corpus
def test_corpus_277ca_reads(corpus: Path) -> None:
    from claimhouse.parse import ParseOutcome, iter_parsed

    [p] = list(iter_parsed(corpus / "imsweb-x12-parser/277_5010/x12_277CA_rejected.txt",
                           ParseOutcome()))
    assert [(c.accepted, c.statuses[0].code) for c in p.model.claims] == [(False, "562")]
