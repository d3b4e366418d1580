"""Seed inputs: the project's fixtures, 837s written from the claim JSON fixtures, the
acknowledgments claimhouse builds for them, and (read at run time, never copied) small
files of ../shared/x12-corpus."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
CORPUS = Path(os.environ.get("CLAIMHOUSE_CORPUS", ROOT.parent / "shared" / "x12-corpus"))
CRASHES = Path(__file__).resolve().parent / "crashes"
MAX_CORPUS_SEED = 64 * 1024
"""Corpus files larger than this are not seeds (libFuzzer prefers small inputs)."""


def x12_fixtures() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "x12").glob("*.x12"))]


def json_fixtures() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "json").glob("*.json"))]


@cache
def written_837s() -> tuple[bytes, ...]:
    """The claim JSON fixtures written as 837P/I/D by claimhouse itself."""
    from claimhouse.models import load_claim_batch
    from claimhouse.transactions.claims837 import write_claim_batch
    from claimhouse.x12 import SequentialControlNumbers, fixed_clock

    out = []
    for raw in json_fixtures():
        buf = io.BytesIO()
        write_claim_batch(load_claim_batch(json.loads(raw)), buf, sender="SENDER",
                          receiver="RECEIVER", clock=fixed_clock(datetime(2026, 1, 2, 3, 4)),
                          control_numbers=SequentialControlNumbers(11))
        out.append(buf.getvalue())
    return tuple(out)


@cache
def written_acks() -> tuple[bytes, ...]:
    """999, TA1 and 277CA built by claimhouse for its own fixtures (one of them broken)."""
    from claimhouse.acks import build_277ca, build_acks
    from claimhouse.validate import validate_file
    from claimhouse.x12 import SequentialControlNumbers, fixed_clock

    clock = fixed_clock(datetime(2026, 1, 2, 3, 4))
    out: list[bytes] = []
    sources = [*written_837s(), x12_fixtures()[0]]
    broken = sources[0].replace(b"IEA*1*", b"IEA*2*", 1).replace(b"SE*", b"SE*9", 1)
    for data in [*sources, broken]:
        report = validate_file(data, level=5, use_pyx12=False)
        for ack in build_acks(report, clock=clock, control_numbers=SequentialControlNumbers(5)):
            out.append(ack.content)
        if data in written_837s():
            for ack in build_277ca(data, report, clock=clock,
                                   control_numbers=SequentialControlNumbers(9)):
                out.append(ack.content)
    return tuple(out)


def corpus_files(kinds: tuple[str, ...] = ()) -> list[Path]:
    """Small corpus files (of the given MANIFEST transaction kinds, or all), if present."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for row in rows:
        path = CORPUS / row.get("local_path", "")
        kind = row.get("transaction", "")
        if kinds and not any(kind.startswith(k) for k in kinds):
            continue
        if path.is_file() and path.stat().st_size <= MAX_CORPUS_SEED:
            out.append(path)
    return out


def crash_inputs(target: str) -> list[Path]:
    """Inputs that once broke ``target`` (kept as regression tests)."""
    d = CRASHES / target
    return sorted(p for p in d.iterdir() if p.is_file()) if d.is_dir() else []


def all_x12(kinds: tuple[str, ...] = ()) -> Iterator[bytes]:
    yield from x12_fixtures()
    yield from written_837s()
    yield from written_acks()
    for p in corpus_files(kinds):
        yield p.read_bytes()
