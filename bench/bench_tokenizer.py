"""Tokenizer throughput on a generated 100 MB file beside a plain split of the same bytes,
and peak RSS while streaming a generated 500 MB interchange (never written to disk)."""

from __future__ import annotations

from typing import Any

from _common import best_of, child_peak_rss_mb, consume, naive_split

from claimhouse.testing import synthetic_interchange
from claimhouse.x12 import EnvelopeReader, tokenize

_STREAM_CODE = """
from claimhouse.testing import GeneratedStream, synthetic_interchange
from claimhouse.x12 import EnvelopeReader
import io
stream = io.BufferedReader(GeneratedStream(synthetic_interchange({size})), 1 << 20)
r = EnvelopeReader(stream, name='generated')
n = sum(1 for _ in r.segments())
assert not r.findings, r.findings[:3]
"""


def run() -> dict[str, Any]:
    data = b"".join(synthetic_interchange(100_000_000))
    mb = len(data) / 1e6
    t_split = best_of(lambda: naive_split(data))
    t_tok = best_of(lambda: consume(tokenize(data)))
    t_env = best_of(lambda: consume(EnvelopeReader(data).segments()))
    rss = {size: child_peak_rss_mb(_STREAM_CODE.format(size=size))
           for size in (50_000_000, 500_000_000)}
    result = {
        "file_mb": round(mb, 1),
        "naive_split_mb_s": round(mb / t_split, 1),
        "tokenizer_mb_s": round(mb / t_tok, 1),
        "tokenizer_vs_split": round(t_split / t_tok, 2),
        "envelope_reader_mb_s": round(mb / t_env, 1),
        "envelope_reader_vs_split": round(t_split / t_env, 2),
        "peak_rss_mb_stream_50mb": round(rss[50_000_000], 1),
        "peak_rss_mb_stream_500mb": round(rss[500_000_000], 1),
    }
    for k, v in result.items():
        print(f"  {k:28} {v}")
    return result
