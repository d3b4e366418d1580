"""Initial schema: files, claims, service lines, remittances, claim/service payments,
adjustments, provider adjustments, reconcile runs and match records.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from claimhouse.store._types import Money

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create every table of the store."""
    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sender_qualifier", sa.String(length=2), nullable=True),
        sa.Column("sender_id", sa.String(length=15), nullable=True),
        sa.Column("receiver_qualifier", sa.String(length=2), nullable=True),
        sa.Column("receiver_id", sa.String(length=15), nullable=True),
        sa.Column("control_number", sa.String(length=9), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
        sa.UniqueConstraint(
            "sender_qualifier", "sender_id", "control_number", name="uq_files_interchange"
        ),
        sa.UniqueConstraint("sha256", name=op.f("uq_files_sha256")),
    )
    op.create_table(
        "reconcile_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payments_examined", sa.Integer(), nullable=False),
        sa.Column("claims_settled", sa.Integer(), nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconcile_runs")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("patient_control_number", sa.String(length=38), nullable=False),
        sa.Column("payer_id", sa.String(length=80), nullable=False),
        sa.Column("payer_name", sa.String(length=120), nullable=True),
        sa.Column("payer_responsibility", sa.String(length=2), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("frequency_code", sa.String(length=2), nullable=False),
        sa.Column("total_charge", Money(), nullable=False),
        sa.Column("service_from", sa.Date(), nullable=True),
        sa.Column("service_to", sa.Date(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("billing_npi", sa.String(length=10), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("paid_amount", Money(), nullable=False),
        sa.Column("patient_responsibility", Money(), nullable=False),
        sa.Column("adjusted_amount", Money(), nullable=False),
        sa.Column("last_paid_on", sa.Date(), nullable=True),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.id"], name=op.f("fk_claims_file_id_files"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("patient_control_number", "payer_id", name="uq_claims_pcn_payer"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_dirty"), ["dirty"], unique=False)

    op.create_table(
        "remittances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("payer_key", sa.String(length=80), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=True),
        sa.Column("payer_name", sa.String(length=120), nullable=True),
        sa.Column("payer_id", sa.String(length=80), nullable=True),
        sa.Column("payer_additional_id", sa.String(length=80), nullable=True),
        sa.Column("payee_name", sa.String(length=120), nullable=True),
        sa.Column("payee_id", sa.String(length=80), nullable=True),
        sa.Column("payment_amount", Money(), nullable=False),
        sa.Column("credit_debit", sa.String(length=1), nullable=True),
        sa.Column("method", sa.String(length=3), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("production_date", sa.Date(), nullable=True),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
            name=op.f("fk_remittances_file_id_files"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
        sa.UniqueConstraint("payer_key", "trace_number", name="uq_remittances_trace"),
    )
    op.create_table(
        "claim_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("patient_control_number", sa.String(length=38), nullable=False),
        sa.Column("status_code", sa.String(length=2), nullable=False),
        sa.Column("total_charge", Money(), nullable=False),
        sa.Column("paid_amount", Money(), nullable=False),
        sa.Column("patient_responsibility", Money(), nullable=True),
        sa.Column("filing_indicator", sa.String(length=2), nullable=True),
        sa.Column("payer_claim_control_number", sa.String(length=50), nullable=True),
        sa.Column("frequency_code", sa.String(length=2), nullable=True),
        sa.Column("statement_from", sa.Date(), nullable=True),
        sa.Column("statement_to", sa.Date(), nullable=True),
        sa.Column("crossover_id", sa.String(length=80), nullable=True),
        sa.Column("crossover_name", sa.String(length=120), nullable=True),
        sa.Column("remark_codes", sa.String(length=200), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("match_rule", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_payments_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_claim_payments_remittance_id_remittances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_payments")),
    )
    with op.batch_alter_table("claim_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_payments_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_payments_patient_control_number"),
            ["patient_control_number"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_claim_payments_remittance_id"), ["remittance_id"], unique=False
        )

    op.create_table(
        "provider_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("provider_identifier", sa.String(length=50), nullable=True),
        sa.Column("fiscal_period_date", sa.Date(), nullable=True),
        sa.Column("reason_code", sa.String(length=2), nullable=False),
        sa.Column("reference", sa.String(length=50), nullable=True),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("match_rule", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_provider_adjustments_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_provider_adjustments_remittance_id_remittances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_adjustments")),
    )
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_adjustments_remittance_id"), ["remittance_id"], unique=False
        )

    op.create_table(
        "service_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_item_control_number", sa.String(length=50), nullable=True),
        sa.Column("procedure_qualifier", sa.String(length=2), nullable=True),
        sa.Column("procedure_code", sa.String(length=48), nullable=True),
        sa.Column("modifiers", sa.String(length=20), nullable=True),
        sa.Column("revenue_code", sa.String(length=4), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("service_date_end", sa.Date(), nullable=True),
        sa.Column("charge", Money(), nullable=False),
        sa.Column("units", sa.Numeric(precision=15, scale=3), nullable=True),
        sa.Column("paid_amount", Money(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_service_lines_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_lines")),
    )
    with op.batch_alter_table("service_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_lines_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "service_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_payment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("procedure_qualifier", sa.String(length=2), nullable=True),
        sa.Column("procedure_code", sa.String(length=48), nullable=True),
        sa.Column("modifiers", sa.String(length=20), nullable=True),
        sa.Column("original_procedure_code", sa.String(length=48), nullable=True),
        sa.Column("original_modifiers", sa.String(length=20), nullable=True),
        sa.Column("revenue_code", sa.String(length=4), nullable=True),
        sa.Column("charge", Money(), nullable=False),
        sa.Column("paid_amount", Money(), nullable=False),
        sa.Column("units", sa.Numeric(precision=15, scale=3), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("service_date_end", sa.Date(), nullable=True),
        sa.Column("line_item_control_number", sa.String(length=50), nullable=True),
        sa.Column("remark_codes", sa.String(length=200), nullable=True),
        sa.Column("service_line_id", sa.Integer(), nullable=True),
        sa.Column("match_rule", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_payment_id"],
            ["claim_payments.id"],
            name=op.f("fk_service_payments_claim_payment_id_claim_payments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_line_id"],
            ["service_lines.id"],
            name=op.f("fk_service_payments_service_line_id_service_lines"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_payments")),
    )
    with op.batch_alter_table("service_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_payments_claim_payment_id"), ["claim_payment_id"], unique=False
        )

    op.create_table(
        "adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_payment_id", sa.Integer(), nullable=False),
        sa.Column("service_payment_id", sa.Integer(), nullable=True),
        sa.Column("group_code", sa.String(length=2), nullable=False),
        sa.Column("reason_code", sa.String(length=5), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=15, scale=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_payment_id"],
            ["claim_payments.id"],
            name=op.f("fk_adjustments_claim_payment_id_claim_payments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_payment_id"],
            ["service_payments.id"],
            name=op.f("fk_adjustments_service_payment_id_service_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjustments")),
    )
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adjustments_claim_payment_id"), ["claim_payment_id"], unique=False
        )

    op.create_table(
        "match_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("patient_control_number", sa.String(length=38), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("claim_payment_id", sa.Integer(), nullable=True),
        sa.Column("service_payment_id", sa.Integer(), nullable=True),
        sa.Column("service_line_id", sa.Integer(), nullable=True),
        sa.Column("provider_adjustment_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_match_records_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["claim_payment_id"],
            ["claim_payments.id"],
            name=op.f("fk_match_records_claim_payment_id_claim_payments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["provider_adjustment_id"],
            ["provider_adjustments.id"],
            name=op.f("fk_match_records_provider_adjustment_id_provider_adjustments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reconcile_runs.id"],
            name=op.f("fk_match_records_run_id_reconcile_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_line_id"],
            ["service_lines.id"],
            name=op.f("fk_match_records_service_line_id_service_lines"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_payment_id"],
            ["service_payments.id"],
            name=op.f("fk_match_records_service_payment_id_service_payments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_records")),
    )
    with op.batch_alter_table("match_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_records_claim_payment_id"), ["claim_payment_id"], unique=False
        )
        batch_op.create_index("ix_match_records_pcn", ["patient_control_number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_match_records_claim_id"), ["claim_id"], unique=False
        )


def downgrade() -> None:
    """Drop every table of the store."""
    with op.batch_alter_table("match_records", schema=None) as batch_op:
        batch_op.drop_index("ix_match_records_pcn")
        batch_op.drop_index(batch_op.f("ix_match_records_claim_id"))
        batch_op.drop_index(batch_op.f("ix_match_records_claim_payment_id"))

    op.drop_table("match_records")
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adjustments_claim_payment_id"))

    op.drop_table("adjustments")
    with op.batch_alter_table("service_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_payments_claim_payment_id"))

    op.drop_table("service_payments")
    with op.batch_alter_table("service_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_lines_claim_id"))

    op.drop_table("service_lines")
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_adjustments_remittance_id"))

    op.drop_table("provider_adjustments")
    with op.batch_alter_table("claim_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_payments_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_claim_payments_patient_control_number"))
        batch_op.drop_index(batch_op.f("ix_claim_payments_claim_id"))

    op.drop_table("claim_payments")
    op.drop_table("remittances")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_dirty"))

    op.drop_table("claims")
    op.drop_table("reconcile_runs")
    op.drop_table("files")
