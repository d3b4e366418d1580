"""A fault-injection hook for crash tests: SIGKILL this process at the N-th step boundary.

The runner calls :func:`step` at every state boundary (claimed, hashed, processed, staged,
committed, published, moved, finalised, and inside durable writes). When the environment
variable ``CLAIMHOUSE_BATCH_KILL_AT_STEP`` is set to N, the N-th call kills the process
with SIGKILL, exactly as ``kill -9`` would; unset (always, outside tests) it only counts.
"""

from __future__ import annotations

import os
import signal

_ENV = "CLAIMHOUSE_BATCH_KILL_AT_STEP"


class _Counter:
    def __init__(self) -> None:
        raw = os.environ.get(_ENV, "")
        self.kill_at = int(raw) if raw.isdigit() else 0
        self.count = 0


_COUNTER = _Counter()


def step(label: str) -> None:
    """Mark a step boundary named ``label`` (the name helps when reading a crash test)."""
    _COUNTER.count += 1
    if _COUNTER.kill_at and _COUNTER.count >= _COUNTER.kill_at:
        os.kill(os.getpid(), signal.SIGKILL)


def steps_taken() -> int:
    """How many step boundaries this process has passed (for the crash test's planning)."""
    return _COUNTER.count
