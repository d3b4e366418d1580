"""The store opens, creates and migrates databases on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from claimhouse.errors import StoreError
from claimhouse.store import database_url, open_store
from claimhouse.store._tables import TABLES
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres


def test_bare_path_means_sqlite_file(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_env_and_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLAIMHOUSE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url(None) == f"sqlite:///{tmp_path / 'claimhouse.db'}"
    monkeypatch.setenv("CLAIMHOUSE_DB", "sqlite:///elsewhere.db")
    assert database_url(None) == "sqlite:///elsewhere.db"


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "nobody" not in str(info.value)


def test_created_and_migrated_on_first_use(db_url: str) -> None:
    store = open_store(db_url)
    try:
        names = set(inspect(store.engine).get_table_names())
        assert {"files", "claims", "service_lines", "remittances", "claim_payments",
                "service_payments", "adjustments", "provider_adjustments",
                "match_records", "alembic_version"} <= names
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), TABLES)
        assert diff == [], f"migrations and ORM tables disagree: {diff}"
    finally:
        store.close()
    again = open_store(db_url)  # second open: already at head, nothing to do
    with again.session() as s:
        assert s.execute(select(1)).scalar() == 1
    again.close()


def test_database_errors_never_quote_bound_values(db_url: str, tmp_path: Path) -> None:
    """A driver error's text (logged, reported, re-raised) names the statement, not the
    values bound to it: those are patient data."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from claimhouse.batch._tables import make_engine

    store = open_store(db_url)
    try:
        for engine in (store.engine, make_engine(f"sqlite:///{tmp_path / 'journal.db'}")):
            with engine.connect() as conn, pytest.raises(SQLAlchemyError) as err:
                conn.execute(text("INSERT INTO no_such_table VALUES (:name)"),
                             {"name": "QQQPHIXSMITH"})
            assert "QQQPHIX" not in str(err.value) and "no_such_table" in str(err.value)
    finally:
        store.close()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_upgrade_keeps_data(db_url: str) -> None:
    """A database left at revision 0001 is brought to head on open; its rows survive."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from claimhouse.store._engine import _alembic_config, database_url

    engine = create_engine(database_url(db_url))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO reconcile_runs (id, started_at, payments_examined, "
                          "claims_settled, decisions) VALUES (1, '2026-01-01 00:00:00', 0, 0, 0)"))
        conn.execute(text("INSERT INTO match_records (run_id, decided_at, level, decision, "
                          "rule, reason) VALUES (1, '2026-01-01 00:00:00', 'claim', "
                          "'unmatched', 'no-claim-with-pcn', 'test')"))
    engine.dispose()
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0004"
        assert conn.exec_driver_sql("SELECT count(*) FROM match_records").scalar() == 1
        diff = compare_metadata(MigrationContext.configure(conn), TABLES)
    assert diff == []
    store.close()


def test_batch_tables_made_before_0003_are_kept(db_url: str) -> None:
    """A database at 0002 whose batch journal tables the batch created itself (before they
    joined the migrations) upgrades to head keeping them and their rows; a fresh database
    gets them from the migrations alone."""
    from alembic import command
    from sqlalchemy import MetaData, create_engine

    from claimhouse.store._batch_tables import jobs
    from claimhouse.store._engine import _alembic_config, database_url

    engine = create_engine(database_url(db_url))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
        old = MetaData()  # what batch.create_tables made before 0003: its own metadata
        for table in TABLES.sorted_tables:
            if table.name.startswith("batch_"):
                table.to_metadata(old)
        old.create_all(conn)
        conn.execute(jobs.insert().values(name="a.x12", state="pending", lease_until=0.0,
                                          attempts=0, claims=0, discovered_at=1.0,
                                          updated_at=1.0))
    engine.dispose()
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM batch_jobs").scalar() == 1
        assert {"batch_jobs", "batch_audit", "batch_seen_files", "batch_interchanges",
                "batch_sets"} <= set(inspect(conn).get_table_names())
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0004"
    store.close()


def test_upgrade_to_0004_moves_documents_and_keeps_every_line(db_url: str) -> None:
    """A database at 0003 with claims (their JSON in ``claims.document``) and their lines
    upgrades to head: each document is in ``claim_documents`` under its claim's id, the
    column is gone, and no line or claim is lost (a table copy would have cascaded)."""
    from alembic import command
    from sqlalchemy import create_engine, inspect, text

    from claimhouse.store._engine import _alembic_config, database_url

    engine = create_engine(database_url(db_url))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        command.upgrade(_alembic_config(conn), "0003")
        for n in (1, 2):
            conn.execute(text(
                "INSERT INTO claims (id, patient_control_number, payer_id, kind, "
                "frequency_code, total_charge, document, state, paid_amount, "
                "patient_responsibility, adjusted_amount, dirty) VALUES (:id, :pcn, 'P1', "
                "'professional', '1', 100, :doc, 'pending', 0, 0, 0, :dirty)"),
                {"id": n, "pcn": f"PCN{n}", "doc": f'{{"n": {n}}}', "dirty": True})
            conn.execute(text(
                "INSERT INTO service_lines (claim_id, position, charge, units, paid_amount) "
                "VALUES (:id, 1, 100, 1, 0)"), {"id": n})
    engine.dispose()
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0004"
        docs = dict(conn.exec_driver_sql("SELECT id, document FROM claim_documents").all())
        assert docs == {1: '{"n": 1}', 2: '{"n": 2}'}
        assert conn.exec_driver_sql("SELECT count(*) FROM service_lines").scalar() == 2
        assert conn.exec_driver_sql("SELECT count(*) FROM claims").scalar() == 2
        assert "document" not in {c["name"] for c in inspect(conn).get_columns("claims")}
        assert compare_metadata(MigrationContext.configure(conn), TABLES) == []
    store.close()
