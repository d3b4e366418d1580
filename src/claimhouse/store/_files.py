"""``claimhouse load FILE``: record a file once, read its 837/835 sets through the
transaction registry, and store what they hold, all in one transaction.

That transaction holds the store lock from its start (PostgreSQL advisory lock, SQLite
``BEGIN IMMEDIATE``; see :func:`~claimhouse.store.lock_store`): ``claimhouse load`` run
in several processes at once loads one file at a time, so the same file (or two files
with the same claims) loaded concurrently ends up once, reported ``duplicate``, without
an error. On SQLite a loader waits for another's transaction up to the busy timeout
(120 s).

The file row carries the sha256, the first interchange's sender (ISA05/ISA06), receiver
(ISA07/ISA08) and control number (ISA13), the transaction kinds, received/processed
times and the outcome: ``loaded``, ``duplicate`` (same bytes or same ISA sender + ISA13
already recorded; nothing is added) or ``rejected`` (not X12, or nothing loadable; the
detail names why without quoting content).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from claimhouse.errors import InputError, StoreError, X12Error
from claimhouse.models import ClaimBatch, Remittance
from claimhouse.store._engine import Store
from claimhouse.store._load import LoadCounts, add_claims, add_remittances
from claimhouse.store._tables import FileRow
from claimhouse.transactions._registry import resolve
from claimhouse.transactions.claims837 import ClaimStream
from claimhouse.x12 import EnvelopeReader

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class FileLoad:
    """The outcome of loading one file."""

    name: str
    outcome: str
    file_id: int | None = None
    kinds: list[str] = field(default_factory=list)
    counts: LoadCounts = field(default_factory=LoadCounts)
    detail: str | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read ({exc.strerror})") from exc
    return digest.hexdigest()


def _gs_date(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def load_file(store: Store, path: Path, *, clock: Clock = _now) -> FileLoad:
    """Load one X12 file (any mix of 837P/I/D and 835 sets) into ``store``, once."""
    path = Path(path)
    digest = sha256_of(path)
    received = clock()
    result = FileLoad(name=path.name, outcome="loaded")
    try:
        with store.writing() as session:  # the store lock first: one loader at a time
            if session.execute(select(FileRow.id).where(FileRow.sha256 == digest)).first():
                result.outcome = "duplicate"
                result.detail = "same content already loaded"
                return result
            file_id = session.execute(insert(FileRow).returning(FileRow.id), [{
                "sha256": digest, "name": path.name[-400:], "size": path.stat().st_size,
                "received_at": received, "outcome": "loading"}]).scalar_one()
            result.file_id = file_id
            first = True
            reader = EnvelopeReader(path)
            for ts in reader.transaction_sets():
                if first:
                    first = False
                    isa = ts.interchange
                    dup = session.execute(select(FileRow.id).where(
                        FileRow.id != file_id, FileRow.sender_qualifier == isa.sender_qualifier,
                        FileRow.sender_id == isa.sender, FileRow.control_number ==
                        isa.control_number)).first()
                    if dup:
                        raise _Duplicate
                    session.execute(update(FileRow).where(FileRow.id == file_id).values(
                        sender_qualifier=isa.sender_qualifier, sender_id=isa.sender,
                        receiver_qualifier=isa.receiver_qualifier, receiver_id=isa.receiver,
                        control_number=isa.control_number))
                binding, ts = resolve(ts)
                if binding is None:
                    continue
                model = binding.read(ts)
                if isinstance(model, ClaimStream):
                    result.counts.merge(add_claims(
                        session, model.claims, kind=model.kind,
                        submitted_on=_gs_date(ts.group.date), file_id=file_id))
                elif isinstance(model, ClaimBatch):
                    result.counts.merge(add_claims(
                        session, model.claims, kind=model.kind,
                        submitted_on=model.created or _gs_date(ts.group.date),
                        file_id=file_id))
                elif isinstance(model, Remittance):
                    result.counts.merge(add_remittances(session, [model], file_id=file_id))
                else:
                    continue
                if binding.name not in result.kinds:
                    result.kinds.append(binding.name)
            if not result.kinds:
                result.outcome = "rejected"
                result.detail = "no 837 or 835 transaction set"
            session.execute(update(FileRow).where(FileRow.id == file_id).values(
                kind="+".join(result.kinds)[:20] or None, processed_at=clock(),
                outcome=result.outcome, detail=result.detail or _describe(result.counts)))
    except _Duplicate:
        result = FileLoad(name=path.name, outcome="duplicate",
                          detail="same interchange (ISA sender and ISA13) already loaded")
    except IntegrityError as exc:  # a concurrent loader recorded the same file first
        if not _recorded(store, digest):
            raise StoreError(f"{path.name}: the store refused a row "
                             f"({type(exc.orig).__name__})") from exc
        result = FileLoad(name=path.name, outcome="duplicate",
                          detail="loaded meanwhile by another process")
    except X12Error as exc:
        result = _record_rejection(store, path, digest, received, clock(), exc.reason)
    return result


class _Duplicate(Exception):
    pass


def _recorded(store: Store, digest: str) -> bool:
    with store.session() as session:
        return session.execute(select(FileRow.id).where(FileRow.sha256 == digest)).first() \
            is not None


def _describe(counts: LoadCounts) -> str:
    return (f"claims {counts.claims_added} new, {counts.claims_replaced} replaced; "
            f"remittances {counts.remittances_added} posted, "
            f"{counts.remittances_duplicate} already posted")


def _record_rejection(store: Store, path: Path, digest: str, received: datetime,
                      processed: datetime, reason: str) -> FileLoad:
    with store.writing() as session:
        existing = session.execute(select(FileRow.id).where(
            FileRow.sha256 == digest)).scalar()
        if existing is None:
            existing = session.execute(insert(FileRow).returning(FileRow.id), [{
                "sha256": digest, "name": path.name[-400:], "size": path.stat().st_size,
                "received_at": received, "processed_at": processed, "outcome": "rejected",
                "detail": reason[:500]}]).scalar_one()
    return FileLoad(name=path.name, outcome="rejected", file_id=existing, detail=reason)
