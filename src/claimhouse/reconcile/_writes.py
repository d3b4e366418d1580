"""The engine's bulk writes: rows decided by a chunk, as tuples ready for the driver.

On SQLite one literal ``executemany`` per kind of write, over tuples made ready as the
rows are decided (integer cents, ISO dates): no dict and no conversion pass per row. On
PostgreSQL the same tuples (``Decimal``, ``date``) go to
:func:`~claimhouse.store._bulk.update_rows` / :func:`~claimhouse.store._bulk.insert_rows`
(COPY).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from claimhouse.store import Store
from claimhouse.store._bulk import insert_rows, update_rows
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ServiceLineRow,
    ServicePaymentRow,
)
from claimhouse.store._types import CENT

SQLITE_WRITES = {
    "claims": "UPDATE claims SET state = ?, paid_amount = ?, patient_responsibility = ?, "
              "adjusted_amount = ?, last_paid_on = ?, dirty = 0 WHERE id = ?",
    "service_lines": "UPDATE service_lines SET paid_amount = ? WHERE id = ?",
    "claim_payments": "UPDATE claim_payments SET disposition = ? WHERE id = ?",
    "service_payments": "UPDATE service_payments SET service_line_id = ?, match_rule = ? "
                        "WHERE id = ?",
    "linked": "UPDATE claim_payments SET claim_id = ?, match_rule = ?, disposition = ? "
              "WHERE id = ?",
    "states": "INSERT INTO match_records (run_id, decided_at, patient_control_number, level, "
              "claim_id, decision, rule, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
}
"""The SQL of each kind of write on SQLite (values in the order of ``COLUMNS``)."""

COLUMNS = {
    "claims": ("state", "paid_amount", "patient_responsibility", "adjusted_amount",
               "last_paid_on", "id"),
    "service_lines": ("paid_amount", "id"),
    "claim_payments": ("disposition", "id"),
    "service_payments": ("service_line_id", "match_rule", "id"),
    "linked": ("claim_id", "match_rule", "disposition", "id"),
    "states": ("run_id", "decided_at", "patient_control_number", "level", "claim_id",
               "decision", "rule", "reason"),
}
TABLES = {"claims": ClaimRow, "service_lines": ServiceLineRow,
           "claim_payments": ClaimPaymentRow, "service_payments": ServicePaymentRow,
           "linked": ClaimPaymentRow, "states": MatchRecordRow}


def same(value: Any) -> Any:
    return value


def cents(value: Decimal) -> int:
    """Money as SQLite stores it (``Money``): integer cents, exact."""
    scaled = value * 100
    whole = int(scaled)
    return whole if whole == scaled else int(value.quantize(CENT).scaleb(2))


def iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def stored_time(store: Store, when: datetime) -> Any:
    """``when`` as the driver takes it for ``match_records.decided_at`` (SQLite: the
    column type's text form, computed once for a whole chunk of records)."""
    dialect = store.engine.dialect
    process = MatchRecordRow.__table__.c.decided_at.type.dialect_impl(dialect) \
        .bind_processor(dialect)
    return process(when) if process is not None and store.backend == "sqlite" else when


def write_back(session: Session, what: str, rows: list[tuple[Any, ...]]) -> None:
    """Write ``rows`` (tuples in the order of ``COLUMNS[what]``)."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(SQLITE_WRITES[what], rows)
        return
    columns = COLUMNS[what]
    if what == "states":
        insert_rows(session, TABLES[what], columns, rows)
        return
    if what == "claims":  # settled: no longer dirty
        columns = (*columns[:-1], "dirty", "id")
        rows = [(*r[:-1], False, r[-1]) for r in rows]
    update_rows(session, TABLES[what], columns[:-1], rows)
