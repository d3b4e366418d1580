"""A generator of fictional 837P interchanges of any size (fixed seed), as a stream of byte
blocks (constant memory), and of claim batches for the writer benchmark.

Claims are random (1-4 office-visit lines, modifiers, diagnoses, some J-code lines with an
NDC) and rendered once each by the project's own 837 writer; the stream then repeats those
renderings with fresh HL numbers and patient control numbers, all in one transaction set
(one billing provider, a subscriber HL per claim): the worst case for a reader that does
not stream.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from claimhouse.models import (
    Claim,
    ClaimBatch,
    Diagnosis,
    DrugIdentification,
    Procedure,
    ServiceLine,
    load_claim_batch,
)
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.x12 import SequentialControlNumbers, fixed_clock

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "json" / "claims-professional.json"
_CODES = ["99202", "99203", "99212", "99213", "99214", "99215", "36415", "81002", "97110"]
_DX = ["E119", "I10", "J069", "M545", "Z0000", "R509", "K219", "F419"]
_CENT = Decimal("0.01")
_VARIANTS = 64


def _base() -> ClaimBatch:
    return load_claim_batch(json.loads(FIXTURE.read_text(encoding="utf-8")))


def random_claim(rng: random.Random, template: Claim, n: int) -> Claim:
    """A balanced professional claim with 1-4 lines."""
    lines = []
    for k in range(rng.randint(1, 4)):
        drug = None
        code = rng.choice(_CODES)
        if rng.random() < 0.1:
            code = "J3301"
            drug = DrugIdentification("00003029305", Decimal(rng.randint(1, 80)), "ME")
        mods = rng.sample(["25", "59", "LT", "RT"], rng.randint(0, 2))
        lines.append(ServiceLine(
            charge=(Decimal(rng.randint(2500, 40000)) * _CENT).quantize(_CENT),
            procedure=Procedure(code, "HC", mods), unit_basis="UN", units=Decimal(1),
            diagnosis_pointers=[1], service_date=date(2026, 1, 1 + (n + k) % 28),
            line_item_control_number=f"L{n:09d}{k}", drug=drug))
    sub = dataclasses.replace(template.subscriber, member_id=f"M{n:010d}",
                              last_name=f"FICTION{n % 997}")
    return dataclasses.replace(
        template, patient_control_number=f"PCN{n:010d}", subscriber=sub, patient=None,
        total_charge=sum((ln.charge for ln in lines), Decimal(0)), service_lines=lines,
        diagnoses=[Diagnosis(c, "ABK" if i == 0 else "ABF")
                   for i, c in enumerate(rng.sample(_DX, rng.randint(1, 3)))],
        providers=[], payer_claim_control_number=None, frequency_code="1")


def claim_batch(n_claims: int, seed: int = 837) -> ClaimBatch:
    """A batch of ``n_claims`` random balanced claims (for the writer benchmark)."""
    base = _base()
    rng = random.Random(seed)
    template = base.claims[0]
    variants = [random_claim(rng, template, i) for i in range(_VARIANTS)]
    claims = [dataclasses.replace(variants[i % _VARIANTS], patient_control_number=f"P{i:011d}")
              for i in range(n_claims)]
    return dataclasses.replace(base, claims=claims)


def _render(batch: ClaimBatch) -> str:
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="BENCHSENDER", receiver="BENCHRECEIVER",
                      clock=fixed_clock(datetime(2026, 2, 1, 8, 0)),
                      control_numbers=SequentialControlNumbers())
    return out.getvalue().decode("latin-1")


def generate_837p(n_bytes: int, seed: int = 837) -> Iterator[bytes]:
    """Blocks of one generated 837P interchange of about ``n_bytes`` (one ST, one 2000A,
    one 2000B per claim)."""
    base = _base()
    rng = random.Random(seed)
    template = base.claims[0]
    blocks: list[tuple[str, int]] = []
    head = tail = ""
    for i in range(_VARIANTS):
        text = _render(dataclasses.replace(base, claims=[random_claim(rng, template, i)]))
        start, end = text.index("HL*2*1*22*"), text.index("SE*")
        head, tail = text[:start], text[end:]
        body = text[start + len("HL*2"):end].replace(f"PCN{i:010d}", "{pcn}", 1)
        blocks.append((body, body.count("~")))
    head_segments = head[head.index("ST*"):].count("~")
    yield head.encode("latin-1")
    size, n, segments, chunk = len(head), 0, head_segments, []
    while size < n_bytes:
        body, count = blocks[n % _VARIANTS]
        piece = f"HL*{n + 2}" + body.replace("{pcn}", f"PCN{n:010d}", 1)
        chunk.append(piece)
        size += len(piece)
        segments += count
        n += 1
        if len(chunk) == 500:
            yield "".join(chunk).encode("latin-1")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("latin-1")
    rest = tail.split("~", 1)[1]
    control = tail.split("*")[2].split("~")[0]
    yield f"SE*{segments + 1}*{control}~{rest}".encode("latin-1")
