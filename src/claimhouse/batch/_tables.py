"""The batch journal's tables: defined with the store's tables
(:mod:`claimhouse.store._batch_tables`, which describes each of them) and created by the
store's Alembic migrations (revision 0003); :func:`create_tables` brings a database to the
newest revision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from claimhouse.store._batch_tables import (
    ACTIVE_SQL,
    ACTIVE_STATES,
    FINAL_STATES,
    audit,
    interchanges,
    jobs,
    metadata,
    seen_files,
    sets,
)
from claimhouse.store._engine import migrate

if TYPE_CHECKING:
    from claimhouse.store import Store

__all__ = ["ACTIVE_SQL", "ACTIVE_STATES", "FINAL_STATES", "audit", "create_tables",
           "interchanges", "jobs", "make_engine", "metadata", "open_journal_store",
           "seen_files", "sets"]


def create_tables(engine: Engine) -> None:
    """Bring the database to the store's newest migration, which creates the batch tables
    (safe to call from many workers at once: the migration takes an advisory lock)."""
    migrate(engine)


def _sqlite_durable(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # one fsync per commit...
    cursor.execute("PRAGMA synchronous=FULL")  # ...and every commit survives a power cut
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for the journal: SQLite in WAL mode with full synchronous commits."""
    engine = create_engine(url, hide_parameters=True)  # errors never quote row values
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_durable)
    return engine


def open_journal_store(url: str) -> Store:
    """The claim store at ``url`` (migrated), its engine also durable enough for the journal
    (SQLite: full synchronous commits), so a file's results and its done mark share one
    transaction."""
    from claimhouse.store import open_store

    store = open_store(url)
    if store.engine.dialect.name == "sqlite":
        event.listen(store.engine, "connect", _sqlite_durable)
        store.engine.dispose()  # connections opened by the migration predate the listener
    return store
