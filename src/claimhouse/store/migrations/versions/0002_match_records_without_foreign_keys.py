"""match_records without foreign keys: the audit log keeps the ids it recorded, and its
inserts (several per claim per run) no longer pay a referential check per column.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

FOREIGN_KEYS = (
    ("fk_match_records_run_id_reconcile_runs", "reconcile_runs", "run_id", "CASCADE"),
    ("fk_match_records_claim_id_claims", "claims", "claim_id", "SET NULL"),
    ("fk_match_records_claim_payment_id_claim_payments", "claim_payments",
     "claim_payment_id", "SET NULL"),
    ("fk_match_records_service_payment_id_service_payments", "service_payments",
     "service_payment_id", "SET NULL"),
    ("fk_match_records_service_line_id_service_lines", "service_lines", "service_line_id",
     "SET NULL"),
    ("fk_match_records_provider_adjustment_id_provider_adjustments", "provider_adjustments",
     "provider_adjustment_id", "SET NULL"),
)


def upgrade() -> None:
    """Drop the six foreign keys of match_records."""
    with op.batch_alter_table("match_records", schema=None) as batch_op:
        for name, _table, _column, _ondelete in FOREIGN_KEYS:
            batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    """Put the foreign keys back."""
    with op.batch_alter_table("match_records", schema=None) as batch_op:
        for name, table, column, ondelete in FOREIGN_KEYS:
            batch_op.create_foreign_key(name, table, [column], ["id"], ondelete=ondelete)
