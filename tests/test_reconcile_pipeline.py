"""The reconcile engine's chunk writer, on SQLite (inline) and PostgreSQL (a background
thread): chunks commit in the order submitted, each in its own transaction; the first
failure rolls its chunk back, drops every later chunk and is raised in the caller; a
caller's own failure is not masked and what it queued before is still written. Its
read-ahead: every item in order, the producer's error raised in the caller, an early stop
closes the producer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from claimhouse.reconcile._pipeline import ChunkWriter, Prefetch
from claimhouse.store import Store, open_store
from claimhouse.store._tables import ClaimRow, ReconcileRunRow
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres

WHEN = datetime(2026, 11, 27, tzinfo=UTC)


def _run_row(n: int, fail: bool = False) -> Callable[[Session], None]:
    def work(session: Session) -> None:
        session.execute(insert(ReconcileRunRow), [{"started_at": WHEN,
                                                    "payments_examined": n}])
        if fail:
            raise RuntimeError(f"chunk {n} failed")
    return work


def _written(store: Store) -> list[int]:
    with store.session() as s:
        return list(s.execute(select(ReconcileRunRow.payments_examined)
                              .order_by(ReconcileRunRow.id)).scalars())


def test_chunks_commit_in_order(db_url: str) -> None:
    store = open_store(db_url)
    with ChunkWriter(store) as writer:
        for n in range(1, 8):
            writer.submit(_run_row(n))
    assert _written(store) == list(range(1, 8))
    store.close()


def test_failure_rolls_back_its_chunk_drops_the_rest_and_is_raised(db_url: str) -> None:
    store = open_store(db_url)
    with pytest.raises(RuntimeError, match="chunk 2 failed"), ChunkWriter(store) as writer:
        writer.submit(_run_row(1))
        writer.submit(_run_row(2, fail=True))  # inline (SQLite): raised here
        for n in range(3, 6):  # in the background: raised at a later submit or at close
            writer.submit(_run_row(n))
    assert not writer._thread.is_alive()  # stopped, not left waiting for more chunks
    assert _written(store) == [1]
    store.close()


def test_caller_failure_is_not_masked_and_queued_chunks_are_written(db_url: str) -> None:
    store = open_store(db_url)
    with pytest.raises(KeyError), ChunkWriter(store) as writer:
        writer.submit(_run_row(1))
        writer.submit(_run_row(2))
        raise KeyError("the caller's own error")
    assert _written(store) == [1, 2]
    store.close()


def test_prefetch_yields_every_item_in_order_and_raises_the_producers_error(
        db_url: str) -> None:
    store = open_store(db_url)
    def items() -> Iterator[int]:
        yield from range(5)
        raise ValueError("read failed")

    seen: list[int] = []
    with pytest.raises(ValueError, match="read failed"), Prefetch(store, items) as reader:
        seen.extend(reader)
    assert seen == [0, 1, 2, 3, 4]


def test_prefetch_closed_early_stops_the_producer_and_closes_it(db_url: str) -> None:
    store = open_store(db_url)
    produced: list[int] = []
    closed: list[bool] = []

    def items() -> Iterator[int]:
        try:
            for n in range(1000):
                produced.append(n)
                yield n
        finally:
            closed.append(True)

    with Prefetch(store, items) as reader:
        for n in reader:
            if n == 2:
                break
    assert closed == [True]
    assert len(produced) < 10  # one item ahead (plus the one waiting), not all 1000


def test_in_memory_sqlite_runs_inline_and_reconciles(tmp_path: Path) -> None:
    """An in-memory SQLite database is one per connection/thread: the reader and writer
    run in the caller there, and reconcile still ends in the workload's truth."""
    from claimhouse.reconcile import reconcile
    from claimhouse.store._load import add_claims, add_remittances
    from claimhouse.testing._workload import CASES, generate_workload

    store = open_store("sqlite:///:memory:")
    work = generate_workload(len(CASES) * 2)
    with store.session() as s:
        add_claims(s, work.all_claims())
        add_remittances(s, work.remittances)
    summary = reconcile(store)
    assert summary.claims_settled == len(work.claims)
    with store.session() as s:
        states = dict(s.execute(select(ClaimRow.patient_control_number, ClaimRow.state)).all())
    assert states == {pcn: t.state for pcn, t in work.expected.items()}
    store.close()
