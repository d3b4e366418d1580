"""The 837 claim (loop 2300) and a batch of claims (one 837 transaction set).

A :class:`Claim` carries everything needed to bill it: its billing provider (2000A), the
subscriber and destination payer (2000B), the patient when not the subscriber (2000C),
the claim itself (2300), its providers (2310x), prior payers (2320/2330) and service
lines (2400). Writers group consecutive claims that share a billing provider, subscriber
and payer, and patient, under one HL each; readers resolve them back onto every claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from claimhouse.models._claim_lines import Adjustment, ClaimDate, ServiceLine
from claimhouse.models._claim_parties import (
    Address,
    BillingProvider,
    Patient,
    Payer,
    Provider,
    Receiver,
    Reference,
    Submitter,
    Subscriber,
)
from claimhouse.models._remittance_parts import RawSegments


class ClaimKind(Enum):
    """Which 837: professional (X222, SV1), institutional (X223, SV2), dental (X224, SV3)."""

    PROFESSIONAL = "professional"
    INSTITUTIONAL = "institutional"
    DENTAL = "dental"


@dataclass(slots=True)
class Diagnosis:
    """One HI diagnosis composite: qualifier (ABK principal, ABF other, ABJ admitting, APR
    reason for visit, ABN external cause; BK/BF... for ICD-9), code (no decimal point), and
    the present-on-admission indicator (HI0x-9, 837I)."""

    code: str
    qualifier: str = "ABK"
    present_on_admission: str | None = None


@dataclass(slots=True)
class ProcedureCode:
    """An institutional HI procedure (BBR principal, BBQ other ICD-10-PCS; BR/BQ ICD-9; CAH/
    CAI... ) with the date it was performed."""

    code: str
    qualifier: str = "BBQ"
    performed_on: date | None = None


@dataclass(slots=True)
class OccurrenceCode:
    """HI*BH occurrence code with its date (837I)."""

    code: str
    occurred_on: date


@dataclass(slots=True)
class OccurrenceSpan:
    """HI*BI occurrence span code with its from/through dates (837I)."""

    code: str
    start: date
    end: date


@dataclass(slots=True)
class ValueCode:
    """HI*BE value code with its amount (837I)."""

    code: str
    amount: Decimal


@dataclass(slots=True)
class Note:
    """NTE: note reference code (ADD, CER, DCP, TPO, ALG, ...) and free text."""

    code: str
    text: str


@dataclass(slots=True)
class OtherSubscriber:
    """Loop 2330A (NM1*IL): the subscriber of another payer."""

    last_name: str
    member_id: str
    member_id_qualifier: str = "MI"
    entity_type: str = "1"
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    address: Address | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept verbatim so that parse -> generate loses nothing."""


@dataclass(slots=True)
class OtherPayer:
    """Loop 2320 (SBR, CAS, AMT*D/A8/EAF, OI, MOA) with 2330A/2330B: coordination of
    benefits with a payer that is not the destination payer."""

    payer_responsibility: str
    relationship: str
    subscriber: OtherSubscriber
    payer_name: str
    payer_id: str
    payer_id_qualifier: str = "PI"
    group_number: str | None = None
    group_name: str | None = None
    insurance_type: str | None = None
    claim_filing_indicator: str | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    paid_amount: Decimal | None = None
    non_covered_amount: Decimal | None = None
    remaining_patient_liability: Decimal | None = None
    benefits_assignment: str | None = None
    patient_signature_source: str | None = None
    release_of_information: str | None = None
    payer_address: Address | None = None
    adjudication_date: date | None = None
    payer_references: list[Reference] = field(default_factory=list)
    payer_claim_control_number: str | None = None
    prior_authorization: str | None = None
    referral_number: str | None = None
    providers: list[Provider] = field(default_factory=list)
    """Loops 2330C-2330I: the other payer's ids for the claim's providers (``role`` is
    NM101: DN/P3 referring, 82 rendering, 77 service facility, DQ supervising, 85
    billing, 71 attending, 72 operating, ZZ other operating ...)."""
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept verbatim so that parse -> generate loses nothing."""
    payer_extra_segments: RawSegments = field(default_factory=list)
    """Unmapped segments of loop 2330B (the other payer's name loop)."""


@dataclass(slots=True)
class Claim:
    """Loop 2300 (CLM and its DTP/CL1/REF/NTE/HI) with its context loops.

    CLM05 is ``place_of_service`` (facility type code for 837I), ``facility_code_qualifier``
    (B place of service for 837P/D, A uniform billing for 837I) and ``frequency_code`` (1
    original, 7 replacement, 8 void). ``total_charge`` (CLM02) must equal the sum of line
    charges. ``providers`` are written (and read back) in the guide's loop order (837P:
    referring 2310A, rendering 2310B, service facility 2310C, supervising 2310D).
    """

    patient_control_number: str
    total_charge: Decimal
    billing_provider: BillingProvider
    subscriber: Subscriber
    payer: Payer
    service_lines: list[ServiceLine]
    place_of_service: str = "11"
    facility_code_qualifier: str = "B"
    frequency_code: str = "1"
    patient: Patient | None = None
    provider_signature: str | None = "Y"
    assignment_participation: str | None = "A"
    benefits_assignment: str | None = "Y"
    release_of_information: str | None = "Y"
    patient_signature_source: str | None = None
    related_causes: list[str] = field(default_factory=list)
    accident_state: str | None = None
    accident_country: str | None = None
    special_program: str | None = None
    delay_reason: str | None = None
    onset_date: date | None = None
    accident_date: date | None = None
    admission_date: date | None = None
    admission_time: str | None = None
    discharge_date: date | None = None
    discharge_time: str | None = None
    statement_from: date | None = None
    statement_to: date | None = None
    other_dates: list[ClaimDate] = field(default_factory=list)
    admission_type: str | None = None
    admission_source: str | None = None
    patient_status: str | None = None
    patient_amount_paid: Decimal | None = None
    patient_estimated_amount_due: Decimal | None = None
    prior_authorization: str | None = None
    referral_number: str | None = None
    payer_claim_control_number: str | None = None
    medical_record_number: str | None = None
    clearinghouse_trace_number: str | None = None
    other_references: list[Reference] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    procedures: list[ProcedureCode] = field(default_factory=list)
    occurrence_spans: list[OccurrenceSpan] = field(default_factory=list)
    occurrence_codes: list[OccurrenceCode] = field(default_factory=list)
    value_codes: list[ValueCode] = field(default_factory=list)
    condition_codes: list[str] = field(default_factory=list)
    drg_code: str | None = None
    """HI*DR diagnosis related group (837I)."""
    providers: list[Provider] = field(default_factory=list)
    other_payers: list[OtherPayer] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept verbatim so that parse -> generate loses nothing."""

    def line_charge_total(self) -> Decimal:
        """The sum of the service line charges (what CLM02 must equal)."""
        return sum((line.charge for line in self.service_lines), Decimal(0))

    def provider(self, role: str) -> Provider | None:
        """The first claim-level provider with NM101 ``role`` (82 rendering, 71 attending...)."""
        return next((p for p in self.providers if p.role == role), None)


@dataclass(slots=True)
class ClaimBatch:
    """One 837 transaction set: BHT, submitter (1000A), receiver (1000B) and its claims.

    ``purpose`` is BHT02 (00 original, 18 reissue); ``claim_type`` BHT06 (CH chargeable, RP
    reporting); ``reference`` BHT03 and ``created`` BHT04/05 (None: the writer's clock).
    """

    submitter: Submitter
    receiver: Receiver
    claims: list[Claim]
    kind: ClaimKind = ClaimKind.PROFESSIONAL
    reference: str | None = None
    purpose: str = "00"
    claim_type: str = "CH"
    created: date | None = None
    created_time: str | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Unmapped segments of the transaction set header (BHT, 1000A/B level)."""
