"""Memory stays bounded on hostile sizes (issue 8): a 2 GB file of one segment, a 100 MB
element, 10^6 repetitions of a segment, 10^5 claims / service lines in one 835 set.

Each case runs in a fresh interpreter over a sparse file or a generated stream (never
whole in memory or on disk) and reads that interpreter's own peak RSS (VmHWM, KiB).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._hostile_child import SAMPLE, run_child


def _mb(result: dict[str, object]) -> float:
    return int(str(result["peak_kb"])) / 1024


def test_two_gb_single_segment_file_is_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "one-segment.x12"
    with big.open("wb") as fh:  # sparse: 2 GiB of NULs after NM1*QC*1*, no terminator
        fh.write(SAMPLE.read_bytes().split(b"BPR")[0] + b"NM1*QC*1*")
        fh.truncate(2 * 1024**3)
    r = run_child(f"""
from claimhouse.x12 import EnvelopeReader
from claimhouse.validate import validate_file
from claimhouse.parse import ParseOutcome, iter_parsed

env = EnvelopeReader({str(big)!r}).run()
report = validate_file({str(big)!r}, level=5)
outcome = ParseOutcome()
sets = list(iter_parsed({str(big)!r}, outcome))
done(env=sorted({{f.code for f in env.findings}}), validate=report.codes(),
     parse=sorted({{f.code for f in outcome.findings}}))
""")
    assert r["env"] == ["segment-too-long"], r
    assert r["validate"] == ["segment-too-long"], r
    assert r["parse"] == ["segment-too-long"], r
    assert _mb(r) < 150, r


def test_hundred_mb_element_stops_the_read_in_bounded_memory() -> None:
    r = run_child("""
from claimhouse.x12 import EnvelopeReader
from claimhouse.validate import validate_file
src = io.BufferedReader(GeneratedStream(iter([HEAD.split(b"LX*1~")[0], b"NM1*QC*1*"]
      + [b"A" * (1 << 20)] * 100 + [b"~", TAIL])), 1 << 20)
env = EnvelopeReader(src).run()
done(env=sorted({f.code for f in env.findings}))
""")
    assert r["env"] == ["segment-too-long"], r
    assert _mb(r) < 100, r


def test_a_million_repetitions_of_a_segment_stream_flat() -> None:
    """Tokenizer and envelope reader: constant memory, whatever the repetition count."""
    r = run_child("""
from claimhouse.x12 import EnvelopeReader
env = EnvelopeReader(stream(b"REF*EA*123~", 1_000_000, CLP)).run()
done(codes=sorted({f.code for f in env.findings}), total=env.segment_total)
""")
    assert r["codes"] == ["se-count-mismatch"], r  # SE01 of the template says 5
    assert int(str(r["total"])) > 1_000_000
    assert _mb(r) < 80, r


def test_hundred_thousand_claims_in_one_835_set_stream_flat() -> None:
    """The 835 claim stream (`parse --format jsonl`) holds one claim at a time."""
    r = run_child("""
from claimhouse.x12 import EnvelopeReader
from claimhouse.transactions.x221 import stream_claim_records
n = 0
for ts in EnvelopeReader(stream(CLP + SVC, 100_000)).transaction_sets():
    for rec in stream_claim_records(ts):
        n += 1
done(claims=n)
""")
    assert r["claims"] == 100_000, r
    assert _mb(r) < 80, r


def test_hundred_thousand_lx_headers_in_one_835_set() -> None:
    r = run_child("""
from claimhouse.x12 import EnvelopeReader
from claimhouse.transactions.x221 import stream_claim_records
for ts in EnvelopeReader(stream(b"LX*1~", 100_000)).transaction_sets():
    for rec in stream_claim_records(ts):
        pass
done()
""")
    assert _mb(r) < 120, r


@pytest.mark.slow
def test_whole_set_readers_grow_linearly_not_worse() -> None:
    """Known limit: a claim is the streaming unit, so 10^5 service lines in ONE claim, or a
    whole 835 set read into one Remittance (validate level 3 balances the whole set), are
    held in memory. They must stay linear: under ~2.5 KiB per segment read."""
    r = run_child("""
from claimhouse.x12 import EnvelopeReader
from claimhouse.transactions.x221 import stream_claim_records
for ts in EnvelopeReader(stream(SVC, 100_000, CLP)).transaction_sets():
    for rec in stream_claim_records(ts):
        pass
done()
""")
    assert _mb(r) < 200_000 * 2.5 / 1024 + 40, r  # 2 segments per SVC unit
