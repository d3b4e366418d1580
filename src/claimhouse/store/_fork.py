"""Work over a store split across processes, for the machine's other cores.

On SQLite the database's work runs inside the process that asks for it, under the same
GIL as the Python deciding what to ask; threads only fight over that lock (see
:mod:`claimhouse.reconcile._pipeline`). Separate processes do not: :func:`fork_map` forks
one process per share of the parts, each opens connections of its own to the same
database (SQLite in WAL: its readers never block, and SQLite serialises the writers, each
waiting up to the busy timeout; PostgreSQL: row locks, so callers give each share rows of
its own to write), runs ``work`` over its share and sends the result back.

Forking a process that holds an open SQLite connection is what SQLite's documentation
warns against (its per-process lock bookkeeping is copied into the child, which may then
skip locks it does not hold), and a PostgreSQL connection shared by two processes mixes
their messages. So :func:`fork_refusal` only lets it happen when the store's pool has no
connection checked out and this process runs no other thread, and :func:`fork_map`
closes every pooled connection before it forks: no connection of this process to the
database crosses the fork. The child never touches the parent's engine and ends with
``os._exit`` (multiprocessing's fork start method), so nothing inherited is closed or
flushed twice.

A share that fails raises in the caller once every child has ended, with the child's
traceback as a note; a child that dies without reporting (killed, out of memory) raises
:class:`WorkerLost`. What a share committed stays committed: callers split work into
parts that are each a transaction of their own and whose reads do not depend on another
part's writes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from claimhouse.store._engine import Store, _sqlite_pragmas

log = logging.getLogger(__name__)
P = TypeVar("P")
R = TypeVar("R")


class WorkerLost(RuntimeError):
    """A worker process ended without reporting a result (killed, out of memory)."""


def _file_database(store: Store) -> bool:
    path = make_url(store.url).database
    return bool(path) and path != ":memory:" and not str(path).startswith("file:")


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, which a container's cpuset or
    ``taskset`` narrows; ``os.cpu_count()`` counts the whole machine)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(store: Store, parts: int) -> int:
    """How many processes :func:`fork_map` would use for ``parts`` parts: one per usable
    CPU (at most ``parts``) unless :func:`fork_refusal` objects, else 1 (the caller works
    inline)."""
    if parts < 2:
        return 1
    refusal = fork_refusal(store)
    if refusal is not None:
        log.debug("%d chunks in this process: %s", parts, refusal)
        return 1
    return max(1, min(parts, usable_cpus()))


def fork_refusal(store: Store) -> str | None:
    """Why work on ``store`` may not be forked, or None: it may on a SQLite database file
    or PostgreSQL, on a platform with ``fork``, with no other thread in this process (a
    lock held by one would stay held in the child for ever) and no connection of the
    store's pool in use."""
    pool = store.engine.pool
    if not (store.backend == "postgresql"
            or (store.backend == "sqlite" and _file_database(store))):
        return "not a database file or server"
    if not hasattr(os, "fork"):
        return "no fork on this platform"
    if threading.active_count() != 1:
        return "other threads run in this process"
    if not isinstance(pool, QueuePool) or pool.checkedout():
        return "a store connection is in use"
    return None



MMAP_BYTES = 1 << 30


def _mapped(dbapi_connection: Any, _record: Any) -> None:
    """Read the database file through a memory map (up to 1 GiB). Each process's page
    cache starts cold after the other's commit (SQLite drops it when the WAL changed);
    mapped pages are read without a system call and a copy each."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cursor.close()


def child_store(store: Store) -> Store:
    """A store on the same database with an engine (and connections) of the child's own,
    configured as :func:`~claimhouse.store.open_store` configures it; no migration (the
    parent's store is migrated)."""
    engine = create_engine(store.url, hide_parameters=True)
    if store.backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _mapped)
    return Store(url=store.url, engine=engine,
                 sessions=sessionmaker(engine, expire_on_commit=False))


def _child(send: Connection, store: Store, work: Callable[[Store, list[P]], R],
           share: list[P]) -> None:
    try:
        mine = child_store(store)
        try:
            result: Any = ("ok", work(mine, share))
        finally:
            mine.close()
    except BaseException as exc:  # reported to the parent, which raises it
        exc.add_note("in a claimhouse worker process:\n" + "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)))
        try:
            pickle.dumps(exc)
        except Exception:
            plain = RuntimeError(f"{type(exc).__name__} in a worker process")
            plain.__notes__ = list(getattr(exc, "__notes__", []))
            exc = plain
        result = ("error", exc)
    send.send(result)
    send.close()


def fork_map(store: Store, work: Callable[[Store, list[P]], R], parts: Sequence[P],
             workers: int) -> list[R]:
    """Run ``work(store_of_the_child, share)`` in ``workers`` forked processes, share
    ``i`` being ``parts[i::workers]`` (interleaved: neighbouring parts cost alike), and
    return their results in share order. Call only when :func:`fork_refusal` is None."""
    store.engine.dispose()  # no pooled connection crosses the fork (see the module text)
    log.debug("%d chunks in %d forked processes", len(parts), workers)
    ctx = multiprocessing.get_context("fork")
    running: list[tuple[Any, Connection]] = []
    try:
        for i in range(workers):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(send, store, work, list(parts[i::workers])),
                               name=f"claimhouse-worker-{i}", daemon=True)
            proc.start()
            send.close()  # the child holds the only writer: EOF when it dies unreported
            running.append((proc, recv))
        results: list[Any] = []
        for proc, recv in running:
            try:
                results.append(recv.recv())
            except EOFError:
                results.append(("lost", proc))
            finally:
                recv.close()
    finally:
        for proc, _ in running:
            proc.join()
    for outcome in results:
        if outcome[0] == "error":
            raise outcome[1]
        if outcome[0] == "lost":
            raise WorkerLost(f"a worker process ended without a result (exit code "
                             f"{outcome[1].exitcode})")
    return [outcome[1] for outcome in results]
