"""Bulk writes with SQLAlchemy Core (executemany), for the hot paths: loading 100,000
claims or settling them must not go through one ORM object per row."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, func, select, text
from sqlalchemy.orm import Session

from claimhouse.store._types import CENT, Money

Rows = Sequence[dict[str, Any]]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around a bulk pass (hundreds of thousands of
    short-lived rows, no cycles), restoring its previous state afterwards: the collector
    otherwise rescans every live object again and again and costs more than the work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reserve_ids(session: Session, table: Any, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table``, so parents and children insert with plain
    executemany (no RETURNING round trips). PostgreSQL draws them from the table's
    sequence (safe with concurrent writers); SQLite, whose writer holds the database lock
    for the whole transaction once it has written, counts on from ``max(id)``."""
    if n <= 0:
        return []
    name = table.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        return list(session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                 "FROM generate_series(1, :n)"), {"t": name, "n": n}).scalars())
    session.execute(text(f"UPDATE {name} SET id = id WHERE 0"))  # take the write lock
    top = session.execute(select(func.coalesce(func.max(table.id), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + n))


def _placeholder(dialect: Any) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _cents(value: Any) -> Any:
    """Money as SQLite stores it: integer cents (exact; half-even rounding like Money)."""
    if value is None:
        return None
    if type(value) is Decimal:
        scaled = value * 100
        cents = int(scaled)
        if cents == scaled:
            return cents
    return int(Decimal(value).quantize(CENT).scaleb(2))


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _processors(table: Any, columns: Sequence[str], dialect: Any) -> list[Any]:
    """A converter per column (or None): plain functions for the hot types (Money, Date on
    SQLite), the column type's own bind processor otherwise."""
    sqlite = dialect.name == "sqlite"
    out: list[Any] = []
    for name in columns:
        col_type = table.c[name].type
        if isinstance(col_type, Money):
            out.append(_cents if sqlite else _money)
        elif sqlite and type(col_type) is Date:
            out.append(_iso)
        else:
            out.append(col_type.dialect_impl(dialect).bind_processor(dialect))
    return out


def _money(value: Any) -> Any:
    if value is None:
        return None
    return Decimal(value).quantize(CENT)


_ROW_FUNCTIONS: dict[tuple[Any, ...], Callable[[Any], tuple[Any, ...]]] = {}


def _row_function(table: Any, keys: Sequence[str], dialect: Any
                  ) -> Callable[[Any], tuple[Any, ...]]:
    """A compiled ``dict -> tuple`` for these keys of ``table``, values converted for the
    database (one Python call a row instead of a loop over the columns)."""
    cache_key = (table.name, tuple(keys), dialect.name)
    fn = _ROW_FUNCTIONS.get(cache_key)
    if fn is None:
        procs = _processors(table, keys, dialect)
        env: dict[str, Any] = {}
        parts = []
        for i, (key, proc) in enumerate(zip(keys, procs, strict=True)):
            if proc is None:
                parts.append(f"r[{key!r}]")
            else:
                env[f"p{i}"] = proc
                parts.append(f"p{i}(r[{key!r}])")
        exec(f"def row(r):\n    return ({', '.join(parts)},)\n", env)
        fn = _ROW_FUNCTIONS[cache_key] = env["row"]
    return fn


def _tuples(table: Any, rows: Rows, keys: Sequence[str], dialect: Any
            ) -> list[tuple[Any, ...]]:
    fn = _row_function(table, keys, dialect)
    return [fn(r) for r in rows]


def _copy(conn: Any, table: str, columns: Sequence[str],
          tuples: list[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY ... FROM STDIN on the connection's own transaction."""
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in tuples:
            copy.write_row(row)


def _sql_type(table: Any, column: str, dialect: Any) -> str:
    return str(table.c[column].type.dialect_impl(dialect).compile(dialect=dialect))


def fetch_all(session_or_conn: Any, sql: str) -> list[tuple[Any, ...]]:
    """Every row of ``sql`` straight from the driver's cursor on the session's connection
    (no result processing: the caller decodes money and dates, see ``Codec``)."""
    conn = session_or_conn.connection() if isinstance(session_or_conn, Session) \
        else session_or_conn
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def bulk_insert(session: Session, table: Any, rows: Rows) -> None:
    """INSERT every row (dicts with the same keys): one DBAPI executemany on SQLite,
    multi-row VALUES statements on PostgreSQL; values go through each column type's bind
    processor (so Money is cents on SQLite)."""
    if not rows:
        return
    conn = session.connection()
    t = table.__table__
    columns = list(rows[0])
    tuples = _tuples(t, rows, columns, conn.dialect)
    if conn.dialect.name == "postgresql":
        _copy(conn, t.name, columns, tuples)
        return
    head = f"INSERT INTO {t.name} ({', '.join(columns)}) VALUES "
    ph = _placeholder(conn.dialect)
    conn.exec_driver_sql(head + f"({', '.join([ph] * len(columns))})", tuples)


def insert_with_ids(session: Session, table: Any, rows: Rows) -> list[int]:
    """Give each row a reserved id, insert them all, return the ids in row order."""
    ids = reserve_ids(session, table, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    bulk_insert(session, table, rows)
    return ids


def bulk_update(session: Session, table: Any, rows: Rows) -> None:
    """UPDATE rows by ``id`` (each dict: ``id`` plus the columns to set, same keys): one
    DBAPI executemany on SQLite; ``UPDATE ... FROM (VALUES ...)`` on PostgreSQL."""
    if not rows:
        return
    conn = session.connection()
    t = table.__table__
    columns = [k for k in rows[0] if k != "id"]
    tuples = _tuples(t, rows, [*columns, "id"], conn.dialect)
    if conn.dialect.name == "postgresql":
        names = [*columns, "id"]
        temp = f"claimhouse_update_{t.name}"
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {temp} ("
            + ", ".join(f"{c} {_sql_type(t, c, conn.dialect)}" for c in names)
            + ") ON COMMIT DROP")
        conn.exec_driver_sql(f"TRUNCATE {temp}")
        _copy(conn, temp, names, tuples)
        sets = ", ".join(f"{c} = v.{c}" for c in columns)
        conn.exec_driver_sql(f"UPDATE {t.name} SET {sets} FROM {temp} AS v "
                             f"WHERE {t.name}.id = v.id")
        conn.exec_driver_sql(f"DROP TABLE {temp}")
        return
    ph = _placeholder(conn.dialect)
    sql = (f"UPDATE {t.name} SET {', '.join(f'{c} = {ph}' for c in columns)} "
           f"WHERE id = {ph}")
    conn.exec_driver_sql(sql, tuples)
