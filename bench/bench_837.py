"""837P benchmarks: parse generated 1/10/100 MB 837Ps into claim models beside a naive split
and pyx12 (same run), end-to-end `claimhouse parse --format jsonl -o /dev/null` of a 10 MB
837P (process start included), writing 100,000 claims (claims/s), and the peak RSS of the
jsonl path streaming generated 837Ps that are never held whole in memory (one transaction
set for the whole stream: the worst case).

Generated files come from bench/gen837.py (fictional, fixed seed, rendered by the project's
own 837 writer; they pass pyx12 validation).
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from _common import best_of, child_peak_rss_mb, e2e_jsonl_seconds, parse_figures
from gen837 import claim_batch, generate_837p

from claimhouse.models import ClaimKind
from claimhouse.transactions.claims837 import iter_claims, write_claim_batch
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers, fixed_clock

BENCH = Path(__file__).resolve().parent
SIZES_MB = [int(x) for x in os.environ.get("BENCH_837_SIZES", "1,10,100").split(",")]
RSS_MB = [int(x) for x in os.environ.get("BENCH_837_RSS", "50,1000").split(",")]
PYX12_MB = float(os.environ.get("BENCH_837_PYX12_MB", "0.5"))
WRITE_CLAIMS = int(os.environ.get("BENCH_837_WRITE", "100000"))

_STREAM_CODE = """
import io, os, sys
sys.path.insert(0, {bench!r})
from gen837 import generate_837p
from claimhouse.testing import GeneratedStream
from claimhouse.parse import ParseOutcome, iter_parsed, write_jsonl
stream = io.BufferedReader(GeneratedStream(generate_837p({size})), 1 << 20)
outcome = ParseOutcome()
with open(os.devnull, "w") as out:
    write_jsonl(iter_parsed(stream, outcome, name="generated", stream_jsonl=True), out)
assert not outcome.findings and not outcome.unsupported
"""


def _parse_models(data: bytes) -> int:
    claims = 0
    for ts in EnvelopeReader(data).transaction_sets():
        claims += sum(1 for _ in iter_claims(ts, ClaimKind.PROFESSIONAL))
    return claims



def _pyx12_seconds(data: bytes) -> float:
    """pyx12's X12ContextReader walking every 2300 loop of ``data`` in its loop context."""
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context

    logging.getLogger("pyx12").disabled = True
    t = time.perf_counter()
    src = pyx12.x12context.X12ContextReader(pyx12.params.params(),
                                            pyx12.error_handler.errh_null(),
                                            io.StringIO(data.decode("latin-1")))
    for _node in src.iter_segments("2300"):
        pass
    return time.perf_counter() - t



def _write_seconds(n: int) -> dict[str, float]:
    """Writing ``n`` claims (checks, HL hierarchy, envelopes) to an in-memory file: the
    first run in this process (it compiles the definition's writers), the best of three
    after it, and the CPU time of that best run (steadier than wall time on a busy box)."""
    batch = claim_batch(n)

    def write() -> None:
        write_claim_batch(batch, io.BytesIO(), sender="BENCHSENDER", receiver="BENCHRECEIVER",
                          clock=fixed_clock(datetime(2026, 2, 1, 8, 0)),
                          control_numbers=SequentialControlNumbers())

    first = best_of(write, 1)
    best, cpu = float("inf"), float("inf")
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        write()
        best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return {"first": first, "best": best, "cpu": cpu}


def run() -> dict[str, Any]:
    result: dict[str, Any] = {}
    # First, before any other child process: ru_maxrss of children is a running maximum.
    rss = {}
    for size in RSS_MB:
        t = time.perf_counter()
        rss[f"{size}mb_stream"] = round(child_peak_rss_mb(
            _STREAM_CODE.format(bench=str(BENCH), size=size * 10**6)), 1)
        rss[f"{size}mb_stream_mb_s"] = round(size / (time.perf_counter() - t), 2)
    result["jsonl_peak_rss_mb"] = rss
    for size in SIZES_MB:
        data = b"".join(generate_837p(size * 1_000_000))
        mb = len(data) / 1e6
        repeat = 3 if size <= 10 else 1
        figures, t_split = parse_figures(data, _parse_models, "CLM", repeat)
        if size == 1:
            figures["claims"] = _parse_models(data)
        result[f"{size}mb"] = figures
        if size == 10:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "837p-10mb.x12"
                path.write_bytes(data)
                t_e2e = e2e_jsonl_seconds(path)
            result["e2e_jsonl_10mb"] = {"seconds": round(t_e2e, 2),
                                        "mb_s": round(mb / t_e2e, 2),
                                        "vs_split": round(t_split / t_e2e, 3)}
    small = b"".join(generate_837p(int(PYX12_MB * 1_000_000)))
    smb = len(small) / 1e6
    t_pyx12 = _pyx12_seconds(small)
    t_ours = best_of(lambda: _parse_models(small), 3)
    result["pyx12"] = {"file_mb": round(smb, 2), "pyx12_mb_s": round(smb / t_pyx12, 3),
                       "parse_models_mb_s": round(smb / t_ours, 2),
                       "parse_vs_pyx12": round(t_pyx12 / t_ours, 1)}
    t_write = _write_seconds(WRITE_CLAIMS)
    result["write"] = {"claims": WRITE_CLAIMS, "seconds": round(t_write["best"], 2),
                       "claims_per_s": round(WRITE_CLAIMS / t_write["best"]),
                       "first_run_claims_per_s": round(WRITE_CLAIMS / t_write["first"]),
                       "cpu_claims_per_s": round(WRITE_CLAIMS / t_write["cpu"]),
                       "load_avg_1m": round(os.getloadavg()[0], 1)}
    for key, value in result.items():
        print(f"  {key:22} {value}")
    return result


if __name__ == "__main__":
    run()
