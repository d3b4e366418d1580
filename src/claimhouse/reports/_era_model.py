"""The remittance advice (ERA/EOB) view model, shared by the text and HTML renderers.

Plain dataclasses, every code already in words: an :class:`EraHeader` (payer, payee,
payment) per 835 transaction set, an :class:`EraClaim` per CLP with its :class:`EraLine`
service lines, an :class:`EraFooter` (PLB provider adjustments, :class:`EraTotals`).
``_era_views`` builds them from the 835 models; ``_era_read`` streams them from a file.

Totals: Σ CLP04 (claims paid) − Σ PLB amounts (a positive PLB amount is withheld from the
payment, a negative one added) must equal BPR02 (the payment); :class:`EraTotals` says
whether it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
DISALLOWED_GROUPS = frozenset({"CO", "PI", "OA", "CR"})
"""CAS groups that reduce the allowed amount (PR is the patient's share of it)."""
_DENIED, _REVERSAL = "4", "22"


@dataclass(slots=True)
class EraAdjustment:
    group: str
    group_text: str
    reason: str
    reason_text: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(slots=True)
class EraRemark:
    code: str
    text: str
    where: str
    """Which segment carried it: LQ, MOA or MIA."""


@dataclass(slots=True)
class EraLine:
    procedure: str
    """e.g. "HC 99213-25" (qualifier, code, modifiers), or the revenue code."""
    revenue_code: str | None
    units: Decimal | None
    charge: Decimal
    allowed: Decimal
    allowed_from_amt: bool
    paid: Decimal
    service_from: date | None
    service_to: date | None
    control_number: str | None
    adjustments: list[EraAdjustment] = field(default_factory=list)
    remarks: list[EraRemark] = field(default_factory=list)


@dataclass(slots=True)
class EraClaim:
    number: int
    patient_control_number: str
    payer_claim_number: str
    status_code: str
    status_text: str
    filing_text: str | None
    patient_name: str
    member_id: str
    insured_name: str | None
    insured_id: str | None
    charge: Decimal
    allowed: Decimal
    allowed_from_amt: bool
    paid: Decimal
    patient_responsibility: Decimal
    service_from: date | None
    service_to: date | None
    adjustments: list[EraAdjustment] = field(default_factory=list)
    remarks: list[EraRemark] = field(default_factory=list)
    lines: list[EraLine] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Segments of this claim that carry amounts or codes but did not convert (ids only,
    e.g. "CAS"): what the page cannot show; ``claimhouse validate`` says why."""

    @property
    def denied(self) -> bool:
        return self.status_code == _DENIED

    @property
    def reversal(self) -> bool:
        return self.status_code == _REVERSAL


@dataclass(slots=True)
class EraParty:
    name: str
    ids: list[tuple[str, str]] = field(default_factory=list)
    """(label, value), e.g. ("NPI", "1234567893"), ("Payer id", "12345")."""
    address: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EraHeader:
    number: int
    control_number: str
    interchange: str
    payer: EraParty
    payee: EraParty
    amount: Decimal
    credit_debit: str
    method: str
    handling: str
    payment_format: str | None
    trace_number: str
    payment_date: date | None
    production_date: date | None
    guide_note: str | None = None
    """Set when the 835 declares another guide than 005010X221A1 (read with it anyway)."""


@dataclass(slots=True)
class EraPlb:
    provider: str
    fiscal_period: date | None
    reason: str
    reason_text: str
    reference: str | None
    amount: Decimal


@dataclass(slots=True)
class EraTotals:
    claims: int
    charge: Decimal
    paid: Decimal
    """Σ CLP04."""
    patient_responsibility: Decimal
    plb: Decimal
    """Σ PLB amounts (positive = withheld)."""
    payment: Decimal
    """BPR02."""

    @property
    def net(self) -> Decimal:
        return self.paid - self.plb

    @property
    def balanced(self) -> bool:
        return self.net == self.payment


@dataclass(slots=True)
class EraFooter:
    header: EraHeader
    plb: list[EraPlb]
    totals: EraTotals
    unread: list[str] = field(default_factory=list)
    """Header/footer segments with amounts that did not convert (e.g. a PLB)."""


EraPart = EraHeader | EraClaim | EraFooter


def iso(d: date | None) -> str:
    """A date as ISO 8601, or "" when absent."""
    return d.isoformat() if d else ""


def date_span(a: date | None, b: date | None, *, joiner: str, missing: str) -> str:
    """A service period: one date when it is a single day, ``missing`` when unknown."""
    if a is None and b is None:
        return missing
    if a == b or b is None:
        return iso(a)
    return f"{iso(a)}{joiner}{iso(b)}"
