"""837P/837I against the public corpus: every valid 005010 file parses, its claims (count,
CLM01, CLM02) match an independent plain split of the file, parse -> generate -> parse
gives equal models, pyx12 still accepts what it accepted, and nothing crashes on 004010
or broken files."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from claimhouse.models import ClaimKind, to_json
from claimhouse.parse import ParseOutcome, iter_parsed, write_json
from claimhouse.transactions import resolve
from claimhouse.transactions._claims837_render import json_items
from claimhouse.transactions.claims837 import read_claim_batch, write_claim_batch
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers, fixed_clock
from tests._pyx12_check import pyx12_errors
from tests.conftest import CORPUS, corpus_params

KINDS = {"837P": ClaimKind.PROFESSIONAL, "837I": ClaimKind.INSTITUTIONAL,
         "837D": ClaimKind.DENTAL}


def _valid_5010(row: dict[str, str]) -> bool:
    return (row["transaction"] in ("837P", "837I") and row["version"].startswith("00501")
            and row["valid_hint"].startswith("valid"))


def _plain_claims(data: bytes) -> list[tuple[str, Decimal]]:
    """CLM01 and CLM02 of every CLM, by a plain split on the ISA's delimiters."""
    text = data.decode("latin-1")
    start = text.index("ISA")
    element, terminator = text[start + 3], text[start + 105]
    out = []
    for raw in text[start:].split(terminator):
        els = raw.strip("\r\n \t").split(element)
        if els[0] == "CLM":
            out.append((els[1], Decimal(els[2])))
    return out


def _claims_json(path: Path) -> list[dict[str, object]]:
    buf = io.StringIO()
    outcome = ParseOutcome()
    write_json(iter_parsed(path, outcome), buf)
    doc = json.loads(buf.getvalue())
    docs = doc if isinstance(doc, list) else [doc]
    claims: list[dict[str, object]] = []
    for d in docs:
        assert d["transaction"] in KINDS
        claims.extend(d["claims"])
    return claims


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_valid_5010))
def test_claims_match_a_plain_split(row: dict[str, str]) -> None:
    path = CORPUS / row["local_path"]
    expected = _plain_claims(path.read_bytes())
    claims = _claims_json(path)
    assert len(claims) == len(expected) == int(row["claims_count"])
    got = [(c["patient_control_number"], Decimal(str(c["total_charge"]))) for c in claims]
    assert got == expected


def _write(batch, *, strict: bool = False) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="SENDER01", receiver="RECEIVER01",
                      clock=fixed_clock(datetime(2026, 3, 1, 9, 30)),
                      control_numbers=SequentialControlNumbers(), strict=strict)
    return out.getvalue()


def _batches(source: Path | bytes):  # type: ignore[no-untyped-def]
    for ts in EnvelopeReader(source).transaction_sets():
        binding, ts = resolve(ts)
        assert binding is not None and binding.set_id == "837"
        yield binding.name, read_claim_batch(ts, KINDS[binding.name])


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_valid_5010))
def test_parse_generate_parse_gives_equal_models(row: dict[str, str]) -> None:
    path = CORPUS / row["local_path"]
    for name, batch in _batches(path):
        assert batch.claims
        # the fast renderer of `claimhouse parse` says what the generic to_json says
        assert list(json_items(batch)) == [to_json(c) for c in batch.claims]
        again = list(_batches(_write(batch)))
        assert [n for n, _ in again] == [name]
        assert again[0][1] == batch


_PYX12_VERSION = {"837P": "005010X222A1", "837I": "005010X223A2"}


def _small_valid(row: dict[str, str]) -> bool:
    return _valid_5010(row) and int(row["bytes"]) < 20_000


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_small_valid))
def test_pyx12_accepts_the_round_trip_of_what_it_accepts(row: dict[str, str]) -> None:
    """GS08/ST03 are first set to the addenda pyx12 has a map for (X222A1, X223A2), so the
    X222A2/X223A3 samples are judged too; files pyx12 rejects are not held to this."""
    data = (CORPUS / row["local_path"]).read_bytes().decode("latin-1")
    data = re.sub(r"005010X22[23]\w*", _PYX12_VERSION[row["transaction"]], data)
    ok, _ = pyx12_errors(data.encode("latin-1"))
    if not ok:
        pytest.skip("pyx12 does not accept the original")
    for _, batch in _batches(CORPUS / row["local_path"]):
        ok2, errors = pyx12_errors(_write(batch))
        assert ok2, errors


def test_some_corpus_originals_are_accepted_by_pyx12(corpus: Path) -> None:
    """Guards the test above against becoming vacuous."""
    accepted = 0
    for name in ("demo.example1.837", "demo.drug.example10.2.837", "demo.cob.example3.B.837"):
        data = (corpus / "linuxforhealth-x12/837_005010X222A2" / name).read_bytes()
        ok, _ = pyx12_errors(data.replace(b"005010X222A2", b"005010X222A1"))
        accepted += bool(ok)
    assert accepted == 3


def _other_837(row: dict[str, str]) -> bool:
    return "837" in row["transaction"] and not _valid_5010(row)


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_other_837))
def test_004010_and_broken_837s_do_not_crash(row: dict[str, str]) -> None:
    outcome = ParseOutcome()
    parsed = list(iter_parsed(CORPUS / row["local_path"], outcome))
    for p in parsed:
        if p.binding.set_id == "837":
            list(p.binding.jsonl_records(p.model))
    if row["version"].startswith("004010"):
        assert not [p for p in parsed if p.binding.set_id == "837"]
        assert outcome.unsupported


def test_wrong_gs08_is_read_by_content(corpus: Path) -> None:
    path = (corpus / "oopfactory-x12parser/OopFactory.X12.Hipaa.Tests.Unit/Claims/TestData/"
            "InstitutionalClaim5010.txt")
    assert b"005010X222" in path.read_bytes()
    [(name, batch)] = list(_batches(path))
    assert name == "837I" and batch.kind is ClaimKind.INSTITUTIONAL
    assert all(line.revenue_code for c in batch.claims for line in c.service_lines)
    assert _claims_json(path)[0]["service_lines"][0]["revenue_code"]  # type: ignore[index]
