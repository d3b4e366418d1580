"""What the engine reasons over: small immutable views of a submitted claim (837 2300/2400)
and of a posting (835 2100/2110 with its remittance's payer and date), built from the
domain models (:func:`submitted_claim`, :func:`postings`) or from store rows.

``key`` fields identify the thing to the caller (a row id in the store, an index when the
engine runs over models); the engine only compares them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claimhouse.models import Claim, Remittance
from claimhouse.models._remittance_claim import PaymentAdjustment

ZERO = Decimal("0.00")


@dataclass(slots=True)
class Adj:
    """One CAS triplet: group (CO, PR, OA, PI, CR), CARC reason, amount."""

    group: str
    reason: str
    amount: Decimal


@dataclass(slots=True)
class SubmittedLine:
    """A submitted service line (837 loop 2400)."""

    key: int
    position: int
    charge: Decimal
    procedure_code: str | None = None
    modifiers: tuple[str, ...] = ()
    revenue_code: str | None = None
    service_date: date | None = None
    line_item_control_number: str | None = None


@dataclass(slots=True)
class SubmittedClaim:
    """A submitted claim (837 loop 2300) to one payer (2010BB)."""

    key: int
    patient_control_number: str
    payer_id: str
    total_charge: Decimal
    payer_name: str | None = None
    other_payer_ids: frozenset[str] = frozenset()
    service_from: date | None = None
    service_to: date | None = None
    submitted_on: date | None = None
    lines: tuple[SubmittedLine, ...] = ()
    voided: bool = False
    """The provider voided the claim (an 837 with CLM05-3 frequency 8 for it)."""


@dataclass(slots=True)
class PaidLine:
    """A service payment (835 loop 2110): SVC01 as paid and SVC06 as submitted."""

    key: int
    position: int
    charge: Decimal
    paid: Decimal
    procedure_code: str | None = None
    modifiers: tuple[str, ...] = ()
    original_procedure_code: str | None = None
    original_modifiers: tuple[str, ...] = ()
    revenue_code: str | None = None
    service_date: date | None = None
    line_item_control_number: str | None = None
    adjustments: tuple[Adj, ...] = ()


@dataclass(slots=True)
class Posting:
    """A claim payment (835 loop 2100) with what the engine needs of its remittance:
    the payer's identities (TRN03, N1*PR N104, REF*2U, name), payment date and trace."""

    key: int
    patient_control_number: str
    status_code: str
    total_charge: Decimal
    paid: Decimal
    payer_ids: frozenset[str] = frozenset()
    patient_responsibility: Decimal | None = None
    payer_claim_control_number: str | None = None
    payment_date: date | None = None
    trace_number: str | None = None
    position: int = 0
    statement_from: date | None = None
    statement_to: date | None = None
    crossover_id: str | None = None
    adjustments: tuple[Adj, ...] = ()
    lines: tuple[PaidLine, ...] = ()
    service_dates: tuple[date, ...] = ()
    """2110 DTM*472 dates when ``lines`` are not loaded (claim matching needs only these)."""
    match_rule: str | None = None
    """The claim-level rule that matched this posting to its claim, when known."""
    cas_totals: tuple[Decimal, Decimal] | None = None
    """Its CAS (claim and lines) summed the two ways settling counts them, when the store
    reads sums instead of triplets: (every group but PR and CARC 23, group PR)."""

    def cas_sums(self) -> tuple[Decimal, Decimal]:
        """(contractual and other non-patient CAS except CARC 23, patient PR CAS)."""
        if self.cas_totals is not None:
            return self.cas_totals
        contractual = patient = ZERO
        for a in self.all_adjustments():
            if a.group == "PR":
                patient += a.amount
            elif a.reason != "23":
                contractual += a.amount
        return contractual, patient

    def all_adjustments(self) -> Iterator[Adj]:
        """Claim-level CAS then every line's CAS."""
        yield from self.adjustments
        for line in self.lines:
            yield from line.adjustments

    def dates(self) -> list[date]:
        found = [d for d in (self.statement_from, self.statement_to) if d is not None]
        found += self.service_dates
        return found + [ln.service_date for ln in self.lines if ln.service_date is not None]

    @property
    def order(self) -> tuple[date, str, int, int]:
        """Canonical order: payment date, trace number, position in the 835, key."""
        return (self.payment_date or date.min, self.trace_number or "", self.position,
                self.key)


def _adjs(items: list[PaymentAdjustment]) -> tuple[Adj, ...]:
    return tuple(Adj(a.group_code or "", a.reason_code or "", a.amount or ZERO)
                 for a in items)


def submitted_claim(claim: Claim, key: int = 0, submitted_on: date | None = None
                    ) -> SubmittedClaim:
    """The engine's view of a claim model."""
    lines = []
    for i, line in enumerate(claim.service_lines, start=1):
        proc = line.procedure
        lines.append(SubmittedLine(
            key=key * 1000 + i, position=line.line_number or i, charge=line.charge,
            procedure_code=proc.code if proc else None,
            modifiers=tuple(proc.modifiers) if proc else (), revenue_code=line.revenue_code,
            service_date=line.service_date or claim.statement_from,
            line_item_control_number=line.line_item_control_number))
    dates = [d for ln in lines if (d := ln.service_date) is not None]
    dates += [d for d in (claim.statement_from, claim.statement_to) if d is not None]
    return SubmittedClaim(
        key=key, patient_control_number=claim.patient_control_number,
        payer_id=claim.payer.id, payer_name=claim.payer.name, total_charge=claim.total_charge,
        other_payer_ids=frozenset(p.payer_id for p in claim.other_payers),
        service_from=min(dates) if dates else None, service_to=max(dates) if dates else None,
        submitted_on=submitted_on, lines=tuple(lines), voided=claim.frequency_code == "8")


def remittance_payer_ids(remittance: Remittance) -> frozenset[str]:
    """Every identity of the 835's payer: TRN03, N1*PR N104, REF*2U and the name."""
    ids: set[str] = set()
    if remittance.payment and remittance.payment.trace_originator:
        ids.add(remittance.payment.trace_originator)
    payer = remittance.payer
    if payer:
        ids.update(v for v in (payer.identifier, payer.name and payer.name.upper()) if v)
        ids.update(r.value for r in payer.references if r.qualifier == "2U" and r.value)
    return frozenset(ids)


def postings(remittance: Remittance, first_key: int = 0) -> list[Posting]:
    """The engine's view of every claim payment of a remittance model."""
    ids = remittance_payer_ids(remittance)
    pay = remittance.payment
    out = []
    for position, cp in enumerate(remittance.claims(), start=1):
        key = first_key + position
        lines = tuple(PaidLine(
            key=key * 1000 + i, position=i, charge=sp.charge or ZERO,
            paid=sp.paid_amount or ZERO, procedure_code=sp.procedure_code,
            modifiers=tuple(sp.modifiers),
            original_procedure_code=sp.original_procedure_code,
            original_modifiers=tuple(sp.original_modifiers), revenue_code=sp.revenue_code,
            service_date=sp.service_date or sp.service_start_date,
            line_item_control_number=sp.line_item_control_number,
            adjustments=_adjs(sp.adjustments))
            for i, sp in enumerate(cp.service_lines, start=1))
        tt = cp.crossover_carrier
        out.append(Posting(
            key=key, patient_control_number=cp.patient_control_number or "",
            status_code=cp.status_code or "", total_charge=cp.total_charge or ZERO,
            paid=cp.paid_amount or ZERO, payer_ids=ids,
            patient_responsibility=cp.patient_responsibility,
            payer_claim_control_number=cp.payer_claim_control_number,
            payment_date=pay.date if pay else None,
            trace_number=pay.trace_number if pay else None, position=position,
            statement_from=cp.statement_from_date, statement_to=cp.statement_to_date,
            crossover_id=tt.identifier if tt else None,
            adjustments=_adjs(cp.adjustments), lines=lines))
    return out
