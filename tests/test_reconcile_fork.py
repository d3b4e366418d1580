"""Reconcile forked over processes (a SQLite file or PostgreSQL, more than a chunk of
work), on both backends: the end state is the inline run's, column for column and
decision for decision; a second run decides nothing; a worker that fails or dies raises
in the caller, leaves the claims it did not settle for the next run, and that run ends
in the truth. Chunks are made small here (``CHUNK``) so the workload spans many of them.

Reconcile forks only in a process with no other thread, and the test process has some
(Playwright's asyncio loop, for one): each scenario runs in a fresh interpreter
(``spawn``), which has none, and reports back what the test asserts."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimhouse.reconcile import _run, reconcile
from claimhouse.reconcile._settle import settle
from claimhouse.store import Store, _fork, open_store
from claimhouse.store._fork import WorkerLost, fork_map, fork_refusal, worker_count
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ServiceLineRow,
    ServicePaymentRow,
)
from claimhouse.testing._workload import CASES, Workload, generate_workload
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres
from tests.test_reconcile_store import assert_truth

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

CHUNK = 37  # the workload's claims and payments span several chunks of this size
N = len(CASES) * 10


def in_fresh_process(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a new interpreter (no thread but its main one); its exception,
    assertion errors included, is raised here."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result(timeout=600)


def _small_chunks() -> list[int]:
    """Small chunks, two CPUs, and a record of the processes each fork_map starts."""
    assert threading.active_count() == 1
    _run.CHUNK = CHUNK
    _fork.usable_cpus = lambda: 2  # type: ignore[assignment]
    started: list[int] = []

    def counted(store: Store, work: Any, parts: Any, workers: int) -> Any:
        started.append(workers)
        return fork_map(store, work, parts, workers)

    _run.fork_map = counted  # type: ignore[assignment]
    return started


def _inline() -> None:
    _run.worker_count = lambda store, parts: 1  # type: ignore[assignment]


def _loaded(url: str, work: Workload) -> Store:
    store = open_store(url)
    with store.session() as s:
        add_claims(s, work.all_claims())
        add_remittances(s, work.remittances)
    return store


def digest(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Everything reconcile writes, by content (no ids that the order of writing decides,
    no times)."""
    with store.session() as s:
        pcn = dict(s.execute(select(ClaimRow.id, ClaimRow.patient_control_number)).all())
        claims = sorted(tuple(r) for r in s.execute(select(
            ClaimRow.patient_control_number, ClaimRow.payer_id, ClaimRow.state,
            ClaimRow.paid_amount, ClaimRow.patient_responsibility, ClaimRow.adjusted_amount,
            ClaimRow.last_paid_on, ClaimRow.dirty)))
        lines = sorted(tuple(r) for r in s.execute(select(
            ServiceLineRow.id, ServiceLineRow.claim_id, ServiceLineRow.paid_amount)))
        payments = sorted((tuple(r) for r in s.execute(select(
            ClaimPaymentRow.id, ClaimPaymentRow.claim_id, ClaimPaymentRow.match_rule,
            ClaimPaymentRow.disposition))), key=repr)
        paid_lines = sorted((tuple(r) for r in s.execute(select(
            ServicePaymentRow.id, ServicePaymentRow.service_line_id,
            ServicePaymentRow.match_rule))), key=repr)
        records = sorted((
            (r.level, pcn.get(r.claim_id), r.claim_payment_id, r.service_payment_id,
             r.service_line_id, r.provider_adjustment_id, r.decision, r.rule, r.reason)
            for r in s.execute(select(MatchRecordRow)).scalars()), key=repr)
    return {"claims": claims, "lines": lines, "payments": payments,
            "paid_lines": paid_lines, "records": records}


def _summary(s: Any) -> tuple[int, ...]:
    return (s.payments_examined, s.payments_matched, s.claims_settled, s.decisions,
            s.provider_adjustments_linked)


# -- scenarios, each run in a fresh interpreter --------------------------------------------

def forked_and_inline(forked_url: str, inline_url: str) -> dict[str, Any]:
    work = generate_workload(N)
    started = _small_chunks()
    forked = _loaded(forked_url, work)
    summary = reconcile(forked)
    assert_truth(forked, work)
    out = {"started": list(started), "forked": _summary(summary),
           "forked_digest": digest(forked)}
    again = reconcile(forked)
    out["again"] = _summary(again)
    out["again_digest"] = digest(forked)
    _inline()
    inline = _loaded(inline_url, work)
    out["inline"] = _summary(reconcile(inline))
    out["inline_digest"] = digest(inline)
    out["started_after_inline"] = list(started)
    forked.close()
    inline.close()
    return out


def _failing_settle(marker: str, how: str) -> Any:
    def failing(claim: Any, postings: Any) -> Any:
        if claim.patient_control_number == marker:
            if how == "die":
                os._exit(9)  # as a kill -9 or the OOM killer would end it
            raise ValueError("settle failed on purpose")
        return settle(claim, postings)
    return failing


def failed_worker(url: str, inline_url: str, how: str) -> dict[str, Any]:
    work = generate_workload(N)
    started = _small_chunks()
    store = _loaded(url, work)
    victim = work.claims[len(work.claims) // 2].patient_control_number
    _run.settle = _failing_settle(victim, how)  # type: ignore[assignment]
    out: dict[str, Any] = {}
    try:
        reconcile(store)
    except (ValueError, WorkerLost) as exc:
        out["raised"] = (type(exc).__name__, str(exc), getattr(exc, "__notes__", []))
    out["started"] = list(started)
    with store.session() as s:
        out["victim_dirty"] = victim in s.execute(select(ClaimRow.patient_control_number)
                                                  .where(ClaimRow.dirty.is_(True))).scalars()
    _run.settle = settle
    reconcile(store)
    assert_truth(store, work)
    _inline()
    inline = _loaded(inline_url, work)
    reconcile(inline)
    out["same_claims"] = digest(store)["claims"] == digest(inline)["claims"]
    store.close()
    inline.close()
    return out


def fork_guards(folder: str) -> dict[str, Any]:
    store = open_store(str(Path(folder) / "s.db"))
    out: dict[str, Any] = {"alone": fork_refusal(store), "one_part": worker_count(store, 1),
                           "five_parts": worker_count(store, 5), "cpus": _fork.usable_cpus()}
    with store.session() as s:
        s.connection()
        out["checked_out"] = fork_refusal(store)  # a connection in use would cross the fork
    out["returned"] = fork_refusal(store)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        out["other_thread"] = fork_refusal(store)  # a lock it holds would stay held
    finally:
        release.set()
        other.join()
    memory = open_store("sqlite:///:memory:")
    out["in_memory"] = fork_refusal(memory)
    memory.close()

    def work(mine: Store, share: list[int]) -> tuple[int, bool, list[int]]:
        return os.getpid(), mine.engine is not store.engine, share

    out["shares"] = fork_map(store, work, list(range(7)), 3)
    out["pid"] = os.getpid()
    store.close()
    return out


# -- the tests ---------------------------------------------------------------------------

@pytest.fixture
def two_urls(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """Two fresh databases on the backend of ``db_url``."""
    if "://" not in db_url:
        return db_url, str(tmp_path / "inline.db")
    server = request.getfixturevalue("postgres")
    return db_url, server.create_database()


def test_forked_run_ends_as_the_inline_run_and_twice_decides_nothing(
        two_urls: tuple[str, str]) -> None:
    got = in_fresh_process(forked_and_inline, *two_urls)
    assert got["started"] == [2, 2]  # matching and settling each in two processes
    assert got["started_after_inline"] == [2, 2]  # and the reference run did not fork
    assert got["forked"] == got["inline"]
    assert got["forked"][2] == N  # every claim settled
    assert got["forked_digest"] == got["inline_digest"]
    assert got["again"][2:4] == (0, 0)  # nothing settled or decided again
    assert got["again_digest"] == got["forked_digest"]


@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_failed_worker_raises_and_the_next_run_finishes(two_urls: tuple[str, str],
                                                          how: str) -> None:
    got = in_fresh_process(failed_worker, *two_urls, how)
    assert got["started"] and got["started"][0] == 2
    kind, message, notes = got["raised"]
    if how == "raise":
        assert (kind, message) == ("ValueError", "settle failed on purpose")
        assert any("in a claimhouse worker process" in n for n in notes)  # its traceback
    else:
        assert kind == "WorkerLost" and "ended without a result" in message
    assert got["victim_dirty"]  # its chunk rolled back: settled by the next run
    assert got["same_claims"]


def test_fork_guards_and_fork_map_shares(tmp_path: Path) -> None:
    got = in_fresh_process(fork_guards, str(tmp_path))
    assert got["alone"] is None and got["returned"] is None
    assert got["checked_out"] == "a store connection is in use"
    assert got["other_thread"] == "other threads run in this process"
    assert got["in_memory"] == "not a database file or server"
    assert got["one_part"] == 1 and got["five_parts"] == min(5, got["cpus"])
    assert [share for _, _, share in got["shares"]] == [[0, 3, 6], [1, 4], [2, 5]]
    assert all(own for _, own, _ in got["shares"])  # each child's own engine
    assert len({pid for pid, _, _ in got["shares"]} | {got["pid"]}) == 4
