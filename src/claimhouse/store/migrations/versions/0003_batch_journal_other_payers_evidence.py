"""The batch journal joins the store's migrations; claims keep their other payers' ids;
a match record's reason holds the whole evidence of a settlement.

* ``batch_jobs``, ``batch_audit``, ``batch_seen_files``, ``batch_interchanges`` and
  ``batch_sets`` (the drop-folder journal of :mod:`claimhouse.batch`) are created here, so
  one ``alembic upgrade`` makes everything. Databases where the batch created them itself
  (``metadata.create_all`` before this revision) keep theirs: a table already present is
  left alone.
* ``claims.other_payer_ids``: the 2330B NM109 ids of the claim's other payers (secondary,
  tertiary), comma-separated; claim matching reads them.
* ``match_records.reason`` becomes unbounded text: the engine records one decision per
  settled claim whose reason carries every posting, reversal and line rule.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

ACTIVE_SQL = "state IN ('pending', 'claimed', 'done')"
BATCH_TABLES = ("batch_sets", "batch_interchanges", "batch_seen_files", "batch_audit",
                "batch_jobs")


def _create_batch_tables(present: set[str]) -> None:
    if "batch_jobs" not in present:
        op.create_table(
            "batch_jobs",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("state", sa.String(length=16), nullable=False),
            sa.Column("worker", sa.String(length=80), nullable=True),
            sa.Column("lease_until", sa.Float(), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=True),
            sa.Column("size", sa.BigInteger(), nullable=True),
            sa.Column("day", sa.String(length=10), nullable=True),
            sa.Column("outcome", sa.String(length=16), nullable=True),
            sa.Column("reason", sa.Text(), nullable=True),
            sa.Column("dest", sa.Text(), nullable=True),
            sa.Column("claims", sa.Integer(), nullable=False),
            sa.Column("discovered_at", sa.Float(), nullable=False),
            sa.Column("updated_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_jobs")),
        )
        op.create_index("batch_jobs_active_name", "batch_jobs", ["name"], unique=True,
                        sqlite_where=sa.text(ACTIVE_SQL),
                        postgresql_where=sa.text(ACTIVE_SQL))
        op.create_index("batch_jobs_active_id", "batch_jobs", ["id"], unique=False,
                        sqlite_where=sa.text(ACTIVE_SQL),
                        postgresql_where=sa.text(ACTIVE_SQL))
    if "batch_audit" not in present:
        op.create_table(
            "batch_audit",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("job_id", sa.Integer(), nullable=False),
            sa.Column("at", sa.Float(), nullable=False),
            sa.Column("worker", sa.String(length=80), nullable=False),
            sa.Column("from_state", sa.String(length=16), nullable=True),
            sa.Column("to_state", sa.String(length=16), nullable=False),
            sa.Column("detail", sa.Text(), nullable=True),
            sa.ForeignKeyConstraint(["job_id"], ["batch_jobs.id"],
                                    name=op.f("fk_batch_audit_job_id_batch_jobs")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_audit")),
        )
        op.create_index(op.f("ix_batch_audit_job_id"), "batch_audit", ["job_id"],
                        unique=False)
    if "batch_seen_files" not in present:
        op.create_table(
            "batch_seen_files",
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("job_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["job_id"], ["batch_jobs.id"],
                                    name=op.f("fk_batch_seen_files_job_id_batch_jobs")),
            sa.PrimaryKeyConstraint("sha256", name=op.f("pk_batch_seen_files")),
        )
    if "batch_interchanges" not in present:
        op.create_table(
            "batch_interchanges",
            sa.Column("sender", sa.String(length=40), nullable=False),
            sa.Column("receiver", sa.String(length=40), nullable=False),
            sa.Column("control_number", sa.String(length=9), nullable=False),
            sa.Column("job_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["job_id"], ["batch_jobs.id"],
                                    name=op.f("fk_batch_interchanges_job_id_batch_jobs")),
            sa.PrimaryKeyConstraint("sender", "receiver", "control_number",
                                    name=op.f("pk_batch_interchanges")),
        )
    if "batch_sets" not in present:
        op.create_table(
            "batch_sets",
            sa.Column("job_id", sa.Integer(), nullable=False),
            sa.Column("ordinal", sa.Integer(), nullable=False),
            sa.Column("interchange", sa.String(length=9), nullable=False),
            sa.Column("group_control", sa.String(length=9), nullable=False),
            sa.Column("set_control", sa.String(length=9), nullable=False),
            sa.Column("set_id", sa.String(length=3), nullable=False),
            sa.Column("version", sa.String(length=20), nullable=False),
            sa.Column("segments", sa.Integer(), nullable=False),
            sa.Column("claims", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["job_id"], ["batch_jobs.id"],
                                    name=op.f("fk_batch_sets_job_id_batch_jobs")),
            sa.PrimaryKeyConstraint("job_id", "ordinal", name=op.f("pk_batch_sets")),
        )


def upgrade() -> None:
    """Batch journal tables (where absent), claims.other_payer_ids, unbounded reasons."""
    present = set(sa.inspect(op.get_bind()).get_table_names())
    _create_batch_tables(present)
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("other_payer_ids", sa.String(length=200),
                                      nullable=True))
    with op.batch_alter_table("match_records", schema=None) as batch_op:
        batch_op.alter_column("reason", existing_type=sa.String(length=300),
                              type_=sa.Text(), existing_nullable=False)


def downgrade() -> None:
    """Back to 0002 (the batch tables go too: the batch would recreate them itself)."""
    with op.batch_alter_table("match_records", schema=None) as batch_op:
        batch_op.alter_column("reason", existing_type=sa.Text(),
                              type_=sa.String(length=300), existing_nullable=False)
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("other_payer_ids")
    for name in BATCH_TABLES:
        op.drop_table(name)
