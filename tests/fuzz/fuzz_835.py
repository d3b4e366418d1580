"""Fuzz target: the 835 reader (005010X221A1) and the 835 balancing checks.

Every transaction set is read as an 835 whatever its ST01 (the fuzzer need not find
``835`` first): whole into a Remittance then balanced, or streamed claim by claim as
`claimhouse parse --format jsonl` does."""

from __future__ import annotations

import json

from claimhouse.transactions.balancing import check_remittance
from claimhouse.transactions.x221 import read_remittance, remittance_to_json, stream_claim_records
from claimhouse.x12 import EnvelopeReader, Finding
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12, x12_fixtures

NAME = "835"


def _run(data: bytes) -> None:
    reader = EnvelopeReader(data, name="fuzz")
    for i, ts in enumerate(reader.transaction_sets()):
        if i % 2:
            for rec in stream_claim_records(ts):
                json.dumps(rec, default=str)
            continue
        findings: list[Finding] = []
        model = read_remittance(ts, findings)
        json.dumps(remittance_to_json(model), default=str)
        for f in check_remittance(model, file="fuzz"):
            str(f)


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return [*x12_fixtures(), *all_x12(("835",))]


if __name__ == "__main__":
    main(NAME, one_input, seeds)
