"""Helpers shared by the benchmarks: timing, peak RSS of a child process, naive baseline."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def naive_split(data: bytes, term: bytes = b"~", elem: bytes = b"*") -> int:
    """The standing baseline: split segments, then split each segment's elements."""
    n = 0
    for seg in data.split(term):
        seg.split(elem)
        n += 1
    return n


def child_peak_rss_mb(code: str) -> float:
    """Run ``code`` in a fresh interpreter and return its peak RSS in MB (Linux ru_maxrss)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024.0
