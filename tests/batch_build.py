"""Small drop-folder inputs for the batch tests: envelope-correct 837s with a chosen ISA13,
and a mix of good, duplicate and broken files."""

from __future__ import annotations

import io
import os
import random
from datetime import datetime
from pathlib import Path

from claimhouse.x12 import EnvelopeWriter, InterchangeHeader, SequentialControlNumbers, fixed_clock

# Envelope-only drops (the fictional files here are not implementation-guide valid);
# test_batch_full.py runs validation, acks and the store over generated valid files.
DROP_BASICS = "stable_seconds = 0\nmax_attempts = 100\nvalidation_level = 0\nload = false\n"
TOML_SQLITE = f"[drop]\n{DROP_BASICS}"


def interchange(control: int, *, claims: int = 2, sender: str = "SUBMITTER1") -> bytes:
    """An 837P-shaped interchange (fictional content) with ISA13 = ``control``."""
    out = io.BytesIO()
    ew = EnvelopeWriter(out, InterchangeHeader(sender, "RECEIVER1"),
                        clock=fixed_clock(datetime(2026, 1, 2, 3, 4)),
                        control_numbers=SequentialControlNumbers(control))
    ew.begin()
    ew.begin_set("837", "005010X222A1")
    ew.w.write("BHT", "0019", "00", f"B{control}", "20260101", "1200", "CH")
    for n in range(claims):
        ew.w.write("CLM", f"PC{control}-{n}", "100.00", None, None, ("11", "B", "1"))
        ew.w.write("SV1", ("HC", "99213"), "100.00", "UN", "1")
    ew.end_set()
    ew.end()
    return out.getvalue()


def make_drop(root: Path, toml: str = TOML_SQLITE) -> Path:
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    (root / "claimhouse.toml").write_text(toml)
    return root


def mixed_batch(inbox: Path, count: int, *, seed: int = 7, first_control: int = 1000) -> dict[
        str, str]:
    """Write ``count`` files: mostly good, some junk, some truncated, some duplicates.

    Returns name -> expected kind ("good", "junk", "truncated", "dup-bytes", "dup-isa13").
    """
    rng = random.Random(seed)
    kinds: dict[str, str] = {}
    good: list[bytes] = []
    good_controls: list[int] = []
    for i in range(count):
        name = f"f{i:04d}.x12"
        roll = rng.random()
        if roll < 0.06 and good:
            data, kind = rng.choice(good), "dup-bytes"
        elif roll < 0.10 and good:
            data, kind = interchange(good_controls[0], claims=1), "dup-isa13"
        elif roll < 0.14:
            data, kind = bytes(rng.getrandbits(8) for _ in range(200)), "junk"
        elif roll < 0.18:
            data, kind = interchange(first_control + i)[:-40], "truncated"
        else:
            data, kind = interchange(first_control + i, claims=1 + i % 3), "good"
            good.append(data)
            good_controls.append(first_control + i)
        (inbox / name).write_bytes(data)
        kinds[name] = kind
    return kinds


def memory_dir(prefix: str) -> Path:
    """A fresh folder on /dev/shm where there is one (fsync is free there; the kill -9 and
    concurrency tests are about process crashes and races, not power loss), else /tmp."""
    import tempfile

    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


def valid_837(control: int, *, sender: str = "CLINIC1") -> bytes:
    """A guide-valid 837P (the project's fictional claim fixture) with ISA13 = ``control``,
    written by the project's own 837 writer."""
    import json

    from claimhouse.models import load_claim_batch
    from claimhouse.transactions.claims837 import write_claim_batch

    root = Path(__file__).resolve().parents[1]
    data = json.loads((root / "fixtures" / "json" / "claims-professional.json").read_text())
    batch = load_claim_batch(data)
    out = io.BytesIO()
    write_claim_batch(batch, out, sender=sender, receiver=batch.receiver.id,
                      clock=fixed_clock(datetime(2026, 1, 5, 10, 0)),
                      control_numbers=SequentialControlNumbers(control))
    return out.getvalue()
