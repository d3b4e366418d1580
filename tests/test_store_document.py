"""The claim document the store keeps (``claim_documents.document``): compact (fields at their
default left out) and lossless - every fixture and every valid 5010 corpus 837 claim comes
back equal, and a document without the defaults is what a reader gets."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from claimhouse.models import ClaimBatch, from_json
from claimhouse.store._convert import claim_document, claim_from_document
from claimhouse.testing._workload import generate_workload
from claimhouse.transactions import resolve
from claimhouse.transactions.claims837 import read_claim_batch
from claimhouse.x12 import EnvelopeReader
from tests.conftest import CORPUS, FIXTURES, corpus_params
from tests.test_837_corpus import KINDS, _valid_5010


@pytest.mark.parametrize("name", ["claims-professional.json", "claims-institutional.json",
                                  "claims-dental.json"])
def test_fixture_claims_round_trip(name: str) -> None:
    batch = from_json(ClaimBatch, orjson.loads((FIXTURES / "json" / name).read_bytes()))
    assert batch.claims
    for claim in batch.claims:
        assert claim_from_document(claim_document(claim)) == claim


def test_workload_claims_round_trip_and_are_compact() -> None:
    work = generate_workload(40)
    for claim in work.all_claims():
        document = claim_document(claim)
        assert claim_from_document(document) == claim
        assert ":null" not in document and ":[]" not in document
        full = orjson.dumps(claim, default=str)
        assert len(document) * 2 < len(full)
    assert '"frequency_code":"8"' in claim_document(work.voids[0])


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_valid_5010))
def test_corpus_claims_round_trip(row: dict[str, str]) -> None:
    path = Path(CORPUS / row["local_path"])
    count = 0
    for ts in EnvelopeReader(path).transaction_sets():
        binding, ts = resolve(ts)
        if binding is None or binding.name not in KINDS:
            continue
        for claim in read_claim_batch(ts, KINDS[binding.name]).claims:
            assert claim_from_document(claim_document(claim)) == claim
            count += 1
    assert count > 0
