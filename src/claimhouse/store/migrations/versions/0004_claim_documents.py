"""Claim documents move out of the claim's row into ``claim_documents``.

The reconcile engine rewrites a claim's row on every settlement (state, amounts, dirty);
SQLite and PostgreSQL rewrite the whole row, and the claim's model JSON (about 1.5 kB) was
most of it. ``claim_documents`` (id = the claim's id) keeps the JSON; each existing
document is copied there, then ``claims.document`` is dropped.

The column is dropped with a plain ``ALTER TABLE ... DROP COLUMN`` (SQLite 3.35 and later,
PostgreSQL): a batch-mode copy of ``claims`` would drop the old table, and with SQLite's
foreign keys on, that deletes every line and document of every claim by cascade.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} cannot drop a column in place; "
                           "claimhouse needs SQLite 3.35 or later")
    op.create_table(
        "claim_documents",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["claims.id"], name=op.f("fk_claim_documents_id_claims"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_documents")),
    )
    op.execute("INSERT INTO claim_documents (id, document) SELECT id, document FROM claims")
    op.execute("ALTER TABLE claims DROP COLUMN document")


def downgrade() -> None:
    op.add_column("claims", sa.Column("document", sa.Text(), nullable=True))
    op.execute("UPDATE claims SET document = (SELECT d.document FROM claim_documents d "
               "WHERE d.id = claims.id)")
    op.drop_table("claim_documents")
