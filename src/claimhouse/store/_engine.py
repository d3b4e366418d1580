"""Opening the store: a database URL, an engine, and the schema migrated on first use.

``--db URL`` or ``CLAIMHOUSE_DB`` names the database: a SQLAlchemy URL
(``postgresql+psycopg://user@host/db``, ``sqlite:///path``) or a bare path, which means a
SQLite file. Default ``./claimhouse.db``. SQLite runs in WAL mode with foreign keys on,
``synchronous=NORMAL`` (a committed transaction survives a crash of the process; a power
cut may lose the last transactions before the next WAL sync, never the database) and a
64 MB WAL checkpoint interval (bulk loads rewrite the same pages many times).
Alembic runs programmatically from the migration scripts shipped inside the package; no
alembic.ini is needed.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from claimhouse._fs import create_private, private_dir
from claimhouse.errors import StoreError

DEFAULT_DB = "claimhouse.db"
ENV_VAR = "CLAIMHOUSE_DB"


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (or ``$CLAIMHOUSE_DB``, or ``./claimhouse.db``)."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError as exc:
            raise StoreError("the database URL cannot be parsed") from exc
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=120000")  # first: the WAL switch below may wait
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: indexes stay in memory
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Checkpoint the WAL into the database every 64 MB instead of every 4 MB: a bulk load
    # rewrites the same index and row pages many times between checkpoints, and each
    # checkpoint is an fsync. Durability is unchanged (WAL; synchronous=NORMAL: a commit
    # is durable once the next checkpoint or WAL sync has run; a power cut can lose the
    # last transactions, never corrupt the database).
    cursor.execute("PRAGMA wal_autocheckpoint=16384")
    cursor.close()


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    location = resources.files("claimhouse.store") / "migrations"
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> str | None:
    """Bring the schema to the newest migration; returns the revision now current."""
    with engine.begin() as conn:
        # Several processes may open a fresh database at once: one migrates at a time.
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7335835)"))
        elif conn.dialect.name == "sqlite":
            lock_store(conn)  # BEGIN IMMEDIATE: the schema is created in one transaction
        cfg = _alembic_config(conn)
        head = ScriptDirectory.from_config(cfg).get_current_head()
        current = MigrationContext.configure(conn).get_current_revision()
        if current != head:
            command.upgrade(cfg, "head")
        return head


STORE_LOCK_KEY = 0x636C_6D68_7374_6F72
"""PostgreSQL advisory lock serialising the store's writers (``claimhouse load`` in
several processes, batch workers, reconcile): two loads of the same claims at once would
both find them absent and both insert them; a reconcile beside a load could deadlock."""


def lock_store(conn: Connection) -> None:
    """Serialise this transaction with every other store writer, from here to its end.

    PostgreSQL: the transaction-scoped advisory lock :data:`STORE_LOCK_KEY`. SQLite: when
    no transaction is open yet on the connection, ``BEGIN IMMEDIATE`` takes the database's
    write lock now (waiting up to the busy timeout), so the reads that decide what to
    insert see every committed writer and the later writes cannot fail to upgrade."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(STORE_LOCK_KEY)))
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(slots=True)
class Store:
    """An open store: the engine and a session factory (``expire_on_commit`` off)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction holds the store lock (:func:`lock_store`) from its
        first statement: what it reads before writing no concurrent writer changes."""
        with self.sessions() as session, session.begin():
            lock_store(session.connection())
            yield session

    def close(self) -> None:
        self.engine.dispose()


def prepare_sqlite_file(url: str) -> None:
    """Create a SQLite database file (and its folder) private before SQLite opens it:
    0600 / 0700 whatever the umask (PHI at rest); SQLite gives its -wal/-shm/-journal
    files the database file's mode."""
    path = make_url(url).database
    if url.startswith("sqlite") and path and path != ":memory:" and not path.startswith(
            "file:"):
        private_dir(Path(path).parent)
        create_private(path)


@contextmanager
def _sqlite_open_lock(url: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the database file while this process makes its
    first connection and migrates. Two processes opening a fresh database at once both
    switch it to WAL and create the schema; SQLite answers one of them SQLITE_BUSY
    without waiting on its busy timeout in that window ("database is locked" seen in CI).
    ``flock`` locks are separate from the POSIX record locks SQLite itself uses."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def open_store(db: str | None = None, *, echo: bool = False) -> Store:
    """Open (creating and migrating as needed) the store named by ``db``."""
    url = database_url(db)
    try:
        if url.startswith("sqlite"):
            prepare_sqlite_file(url)
            # hide_parameters: a database error never quotes the row values (PHI)
            engine = create_engine(url, echo=echo, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
            with _sqlite_open_lock(url):
                migrate(engine)
        else:
            engine = create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)
            migrate(engine)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the {make_url(url).get_backend_name()} database: "
                         f"{type(exc.orig if hasattr(exc, 'orig') else exc).__name__}") from exc
    except OSError as exc:
        raise StoreError(f"cannot create the database file: {exc.strerror}") from exc
    return Store(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
