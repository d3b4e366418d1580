"""835 benchmarks: full-model parse of generated 1/10/100 MB 835s beside a naive split and
pyx12 (same run), end-to-end `claimhouse parse --format jsonl` of a 10 MB 835 (process
start included), and the peak RSS of the jsonl path over generated streams that are never
written whole to memory (one transaction set for the whole stream: the worst case).

Generated files come from bench/gen835.py: balanced, fictional, fixed seed, written with
the project's own 835 writer; they pass pyx12 validation.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import best_of, e2e_jsonl_seconds, parse_figures
from gen835 import generate_835

from claimhouse.transactions.x221 import read_remittance
from claimhouse.x12 import EnvelopeReader

BENCH = Path(__file__).resolve().parent
SIZES_MB = [int(x) for x in os.environ.get("BENCH_835_SIZES", "1,10,100").split(",")]
RSS_MB = [int(x) for x in os.environ.get("BENCH_835_RSS", "50,1000").split(",")]
PYX12_MB = float(os.environ.get("BENCH_835_PYX12_MB", "0.5"))

_STREAM_CODE = """
import io, os, sys
sys.path.insert(0, {bench!r})
from gen835 import generate_835
from claimhouse.testing import GeneratedStream
from claimhouse.parse import ParseOutcome, iter_parsed, write_jsonl
stream = io.BufferedReader(GeneratedStream(generate_835({size}, claims_per_set=None)), 1 << 20)
outcome = ParseOutcome()
with open(os.devnull, "w") as out:
    write_jsonl(iter_parsed(stream, outcome, name="generated", stream_jsonl=True), out)
assert not outcome.findings and not outcome.unsupported
# VmHWM is this process's own high-water mark (ru_maxrss can carry the parent's across exec)
with open("/proc/self/status") as fh:
    print(next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024.0)
"""


def _parse_models(data: bytes) -> int:
    claims = 0
    for ts in EnvelopeReader(data).transaction_sets():
        claims += sum(1 for _ in read_remittance(ts).claims())
    return claims



def _pyx12_seconds(data: bytes) -> float:
    """pyx12's X12ContextReader walking every segment of ``data`` in its loop context."""
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12context

    logging.getLogger("pyx12").disabled = True
    t = time.perf_counter()
    src = pyx12.x12context.X12ContextReader(pyx12.params.params(),
                                            pyx12.error_handler.errh_null(),
                                            io.StringIO(data.decode("latin-1")))
    for _node in src.iter_segments("2100"):
        pass
    return time.perf_counter() - t


def _own_peak_rss_mb(code: str) -> float:
    """Peak RSS (MB) of a fresh interpreter running ``code``, as it reports it itself (so
    each size is measured alone, not as a running maximum over all children)."""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return float(out.strip().splitlines()[-1])



def run() -> dict[str, Any]:
    result: dict[str, Any] = {}
    rss = {}
    for size in RSS_MB:
        t = time.perf_counter()
        rss[f"{size}mb_stream"] = round(_own_peak_rss_mb(
            _STREAM_CODE.format(bench=str(BENCH), size=size * 10**6)), 1)
        rss[f"{size}mb_stream_mb_s"] = round(size / (time.perf_counter() - t), 2)
    result["jsonl_peak_rss_mb"] = rss
    for size in SIZES_MB:
        data = b"".join(generate_835(size * 1_000_000))
        mb = len(data) / 1e6
        repeat = 3 if size <= 10 else 1
        figures, t_split = parse_figures(data, _parse_models, "CLP", repeat)
        result[f"{size}mb"] = figures
        if size == 10:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "835-10mb.x12"
                path.write_bytes(data)
                t_e2e = e2e_jsonl_seconds(path)
            result["e2e_jsonl_10mb"] = {"seconds": round(t_e2e, 2),
                                        "mb_s": round(mb / t_e2e, 2),
                                        "vs_split": round(t_split / t_e2e, 3)}
    small = b"".join(generate_835(int(PYX12_MB * 1_000_000), claims_per_set=200))
    smb = len(small) / 1e6
    t_pyx12 = _pyx12_seconds(small)
    t_ours = best_of(lambda: _parse_models(small), 3)
    result["pyx12"] = {"file_mb": round(smb, 2), "pyx12_mb_s": round(smb / t_pyx12, 3),
                       "parse_models_mb_s": round(smb / t_ours, 2),
                       "parse_vs_pyx12": round(t_pyx12 / t_ours, 1)}
    for key, value in result.items():
        print(f"  {key:22} {value}")
    return result


if __name__ == "__main__":
    run()
