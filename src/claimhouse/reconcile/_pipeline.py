"""Writing one chunk's results while the next chunk is read and decided.

The engine reads a chunk (claims, their postings), decides it in Python, then writes the
results; the database does most of the writing without the GIL (SQLite steps and
PostgreSQL COPY release it). :class:`ChunkWriter` runs each chunk's writes in its own
transaction on a second connection, in one background thread, so the next chunk is read
and settled meanwhile. At most one chunk waits to be written (memory stays bounded by two
chunks), chunks commit in the order submitted, and the first failure is raised in the
caller at its next :meth:`ChunkWriter.submit` or at :meth:`ChunkWriter.close`; the
failed chunk's transaction rolls back and no later chunk is written.

A chunk's reads never depend on an earlier chunk's writes: each phase walks ids upwards
(``id > after``), and what a chunk writes belongs to its own claims and payments.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session

from claimhouse.store import Store

Work = Callable[[Session], None]


class ChunkWriter:
    """A background writer: :meth:`submit` a function of a session; it runs in a
    transaction of its own (committed on success) after the chunks submitted before it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: queue.Queue[Work | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="claimhouse-reconcile-writer",
                                        daemon=True)
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
