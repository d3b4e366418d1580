"""A slim copy of the claims table for the length of one report.

``claims`` rows carry the whole claim as JSON (``document``, ~4 KB), so every scan or key
lookup of ``claims`` reads mostly documents: at 100,000 claims one scan takes ~0.7 s, the
same scan of the report columns alone ~0.05 s. A report that asks many questions first
copies the report columns into a temporary table (one scan) and every query in
``_reconciliation`` / ``_worklists`` then reads that table (:func:`claims_table`). The
temporary table lives in this session's connection only and is dropped afterwards; no
schema change, nothing another connection sees.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Column, MetaData, Table, insert, select
from sqlalchemy.orm import Session

from claimhouse.store._tables import ClaimRow

COLUMNS = ("id", "patient_control_number", "payer_id", "payer_name", "state",
           "total_charge", "paid_amount", "adjusted_amount", "patient_responsibility",
           "service_from", "submitted_on", "last_paid_on")
"""What reports read of a claim (everything but the document and bookkeeping)."""
_KEY = "claimhouse.reports.claims_table"
_serial = itertools.count(1)


def claims_table(session: Session) -> Table:
    """The table reports read claims from: the slim copy inside :func:`slim_claims`, else
    ``claims`` itself."""
    table = session.info.get(_KEY)
    return table if isinstance(table, Table) else ClaimRow.__table__  # type: ignore[return-value]


@contextmanager
def slim_claims(session: Session) -> Iterator[Table]:
    """Copy the report columns of ``claims`` into a temporary table for this session."""
    source: Table = ClaimRow.__table__  # type: ignore[assignment]
    table = Table(f"report_claims_{os.getpid()}_{next(_serial)}", MetaData(),
                  *[Column(name, source.c[name].type, primary_key=name == "id")
                    for name in COLUMNS], prefixes=["TEMPORARY"])
    conn = session.connection()
    table.create(conn)
    conn.execute(insert(table).from_select(
        list(COLUMNS), select(*[source.c[name] for name in COLUMNS])))
    if conn.dialect.name == "postgresql":  # no autovacuum statistics on temp tables
        conn.exec_driver_sql(f"ANALYZE {table.name}")
    session.info[_KEY] = table
    try:
        yield table
    except BaseException:  # the session's transaction rolls back, and the table with it
        session.info.pop(_KEY, None)
        raise
    session.info.pop(_KEY, None)
    table.drop(conn)
