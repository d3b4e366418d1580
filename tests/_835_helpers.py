"""Helpers for the 835 tests: an independent plain split of an 835, real pyx12 validation,
and the generator's round trip."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyx12.params
import pyx12.x12n_document

from claimhouse.models import Remittance, from_json, to_json
from claimhouse.transactions.x221 import read_remittance, write_remittances
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers, fixed_clock

CLOCK = fixed_clock(datetime(2026, 1, 15, 9, 30))


@dataclass
class PlainSet:
    """What a plain split finds in one 835 ST..SE: BPR02 and each CLP01-05 as text."""

    bpr02: str | None = None
    clps: list[list[str]] = field(default_factory=list)


def plain_split_835(data: bytes) -> list[PlainSet]:
    """Independent of the project's tokenizer: delimiters from the fixed ISA offsets, then
    str.split; only 835 sets are returned."""
    text = data.decode("latin-1")
    out: list[PlainSet] = []
    pos = text.find("ISA")
    current: PlainSet | None = None
    while pos != -1:
        elem = text[pos + 3]
        cut = pos
        for _ in range(16):  # ISA16 follows the 16th element separator, then the terminator
            cut = text.index(elem, cut + 1)
        term = text[cut + 2]
        end = text.find("ISA" + elem, pos + 106)
        chunk = text[pos:end if end != -1 else len(text)]
        for raw in chunk.split(term):
            seg = raw.strip("\r\n \t\ufeff").split(elem)
            if seg[0] == "ST":
                current = PlainSet() if seg[1] == "835" else None
                if current is not None:
                    out.append(current)
            elif current is not None and seg[0] == "BPR":
                current.bpr02 = seg[2]
            elif current is not None and seg[0] == "CLP":
                current.clps.append((seg[1:6] + [""] * 5)[:5])
        pos = end
    return out


def read_all(data: bytes) -> list[Remittance]:
    reader = EnvelopeReader(data)
    return [read_remittance(ts) for ts in reader.transaction_sets() if ts.info.id == "835"]


def regenerate(remits: list[Remittance], *, via_json: bool = True) -> bytes:
    """The models through JSON (as `parse` prints and `generate` reads) back to an 835."""
    models = ([from_json(Remittance, to_json(r)) for r in remits] if via_json else remits)
    out = io.BytesIO()
    write_remittances(models, out, clock=CLOCK, control_numbers=SequentialControlNumbers())
    return out.getvalue()


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def pyx12_verdict(data: bytes) -> tuple[bool, int] | None:
    """pyx12's (accepted, number of errors it logged) for an interchange; None when pyx12
    has no map for it or fails on it."""
    logger = logging.getLogger("pyx12")
    counter = _Count()
    saved = logger.propagate
    logger.addHandler(counter)
    logger.propagate = False
    try:
        try:
            ok = pyx12.x12n_document.x12n_document(
                pyx12.params.params(), io.StringIO(data.decode("latin-1")), io.StringIO(), None)
        except Exception:  # pyx12 raises on inputs it has no map for
            return None
    finally:
        logger.removeHandler(counter)
        logger.propagate = saved
    return bool(ok), counter.count


def json_of(remits: list[Remittance]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [to_json(r) for r in remits]
    return out
