"""Fuzz target: the acknowledgment readers - 999 (read_999), TA1 (read_ta1) and 277CA
(read_277ca) - and their JSON/CSV renderings. Every set is read by both set readers."""

from __future__ import annotations

import json

from claimhouse.acks._read import ack_csv, ack_jsonl, ack_to_json, read_999, read_ta1
from claimhouse.acks._read277 import csv_rows, read_277ca
from claimhouse.acks._read277 import to_json as ca_to_json
from claimhouse.x12 import EnvelopeReader
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12, written_acks

NAME = "acks"


def _run(data: bytes) -> None:
    read_ta1(data)
    for i, ts in enumerate(EnvelopeReader(data, name="fuzz").transaction_sets()):
        if i % 2 == 0:
            ack = read_999(ts)
            json.dumps(ack_to_json(ack))
            list(ack_jsonl(ack))
            list(ack_csv(ack))
        else:
            ca = read_277ca(ts)
            json.dumps(ca_to_json(ca))
            list(csv_rows(ca))


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return [*written_acks(), *all_x12(("999", "TA1", "277"))]


if __name__ == "__main__":
    main(NAME, one_input, seeds)
