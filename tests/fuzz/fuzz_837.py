"""Fuzz target: the 837P/837I/837D readers (and writing what they read back out).

The first input byte picks the guide each set is read with (professional, institutional,
dental, or the one its content calls for); the claims are streamed as `claimhouse parse`
does, rendered to JSON, and written again as an 837 (non-strict, as when forwarding)."""

from __future__ import annotations

import io
import json
from datetime import datetime

from claimhouse.models import ClaimBatch, ClaimKind
from claimhouse.transactions._claims837_render import batch_json
from claimhouse.transactions.claims837 import kind_of, read_claim_batch, write_claim_batch
from claimhouse.x12 import EnvelopeReader, Finding, SequentialControlNumbers, fixed_clock
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12, written_837s

NAME = "837"
_KINDS: tuple[ClaimKind | None, ...] = (None, *ClaimKind)
_CLOCK = fixed_clock(datetime(2026, 1, 2, 3, 4))


def _run(data: bytes) -> None:
    chosen = _KINDS[data[-1] % len(_KINDS)] if data else None
    for ts in EnvelopeReader(data, name="fuzz").transaction_sets():
        kind = chosen
        if kind is None:
            kind, ts = kind_of(ts)
        findings: list[Finding] = []
        batch: ClaimBatch = read_claim_batch(ts, kind, findings=findings)
        json.dumps(batch_json(batch), default=str)
        write_claim_batch(batch, io.BytesIO(), sender="S", receiver="R", clock=_CLOCK,
                          control_numbers=SequentialControlNumbers(1), strict=False)


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return [*written_837s(), *all_x12(("837",))]


if __name__ == "__main__":
    main(NAME, one_input, seeds)
