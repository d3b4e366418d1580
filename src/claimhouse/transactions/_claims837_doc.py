"""The 837 as its loops: the models the definitions under ``maps/837*.xml`` bind to.

These mirror the implementation guide's loop tree (2000A billing provider HL → 2000B
subscriber HL → 2300 claims and 2000C patient HLs → 2300 claims → 2400 lines) so one
definition can drive both the reader and the writer; :mod:`._claims837_convert` turns
them into the claim-centred public models and back. Every field is optional with a
default, and each loop keeps the segments its definition does not map in
``extra_segments``. Values stay as X12 text where the guide allows several formats (DTP
date periods, HI components) and are interpreted in the conversion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(slots=True)
class DAddress:
    """N3/N4."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    country_subdivision: str | None = None


@dataclass(slots=True)
class DRef:
    """REF: qualifier and value."""

    qualifier: str | None = None
    value: str | None = None


@dataclass(slots=True)
class DNumber:
    """One PER communication number."""

    qualifier: str | None = None
    number: str | None = None


@dataclass(slots=True)
class DContact:
    """PER: contact name and up to three numbers."""

    function: str | None = None
    name: str | None = None
    numbers: list[DNumber] = field(default_factory=list)


@dataclass(slots=True)
class DDate:
    """DTP: qualifier, format (D8, RD8, DT, TM) and the period as text."""

    qualifier: str | None = None
    format: str | None = None
    value: str | None = None


@dataclass(slots=True)
class DAmount:
    """AMT: qualifier and amount."""

    qualifier: str | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class DNote:
    """NTE: reference code and text."""

    code: str | None = None
    text: str | None = None


@dataclass(slots=True)
class DCas:
    """One CAS adjustment (the definition flattens each reason/amount/quantity triple)."""

    group: str | None = None
    reason: str | None = None
    amount: Decimal | None = None
    quantity: Decimal | None = None


@dataclass(slots=True)
class DHiCode:
    """One HI composite: qualifier, code, date format, date, amount, quantity, POA (-9)."""

    qualifier: str | None = None
    code: str | None = None
    date_format: str | None = None
    date_value: str | None = None
    amount: Decimal | None = None
    quantity: Decimal | None = None
    poa: str | None = None


@dataclass(slots=True)
class DHi:
    """One HI segment: up to twelve composites."""

    codes: list[DHiCode] = field(default_factory=list)


@dataclass(slots=True)
class DTooth:
    """TOO (837D): qualifier, tooth number, surfaces."""

    qualifier: str | None = None
    number: str | None = None
    surfaces: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DName:
    """Any NM1-led loop (1000A/B, 2010xx, 2310x, 2330x, 2420x): NM1, N3/N4, PRV, DMG, DTP,
    REF and PER, whichever the loop's definition maps."""

    entity_code: str | None = None
    entity_type: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    id_qualifier: str | None = None
    id: str | None = None
    address: DAddress | None = None
    prv_code: str | None = None
    prv_qualifier: str | None = None
    taxonomy: str | None = None
    dmg_format: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    dates: list[DDate] = field(default_factory=list)
    refs: list[DRef] = field(default_factory=list)
    contacts: list[DContact] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DDrug:
    """Loop 2410: LIN, CTP, REF."""

    qualifier: str | None = None
    ndc: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    ref: DRef | None = None
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DAdjudication:
    """Loop 2430: SVD, CAS, DTP*573, AMT*EAF."""

    payer_id: str | None = None
    paid_amount: Decimal | None = None
    proc_qualifier: str | None = None
    proc_code: str | None = None
    modifiers: list[str] = field(default_factory=list)
    proc_description: str | None = None
    revenue_code: str | None = None
    units: Decimal | None = None
    bundled_line: int | None = None
    adjustments: list[DCas] = field(default_factory=list)
    dates: list[DDate] = field(default_factory=list)
    amounts: list[DAmount] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DLine:
    """Loop 2400: LX, SV1/SV2/SV3, TOO, DTP, REF, AMT, NTE and the 2410-2430 loops."""

    line_number: int | None = None
    revenue_code: str | None = None
    proc_qualifier: str | None = None
    proc_code: str | None = None
    modifiers: list[str] = field(default_factory=list)
    proc_description: str | None = None
    charge: Decimal | None = None
    unit_basis: str | None = None
    units: Decimal | None = None
    unit_rate: Decimal | None = None
    non_covered: Decimal | None = None
    place_of_service: str | None = None
    pointers: list[str] = field(default_factory=list)
    emergency: str | None = None
    epsdt: str | None = None
    family_planning: str | None = None
    copay_exempt: str | None = None
    oral_cavity: list[str] = field(default_factory=list)
    prosthesis: str | None = None
    teeth: list[DTooth] = field(default_factory=list)
    dates: list[DDate] = field(default_factory=list)
    refs: list[DRef] = field(default_factory=list)
    amounts: list[DAmount] = field(default_factory=list)
    notes: list[DNote] = field(default_factory=list)
    drug: DDrug | None = None
    rendering: DName | None = None
    purchased_service: DName | None = None
    service_facility: DName | None = None
    supervising: DName | None = None
    ordering: DName | None = None
    referring: list[DName] = field(default_factory=list)
    operating: DName | None = None
    other_operating: DName | None = None
    assistant_surgeon: DName | None = None
    pickup: DName | None = None
    dropoff: DName | None = None
    adjudications: list[DAdjudication] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DOtherPayer:
    """Loop 2320 (SBR, CAS, AMT, OI) with 2330A other subscriber and 2330B other payer;
    2330C-I (the other payer's provider ids) are kept as loops but not surfaced."""

    payer_responsibility: str | None = None
    relationship: str | None = None
    group_number: str | None = None
    group_name: str | None = None
    insurance_type: str | None = None
    claim_filing_indicator: str | None = None
    adjustments: list[DCas] = field(default_factory=list)
    amounts: list[DAmount] = field(default_factory=list)
    benefits_assignment: str | None = None
    patient_signature_source: str | None = None
    release_of_information: str | None = None
    subscriber: DName | None = None
    payer: DName | None = None
    p2330c: DName | None = None
    p2330d: DName | None = None
    p2330e: DName | None = None
    p2330f: DName | None = None
    p2330g: DName | None = None
    p2330h: DName | None = None
    p2330i: DName | None = None
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DClaim:
    """Loop 2300: CLM, DTP, CL1, AMT, REF, NTE, HI, the 2310 provider loops, 2320 and 2400."""

    patient_control_number: str | None = None
    total_charge: Decimal | None = None
    facility_code: str | None = None
    facility_qualifier: str | None = None
    frequency_code: str | None = None
    provider_signature: str | None = None
    assignment_participation: str | None = None
    benefits_assignment: str | None = None
    release_of_information: str | None = None
    patient_signature_source: str | None = None
    related_causes: list[str] = field(default_factory=list)
    accident_state: str | None = None
    accident_country: str | None = None
    special_program: str | None = None
    predetermination: str | None = None
    delay_reason: str | None = None
    dates: list[DDate] = field(default_factory=list)
    admission_type: str | None = None
    admission_source: str | None = None
    patient_status: str | None = None
    amounts: list[DAmount] = field(default_factory=list)
    refs: list[DRef] = field(default_factory=list)
    notes: list[DNote] = field(default_factory=list)
    hi: list[DHi] = field(default_factory=list)
    referring: list[DName] = field(default_factory=list)
    rendering: DName | None = None
    service_facility: DName | None = None
    supervising: DName | None = None
    attending: DName | None = None
    operating: DName | None = None
    other_operating: DName | None = None
    assistant_surgeon: DName | None = None
    pickup: DName | None = None
    dropoff: DName | None = None
    other_payers: list[DOtherPayer] = field(default_factory=list)
    lines: list[DLine] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DPatientLevel:
    """Loop 2000C: HL*23, PAT, 2010CA patient name, and the patient's claims."""

    hl_id: str | None = None
    parent_id: str | None = None
    hl_child: str | None = None
    relationship: str | None = None
    death_date_format: str | None = None
    death_date: date | None = None
    weight_unit: str | None = None
    weight: str | None = None
    pregnant: str | None = None
    patient: DName | None = None
    claims: list[DClaim] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DSubscriberLevel:
    """Loop 2000B: HL*22, SBR, PAT, 2010BA subscriber, 2010BB payer, the subscriber's own
    claims (subscriber is the patient) and its 2000C patient levels."""

    hl_id: str | None = None
    parent_id: str | None = None
    hl_child: str | None = None
    payer_responsibility: str | None = None
    relationship: str | None = None
    group_number: str | None = None
    group_name: str | None = None
    insurance_type: str | None = None
    claim_filing_indicator: str | None = None
    subscriber: DName | None = None
    payer: DName | None = None
    claims: list[DClaim] = field(default_factory=list)
    patients: list[DPatientLevel] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class DBillingLevel:
    """Loop 2000A: HL*20, PRV*BI, CUR, 2010AA billing provider, 2010AB pay-to address,
    2010AC pay-to plan, and its subscriber levels."""

    hl_id: str | None = None
    parent_id: str | None = None
    hl_child: str | None = None
    prv_qualifier: str | None = None
    taxonomy: str | None = None
    currency: str | None = None
    provider: DName | None = None
    pay_to: DName | None = None
    pay_to_plan: DName | None = None
    subscribers: list[DSubscriberLevel] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class Doc837:
    """The transaction set: BHT, 1000A submitter, 1000B receiver, 2000A billing levels."""

    purpose: str | None = None
    reference: str | None = None
    created: date | None = None
    created_time: str | None = None
    claim_type: str | None = None
    submitter: DName | None = None
    receiver: DName | None = None
    billing: list[DBillingLevel] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)
