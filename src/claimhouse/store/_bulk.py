"""Bulk writes for the hot paths: loading 100,000 claims or settling them must not go
through one ORM object (nor one SQLAlchemy statement) per row.

Rows reach the driver as tuples of values already in the form the database stores
(:class:`Encoders`): on SQLite multi-row ``INSERT ... VALUES (...), (...)`` statements on
the session's own DBAPI connection (a third less CPU than ``executemany`` of one-row
statements), on PostgreSQL ``COPY ... FROM STDIN``. Updates go by ``id``: ``executemany``
on SQLite, ``COPY`` into a temp table + ``UPDATE ... FROM`` on PostgreSQL. Driver errors
come out as SQLAlchemy's (``IntegrityError`` ...), without the parameters (PHI).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import Date, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from claimhouse.store._tables import Quantity
from claimhouse.store._types import CENT, Money

Rows = Sequence[dict[str, Any]]
MAX_PARAMETERS = 999
"""Host parameters per SQLite statement: the smallest limit any SQLite build has."""


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
        return list(session.execute(  # the sequence named once, not looked up per id
            text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)"),
            {"seq": _sequence(session, name), "n": n}).scalars())
    session.execute(text(f"UPDATE {name} SET id = id WHERE 0"))  # take the write lock
    top = session.execute(select(func.coalesce(func.max(table.id), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + n))


def _sequence(session: Session, table: str) -> str:
    """The id sequence of ``table`` (PostgreSQL), looked up once per connection:
    ``pg_get_serial_sequence`` per generated row cost 6 us an id, 6x ``nextval`` itself."""
    conn = session.connection()
    known: dict[str, str] = conn.info.setdefault("claimhouse_id_sequences", {})
    found = known.get(table)
    if found is None:
        found = known[table] = session.execute(text(
            "SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar_one()
    return found


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


def _sql_type(table: Any, column: str, dialect: Any) -> str:
    return str(table.c[column].type.dialect_impl(dialect).compile(dialect=dialect))


def fetch_all(session_or_conn: Any, sql: str) -> list[tuple[Any, ...]]:
    """Every row of ``sql`` straight from the driver's cursor on the session's connection
    (no result processing: the caller decodes money and dates, see ``Codec``)."""
    conn = session_or_conn.connection() if isinstance(session_or_conn, Session) \
        else session_or_conn
    raw: Any = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def fetch_in(session: Session, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` whose ``IN ({})`` takes each of ``values`` (text or numbers),
    straight from the driver (no statement compiled per call). SQLite: 500 placeholders
    to a statement. PostgreSQL: one array parameter (``bigint[]`` when every value is an
    int, else ``text[]``), ``IN (SELECT unnest(...))``, which the planner joins by hash
    or index; a list of 500 placeholders it may instead test
    row by row against every value in a sequential scan (it did, 12 s for 10,000 claims
    against 40,000 stored, once claim rows became narrow)."""
    conn = session.connection()
    raw: Any = conn.connection.dbapi_connection
    out: list[tuple[Any, ...]] = []
    cursor = raw.cursor()
    try:
        if conn.dialect.name == "postgresql":
            if values:
                kind = "bigint" if all(type(v) is int for v in values) else "text"
                cursor.execute(sql.format(f"SELECT unnest(CAST(%s AS {kind}[]))"),
                               [list(values)])
                out += cursor.fetchall()
            return out
        for start in range(0, len(values), 500):
            part = list(values[start:start + 500])
            cursor.execute(sql.format(", ".join(["?"] * len(part))), part)
            out += cursor.fetchall()
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(exc, sql, conn.dialect) from exc
    finally:
        cursor.close()
    return out


def bulk_insert(session: Session, table: Any, rows: Rows) -> None:
    """INSERT every row (dicts with the same keys), values through each column type's
    bind processor (Money is cents on SQLite)."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = session.get_bind().dialect
    insert_rows(session, table, columns, _tuples(table.__table__, rows, columns, dialect))


def bulk_update(session: Session, table: Any, rows: Rows) -> None:
    """UPDATE rows by ``id`` (each dict: ``id`` plus the columns to set, same keys)."""
    if not rows:
        return
    columns = [k for k in rows[0] if k != "id"]
    dialect = session.get_bind().dialect
    update_rows(session, table, columns,
                _tuples(table.__table__, rows, [*columns, "id"], dialect))


def insert_rows(session: Session, table: Any, columns: Sequence[str],
                rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT tuples whose values are already in stored form (see :class:`Encoders`).

    ``rows`` may be a generator: PostgreSQL's COPY then takes each row as it is made, so
    the server inserts (and runs its foreign-key checks) while Python builds the next
    rows; SQLite gets them as a list first."""
    if isinstance(rows, Sequence) and not rows:
        return
    conn = session.connection()
    name = table.__tablename__
    raw: Any = conn.connection.dbapi_connection
    try:
        if conn.dialect.name == "postgresql":
            _copy(raw, name, columns, rows)
        else:
            rows = rows if isinstance(rows, Sequence) else list(rows)
            if rows:
                _sqlite_insert(raw, name, _sqlite_values(table.__table__, columns), rows)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(exc, f"INSERT INTO {name}", conn.dialect) from exc


def update_rows(session: Session, table: Any, columns: Sequence[str],
                rows: Sequence[tuple[Any, ...]]) -> None:
    """UPDATE by id: each tuple holds ``columns`` in stored form, then the row's id."""
    if not rows:
        return
    conn = session.connection()
    t = table.__table__
    raw: Any = conn.connection.dbapi_connection
    try:
        if conn.dialect.name == "postgresql":
            names = [*columns, "id"]
            temp = f"claimhouse_update_{t.name}"
            with raw.cursor() as cur:
                cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} ("
                            + ", ".join(f"{c} {_sql_type(t, c, conn.dialect)}" for c in names)
                            + ") ON COMMIT DROP")
                cur.execute(f"TRUNCATE {temp}")
            _copy(raw, temp, names, rows)
            sets = ", ".join(f"{c} = v.{c}" for c in columns)
            with raw.cursor() as cur:
                cur.execute(f"UPDATE {t.name} SET {sets} FROM {temp} AS v "
                            f"WHERE {t.name}.id = v.id")
                cur.execute(f"DROP TABLE {temp}")
            return
        sets = ", ".join(f"{c} = {p}" for c, p in _sqlite_values(t, columns).items())
        cursor = raw.cursor()
        try:
            cursor.executemany(f"UPDATE {t.name} SET {sets} WHERE id = ?", rows)
        finally:
            cursor.close()
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(exc, f"UPDATE {t.name}", conn.dialect) from exc


def _wrapped(exc: Exception, what: str, dialect: Any) -> BaseException:
    """The driver's error as SQLAlchemy raises it from a statement (``IntegrityError``
    ...), its parameters hidden: they are claim data."""
    return DBAPIError.instance(what, None, exc, dialect.loaded_dbapi.Error,
                               hide_parameters=True, dialect=dialect)


def _sqlite_values(table: Any, columns: Sequence[str]) -> dict[str, str]:
    """The placeholder of each column: ``NULLIF(?, x'')`` where the column takes NULL, so
    that :data:`SQLITE_NULL` stands for it (see :class:`Encoders`)."""
    return {c: "NULLIF(?, x'')" if table.c[c].nullable else "?" for c in columns}


def _sqlite_insert(raw: Any, name: str, values: dict[str, str],
                   rows: Sequence[tuple[Any, ...]]) -> None:
    """Multi-row VALUES statements of up to :data:`MAX_PARAMETERS` parameters; the rest
    (fewer rows than one statement takes) by ``executemany``. ``values``: each column's
    placeholder."""
    n = len(values)
    per = max(1, MAX_PARAMETERS // n)
    one = f"({', '.join(values.values())})"
    head = f"INSERT INTO {name} ({', '.join(values)}) VALUES "
    full = len(rows) - len(rows) % per
    cursor = raw.cursor()
    try:
        if full:
            sql = head + ", ".join([one] * per)
            flat = chain.from_iterable
            for start in range(0, full, per):
                cursor.execute(sql, list(flat(rows[start:start + per])))
        if full < len(rows):
            cursor.executemany(head + one, rows[full:])
    finally:
        cursor.close()


def _copy(raw: Any, table: str, columns: Sequence[str],
          rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY ... FROM STDIN on the connection's own transaction."""
    with raw.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


SQLITE_NULL = bytearray()
"""What a row tuple holds for NULL on SQLite: Python's sqlite3 binds ``None`` through its
adapter lookup (a tuple, a dict probe and two failed attribute lookups: ~0.2 us a value;
a 2110 row with six NULLs inserts in 3.0 us with ``None``, 2.1 us with this), a
``bytearray`` directly, as a blob that ``NULLIF(?, x'')`` turns into NULL. Only an empty
blob is equal to ``x''``: text, numbers and NULL pass unchanged. Never mutated."""


class ValueCache(dict[Any, Any]):
    """``value -> stored form``, each distinct value converted once: amounts, dates and
    quantities repeat all through a load. A load makes its own and drops it."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.convert(key)
        return value


@dataclass(frozen=True, slots=True)
class Encoders:
    """Python values to what the driver writes, per dialect: ``money[Decimal]`` (integer
    cents on SQLite, NUMERIC with two places on PostgreSQL), ``day[date]`` (ISO text on
    SQLite), ``quantity[Decimal]`` (the ``Numeric(15, 3)`` bind processor), ``true`` (a
    Boolean true) and ``null``: NULL, :data:`SQLITE_NULL` on SQLite (where
    :func:`insert_rows` and :func:`update_rows` write it as NULL), ``None`` on PostgreSQL;
    ``None`` maps to ``null``."""

    money: ValueCache
    day: ValueCache
    quantity: ValueCache
    true: Any
    null: Any


def _same(value: Any) -> Any:
    return value


def encoders(session: Session) -> Encoders:
    """Fresh value converters for the session's database."""
    dialect = session.get_bind().dialect
    sqlite = dialect.name == "sqlite"
    quantity = Quantity.dialect_impl(dialect).bind_processor(dialect)
    null = SQLITE_NULL if sqlite else None
    caches = (ValueCache(_cents if sqlite else _money), ValueCache(_iso if sqlite else _same),
              ValueCache(quantity or _same))
    for cache in caches:
        cache[None] = null
    return Encoders(*caches, true=1 if sqlite else True, null=null)
