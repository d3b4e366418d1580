"""Run a hostile-size case in a fresh interpreter that reads its own peak RSS (VmHWM, KiB),
over a generated 835 stream that is never whole in memory or on disk (shared by
tests/test_hostile_memory.py and tests/test_hostile_unit_cap.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "x12" / "835-sample.x12"

PRELUDE = """
import io, json, sys
from claimhouse.testing import GeneratedStream
HEAD = open({sample!r}, "rb").read().split(b"LX*1~")[0] + b"LX*1~"
CLP = b"CLP*PCN0001*1*200.00*150.00*50.00*12*ACME2026000001*11*1~"
SVC = b"SVC*HC:99214*200.00*150.00**1~CAS*CO*45*50.00~"
TAIL = b"SE*5*0001~GE*1*101~IEA*1*000000101~"

def blocks(unit, n, first=b""):
    yield HEAD + first
    per = 1000 if len(unit) < 100 else 100
    for _ in range(n // per):
        yield unit * per
    yield TAIL

def stream(unit, n, first=b""):
    return io.BufferedReader(GeneratedStream(blocks(unit, n, first)), 1 << 20)

def done(**out):
    out["peak_kb"] = [int(l.split()[1]) for l in open("/proc/self/status")
                      if l.startswith("VmHWM:")][0]
    print(json.dumps(out))
"""
"""Defines HEAD/CLP/SVC/TAIL, ``stream(unit, n, first)`` (an 835 of ``n`` repeats of
``unit`` after ``first``) and ``done(**out)`` (prints ``out`` with the peak RSS as JSON)."""


def run_child(body: str, timeout: float = 600) -> dict[str, object]:
    """Run :data:`PRELUDE` + ``body`` in a fresh interpreter; its last line of JSON."""
    code = PRELUDE.format(sample=str(SAMPLE)) + body
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=timeout, cwd=ROOT)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result
