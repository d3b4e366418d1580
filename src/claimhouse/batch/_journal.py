"""The batch journal: durable job states, leases and the audit trail, in SQL.

One row per file (``batch_jobs``) moves pending → claimed → done → archived | rejected
(or vanished), and every move writes a ``batch_audit`` row in the same transaction.
Workers claim jobs with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has one
worker) and hold an expiring lease; a job whose lease ran out is taken over by the next
claimer. The commit that marks a job done also checks the lease is still held, records
the file's sha256 and its interchanges' control numbers (unique keys), and stores the
pipeline's results: all of it or none of it, so a retried job changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from claimhouse.batch._pipeline import FileOutcome, JobInfo
from claimhouse.batch._tables import (
    ACTIVE_SQL,
    ACTIVE_STATES,
    audit,
    interchanges,
    jobs,
    seen_files,
)
from claimhouse.store._engine import STORE_LOCK_KEY


class CommitResult(StrEnum):
    DONE = "done"
    LOST = "lost"
    """The lease was taken over by another worker: nothing was written."""
    CONFLICT = "conflict"
    """A uniqueness key (sha256 or interchange control number) is already taken."""


@dataclass(frozen=True, slots=True)
class Job:
    """A job row as the runner sees it."""

    id: int
    name: str
    state: str
    attempts: int
    day: str
    outcome: str | None
    reason: str | None
    dest: str | None
    claims: int
    received: float = 0.0

    @property
    def info(self) -> JobInfo:
        return JobInfo(self.id, self.name, self.day, self.received)


class _Lost(Exception):
    pass


# The store's writer lock (claimhouse.store.STORE_LOCK_KEY), shared with `claimhouse load`:
# a commit that loads claims/remittances, and the reconcile run after it, serialise with
# every other worker and loader.
def lock_store(conn: Connection) -> None:
    """Take the store lock for the rest of ``conn``'s transaction (PostgreSQL only:
    SQLite has one worker, and writers are serialised by the database anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(STORE_LOCK_KEY)))  # as load does


class Journal:
    """Job bookkeeping for one worker (``worker`` names it in leases and audit rows)."""

    def __init__(self, engine: Engine, worker: str, lease_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.engine, self.worker, self.lease, self.clock = engine, worker, lease_seconds, clock

    def _audit(self, conn: Connection, job_id: int, old: str | None, new: str,
               detail: str = "") -> None:
        conn.execute(insert(audit).values(job_id=job_id, at=self.clock(), worker=self.worker,
                                          from_state=old, to_state=new, detail=detail or None))

    # -- discovery and claiming ---------------------------------------------------------
    def discover(self, names: list[str]) -> int:
        """Add a pending job for each inbox name without an active job; return how many."""
        if not names:
            return 0
        now = self.clock()
        dialect = self.engine.dialect.name
        ins = postgresql.insert(jobs) if dialect == "postgresql" else sqlite.insert(jobs)
        day = time.strftime("%Y-%m-%d", time.gmtime(now))
        added = 0
        with self.engine.begin() as conn:
            for name in names:
                row = conn.execute(ins.values(
                    name=name, state="pending", lease_until=0.0, attempts=0, day=day,
                    claims=0, discovered_at=now, updated_at=now,
                ).on_conflict_do_nothing().returning(jobs.c.id)).first()
                if row is not None:
                    self._audit(conn, row[0], None, "pending", "discovered in inbox")
                    added += 1
        return added

    def claim(self, exclude: set[int] | frozenset[int] = frozenset()) -> Job | None:
        """Lease the oldest pending job, or an active job whose lease expired."""
        now = self.clock()
        q = select(jobs).where(text(ACTIVE_SQL), or_(  # the partial index's own predicate
            jobs.c.state == "pending",
            and_(jobs.c.state.in_(("claimed", "done")), jobs.c.lease_until < now)))
        if exclude:
            q = q.where(jobs.c.id.not_in(sorted(exclude)))
        q = q.order_by(jobs.c.id).limit(1).with_for_update(skip_locked=True)
        with self.engine.begin() as conn:
            row = conn.execute(q).mappings().first()
            if row is None:
                return None
            old = row["state"]
            new = "claimed" if old == "pending" else old
            attempts = row["attempts"] + (0 if old == "done" else 1)
            conn.execute(update(jobs).where(jobs.c.id == row["id"]).values(
                state=new, worker=self.worker, lease_until=now + self.lease,
                attempts=attempts, updated_at=now))
            detail = "claimed" if old == "pending" else f"lease taken over from {row['worker']}"
            self._audit(conn, row["id"], old, new, detail)
        return Job(row["id"], row["name"], new, attempts, row["day"], row["outcome"],
                   row["reason"], row["dest"], row["claims"], row["discovered_at"])

    def renew(self, job: Job) -> bool:
        """Extend this worker's lease on ``job``; False when it is no longer ours."""
        with self.engine.begin() as conn:
            r = conn.execute(update(jobs).where(
                jobs.c.id == job.id, jobs.c.worker == self.worker,
                jobs.c.state.in_(ACTIVE_STATES)).values(lease_until=self.clock() + self.lease))
            return r.rowcount == 1

    def expire_all(self) -> int:
        """Expire every lease (single-worker start-up: the previous worker is gone)."""
        with self.engine.begin() as conn:
            r = conn.execute(update(jobs).where(jobs.c.state.in_(("claimed", "done")))
                             .values(lease_until=0.0))
            return r.rowcount

    # -- decisions ----------------------------------------------------------------------
    def seen_sha(self, sha: str) -> int | None:
        """The job that already decided a file with these bytes, if any."""
        with self.engine.connect() as conn:
            return conn.execute(select(seen_files.c.job_id)
                                .where(seen_files.c.sha256 == sha)).scalar()

    def interchange_owner(self, sender: str, receiver: str, control: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(interchanges.c.job_id).where(
                interchanges.c.sender == sender, interchanges.c.receiver == receiver,
                interchanges.c.control_number == control)).scalar()

    def commit(self, job: Job, outcome: FileOutcome, *, sha: str | None, size: int,
               dest: str, record_sha: bool,
               load: Callable[[Connection, FileOutcome, JobInfo], None],
               exclusive: bool = False) -> CommitResult:
        """Mark ``job`` done with its outcome, uniqueness rows and results, atomically.

        ``exclusive`` (the outcome loads the store) takes :func:`lock_store` first, so
        concurrent loads run one after the other, each seeing the last one's rows."""
        verdict = "accepted" if outcome.accepted else "rejected"
        try:
            with self.engine.begin() as conn:
                if exclusive and outcome.accepted:
                    lock_store(conn)  # before any row lock: no lock-order cycle
                now = self.clock()  # after the wait: the lease counts from here
                r = conn.execute(update(jobs).where(
                    jobs.c.id == job.id, jobs.c.worker == self.worker,
                    jobs.c.state == "claimed").values(
                    state="done", outcome=verdict, reason=outcome.reason or None, dest=dest,
                    sha256=sha, size=size, claims=outcome.claims_count,
                    lease_until=now + self.lease, updated_at=now))
                if r.rowcount != 1:
                    raise _Lost
                if record_sha and sha is not None:
                    conn.execute(insert(seen_files).values(sha256=sha, job_id=job.id))
                if outcome.accepted:
                    for key in outcome.interchanges:
                        conn.execute(insert(interchanges).values(
                            sender=key.sender, receiver=key.receiver,
                            control_number=key.control_number, job_id=job.id))
                    load(conn, outcome, job.info)
                self._audit(conn, job.id, "claimed", "done", verdict)
        except _Lost:
            return CommitResult.LOST
        except IntegrityError:
            return CommitResult.CONFLICT
        return CommitResult.DONE

    def finalize(self, job: Job, state: str, detail: str = "", *,
                 dest: str | None = None) -> None:
        """Move a job to a final state (archived, rejected, vanished)."""
        now = self.clock()
        values: dict[str, object] = {
            "state": state, "lease_until": 0.0, "updated_at": now,
            "reason": func.coalesce(jobs.c.reason, detail or None)}
        if dest is not None:
            values["dest"] = dest
        with self.engine.begin() as conn:
            r = conn.execute(update(jobs).where(
                jobs.c.id == job.id, jobs.c.state.in_(ACTIVE_STATES)).values(**values))
            if r.rowcount:
                self._audit(conn, job.id, job.state, state, detail)

    def release(self, job: Job, error: str) -> None:
        """Give a job back after an I/O fault (its lease ends now; attempts are kept)."""
        with self.engine.begin() as conn:
            r = conn.execute(update(jobs).where(
                jobs.c.id == job.id, jobs.c.worker == self.worker).values(
                lease_until=0.0, updated_at=self.clock()))
            if r.rowcount:
                self._audit(conn, job.id, job.state, job.state, f"released: {error}")

    def active_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(jobs).where(
                jobs.c.state.in_(ACTIVE_STATES))).scalar() or 0)
