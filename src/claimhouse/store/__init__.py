"""The claim store: SQLAlchemy 2 tables, Alembic migrations, loading and converters."""

from claimhouse.store._engine import Store, database_url, lock_store, migrate, open_store
from claimhouse.store._load import claim_kind

__all__ = ["Store", "claim_kind", "database_url", "lock_store", "migrate", "open_store"]
