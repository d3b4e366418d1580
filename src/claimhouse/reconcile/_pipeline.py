"""Reading the next chunk and writing the previous one while this one is decided.

The engine reads a chunk (claims, their postings), decides it in Python, then writes the
results; the database does much of the reading and writing without the GIL (SQLite steps,
PostgreSQL's own process). :class:`Prefetch` reads one chunk ahead in a background
thread; :class:`ChunkWriter` runs each chunk's writes in its own transaction on another
connection, in a second background thread. At most one chunk waits on each side (memory
stays bounded by a few chunks), chunks commit in the order submitted, and the first
failure is raised in the caller at its next :meth:`ChunkWriter.submit` or at
:meth:`ChunkWriter.close`; the failed chunk's transaction rolls back and no later chunk
is written.

A chunk's reads never depend on an earlier chunk's writes: each phase walks ids upwards
(``id > after``), and what a chunk writes belongs to its own claims and payments.

Both run in background threads on PostgreSQL only (:func:`in_background`); on SQLite,
and wherever each thread would see a database of its own (in-memory SQLite: one
connection per thread, or one shared connection), they run inline in the caller.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from claimhouse.store import Store

Work = Callable[[Session], None]
T = TypeVar("T")


def threads_share_the_database(store: Store) -> bool:
    """Whether connections opened by other threads reach the same database (not so for
    pools that keep one connection per thread or a single one: in-memory SQLite)."""
    return not isinstance(store.engine.pool, (SingletonThreadPool, StaticPool))


def in_background(store: Store) -> bool:
    """Whether reading and writing run in background threads: on PostgreSQL, whose server
    does the work in its own processes while the threads wait on the socket without the
    GIL. Not on SQLite, where the database work runs inside this process: measured at
    100k claims on an idle two-core machine, the threads fought over the GIL (wall
    14.4-15.0 s inline, 16.8-17.4 s threaded; CPU 14 s against 20-21 s)."""
    return store.backend == "postgresql" and threads_share_the_database(store)


class ChunkWriter:
    """A background writer: :meth:`submit` a function of a session; it runs in a
    transaction of its own (committed on success) after the chunks submitted before it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: queue.Queue[Work | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._inline = not in_background(store)
        self._thread = threading.Thread(target=self._run, name="claimhouse-reconcile-writer",
                                        daemon=True)
        if not self._inline:
            self._thread.start()

    def _run(self) -> None:
        while True:
            work = self._queue.get()
            if work is None:
                return
            if self._error is not None:
                continue  # a chunk failed: drop the rest, the caller raises
            try:
                with self._store.session() as session:
                    work(session)
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def submit(self, work: Work) -> None:
        """Queue ``work`` (waits while another chunk is already waiting)."""
        self._raise()
        if self._inline:
            with self._store.session() as session:
                work(session)
            return
        self._queue.put(work)

    def close(self) -> None:
        """Wait until every submitted chunk is written; raise the first failure."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
            return
        # the caller failed: stop after what is queued, without masking its error
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


_END = object()


class Prefetch(Generic[T]):
    """Iterate ``produce()`` (reading ``store``) one item ahead, in a background thread:
    while the caller works on item k, item k+1 is already being read (the database steps
    release the GIL). An error in ``produce`` is raised in the caller where it would have been;
    :meth:`close` (or leaving the ``with`` block) stops the producer early."""

    def __init__(self, store: Store, produce: Callable[[], Iterator[T]]) -> None:
        self._produce = produce
        self._inline = inline = not in_background(store)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claimhouse-reconcile-reader",
                                        daemon=True)
        if not inline:
            self._thread.start()

    def _run(self) -> None:
        items = self._produce()
        try:
            for item in items:
                if self._stop.is_set():
                    return
                self._queue.put((item, None))
        except BaseException as exc:  # handed to the caller's thread
            self._queue.put((_END, exc))
            return
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator's sessions end in this thread
        self._queue.put((_END, None))

    def __iter__(self) -> Iterator[T]:
        if self._inline:
            yield from self._produce()
            return
        while True:
            item, error = self._queue.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item

    def close(self) -> None:
        self._stop.set()
        if self._inline:
            return
        while self._thread.is_alive():  # unblock a producer waiting to put
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()

    def __enter__(self) -> Prefetch[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
