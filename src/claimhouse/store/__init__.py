"""The claim store: SQLAlchemy 2 tables, Alembic migrations, loading and converters."""

from claimhouse.store._engine import Store, database_url, migrate, open_store

__all__ = ["Store", "database_url", "migrate", "open_store"]
