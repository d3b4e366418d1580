"""Fuzz target: claim JSON input (models.load_claim_batch, what `claimhouse generate 837`
reads) and 835 JSON input (remittances_from_json, what `generate 835` reads).

Bytes that are not JSON are the CLI's concern (it reports "not JSON"); every JSON value
must give a batch or a ModelError/InputError listing the problems."""

from __future__ import annotations

import json

from claimhouse.models import load_claim_batch
from claimhouse.transactions.claims837 import check_batch
from claimhouse.transactions.x221 import remittances_from_json
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import json_fixtures

NAME = "json"


def _run(data: bytes) -> None:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return  # not JSON: the CLI's "not JSON" error, before any model code runs
    if data[:1] == b"[" or (isinstance(doc, dict) and "remittances" in doc):
        remittances_from_json(doc)
        return
    batch = load_claim_batch(doc)
    check_batch(batch)


one_input = guarded(_run)


def seeds() -> list[bytes]:
    from claimhouse.transactions.x221 import read_remittance, remittance_to_json
    from claimhouse.x12 import EnvelopeReader
    from tests.fuzz._seeds import x12_fixtures

    out = json_fixtures()
    for data in x12_fixtures():
        for ts in EnvelopeReader(data).transaction_sets():
            doc = {"transaction": "835", "remittances": [remittance_to_json(read_remittance(ts))]}
            out.append(json.dumps(doc, default=str).encode())
    return out


if __name__ == "__main__":
    main(NAME, one_input, seeds)
