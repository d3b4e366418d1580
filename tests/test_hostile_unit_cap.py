"""A claim of a million segments stops the map engine at its bound (MAX_UNIT_SEGMENTS) with
UnitTooLongError naming the segment number (never content), in bounded memory; a claim
just under the bound still reads. Each case runs in a fresh interpreter and reads its own
peak RSS (VmHWM), as tests/test_hostile_memory.py does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from claimhouse.transactions._engine_read import MAX_UNIT_SEGMENTS
from tests._hostile_child import SAMPLE, run_child


def test_a_million_segments_in_one_claim_stop_at_the_bound() -> None:
    r = run_child("""
from claimhouse.errors import UnitTooLongError
from claimhouse.x12 import EnvelopeReader
from claimhouse.transactions.x221 import stream_claim_records
err = None
try:
    for ts in EnvelopeReader(stream(SVC, 500_000, CLP)).transaction_sets():
        for rec in stream_claim_records(ts):
            pass
except UnitTooLongError as exc:
    err = str(exc)
done(err=err)
""")
    err = str(r["err"])
    head = len(SAMPLE.read_bytes().split(b"LX*1~")[0].split(b"~"))  # ISA..LX ordinals
    assert f"has more than {MAX_UNIT_SEGMENTS} segments" in err, r
    assert "loop 2100" in err, r
    clp = head + 1  # the CLP's ordinal (the LX is segment `head`)
    assert f"segment {clp + MAX_UNIT_SEGMENTS}:" in err, r
    assert f"opened at segment {clp}" in err, r
    for content in ("PCN0001", "99214", "ACME"):  # never element content
        assert content not in err
    # the million segments were never all held: well under the ~400 MB they took
    assert int(str(r["peak_kb"])) / 1024 < 200, r


def test_parse_cli_reports_the_bound_as_an_error(tmp_path: Path) -> None:
    head = SAMPLE.read_bytes().split(b"LX*1~")[0] + b"LX*1~"
    clp = b"CLP*PCN0001*1*200.00*150.00*50.00*12*ACME2026000001*11*1~"
    svc = b"SVC*HC:99214*200.00*150.00**1~CAS*CO*45*50.00~"
    path = tmp_path / "one-huge-claim.x12"
    with path.open("wb") as fh:
        fh.write(head + clp)
        for _ in range(MAX_UNIT_SEGMENTS // 2000 + 1):
            fh.write(svc * 1000)
        fh.write(b"SE*5*0001~GE*1*101~IEA*1*000000101~")
    exe = Path(sys.executable).with_name("claimhouse")
    res = subprocess.run([str(exe), "parse", "--format", "jsonl", "-o",
                          str(tmp_path / "out.jsonl"), str(path)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 1, res.stderr
    assert f"has more than {MAX_UNIT_SEGMENTS} segments" in res.stderr
    assert "PCN0001" not in res.stderr and "99214" not in res.stderr


def test_a_claim_under_the_bound_reads_whole() -> None:
    r = run_child("""
from claimhouse.x12 import EnvelopeReader
from claimhouse.transactions.x221 import stream_claim_records
lines = 0
for ts in EnvelopeReader(stream(SVC, 100_000, CLP)).transaction_sets():
    for rec in stream_claim_records(ts):
        lines += len(rec["service_lines"])
done(lines=lines)
""")
    assert r["lines"] == 100_000, r
