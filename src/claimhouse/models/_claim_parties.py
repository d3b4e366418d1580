"""The people and organisations on an 837 claim: submitter, receiver, providers, subscriber,
patient and payers.

Plain dataclasses; the X12 loop each one comes from is named in its docstring. Codes are
kept as the X12 code values (``"18"`` self, ``"XX"`` NPI qualifier, ``"EI"`` EIN ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from claimhouse.models._remittance_parts import RawSegments


@dataclass(slots=True)
class Address:
    """N3/N4: street lines, city, state, postal code, country (N404), subdivision (N407)."""

    line1: str
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    country_subdivision: str | None = None


@dataclass(slots=True)
class Contact:
    """PER: a contact name and up to three communication numbers (qualifier TE/EM/FX/EX ...)."""

    name: str | None = None
    numbers: list[ContactNumber] = field(default_factory=list)


@dataclass(slots=True)
class ContactNumber:
    """One PER communication number: qualifier (TE phone, EM e-mail, FX fax, EX extension)."""

    qualifier: str
    number: str


@dataclass(slots=True)
class Reference:
    """A REF secondary identifier: qualifier (REF01, e.g. G2, 1G, LU, EI, SY) and value."""

    qualifier: str
    value: str


@dataclass(slots=True)
class Submitter:
    """Loop 1000A (NM1*41, PER): who sends the claims."""

    name: str
    id: str
    entity_type: str = "2"
    first_name: str | None = None
    middle_name: str | None = None
    contacts: list[Contact] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""


@dataclass(slots=True)
class Receiver:
    """Loop 1000B (NM1*40): the receiver (payer or clearinghouse)."""

    name: str
    id: str
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""


@dataclass(slots=True)
class Provider:
    """A provider named on a claim or line: NM1 + PRV + REF (+ N3/N4, PER where allowed).

    Used for the 2310/2420 loops: referring (DN/P3), rendering (82), attending (71),
    operating (72), other operating (ZZ), service facility (77, organisation), supervising
    (DQ), ordering (DK), purchased service (QB), assistant surgeon (DD, dental). ``role`` is
    the NM101 entity identifier code.
    """

    role: str
    last_name: str | None = None
    entity_type: str = "1"
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    npi: str | None = None
    taxonomy: str | None = None
    address: Address | None = None
    references: list[Reference] = field(default_factory=list)
    contact: Contact | None = None
    id_qualifier: str | None = None
    id: str | None = None
    """NM108/NM109 when the id is not an NPI (``npi`` holds NM109 when NM108 is XX)."""
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""


@dataclass(slots=True)
class PayToProvider:
    """Loop 2010AB (NM1*87): where payment goes when it is not the billing address."""

    address: Address
    entity_type: str = "2"
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""


@dataclass(slots=True)
class PayToPlan:
    """Loop 2010AC (NM1*PE): the pay-to plan (subrogation), with its id and tax id."""

    name: str
    id_qualifier: str
    id: str
    address: Address
    tax_id: str
    references: list[Reference] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""


@dataclass(slots=True)
class BillingProvider:
    """Loop 2000A/2010AA (PRV*BI, NM1*85, N3/N4, REF*EI|SY, PER) and its pay-to loops."""

    name: str
    address: Address
    entity_type: str = "2"
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    npi: str | None = None
    tax_id: str | None = None
    tax_id_qualifier: str = "EI"
    taxonomy: str | None = None
    currency: str | None = None
    references: list[Reference] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    pay_to: PayToProvider | None = None
    pay_to_plan: PayToPlan | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""
    level_extra_segments: RawSegments = field(default_factory=list)
    """Unmapped segments of the enclosing HL level (2000A), e.g. a second PRV."""


@dataclass(slots=True)
class Payer:
    """Loop 2010BB (NM1*PR, N3/N4, REF): the destination payer."""

    name: str
    id: str
    id_qualifier: str = "PI"
    address: Address | None = None
    references: list[Reference] = field(default_factory=list)
    billing_provider_references: list[Reference] = field(default_factory=list)
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""


@dataclass(slots=True)
class Subscriber:
    """Loop 2000B/2010BA: SBR (responsibility, relationship, group, filing indicator), NM1*IL,
    N3/N4, DMG, REF*SY."""

    payer_responsibility: str
    last_name: str
    member_id: str | None = None
    member_id_qualifier: str = "MI"
    entity_type: str = "1"
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    relationship: str | None = None
    group_number: str | None = None
    group_name: str | None = None
    insurance_type: str | None = None
    claim_filing_indicator: str | None = None
    address: Address | None = None
    birth_date: date | None = None
    gender: str | None = None
    ssn: str | None = None
    property_casualty_claim_number: str | None = None
    contact: Contact | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""
    level_extra_segments: RawSegments = field(default_factory=list)
    """Unmapped segments of the enclosing HL level (2000B), e.g. PAT when the subscriber is
    the patient."""


@dataclass(slots=True)
class Patient:
    """Loop 2000C/2010CA (PAT, NM1*QC, N3/N4, DMG): the patient when not the subscriber."""

    relationship: str
    last_name: str
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    address: Address | None = None
    birth_date: date | None = None
    gender: str | None = None
    death_date: date | None = None
    weight_lbs: str | None = None
    pregnant: bool | None = None
    property_casualty_claim_number: str | None = None
    references: list[Reference] = field(default_factory=list)
    contact: Contact | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``, composites joined by
    ``:``), kept so that parse -> generate loses nothing; written back in the loop."""
    level_extra_segments: RawSegments = field(default_factory=list)
    """Unmapped segments of the enclosing HL level (2000C), e.g. a PAT element no field maps."""
