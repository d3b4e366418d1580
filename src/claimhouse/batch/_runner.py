"""The batch runner: take files from a drop's inbox, process each once, never lose one.

The life of a file (each arrow is a step boundary; a crash at any of them is recovered
by the next run, which finds the job by its lease and carries on from its state):

    inbox/NAME  --discover-->  job pending
                --claim------> job claimed (lease), file renamed to work/<id>.<name>
                --hash-------> sha256; a file already seen is a duplicate (rejected)
                --process----> pipeline outcome; outputs staged in work/.<id>.out/
                --commit-----> job done + uniqueness rows + results, in ONE transaction
                --publish----> staged outputs renamed into outbox/
                --move-------> archive/YYYY-MM-DD/NAME, or rejected/NAME + NAME.reason
                --finalize---> job archived | rejected

Before the commit a retry redoes the file from its work copy (outputs are staged, so
nothing was published); after it, a retry only finishes publishing and moving, which
are idempotent renames. Output names derive from the job id, so an ack is never
written twice under two names.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import os
import socket
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from claimhouse._fs import open_private
from claimhouse.batch._config import DropConfig
from claimhouse.batch._faults import step as fault_point
from claimhouse.batch._files import (
    HARD_LINK_REASON,
    DropLayout,
    free_destination,
    fsync_dir,
    is_candidate,
    lone_file,
    place_file,
    remove_tree,
    safe_name,
    sha256_file,
    starts_like_x12,
    write_atomic,
    write_synced,
)
from claimhouse.batch._journal import CommitResult, Job, Journal, lock_store
from claimhouse.batch._pipeline import EnvelopePipeline, FileOutcome, Pipeline
from claimhouse.batch._summary import Event, Summary
from claimhouse.batch._tables import create_tables, make_engine, open_journal_store
from claimhouse.errors import ClaimhouseError, ConfigError
from claimhouse.store._engine import prepare_sqlite_file

if TYPE_CHECKING:
    from claimhouse.store import Store


class ConcurrentConflict(Exception):
    """A commit kept hitting a uniqueness key that no earlier job explains (two workers
    loading the same claims at once): the job is released and retried by a later run."""


def _default_pipeline(config: DropConfig, store: Store | None, journal: Journal) -> Pipeline:
    if config.validation_level == 0 and store is None:
        return EnvelopePipeline(config)
    from claimhouse.batch._full import FullPipeline  # validation and store load lazily

    return FullPipeline(config, store, seen=journal.interchange_owner)


def default_worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Runner:
    """Processes one drop. Use as a context manager, or call :meth:`close`."""

    def __init__(self, config: DropConfig, *, pipeline: Pipeline | None = None,
                 engine: Engine | None = None, worker: str | None = None,
                 on_event: Callable[[Event], None] | None = None) -> None:
        self.config = config
        self.layout = DropLayout(config.root)
        self.on_event = on_event or (lambda event: None)
        self.layout.ensure()
        self._lock: IO[bytes] | None = None
        if config.is_sqlite:
            self._lock = self._single_worker_lock()
        self.store: Store | None = None
        if engine is None and pipeline is None and config.load:
            self.store = open_journal_store(config.database_url)
            engine = self.store.engine
        if engine is None and config.is_sqlite:
            prepare_sqlite_file(config.database_url)  # 0600 before SQLite creates it
        self.engine = engine or make_engine(config.database_url)
        create_tables(self.engine)
        self._loaded = False
        self.journal = Journal(self.engine, worker or default_worker_name(),
                               config.lease_seconds)
        self.pipeline: Pipeline = pipeline or _default_pipeline(config, self.store,
                                                                 self.journal)
        if config.is_sqlite:
            self.journal.expire_all()  # the lock proves no other worker is alive
        self._sweep_temporaries(0.0 if config.is_sqlite else config.lease_seconds)
        self._failed: set[int] = set()

    def _sweep_temporaries(self, older_than: float) -> None:
        """Remove half-written temporaries a killed worker left in outbox/ or rejected/."""
        now = time.time()
        for folder in (self.layout.outbox, self.layout.rejected):
            for path in folder.glob(".*.tmp-*"):
                try:
                    if now - path.lstat().st_mtime >= older_than:
                        path.unlink()
                except FileNotFoundError:
                    continue

    def _single_worker_lock(self) -> IO[bytes]:
        fh = open_private(self.config.root / ".claimhouse-batch.lock", "ab")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise ConfigError(f"{self.config.root}: another batch worker is running on this "
                              "SQLite drop (use PostgreSQL for several workers)") from None
        return fh

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- discovery ------------------------------------------------------------------------
    def discover(self) -> int:
        """Register stable inbox files as pending jobs; return how many were new."""
        now = time.time()
        names: list[str] = []
        with os.scandir(self.layout.inbox) as it:
            for entry in it:
                if not is_candidate(entry.name):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    continue
                if now - st.st_mtime >= self.config.stable_seconds:
                    names.append(entry.name)
        return self.journal.discover(sorted(names))

    # -- one job --------------------------------------------------------------------------
    def step(self, summary: Summary) -> bool:
        """Claim and carry one job as far as it goes; False when no job is left."""
        job = self.journal.claim(self._failed)
        if job is None:
            return False
        fault_point("claimed")
        with self._heartbeat(job):
            try:
                if job.state == "claimed":
                    job = self._decide(job, summary)
                if job.state == "done":
                    self._finish(job, summary)
            except Exception as exc:  # one file's fault never stops the batch
                self._fault(job, exc, summary)
        return True

    @contextlib.contextmanager
    def _heartbeat(self, job: Job) -> Iterator[None]:
        """Renew the lease every third of its length while a job is in hand (several
        workers only: a SQLite drop has one worker, whose leases nobody else takes)."""
        if self.config.is_sqlite:
            yield
            return
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.config.lease_seconds / 3):
                try:
                    if not self.journal.renew(job):
                        return  # taken over: the commit will find the lease lost
                except SQLAlchemyError:
                    continue  # a dropped connection: try again next third of the lease

        thread = threading.Thread(target=beat, name=f"lease-{job.id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _emit(self, kind: str, job: Job, detail: str = "", claims: int = 0) -> None:
        self.on_event(Event(kind, job.id, safe_name(job.name), detail, claims))

    def _decide(self, job: Job, summary: Summary) -> Job:
        work = self.layout.work_file(job.id, job.name)
        if not work.exists() and not work.is_symlink():
            try:
                # No fsync needed: a retry looks for the file in work/ and then in inbox/.
                os.rename(self.layout.inbox / job.name, work)
            except FileNotFoundError:
                self.journal.finalize(job, "vanished", "file disappeared before it was claimed")
                summary.vanished += 1
                self._emit("vanished", job, "file disappeared before it was claimed")
                return job
            if lone_file(work.lstat()):  # never chmod an inode that has other names
                os.chmod(work, 0o600)  # PHI at rest: owner only
            fault_point("moved-to-work")
        staging = self.layout.staging(job.id, job.attempts)
        remove_tree(staging)
        sha: str | None = None
        st = work.lstat()
        size = st.st_size
        record_sha = False
        if not stat.S_ISREG(st.st_mode):  # a symlink, FIFO (would block), socket...
            outcome = FileOutcome.rejected("not a regular file")
        elif not lone_file(st):
            outcome = FileOutcome.rejected(HARD_LINK_REASON.format(links=st.st_nlink))
        elif not starts_like_x12(work):  # junk is rejected without reading all of it
            outcome = self.pipeline.process(work, job.info)
        else:
            sha, size = sha256_file(work)
            fault_point("hashed")
            earlier = self.journal.seen_sha(sha)
            outcome = self.pipeline.process(work, job.info)  # its acks answer repeats too
            if earlier is not None:
                outcome = dataclasses.replace(
                    outcome, accepted=False, reason=f"duplicate: same bytes as job {earlier}",
                    extracts=[], source=None, loaded=False)
            else:
                record_sha = True
                outcome = self._interchange_duplicates(outcome)
        fault_point("processed")
        self._stage(job, outcome, staging)
        result = self._commit(job, outcome, sha, size, record_sha)
        for retry in range(1, 4):
            if result is not CommitResult.CONFLICT:
                break
            reason = self._conflict_reason(sha, outcome)
            if reason:  # another job already holds these bytes or this interchange
                remove_tree(staging)
                outcome = FileOutcome.rejected(reason)
                self._stage(job, outcome, staging)
                result = self._commit(job, outcome, sha, size, record_sha=False)
            else:  # a concurrent load of the same claims: try the whole commit again
                time.sleep(0.05 * retry)
                result = self._commit(job, outcome, sha, size, record_sha)
        if result is CommitResult.CONFLICT:
            raise ConcurrentConflict("a uniqueness conflict persisted over 3 retries")
        if result is not CommitResult.DONE:
            remove_tree(staging)
            self._emit("lost-lease", job, "another worker took the job over")
            return dataclasses.replace(job, state="lost")
        fault_point("committed")
        self._loaded = self._loaded or outcome.loaded
        verdict = "accepted" if outcome.accepted else "rejected"
        return dataclasses.replace(job, state="done", outcome=verdict,
                                   reason=outcome.reason or None,
                                   dest=self._dest(job, outcome.accepted),
                                   claims=outcome.claims_count)

    def _interchange_duplicates(self, outcome: FileOutcome) -> FileOutcome:
        for key in outcome.interchanges if outcome.accepted else []:
            owner = self.journal.interchange_owner(key.sender, key.receiver,
                                                   key.control_number)
            if owner is not None:
                return FileOutcome.rejected(
                    f"duplicate interchange: ISA13 {key.control_number} from this sender "
                    f"was already processed (job {owner})")
        return outcome

    def _conflict_reason(self, sha: str | None, outcome: FileOutcome) -> str:
        """Why a commit hit a uniqueness key, or "" when no earlier job explains it."""
        if sha is not None and (owner := self.journal.seen_sha(sha)) is not None:
            return f"duplicate: same bytes as job {owner}"
        return self._interchange_duplicates(outcome).reason

    def _dest(self, job: Job, accepted: bool) -> str:
        if job.dest:
            return job.dest
        folder = (self.layout.archive / job.day) if accepted else self.layout.rejected
        return str(free_destination(folder, safe_name(job.name), job.id)
                   .relative_to(self.layout.root))

    def _commit(self, job: Job, outcome: FileOutcome, sha: str | None, size: int,
                record_sha: bool) -> CommitResult:
        outcome.sha256 = sha
        return self.journal.commit(job, outcome, sha=sha, size=size,
                                   dest=self._dest(job, outcome.accepted),
                                   record_sha=record_sha, load=self.pipeline.load,
                                   exclusive=outcome.source is not None)

    def _stage(self, job: Job, outcome: FileOutcome, staging: Path) -> None:
        outputs = [(kind, data) for kind, data in outcome.acks
                   if kind.split(".")[0].lower() in self.config.acks]
        outputs += [(kind, data) for kind, data in outcome.extracts
                    if kind.split(".")[-1] in self.config.extracts or kind == "report.json"]
        staging.mkdir(mode=0o700, exist_ok=True)
        stem = f"{safe_name(job.name)}.{job.id}"
        for kind, data in outputs:
            write_synced(staging / f"{stem}.{safe_name(kind)}", data)
        fsync_dir(staging)  # outputs are durable before the commit that promises them
        fault_point("staged")

    def _finish(self, job: Job, summary: Summary) -> None:
        staging = self.layout.staging(job.id, job.attempts)  # the attempt that committed
        if staging.is_dir():
            outputs = sorted(p for p in staging.iterdir() if not p.name.startswith("."))
            for out in outputs:
                os.replace(out, self.layout.outbox / out.name)
                fault_point("published")
            if outputs:
                fsync_dir(self.layout.outbox)
        dest = self.layout.root / (job.dest or self._dest(job, job.outcome == "accepted"))
        if not self.layout.inside(dest):
            raise OSError(errno.EPERM, "destination outside the drop")
        work = self.layout.work_file(job.id, job.name)
        if work.exists() or work.is_symlink():
            dest = place_file(work, dest, job.id)
            fault_point("moved-to-final")
        elif (fallback := dest.with_name(f"{job.id}.{dest.name}")).exists():
            dest = fallback  # placed under its fallback name before a crash
        if job.outcome != "accepted":
            write_atomic(dest.with_name(dest.name + ".reason"),
                         f"{job.reason or 'rejected'}\n".encode())
            fault_point("reason-written")
        final = "archived" if job.outcome == "accepted" else "rejected"
        self.journal.finalize(job, final, dest=str(dest.relative_to(self.layout.root)))
        fault_point("finalized")
        for leftover in self.layout.all_staging(job.id):
            remove_tree(leftover)
        summary.files += 1
        if final == "archived":
            summary.accepted += 1
            summary.claims += job.claims
        else:
            summary.rejected += 1
            if (job.reason or "").startswith("duplicate"):
                summary.duplicates += 1
        self._emit(final, job, job.reason or "", job.claims)

    def _fault(self, job: Job, exc: Exception, summary: Summary) -> None:
        """A fault (full disk, permissions, a pipeline bug): keep the file, report, go on.

        The message is the error's class and OS text only: a third-party message could
        quote data."""
        message = (exc.strerror if isinstance(exc, OSError) and exc.strerror
                   else type(exc).__name__)
        summary.errors += 1
        summary.error_messages.append(f"job {job.id}: {message}")
        self._failed.add(job.id)
        self.journal.release(job, message)
        self._emit("error", job, message)
        if job.state == "claimed" and job.attempts >= self.config.max_attempts:
            self._give_up(job, message)

    def _give_up(self, job: Job, message: str) -> None:
        work = self.layout.work_file(job.id, job.name)
        try:
            dest = free_destination(self.layout.rejected, safe_name(job.name), job.id)
            write_atomic(dest.with_name(dest.name + ".reason"),
                         f"gave up after {job.attempts} attempts: {message}\n".encode())
            if work.exists():
                dest = place_file(work, dest, job.id)
        except OSError:
            return  # still failing: the file stays in work/ for the next run
        self.journal.finalize(job, "rejected", f"gave up: {message}",
                              dest=str(dest.relative_to(self.layout.root)))

    # -- runs -----------------------------------------------------------------------------
    def run_once(self, stop: threading.Event | None = None) -> Summary:
        """Process everything in the inbox (and anything left over by a crash) once."""
        started = time.perf_counter()
        summary = Summary()
        self.discover()
        while not (stop and stop.is_set()) and self.step(summary):
            pass
        if self._loaded and self.store is not None:
            self._reconcile(summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def _reconcile(self, summary: Summary) -> None:
        """Match newly loaded 835 payments to claims (claimhouse.reconcile), once a run."""
        from claimhouse.reconcile import reconcile

        assert self.store is not None
        try:
            with self.engine.begin() as conn:  # no worker loads while this one matches
                lock_store(conn)
                run = reconcile(self.store)
        except Exception as exc:  # the files are safe; the next run reconciles again
            summary.errors += 1
            summary.error_messages.append(f"reconcile failed: {type(exc).__name__}")
            return
        self._loaded = False
        summary.reconciled += run.payments_matched

    def watch(self, stop: threading.Event, *, before: Callable[[], object] | None = None,
              after: Callable[[], object] | None = None) -> Summary:
        """Poll the inbox until ``stop`` is set; stops after the file in hand.

        ``before``/``after`` run around each cycle (``batch watch --sftp``: pull, then
        push); a :class:`ClaimhouseError` from them (a partner's server is down) is
        counted and retried next cycle, never fatal."""
        total = Summary()
        started = time.perf_counter()
        while not stop.is_set():
            self._failed.clear()
            self._hook(before, total)
            total.add(self.run_once(stop))
            self._hook(after, total)
            stop.wait(self.config.poll_seconds)
        total.seconds = time.perf_counter() - started
        return total

    @staticmethod
    def _hook(hook: Callable[[], object] | None, summary: Summary) -> None:
        if hook is None:
            return
        try:
            hook()
        except ClaimhouseError as exc:
            summary.errors += 1
            summary.error_messages.append(str(exc))
