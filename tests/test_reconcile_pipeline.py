"""The reconcile engine's background chunk writer, on SQLite and PostgreSQL: chunks commit
in the order submitted, each in its own transaction; the first failure rolls its chunk
back, drops every later chunk and is raised in the caller; a caller's own failure is not
masked and what it queued before is still written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from claimhouse.reconcile._pipeline import ChunkWriter
from claimhouse.store import Store, open_store
from claimhouse.store._tables import ReconcileRunRow
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
    writer = ChunkWriter(store)
    writer.submit(_run_row(1))
    writer.submit(_run_row(2, fail=True))
    with pytest.raises(RuntimeError, match="chunk 2 failed"):
        for n in range(3, 6):  # raised at a later submit or at close
            writer.submit(_run_row(n))
        writer.close()
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
