"""The store's tables as SQLAlchemy 2 typed declarative classes.

One row per received file (``files``), per submitted claim (837 loop 2300, ``claims``) and
service line (2400, ``service_lines``), per remittance (one 835 transaction set,
``remittances``), claim payment (2100, ``claim_payments``), service payment (2110,
``service_payments``), CAS adjustment (``adjustments``), PLB triplet
(``provider_adjustments``), and per match decision (``match_records``, append-only, the
auditable history that ``claimhouse explain`` prints). The reconcile results live on the
claim (state, paid, patient responsibility) and on each payment (claim, disposition).

Money is :class:`~claimhouse.store._types.Money` (``NUMERIC(18, 2)``), never a float. The
schema is created by the Alembic migrations under ``migrations/``; a test checks that the
migrations and these classes agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from claimhouse.store._types import Money

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Quantity = Numeric(15, 3)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's documented class attribute
        Decimal: Money(),
        date: Date(),
        datetime: DateTime(timezone=True),
        int: Integer(),
        str: String(80),
    }


class FileRow(Base):
    """A received file: its digest, first interchange (ISA06/ISA08/ISA13) and outcome.

    ``sha256`` is unique and so is (ISA05, ISA06, ISA13): the same file loaded twice is
    recorded once."""

    __tablename__ = "files"
    __table_args__ = (
        UniqueConstraint("sender_qualifier", "sender_id", "control_number",
                         name="uq_files_interchange"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(400))
    size: Mapped[int] = mapped_column(BigInteger)
    sender_qualifier: Mapped[str | None] = mapped_column(String(2))
    sender_id: Mapped[str | None] = mapped_column(String(15))
    receiver_qualifier: Mapped[str | None] = mapped_column(String(2))
    receiver_id: Mapped[str | None] = mapped_column(String(15))
    control_number: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)


class ClaimRow(Base):
    """A submitted claim (837 loop 2300 with its 2000B payer), one per (CLM01, payer).

    The whole claim as model JSON, which converts back losslessly, is its
    :class:`ClaimDocumentRow`; the columns after ``other_payer_ids`` are written by the
    reconcile engine."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("patient_control_number", "payer_id", name="uq_claims_pcn_payer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"))
    patient_control_number: Mapped[str] = mapped_column(String(38))
    payer_id: Mapped[str]
    payer_name: Mapped[str | None] = mapped_column(String(120))
    payer_responsibility: Mapped[str | None] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(16))
    frequency_code: Mapped[str] = mapped_column(String(2))
    total_charge: Mapped[Decimal]
    service_from: Mapped[date | None]
    service_to: Mapped[date | None]
    submitted_on: Mapped[date | None]
    billing_npi: Mapped[str | None] = mapped_column(String(10))
    other_payer_ids: Mapped[str | None] = mapped_column(String(200))
    """The 2330B NM109 ids of the claim's other payers (loops 2320/2330), comma-separated."""
    state: Mapped[str] = mapped_column(String(20), default="pending")
    paid_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    patient_responsibility: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    adjusted_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    last_paid_on: Mapped[date | None]
    dirty: Mapped[bool] = mapped_column(Boolean, default=True, index=True)


class ClaimDocumentRow(Base):
    """A claim's whole model as compact JSON (``id`` is the claim's): kept apart from the
    claim's row, which the reconcile engine rewrites on every settlement, so that rewrite
    does not copy the document (about 1.5 kB a claim) each time."""

    __tablename__ = "claim_documents"

    id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"),
                                    primary_key=True, autoincrement=False)
    document: Mapped[str] = mapped_column(Text)


class ServiceLineRow(Base):
    """A submitted service line (837 loop 2400: SV1/SV2/SV3, DTP*472, REF*6R)."""

    __tablename__ = "service_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int]
    line_item_control_number: Mapped[str | None] = mapped_column(String(50))
    procedure_qualifier: Mapped[str | None] = mapped_column(String(2))
    procedure_code: Mapped[str | None] = mapped_column(String(48))
    modifiers: Mapped[str | None] = mapped_column(String(20))
    revenue_code: Mapped[str | None] = mapped_column(String(4))
    service_date: Mapped[date | None]
    service_date_end: Mapped[date | None]
    charge: Mapped[Decimal]
    units: Mapped[Decimal | None] = mapped_column(Quantity)
    paid_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))


class RemittanceRow(Base):
    """One 835 transaction set: BPR (payment), TRN (trace), 1000A payer, 1000B payee.

    (``payer_key``, ``trace_number``) is unique: a remittance is never posted twice."""

    __tablename__ = "remittances"
    __table_args__ = (
        UniqueConstraint("payer_key", "trace_number", name="uq_remittances_trace"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"))
    payer_key: Mapped[str]
    trace_number: Mapped[str | None] = mapped_column(String(50))
    payer_name: Mapped[str | None] = mapped_column(String(120))
    payer_id: Mapped[str | None]
    payer_additional_id: Mapped[str | None]
    payee_name: Mapped[str | None] = mapped_column(String(120))
    payee_id: Mapped[str | None]
    payment_amount: Mapped[Decimal]
    credit_debit: Mapped[str | None] = mapped_column(String(1))
    method: Mapped[str | None] = mapped_column(String(3))
    payment_date: Mapped[date | None]
    production_date: Mapped[date | None]
    claim_count: Mapped[int]


class ClaimPaymentRow(Base):
    """One 835 loop 2100 (CLP, claim CAS, NM1*TT, MOA/MIA remarks).

    ``claim_id``/``disposition``/``match_rule`` are the reconcile results: disposition is
    ``unmatched``, ``current``, ``reversed`` (cancelled by a CLP02=22) or ``reversal``."""

    __tablename__ = "claim_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    remittance_id: Mapped[int] = mapped_column(
        ForeignKey("remittances.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    patient_control_number: Mapped[str] = mapped_column(String(38), index=True)
    status_code: Mapped[str] = mapped_column(String(2))
    total_charge: Mapped[Decimal]
    paid_amount: Mapped[Decimal]
    patient_responsibility: Mapped[Decimal | None]
    filing_indicator: Mapped[str | None] = mapped_column(String(2))
    payer_claim_control_number: Mapped[str | None] = mapped_column(String(50))
    frequency_code: Mapped[str | None] = mapped_column(String(2))
    statement_from: Mapped[date | None]
    statement_to: Mapped[date | None]
    crossover_id: Mapped[str | None]
    crossover_name: Mapped[str | None] = mapped_column(String(120))
    remark_codes: Mapped[str | None] = mapped_column(String(200))
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True)
    disposition: Mapped[str] = mapped_column(String(20), default="unmatched")
    match_rule: Mapped[str | None] = mapped_column(String(40))


class ServicePaymentRow(Base):
    """One 835 loop 2110 (SVC with SVC06 original procedure, DTM*472/150/151, REF*6R, LQ)."""

    __tablename__ = "service_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_payment_id: Mapped[int] = mapped_column(
        ForeignKey("claim_payments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    procedure_qualifier: Mapped[str | None] = mapped_column(String(2))
    procedure_code: Mapped[str | None] = mapped_column(String(48))
    modifiers: Mapped[str | None] = mapped_column(String(20))
    original_procedure_code: Mapped[str | None] = mapped_column(String(48))
    original_modifiers: Mapped[str | None] = mapped_column(String(20))
    revenue_code: Mapped[str | None] = mapped_column(String(4))
    charge: Mapped[Decimal]
    paid_amount: Mapped[Decimal]
    units: Mapped[Decimal | None] = mapped_column(Quantity)
    service_date: Mapped[date | None]
    service_date_end: Mapped[date | None]
    line_item_control_number: Mapped[str | None] = mapped_column(String(50))
    remark_codes: Mapped[str | None] = mapped_column(String(200))
    service_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_lines.id", ondelete="SET NULL"))
    match_rule: Mapped[str | None] = mapped_column(String(40))


class AdjustmentRow(Base):
    """One CAS triplet of a claim payment (2100) or of one of its service payments (2110)."""

    __tablename__ = "adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_payment_id: Mapped[int] = mapped_column(
        ForeignKey("claim_payments.id", ondelete="CASCADE"), index=True)
    service_payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_payments.id", ondelete="CASCADE"))
    group_code: Mapped[str] = mapped_column(String(2))
    reason_code: Mapped[str] = mapped_column(String(5))
    amount: Mapped[Decimal]
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)


class ProviderAdjustmentRow(Base):
    """One PLB reason/reference/amount triplet (PLB03-1 reason, PLB03-2 reference).

    ``claim_id`` links a WO/72 recovery to the claim its reference names, when known."""

    __tablename__ = "provider_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    remittance_id: Mapped[int] = mapped_column(
        ForeignKey("remittances.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    provider_identifier: Mapped[str | None] = mapped_column(String(50))
    fiscal_period_date: Mapped[date | None]
    reason_code: Mapped[str] = mapped_column(String(2))
    reference: Mapped[str | None] = mapped_column(String(50))
    amount: Mapped[Decimal]
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"))
    match_rule: Mapped[str | None] = mapped_column(String(40))


class ReconcileRunRow(Base):
    """One ``claimhouse reconcile`` run and what it did."""

    __tablename__ = "reconcile_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    payments_examined: Mapped[int] = mapped_column(default=0)
    claims_settled: Mapped[int] = mapped_column(default=0)
    decisions: Mapped[int] = mapped_column(default=0)


class MatchRecordRow(Base):
    """One match decision, append-only: level, the decision, the rule that made it and a
    reason in words (no PHI). Since migration 0003 the engine records one ``state``
    decision per settled claim whose reason is the evidence (amounts; each posting, the
    rule that matched it and its disposition; reversal pairings; line rules with counts),
    a ``claim`` decision per unmatched payment and a ``plb`` decision per PLB link; older
    runs also recorded ``claim``/``line``/``reversal`` decisions one by one.

    The row ids it names are kept as recorded, without foreign keys: an audit log outlives
    what it talks about (a replaced claim's lines), and half a million decisions a run
    must not each fire five referential checks (migration 0002)."""

    __tablename__ = "match_records"
    __table_args__ = (Index("ix_match_records_pcn", "patient_control_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int]
    decided_at: Mapped[datetime]
    patient_control_number: Mapped[str | None] = mapped_column(String(38))
    level: Mapped[str] = mapped_column(String(10))
    claim_id: Mapped[int | None] = mapped_column(index=True)
    claim_payment_id: Mapped[int | None] = mapped_column(index=True)
    service_payment_id: Mapped[int | None]
    service_line_id: Mapped[int | None]
    provider_adjustment_id: Mapped[int | None]
    decision: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)


TABLES = Base.metadata

# the batch journal's tables live on the same metadata (migration 0003 creates them)
from claimhouse.store import _batch_tables  # noqa: E402, F401 - registers them
