"""Crash safety: kill -9 the worker at 50 points of a 200-file batch, restart it each time,
and require the same end state as an uninterrupted run.

Kill points are step boundaries (claimed, moved-to-work, hashed, processed, staged,
committed, published, moved-to-final, reason-written, finalized, and between writing and
fsyncing any output), chosen by a fixed seed; the worker SIGKILLs itself there through
``CLAIMHOUSE_BATCH_KILL_AT_STEP``, exactly as ``kill -9`` would.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from claimhouse.batch import Runner, load_config
from claimhouse.batch._faults import steps_taken
from claimhouse.batch._tables import audit, interchanges, jobs, seen_files, sets
from tests.batch_build import make_drop, memory_dir, mixed_batch

FILES = 200
KILLS = 50
SEED = 20261127
# The library entry point (the CLI's imports would only add start-up time to 51 runs).
_WORKER = [sys.executable, "-c", "import sys; from claimhouse.batch import Runner, load_config; "
           "Runner(load_config(sys.argv[1])).run_once()"]
_FINAL = ("import sys; from claimhouse.batch import Runner, load_config; "
          "s = Runner(load_config(sys.argv[1])).run_once(); "
          "print(*s.error_messages, sep='\\n', file=sys.stderr); sys.exit(3 if s.errors else 0)")
"""The run after the crashes: it finishes everything, and says why when it cannot."""


def _everything(root: Path) -> dict[str, Any]:
    """Every file under the drop's folders (dot-files too) and every journal row."""
    files = {}
    for sub in ("inbox", "work", "archive", "rejected", "outbox"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file():
                files[str(p.relative_to(root))] = p.read_bytes()
    engine = create_engine(load_config(root).database_url)
    with engine.connect() as conn:
        rows = {
            "jobs": conn.execute(select(
                jobs.c.id, jobs.c.name, jobs.c.state, jobs.c.outcome, jobs.c.reason,
                jobs.c.dest, jobs.c.sha256, jobs.c.size, jobs.c.claims, jobs.c.day,
            ).order_by(jobs.c.id)).all(),
            "sets": conn.execute(select(sets).order_by(sets.c.job_id, sets.c.ordinal)).all(),
            "seen": conn.execute(select(seen_files).order_by(seen_files.c.sha256)).all(),
            "interchanges": conn.execute(select(interchanges).order_by(
                interchanges.c.control_number)).all(),
            "last_audit": conn.execute(select(audit.c.job_id, audit.c.to_state)
                                       .order_by(audit.c.id)).all(),
        }
    engine.dispose()
    last = dict(rows.pop("last_audit"))
    return {"files": files, "rows": rows, "last_audit": last}


@pytest.fixture
def fast_path() -> Iterator[Path]:
    path = memory_dir("claimhouse-batch-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_kill_9_at_50_points_ends_like_an_uninterrupted_run(fast_path: Path) -> None:
    tmp_path = fast_path
    source = tmp_path / "source"
    source.mkdir()
    kinds = mixed_batch(source, FILES, seed=SEED)
    assert {"good", "junk", "truncated", "dup-bytes", "dup-isa13"} <= set(kinds.values())

    reference = make_drop(tmp_path / "reference")
    crashed = make_drop(tmp_path / "crashed")
    for drop in (reference, crashed):
        for f in source.iterdir():
            shutil.copy2(f, drop / "inbox" / f.name)

    before = steps_taken()
    with Runner(load_config(reference)) as runner:
        summary = runner.run_once()
    total_steps = steps_taken() - before
    assert summary.files == FILES and summary.errors == 0

    rng = random.Random(SEED)
    points = sorted(rng.sample(range(1, total_steps), KILLS))
    gaps = [b - a for a, b in zip([0, *points], points, strict=False)]
    killed = 0
    for gap in gaps:
        env = {**os.environ, "CLAIMHOUSE_BATCH_KILL_AT_STEP": str(gap)}
        proc = subprocess.run([*_WORKER, str(crashed)], env=env, capture_output=True,
                              timeout=300, check=False)
        assert proc.returncode in (-signal.SIGKILL, 0), proc.stderr[-2000:]
        killed += proc.returncode == -signal.SIGKILL
    final = subprocess.run([*_WORKER[:2], _FINAL, str(crashed)], capture_output=True,
                           timeout=300, check=False)
    assert final.returncode == 0, final.stderr[-2000:]  # the faults of the last run, if any
    assert killed == KILLS

    want, got = _everything(reference), _everything(crashed)
    assert set(got["files"]) == set(want["files"])
    assert got["files"] == want["files"]
    assert got["rows"] == want["rows"]
    assert got["last_audit"] == want["last_audit"]
    accepted = [n for n, k in kinds.items() if k == "good"]
    reports = [f for f in got["files"] if f.startswith("outbox/")]
    assert len(reports) == len(accepted)  # one report per accepted file, none twice
    assert not [f for f in got["files"] if f.startswith(("inbox/", "work/"))]
