"""Streaming stays in constant memory: peak RSS does not grow with the input size.

Measured in fresh interpreters over generated streams that never exist whole in memory or
on disk; this checks memory, not time (throughput lives in `make bench`).
"""

from __future__ import annotations

import subprocess
import sys

_CODE = """
import io
from claimhouse.testing import GeneratedStream, synthetic_interchange
from claimhouse.x12 import EnvelopeReader
stream = io.BufferedReader(GeneratedStream(synthetic_interchange({size})), 1 << 20)
r = EnvelopeReader(stream, name="generated")
n = 0
for ts in r.transaction_sets():
    for _ in ts.segments:
        n += 1
assert not r.findings, [str(f) for f in r.findings[:3]]
print([int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")][0])
"""


def _peak_kb(size: int) -> int:
    out = subprocess.run([sys.executable, "-c", _CODE.format(size=size)], check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip())


def test_peak_rss_is_flat_from_5_to_80_mb() -> None:
    # VmHWM is the exec'd interpreter's own high-water mark (ru_maxrss would also count
    # pages shared with the forking parent), in KiB.
    small = _peak_kb(5_000_000)
    large = _peak_kb(80_000_000)
    assert large - small < 25_000, (small, large)
    assert large < 100_000, large
