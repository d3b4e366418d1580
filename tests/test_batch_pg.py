"""Several workers on a real PostgreSQL: every file processed exactly once; leases fence
a worker that lost its job. Uses the store's throwaway cluster (tests/conftest_pg.py)."""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Connection

from claimhouse.batch import FileOutcome, JobInfo, Journal, Runner, load_config
from claimhouse.batch._journal import CommitResult
from claimhouse.batch._tables import audit, jobs, sets
from claimhouse.batch._workers import run_workers
from claimhouse.testing._postgres import PostgresServer
from tests.batch_build import DROP_BASICS, interchange, make_drop, memory_dir, mixed_batch
from tests.conftest_pg import postgres as postgres  # the fixture


def _pg_drop(root: Path, url: str, extra: str = "") -> Path:
    return make_drop(root, f"[drop]\n{DROP_BASICS}{extra}[database]\nurl = '{url}'\n")


@pytest.fixture
def fast_path() -> Iterator[Path]:
    path = memory_dir("claimhouse-batch-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_four_workers_process_1000_files_exactly_once(fast_path: Path,
                                                      postgres: PostgresServer) -> None:
    tmp_path = fast_path
    url = postgres.create_database()
    drop = _pg_drop(tmp_path / "drop", url)
    kinds = mixed_batch(drop / "inbox", 1000, seed=4)
    digests = {n: hashlib.sha256((drop / "inbox" / n).read_bytes()).hexdigest() for n in kinds}

    summary = run_workers(drop, 4)

    assert summary.files == 1000 and summary.errors == 0
    assert not list((drop / "inbox").iterdir())
    assert not [p for p in (drop / "work").iterdir()]
    placed = [p for p in (drop / "archive").rglob("*") if p.is_file()]
    placed += [p for p in (drop / "rejected").iterdir() if not p.name.endswith(".reason")]
    assert sorted(p.name for p in placed) == sorted(kinds)

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(jobs.c.id, jobs.c.name, jobs.c.state, jobs.c.sha256,
                                   jobs.c.outcome)).all()
        trail = conn.execute(select(audit.c.job_id, audit.c.worker, audit.c.from_state,
                                    audit.c.to_state)).all()
        loaded = conn.execute(select(sets.c.job_id)).scalars().all()
    engine.dispose()
    assert Counter(r.name for r in rows) == Counter(list(kinds))  # one job per file
    assert {r.state for r in rows} <= {"archived", "rejected"}
    done = Counter(t.job_id for t in trail if t.to_state == "done")
    assert set(done.values()) == {1} and len(done) == 1000  # committed exactly once
    takeovers = [t for t in trail if t.from_state == t.to_state]
    assert takeovers == []
    # fencing, whatever the OS scheduler did: each job was committed by the worker that
    # held its claim, and only the four workers wrote. (How the 1000 files were shared out
    # is the scheduler's business; that four workers do hold four leases at once is shown
    # without it in test_four_workers_hold_four_leases_at_once.)
    claimed_by = {t.job_id: t.worker for t in trail if t.to_state == "claimed"}
    assert {t.job_id: t.worker for t in trail if t.to_state == "done"} == claimed_by
    assert 1 <= len({t.worker for t in trail}) <= 4
    accepted = [r for r in rows if r.outcome == "accepted"]
    assert Counter(r.sha256 for r in accepted).most_common(1)[0][1] == 1
    assert sorted(loaded) == sorted(r.id for r in accepted)
    good = {digests[n] for n, k in kinds.items() if k == "good"}
    assert {r.sha256 for r in accepted} == good
    reports = list((drop / "outbox").iterdir())
    assert len(reports) == len(accepted) == summary.accepted


def test_an_expired_lease_is_taken_over_and_the_old_worker_is_fenced(
        tmp_path: Path, postgres: PostgresServer) -> None:
    url = postgres.create_database()
    drop = _pg_drop(tmp_path / "drop", url, "lease_seconds = 60\n")
    (drop / "inbox" / "a.x12").write_bytes(interchange(77))
    with Runner(load_config(drop), worker="first") as first:
        first.discover()
        stalled = first.journal.claim()  # "first" claims, then stalls past its lease
        assert stalled is not None and stalled.state == "claimed"
        with Runner(load_config(drop), worker="second") as second:
            assert second.journal.claim() is None  # lease still held
            # the stall: for "second" the clock is past first's lease now (no sleep that
            # a loaded machine could stretch or a fast one cut short)
            second.journal.clock = lambda: time.time() + 61
            summary = second.run_once()
        assert summary.accepted == 1
        late = first.journal.commit(stalled, FileOutcome(accepted=True), sha=None, size=0,
                                    dest="x", record_sha=False, load=lambda *a: None)
        assert late is CommitResult.LOST
    engine = create_engine(url)
    with engine.connect() as conn:
        trail = conn.execute(select(audit.c.worker, audit.c.to_state, audit.c.detail)
                             .order_by(audit.c.id)).all()
    engine.dispose()
    assert [(w, s) for w, s, _ in trail] == [
        ("first", "pending"), ("first", "claimed"), ("second", "claimed"),
        ("second", "done"), ("second", "archived")]
    assert trail[2].detail == "lease taken over from first"


def test_journal_claims_skip_locked_rows(tmp_path: Path, postgres: PostgresServer) -> None:
    url = postgres.create_database()
    drop = _pg_drop(tmp_path / "drop", url)
    for n in range(3):
        (drop / "inbox" / f"f{n}.x12").write_bytes(interchange(90 + n))
    with Runner(load_config(drop)) as runner:
        runner.discover()
    engine = create_engine(url)
    a, b = Journal(engine, "a", 60), Journal(engine, "b", 60)
    with engine.begin() as conn:  # hold a row lock on the first job, as a slow claimer would
        conn.execute(select(jobs).where(jobs.c.id == 1).with_for_update())
        got = b.claim()
        assert got is not None and got.id == 2
    got_a = a.claim()
    assert got_a is not None and got_a.id == 1
    engine.dispose()


HANG = 120.0
"""Bounds a wait on something the test itself causes: only a broken runner (a hang) takes
that long, a slow machine does not."""


class _HeldPipeline:
    """The envelope pipeline, holding each file until ``release`` is set (a big file that
    takes as long as the test needs: it synchronises on events, not on sleeps). With a
    ``barrier``, each worker first waits there with its job in hand."""

    def __init__(self, drop: Path, release: threading.Event,
                 barrier: threading.Barrier | None = None) -> None:
        from claimhouse.batch import EnvelopePipeline

        self.inner, self.release = EnvelopePipeline(load_config(drop)), release
        self.barrier = barrier

    def process(self, path: Path, job: JobInfo) -> FileOutcome:
        if self.barrier is not None:
            self.barrier.wait(HANG)
        assert self.release.wait(2 * HANG), "the test never released the pipeline"
        return self.inner.process(path, job)

    def load(self, conn: Connection, outcome: FileOutcome, job: JobInfo) -> None:
        self.inner.load(conn, outcome, job)


WORKERS = 4


def test_four_workers_hold_four_leases_at_once(tmp_path: Path,
                                               postgres: PostgresServer) -> None:
    """Concurrency shown without the OS scheduler: each worker's pipeline waits at a
    barrier with its job in hand, and the barrier opens only once all four workers are
    inside it, each holding a different job's lease. A runner that serialised workers (a
    lock held over a job) never opens it; a claim handing one job to two workers shows
    as fewer than four jobs."""
    url = postgres.create_database()
    drop = _pg_drop(tmp_path / "drop", url)
    for n in range(WORKERS):
        (drop / "inbox" / f"f{n}.x12").write_bytes(interchange(500 + n))
    barrier = threading.Barrier(WORKERS + 1)  # the workers and this test
    release = threading.Event()
    results: list[object] = []
    runners = [Runner(load_config(drop), worker=f"w{i}",
                      pipeline=_HeldPipeline(drop, release, barrier)) for i in range(WORKERS)]
    threads = [threading.Thread(target=lambda r=r: results.append(r.run_once()))
               for r in runners]
    engine = create_engine(url)
    try:
        runners[0].discover()
        for t in threads:
            t.start()
        barrier.wait(HANG)  # all four workers are inside process() now
        with engine.connect() as conn:
            held = conn.execute(select(jobs.c.id, jobs.c.state, jobs.c.worker)).all()
    finally:
        release.set()
        barrier.abort()  # wakes any worker still waiting (after a failure only)
        for t in threads:
            if t.ident is not None:
                t.join(HANG)
        for r in runners:
            r.close()
        engine.dispose()
    assert sorted((r.state, r.worker) for r in held) == [
        ("claimed", f"w{i}") for i in range(WORKERS)]
    assert len({r.id for r in held}) == WORKERS
    assert not any(t.is_alive() for t in threads)
    assert sum(r.accepted for r in results) == WORKERS  # type: ignore[attr-defined]
    assert sum(r.errors for r in results) == 0  # type: ignore[attr-defined]


LEASE = 3.0
"""The lease in the lease test: renewed every LEASE/3 by the busy worker's heartbeat."""


def test_a_busy_worker_keeps_its_lease(tmp_path: Path, postgres: PostgresServer) -> None:
    """The heartbeat renews the lease of a job in hand, again and again, so the job
    outlives its first lease; the idle worker is asked *as of* a moment when the first
    lease had lapsed (its own clock, not a sleep: a heartbeat that a loaded machine runs
    late cannot turn into a takeover here, and a missing heartbeat fails)."""
    url = postgres.create_database()
    drop = _pg_drop(tmp_path / "drop", url, f"lease_seconds = {LEASE}\n")
    (drop / "inbox" / "slow.x12").write_bytes(interchange(88))
    results = []
    release = threading.Event()
    with Runner(load_config(drop), worker="busy",
                pipeline=_HeldPipeline(drop, release)) as busy, \
            Runner(load_config(drop), worker="idle") as idle:
        busy.discover()
        thread = threading.Thread(target=lambda: results.append(busy.run_once()))
        thread.start()
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                def lease() -> tuple[str, float]:
                    row = conn.execute(select(jobs.c.state, jobs.c.lease_until)).one()
                    conn.rollback()
                    return str(row.state), float(row.lease_until)

                deadline = time.monotonic() + HANG
                while (claimed := lease())[0] != "claimed":
                    assert time.monotonic() < deadline, "the busy worker never claimed"
                    time.sleep(0.01)
                first_lease = claimed[1]
                # renewals until the lease reaches a whole lease length past the first
                # one: at least three heartbeats, however late each of them ran
                while (now := lease())[1] <= first_lease + LEASE:
                    assert now[0] == "claimed"
                    assert time.monotonic() < deadline, \
                        f"lease renewed by {now[1] - first_lease:.1f} s only"
                    time.sleep(0.05)
                state, until = lease()
                assert state == "claimed" and until > first_lease + LEASE
                # the idle worker, as of the moment the first lease ran out and as of
                # just before the renewed one does: nothing to claim
                for moment in (first_lease + 0.001, until - 0.001):
                    idle.journal.clock = lambda m=moment: m
                    assert idle.journal.claim() is None, moment - first_lease
        finally:
            release.set()
            thread.join(HANG)
            engine.dispose()
    assert not thread.is_alive()
    assert results[0].accepted == 1 and results[0].errors == 0


def test_a_worker_killed_without_a_report_is_an_error_not_a_hang(
        tmp_path: Path, postgres: PostgresServer) -> None:
    """Both workers SIGKILL themselves at their first step (the crash tests' fault hook):
    run_workers reports two errors instead of waiting for their reports for ever. Run as
    a process with a timeout, so the old hang fails the test instead of stopping it."""
    import os
    import subprocess
    import sys

    url = postgres.create_database()
    drop = _pg_drop(tmp_path / "drop", url)
    for n in range(4):
        (drop / "inbox" / f"f{n}.x12").write_bytes(interchange(600 + n))
    env = {**os.environ, "CLAIMHOUSE_BATCH_KILL_AT_STEP": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from claimhouse.batch._workers import run_workers; "
         "s = run_workers(sys.argv[1], 2); print(s.errors, s.files, *s.error_messages)",
         str(drop)], env=env, capture_output=True, text=True, timeout=HANG, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("2 0 2 worker(s) died without a report"), proc.stdout
    engine = create_engine(url)
    with engine.connect() as conn:
        states = Counter(conn.execute(select(jobs.c.state)).scalars())
    engine.dispose()
    assert states == {"claimed": 2, "pending": 2}  # each died holding one: kept for later
    assert len(list((drop / "inbox").iterdir())) == 4
