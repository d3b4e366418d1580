"""The batch journal's tables (drop-folder jobs, their audit trail, uniqueness records),
on the store's metadata: the store's Alembic migration 0003 creates them, so one upgrade
makes the whole database. :mod:`claimhouse.batch` uses them through ``batch._tables``.

- ``batch_jobs``: one row per file taken from an inbox, with its state
  (pending → claimed → done → archived | rejected, or vanished), lease, sha256 and outcome.
  A partial unique index keeps one *active* job per inbox name.
- ``batch_audit``: one row per state change of a job (who, when, from, to, why).
- ``batch_seen_files``: the sha256 of every file whose content was decided (uniqueness).
- ``batch_interchanges``: sender + receiver + ISA13 of every accepted interchange
  (uniqueness: the same interchange is never loaded twice).
- ``batch_sets``: what each accepted file held, per transaction set (ST/SE): the
  batch's record of the load, committed with the job's done mark.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from claimhouse.store._tables import TABLES

metadata = TABLES

ACTIVE_STATES = ("pending", "claimed", "done")
FINAL_STATES = ("archived", "rejected", "vanished")

jobs = Table(
    "batch_jobs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("worker", String(80)),
    Column("lease_until", Float, nullable=False, default=0.0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("sha256", String(64)),
    Column("size", BigInteger),
    Column("day", String(10)),
    Column("outcome", String(16)),
    Column("reason", Text),
    Column("dest", Text),
    Column("claims", Integer, nullable=False, default=0),
    Column("discovered_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)
ACTIVE_SQL = "state IN ('pending', 'claimed', 'done')"
Index("batch_jobs_active_name", jobs.c.name, unique=True,
      sqlite_where=text(ACTIVE_SQL), postgresql_where=text(ACTIVE_SQL))
# Claims scan only the active jobs, in id order, however long the history grows.
Index("batch_jobs_active_id", jobs.c.id,
      sqlite_where=text(ACTIVE_SQL), postgresql_where=text(ACTIVE_SQL))

audit = Table(
    "batch_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", Integer, ForeignKey("batch_jobs.id"), nullable=False, index=True),
    Column("at", Float, nullable=False),
    Column("worker", String(80), nullable=False),
    Column("from_state", String(16)),
    Column("to_state", String(16), nullable=False),
    Column("detail", Text),
)

seen_files = Table(
    "batch_seen_files", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("job_id", Integer, ForeignKey("batch_jobs.id"), nullable=False),
)

interchanges = Table(
    "batch_interchanges", metadata,
    Column("sender", String(40), primary_key=True),
    Column("receiver", String(40), primary_key=True),
    Column("control_number", String(9), primary_key=True),
    Column("job_id", Integer, ForeignKey("batch_jobs.id"), nullable=False),
)

sets = Table(
    "batch_sets", metadata,
    Column("job_id", Integer, ForeignKey("batch_jobs.id"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("interchange", String(9), nullable=False),
    Column("group_control", String(9), nullable=False),
    Column("set_control", String(9), nullable=False),
    Column("set_id", String(3), nullable=False),
    Column("version", String(20), nullable=False),
    Column("segments", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
)
