"""Reconcile forked over processes (a SQLite file with more than a chunk of work): the
end state is the inline run's, column for column and decision for decision; a second run
decides nothing; a worker that fails or dies raises in the caller, leaves the claims it
did not settle for the next run, and that run ends in the truth. Chunks are made small
here (``CHUNK``) so the workload spans many of them."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimhouse.reconcile import _run, reconcile
from claimhouse.reconcile._settle import settle
from claimhouse.store import Store, _fork, open_store
from claimhouse.store._fork import WorkerLost, can_fork, fork_map, worker_count
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ServiceLineRow,
    ServicePaymentRow,
)
from claimhouse.testing._workload import CASES, Workload, generate_workload
from tests.test_reconcile_store import assert_truth

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

CHUNK = 37  # the workload's claims and payments span several chunks of this size


@pytest.fixture(scope="module")
def work() -> Workload:
    return generate_workload(len(CASES) * 10)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Small chunks, and a count of the processes each fork_map started."""
    monkeypatch.setattr(_run, "CHUNK", CHUNK)
    started: list[int] = []

    def counted(store: Store, work: Any, parts: Any, workers: int) -> Any:
        started.append(workers)
        return fork_map(store, work, parts, workers)

    monkeypatch.setattr(_run, "fork_map", counted)
    monkeypatch.setattr(_fork.os, "cpu_count", lambda: 2)
    return started


def _loaded(path: Path, work: Workload) -> Store:
    store = open_store(str(path))
    with store.session() as s:
        add_claims(s, work.all_claims())
        add_remittances(s, work.remittances)
    return store


def digest(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Everything reconcile writes, by content (no ids that order of writing decides,
    no times)."""
    with store.session() as s:
        pcn = dict(s.execute(select(ClaimRow.id, ClaimRow.patient_control_number)).all())
        claims = sorted(s.execute(select(
            ClaimRow.patient_control_number, ClaimRow.payer_id, ClaimRow.state,
            ClaimRow.paid_amount, ClaimRow.patient_responsibility, ClaimRow.adjusted_amount,
            ClaimRow.last_paid_on, ClaimRow.dirty)).all())
        lines = sorted(s.execute(select(ServiceLineRow.id, ServiceLineRow.claim_id,
                                        ServiceLineRow.paid_amount)).all())
        payments = sorted(s.execute(select(
            ClaimPaymentRow.id, ClaimPaymentRow.claim_id, ClaimPaymentRow.match_rule,
            ClaimPaymentRow.disposition)).all(), key=repr)
        paid_lines = sorted(s.execute(select(
            ServicePaymentRow.id, ServicePaymentRow.service_line_id,
            ServicePaymentRow.match_rule)).all(), key=repr)
        records = sorted((
            (r.level, pcn.get(r.claim_id), r.claim_payment_id, r.service_payment_id,
             r.service_line_id, r.provider_adjustment_id, r.decision, r.rule, r.reason)
            for r in s.execute(select(MatchRecordRow))
            .scalars()), key=repr)
    return {"claims": claims, "lines": lines, "payments": payments,
            "paid_lines": paid_lines, "records": records}


def test_forked_run_ends_as_the_inline_run(tmp_path: Path, work: Workload,
                                           forks: list[int],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    forked = _loaded(tmp_path / "forked.db", work)
    summary = reconcile(forked)
    assert forks == [2, 2]  # matching and settling each in two processes
    assert summary.claims_settled == len(work.claims)
    assert_truth(forked, work)

    monkeypatch.setattr(_run, "worker_count", lambda store, parts: 1)
    inline = _loaded(tmp_path / "inline.db", work)
    reference = reconcile(inline)
    assert (summary.payments_examined, summary.payments_matched, summary.claims_settled,
            summary.decisions, summary.provider_adjustments_linked) == (
        reference.payments_examined, reference.payments_matched,
        reference.claims_settled, reference.decisions,
        reference.provider_adjustments_linked)
    assert digest(forked) == digest(inline)
    forked.close()
    inline.close()


def test_forked_twice_decides_nothing_more(tmp_path: Path, work: Workload,
                                           forks: list[int]) -> None:
    store = _loaded(tmp_path / "s.db", work)
    reconcile(store)
    before = digest(store)
    again = reconcile(store)
    assert again.decisions == 0 and again.claims_settled == 0
    assert digest(store) == before
    store.close()


def _failing_settle(marker: str, how: str) -> Any:
    def failing(claim: Any, postings: Any) -> Any:
        if claim.patient_control_number == marker:
            if how == "die":
                os._exit(9)  # as a kill -9 or the OOM killer would end it
            raise ValueError("settle failed on purpose")
        return settle(claim, postings)
    return failing


@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_failed_worker_raises_and_the_next_run_finishes(
        tmp_path: Path, work: Workload, forks: list[int], monkeypatch: pytest.MonkeyPatch,
        how: str) -> None:
    store = _loaded(tmp_path / "s.db", work)
    victim = work.claims[len(work.claims) // 2].patient_control_number
    monkeypatch.setattr(_run, "settle", _failing_settle(victim, how))
    expected = (ValueError, "settle failed on purpose") if how == "raise" else (
        WorkerLost, "ended without a result")
    with pytest.raises(expected[0], match=expected[1]) as raised:
        reconcile(store)
    if how == "raise":  # the child's traceback comes along as a note
        assert any("in a claimhouse worker process" in n for n in raised.value.__notes__)
    with store.session() as s:
        dirty = s.execute(select(ClaimRow.patient_control_number)
                          .where(ClaimRow.dirty.is_(True))).scalars().all()
    assert victim in dirty  # its chunk rolled back: settled by the next run
    monkeypatch.setattr(_run, "settle", settle)
    reconcile(store)
    assert_truth(store, work)
    monkeypatch.setattr(_run, "worker_count", lambda store, parts: 1)
    inline = _loaded(tmp_path / "inline.db", work)
    reconcile(inline)
    assert digest(store)["claims"] == digest(inline)["claims"]
    store.close()
    inline.close()


def test_no_fork_with_a_connection_in_use_another_thread_or_in_memory(
        tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    assert can_fork(store) and worker_count(store, 5) == min(5, os.cpu_count() or 1)
    assert worker_count(store, 1) == 1
    with store.session() as s:
        s.connection()
        assert not can_fork(store)  # a checked-out connection would cross the fork
    assert can_fork(store)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not can_fork(store)  # a lock another thread holds would stay held
    finally:
        release.set()
        other.join()
    memory = open_store("sqlite:///:memory:")
    assert not can_fork(memory)
    store.close()
    memory.close()


def test_fork_map_returns_each_share_in_order(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))

    def work(mine: Store, share: list[int]) -> tuple[int, list[int]]:
        assert mine.engine is not store.engine  # the child's own connections
        return os.getpid(), share

    results = fork_map(store, work, list(range(7)), 3)
    assert [share for _, share in results] == [[0, 3, 6], [1, 4], [2, 5]]
    assert len({pid for pid, _ in results} | {os.getpid()}) == 4
    store.close()
