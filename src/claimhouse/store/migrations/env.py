"""Alembic environment: runs on the connection handed in by :func:`claimhouse.store.migrate`
(``config.attributes["connection"]``); no alembic.ini and no URL of its own."""

from __future__ import annotations

from alembic import context

from claimhouse.store._tables import TABLES


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=TABLES,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - the store always migrates online
    raise SystemExit("claimhouse migrations run online only")
run_migrations_online()
