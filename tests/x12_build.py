"""Build small X12 interchanges for tests, with any delimiters, through the project writer."""

from __future__ import annotations

import io
from datetime import datetime

from claimhouse.x12 import (
    Delimiters,
    EnvelopeWriter,
    InterchangeHeader,
    SequentialControlNumbers,
    fixed_clock,
)

BODY = [
    ("BHT", "0019", "00", "0123", "20260101", "1200", "CH"),
    ("NM1", "41", "2", "SUBMITTER", None, None, None, None, "46", "S1"),
    ("REF", "6R", "L1"),
]


def build(sets: int = 2, *, delimiters: Delimiters | None = None, newline: bool = False,
          body: list[tuple[str | None, ...]] | None = None) -> bytes:
    out = io.BytesIO()
    ew = EnvelopeWriter(out, InterchangeHeader("SENDER", "RECEIVER"),
                        clock=fixed_clock(datetime(2026, 1, 2, 3, 4)),
                        control_numbers=SequentialControlNumbers(7), delimiters=delimiters,
                        newline=newline)
    ew.begin()
    for _ in range(sets):
        ew.begin_set("837", "005010X222A1")
        for seg in body or BODY:
            ew.w.write(str(seg[0]), *seg[1:])
        ew.end_set()
    ew.end()
    return out.getvalue()
