"""Service lines of an 837 claim (loop 2400) and what hangs off them: drug identification
(2410), line providers (2420x), line adjudication by prior payers (2430), dental teeth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from claimhouse.models._claim_parties import Provider, Reference
from claimhouse.models._remittance_parts import RawSegments


@dataclass(slots=True)
class Procedure:
    """A procedure composite (SV101, SV202, SV301, SVD03): qualifier (HC HCPCS/CPT, AD ADA,
    ER, IV, WK, N4), code, up to four modifiers (25, 59, LT, RT ...), description."""

    code: str
    qualifier: str = "HC"
    modifiers: list[str] = field(default_factory=list)
    description: str | None = None

    def __post_init__(self) -> None:
        if len(self.modifiers) > 4:
            raise ValueError("at most four procedure modifiers")


@dataclass(slots=True)
class DrugIdentification:
    """Loop 2410: LIN (NDC, qualifier N4) and CTP (quantity and unit), REF VY/XZ."""

    ndc: str
    quantity: Decimal
    unit: str = "UN"
    qualifier: str = "N4"
    prescription_qualifier: str | None = None
    prescription_number: str | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``), kept verbatim."""


@dataclass(slots=True)
class Adjustment:
    """One CAS adjustment: group (CO, PR, OA, PI, CR), reason code (CARC), amount, quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(slots=True)
class LineAdjudication:
    """Loop 2430: a prior payer's adjudication of this line (SVD, CAS, DTP*573, AMT*EAF)."""

    payer_id: str
    paid_amount: Decimal
    procedure: Procedure | None = None
    revenue_code: str | None = None
    paid_units: Decimal | None = None
    bundled_line_number: int | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    adjudication_date: date | None = None
    remaining_patient_liability: Decimal | None = None
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``), kept verbatim."""


@dataclass(slots=True)
class Tooth:
    """A TOO segment (837D 2400): tooth number (JP system) and its surfaces (M, O, D, B...)."""

    number: str
    surfaces: list[str] = field(default_factory=list)
    qualifier: str = "JP"


@dataclass(slots=True)
class ClaimDate:
    """A DTP not given its own field: qualifier (DTP01), date or range, and a time (HHMM)
    for DT-format dates (2300 claim dates, 2400 line dates)."""

    qualifier: str
    start: date
    end: date | None = None
    time: str | None = None


@dataclass(slots=True)
class LineAmount:
    """An AMT not given its own field: qualifier (AMT01) and amount."""

    qualifier: str
    amount: Decimal


@dataclass(slots=True)
class ServiceLine:
    """Loop 2400: LX, then SV1 (837P), SV2 (837I, with revenue code) or SV3 (837D, with oral
    cavity and teeth), service dates (DTP*472), REF*6R, NTE, and the 2410/2420/2430 loops.

    ``charge`` is SV102, SV203 or SV302; ``units`` with ``unit_basis`` (UN units, MJ
    minutes, DA days); ``diagnosis_pointers`` are 1-based indexes into the claim diagnoses.
    """

    charge: Decimal
    procedure: Procedure | None = None
    revenue_code: str | None = None
    line_number: int | None = None
    unit_basis: str | None = None
    units: Decimal | None = None
    unit_rate: Decimal | None = None
    non_covered_charge: Decimal | None = None
    place_of_service: str | None = None
    diagnosis_pointers: list[int] = field(default_factory=list)
    emergency: str | None = None
    epsdt: str | None = None
    family_planning: str | None = None
    copay_exempt: str | None = None
    oral_cavity: list[str] = field(default_factory=list)
    prosthesis: str | None = None
    teeth: list[Tooth] = field(default_factory=list)
    service_date: date | None = None
    service_date_end: date | None = None
    line_item_control_number: str | None = None
    prior_authorization: str | None = None
    note: str | None = None
    note_code: str | None = None
    """NTE01 of ``note`` when not the guide's usual one (ADD; TPO for 837I)."""
    drug: DrugIdentification | None = None
    providers: list[Provider] = field(default_factory=list)
    adjudications: list[LineAdjudication] = field(default_factory=list)
    other_dates: list[ClaimDate] = field(default_factory=list)
    """Line DTPs other than the service date (472): 471 prescription, 607 certification
    revision, 463 begin therapy, 461 last certification, 304 last seen, 738/739 tests..."""
    amounts: list[LineAmount] = field(default_factory=list)
    """Line AMTs (T sales tax, F4 postage, GT ... )."""
    other_references: list[Reference] = field(default_factory=list)
    """Line REFs other than 6R and G1."""
    extra_segments: RawSegments = field(default_factory=list)
    """Segments of this loop no field maps (``[id, el01, ...]``), kept verbatim."""

    def __post_init__(self) -> None:
        if self.procedure is None and self.revenue_code is None:
            raise ValueError("a service line needs a procedure or a revenue code")
