"""Alembic migrations of the claimhouse store (package data; run by ``claimhouse.store``)."""
