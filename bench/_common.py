"""Helpers shared by the benchmarks: timing, peak RSS of a child process, naive baseline."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def best_cpu(fn: Callable[[], Any], repeat: int) -> float:
    """Best process CPU time of ``repeat`` calls (less swayed by other work on the box)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def e2e_jsonl_seconds(path: Path) -> float:
    """Best of three ``claimhouse parse --format jsonl -o /dev/null FILE``, process start
    included."""
    exe = Path(sys.executable).with_name("claimhouse")
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([str(exe), "parse", "--format", "jsonl", "-o", os.devnull, str(path)],
                       check=True)
        best = min(best, time.perf_counter() - t)
    return best


def parse_figures(data: bytes, parse: Callable[[bytes], Any], trigger: str,
                  repeat: int) -> tuple[dict[str, Any], float]:
    """Full-model parse of ``data`` beside the naive split of the same bytes in the same
    run (wall and CPU time; the split's best wall time is returned too), and beside the two
    floors (:func:`keep_elements`, :func:`group_raw`): what no eager reader and no
    deferring reader written in Python can beat."""
    mb = len(data) / 1e6
    t_split = best_of(lambda: naive_split(data), repeat)
    t_parse = best_of(lambda: parse(data), repeat)
    # CPU time too: on a shared, loaded box wall-clock ratios swing by +-30%
    c_split = best_cpu(lambda: naive_split(data), repeat + 2)
    c_parse = best_cpu(lambda: parse(data), repeat)
    c_keep = best_cpu(lambda: keep_elements(data), repeat)
    c_group = best_cpu(lambda: group_raw(data, trigger), repeat)
    figures = {
        "file_mb": round(mb, 1),
        "naive_split_mb_s": round(mb / t_split, 1),
        "parse_models_mb_s": round(mb / t_parse, 2),
        "parse_vs_split": round(t_split / t_parse, 3),
        "parse_vs_split_cpu": round(c_split / c_parse, 3),
        "floor_keep_elements_vs_split_cpu": round(c_split / c_keep, 3),
        "floor_group_raw_vs_split_cpu": round(c_split / c_group, 3),
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    return figures, t_split


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


def keep_elements(data: bytes, term: bytes = b"~", elem: bytes = b"*") -> int:
    """Floor of any eager reader: the naive split, but every segment's element list is kept
    (an eager reader must at least hold each element of the transaction set as an object).
    Cyclic GC is paused, as the model readers pause it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        e = elem.decode()
        kept = [seg.split(e) for seg in data.decode("latin-1").split(term.decode()) if seg]
        return len(kept)
    finally:
        if was_on:
            gc.enable()


def group_raw(data: bytes, trigger: str, term: bytes = b"~") -> int:
    """Floor of a deferring (lazy) reader: segments kept as raw strings, grouped into units
    at each ``trigger`` segment id (CLP for an 835, CLM for an 837); no element is split."""
    units: list[list[str]] = []
    unit: list[str] = []
    head = trigger + "*"
    for seg in data.decode("latin-1").split(term.decode()):
        if seg.startswith(head):
            unit = [seg]
            units.append(unit)
        else:
            unit.append(seg)
    return len(units)


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
