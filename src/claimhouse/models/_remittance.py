"""Remittance models: one 835 transaction set (005010X221A1) as plain dataclasses.

Remittance (header BPR/TRN/CUR/REF/DTM) > RemittancePayer (1000A), RemittancePayee (1000B),
ClaimGroup (2000: LX/TS3/TS2) > ClaimPayment (2100) > ServicePayment (2110);
ProviderAdjustment (PLB, footer). Money is ``Decimal``, dates are ``date``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from claimhouse.models._remittance_claim import ClaimPayment
from claimhouse.models._remittance_parts import (
    ContactInfo,
    DeliveryMethod,
    PostalAddress,
    RawSegments,
    ReferenceId,
)


@dataclass(slots=True)
class Payment:
    """BPR (financial information) and TRN (the check or EFT trace number)."""

    handling_code: str | None = None
    amount: Decimal | None = None
    credit_debit: str | None = None
    method: str | None = None
    format_code: str | None = None
    sender_dfi_qualifier: str | None = None
    sender_dfi_id: str | None = None
    sender_account_qualifier: str | None = None
    sender_account_number: str | None = None
    payer_identifier: str | None = None
    originating_company_supplemental_code: str | None = None
    receiver_dfi_qualifier: str | None = None
    receiver_dfi_id: str | None = None
    receiver_account_qualifier: str | None = None
    receiver_account_number: str | None = None
    date: date | None = None
    trace_type: str | None = None
    trace_number: str | None = None
    trace_originator: str | None = None
    trace_originator_supplemental: str | None = None


@dataclass(slots=True)
class RemittancePayer:
    """Loop 1000A: the payer (N1*PR, N3, N4, REF, PER CX/BL/IC)."""

    name: str | None = None
    id_qualifier: str | None = None
    identifier: str | None = None
    address: PostalAddress | None = None
    references: list[ReferenceId] = field(default_factory=list)
    business_contact: ContactInfo | None = None
    technical_contacts: list[ContactInfo] = field(default_factory=list)
    web_site: ContactInfo | None = None
    extra_segments: RawSegments = field(default_factory=list)


@dataclass(slots=True)
class RemittancePayee:
    """Loop 1000B: the payee (N1*PE, N3, N4, REF, RDM)."""

    name: str | None = None
    id_qualifier: str | None = None
    identifier: str | None = None
    address: PostalAddress | None = None
    references: list[ReferenceId] = field(default_factory=list)
    delivery_method: DeliveryMethod | None = None
    extra_segments: RawSegments = field(default_factory=list)


@dataclass(slots=True)
class ProviderSummary:
    """TS3: provider summary information (institutional)."""

    provider_identifier: str | None = None
    facility_type_code: str | None = None
    fiscal_period_date: date | None = None
    total_claim_count: Decimal | None = None
    total_claim_charge: Decimal | None = None
    total_msp_payer_amount: Decimal | None = None
    total_non_lab_charge: Decimal | None = None
    total_hcpcs_reported_charge: Decimal | None = None
    total_hcpcs_payable: Decimal | None = None
    total_professional_component: Decimal | None = None
    total_msp_patient_liability: Decimal | None = None
    total_patient_reimbursement: Decimal | None = None
    total_pip_claim_count: Decimal | None = None
    total_pip_adjustment: Decimal | None = None


@dataclass(slots=True)
class ProviderSupplementalSummary:
    """TS2: provider supplemental summary information (Medicare Part A)."""

    total_drg_amount: Decimal | None = None
    total_federal_specific: Decimal | None = None
    total_hospital_specific: Decimal | None = None
    total_disproportionate_share: Decimal | None = None
    total_capital: Decimal | None = None
    total_indirect_medical_education: Decimal | None = None
    total_outlier_day_count: Decimal | None = None
    total_day_outlier: Decimal | None = None
    total_cost_outlier: Decimal | None = None
    average_drg_length_of_stay: Decimal | None = None
    total_discharge_count: Decimal | None = None
    total_cost_report_day_count: Decimal | None = None
    total_covered_day_count: Decimal | None = None
    total_noncovered_day_count: Decimal | None = None
    total_msp_pass_through: Decimal | None = None
    average_drg_weight: Decimal | None = None
    total_pps_capital_fsp_drg: Decimal | None = None
    total_pps_capital_hsp_drg: Decimal | None = None
    total_pps_dsh_drg: Decimal | None = None


@dataclass(slots=True)
class ClaimGroup:
    """Loop 2000 (header number): LX, optional TS3/TS2 summaries and its claims."""

    number: str | None = None
    provider_summary: ProviderSummary | None = None
    supplemental_summary: ProviderSupplementalSummary | None = None
    claims: list[ClaimPayment] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)


@dataclass(slots=True)
class ProviderAdjustmentAmount:
    """One PLB reason/reference/amount triplet (e.g. WO overpayment recovery, L6 interest,
    FB forward balance, 72 authorized return). Positive amounts reduce the payment."""

    reason_code: str | None = None
    reference: str | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class ProviderAdjustment:
    """PLB: a provider-level adjustment with up to six reason/reference/amount triplets."""

    provider_identifier: str | None = None
    fiscal_period_date: date | None = None
    adjustments: list[ProviderAdjustmentAmount] = field(default_factory=list)


@dataclass(slots=True)
class Remittance:
    """One 835 transaction set: payment, payer, payee, claim payments, provider adjustments."""

    payment: Payment | None = None
    currency_code: str | None = None
    receiver_identification: str | None = None
    version_identification: str | None = None
    production_date: date | None = None
    payer: RemittancePayer | None = None
    payee: RemittancePayee | None = None
    claim_groups: list[ClaimGroup] = field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)

    def claims(self) -> Iterator[ClaimPayment]:
        """Every claim payment of every 2000 group, in file order."""
        for group in self.claim_groups:
            yield from group.claims
