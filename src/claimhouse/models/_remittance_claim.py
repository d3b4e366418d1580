"""Claim-level remittance models: the 2100 claim payment and 2110 service payment loops."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from claimhouse.models._remittance_parts import (
    ContactInfo,
    EntityName,
    RawSegments,
    ReferenceId,
    RemarkCode,
    SupplementalAmount,
    SupplementalQuantity,
)


@dataclass(slots=True)
class PaymentAdjustment:
    """One CAS triplet: group code (CO, OA, PI, PR), CARC reason code, amount, quantity.

    A positive amount decreases the payment, a negative one increases it.
    """

    group_code: str | None = None
    reason_code: str | None = None
    amount: Decimal | None = None
    quantity: Decimal | None = None


@dataclass(slots=True)
class InpatientAdjudication:
    """MIA: inpatient adjudication information (MIA01-MIA24)."""

    covered_days_or_visits: Decimal | None = None
    pps_operating_outlier: Decimal | None = None
    lifetime_psychiatric_days: Decimal | None = None
    drg_amount: Decimal | None = None
    remark_code: str | None = None
    disproportionate_share: Decimal | None = None
    msp_pass_through: Decimal | None = None
    pps_capital: Decimal | None = None
    pps_capital_fsp_drg: Decimal | None = None
    pps_capital_hsp_drg: Decimal | None = None
    pps_capital_dsh_drg: Decimal | None = None
    old_capital: Decimal | None = None
    pps_capital_ime: Decimal | None = None
    pps_operating_hospital_specific_drg: Decimal | None = None
    cost_report_day_count: Decimal | None = None
    pps_operating_federal_specific_drg: Decimal | None = None
    pps_capital_outlier: Decimal | None = None
    indirect_teaching: Decimal | None = None
    nonpayable_professional_component: Decimal | None = None
    remark_codes: list[str] = field(default_factory=list)
    """MIA20-MIA23."""
    pps_capital_exception: Decimal | None = None


@dataclass(slots=True)
class OutpatientAdjudication:
    """MOA: outpatient adjudication information."""

    reimbursement_rate: Decimal | None = None
    hcpcs_payable_amount: Decimal | None = None
    remark_codes: list[str] = field(default_factory=list)
    """MOA03-MOA07 (RARC codes)."""
    esrd_payment_amount: Decimal | None = None
    nonpayable_professional_component: Decimal | None = None


@dataclass(slots=True)
class ServicePayment:
    """Loop 2110: one service line as paid (SVC, DTM, CAS, REF, AMT, QTY, LQ)."""

    procedure_qualifier: str | None = None
    procedure_code: str | None = None
    modifiers: list[str] = field(default_factory=list)
    description: str | None = None
    charge: Decimal | None = None
    paid_amount: Decimal | None = None
    revenue_code: str | None = None
    units: Decimal | None = None
    original_procedure_qualifier: str | None = None
    original_procedure_code: str | None = None
    original_modifiers: list[str] = field(default_factory=list)
    original_description: str | None = None
    original_units: Decimal | None = None
    service_start_date: date | None = None
    service_end_date: date | None = None
    service_date: date | None = None
    adjustments: list[PaymentAdjustment] = field(default_factory=list)
    references: list[ReferenceId] = field(default_factory=list)
    amounts: list[SupplementalAmount] = field(default_factory=list)
    quantities: list[SupplementalQuantity] = field(default_factory=list)
    remark_codes: list[RemarkCode] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)

    @property
    def line_item_control_number(self) -> str | None:
        """REF*6R: the provider's line item control number (matches the 837's REF*6R)."""
        return next((r.value for r in self.references if r.qualifier == "6R"), None)


@dataclass(slots=True)
class ClaimPayment:
    """Loop 2100: one claim as adjudicated (CLP, CAS, NM1s, MIA/MOA, REF, DTM, PER, AMT,
    QTY) with its 2110 service lines."""

    patient_control_number: str | None = None
    status_code: str | None = None
    total_charge: Decimal | None = None
    paid_amount: Decimal | None = None
    patient_responsibility: Decimal | None = None
    claim_filing_indicator: str | None = None
    payer_claim_control_number: str | None = None
    facility_type_code: str | None = None
    claim_frequency_code: str | None = None
    drg_code: str | None = None
    drg_weight: Decimal | None = None
    discharge_fraction: Decimal | None = None
    adjustments: list[PaymentAdjustment] = field(default_factory=list)
    patient: EntityName | None = None
    insured: EntityName | None = None
    corrected_patient: EntityName | None = None
    service_provider: EntityName | None = None
    crossover_carrier: EntityName | None = None
    """NM1*TT: the payer the claim was forwarded to (crossover)."""
    corrected_priority_payer: EntityName | None = None
    other_subscriber: EntityName | None = None
    inpatient: InpatientAdjudication | None = None
    outpatient: OutpatientAdjudication | None = None
    references: list[ReferenceId] = field(default_factory=list)
    statement_from_date: date | None = None
    statement_to_date: date | None = None
    coverage_expiration_date: date | None = None
    received_date: date | None = None
    contacts: list[ContactInfo] = field(default_factory=list)
    amounts: list[SupplementalAmount] = field(default_factory=list)
    quantities: list[SupplementalQuantity] = field(default_factory=list)
    service_lines: list[ServicePayment] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)
