"""Helpers shared by the benchmarks: timing, peak RSS of a child process, naive baseline."""

from __future__ import annotations

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


def consume(iterable: Any) -> None:
    """Drain an iterator with a plain loop (no per-item work beyond the iteration)."""
    for _ in iterable:
        pass


def naive_split(data: bytes, term: bytes = b"~", elem: bytes = b"*") -> int:
    """The standing baseline: split segments, then split each segment's elements."""
    n = 0
    for seg in data.split(term):
        seg.split(elem)
        n += 1
    return n


def child_peak_rss_mb(code: str) -> float:
    """Run ``code`` in a fresh interpreter and return its own peak RSS in MB.

    The child reads VmHWM from /proc/self/status after running ``code``: that high-water
    mark belongs to the exec'd image alone, while ru_maxrss (of the child or of
    RUSAGE_CHILDREN) also counts the pages the fork briefly shared with this large parent.
    """
    probe = (code + "\nfor _l in open('/proc/self/status'):\n"
             "    if _l.startswith('VmHWM:'):\n"
             "        print('PEAK_RSS_KB', _l.split()[1])\n")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True).stdout
    line = [x for x in out.splitlines() if x.startswith("PEAK_RSS_KB")][-1]
    return int(line.split()[1]) / 1024.0
