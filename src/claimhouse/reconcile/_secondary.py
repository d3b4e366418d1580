"""Secondary billing: from a claim and its primary payer's adjudication (the 835 claim
payments that are current for it), the claim to send the next payer, with the primary in
loop 2320/2330A/2330B (SBR, CAS, AMT*D paid, AMT*EAF remaining patient liability,
DTP*573 adjudication date, REF*F8 payer claim control number) and each line's 2430
(SVD paid amount and procedure, CAS, DTP*573) filled from the matched 2110s.

The next payer is the claim's own 2320 other payer when it lists one, else the crossover
carrier the primary named (NM1*TT). Pure function over models; the store finds the inputs.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claimhouse.errors import ModelError
from claimhouse.models import (
    Adjustment,
    Claim,
    LineAdjudication,
    OtherPayer,
    OtherSubscriber,
    Payer,
    Procedure,
)
from claimhouse.models._remittance_claim import ClaimPayment, PaymentAdjustment
from claimhouse.reconcile._match import match_lines
from claimhouse.reconcile._model import PaidLine, Posting, _adjs, submitted_claim

ZERO = Decimal("0.00")


@dataclass(slots=True)
class PrimaryAdjudication:
    """What the primary payer decided: its id and name (as billed), its current claim
    payments for the claim, and the date it paid (BPR16 / DTM*405)."""

    payer_id: str
    payer_name: str
    payments: list[ClaimPayment]
    adjudicated_on: date | None = None


def _cas(adjustments: Sequence[PaymentAdjustment]) -> list[Adjustment]:
    return [Adjustment(a.group_code or "", a.reason_code or "", a.amount or ZERO, a.quantity)
            for a in adjustments if a.amount]


def _next_payer(claim: Claim, primary: PrimaryAdjudication) -> tuple[Payer, OtherPayer | None]:
    for other in claim.other_payers:
        if other.payer_id != primary.payer_id:
            return Payer(name=other.payer_name, id=other.payer_id,
                         id_qualifier=other.payer_id_qualifier), other
    for cp in primary.payments:
        tt = cp.crossover_carrier
        if tt and tt.identifier:
            return Payer(name=tt.last_name or tt.identifier, id=tt.identifier), None
    raise ModelError(["no secondary payer known: the claim lists no other payer (2320) and "
                      "the primary's 835 names no crossover carrier (NM1*TT)"])


def secondary_claim(claim: Claim, primary: PrimaryAdjudication) -> Claim:
    """The claim to bill the next payer after ``primary`` adjudicated ``claim``."""
    if not primary.payments:
        raise ModelError(["the primary payer has no current payment for this claim"])
    payer, former = _next_payer(claim, primary)
    out = copy.deepcopy(claim)
    out.payer = payer
    sub = out.subscriber
    if former is not None:  # the other coverage's subscriber becomes the destination's
        fs = former.subscriber
        sub.last_name, sub.first_name, sub.member_id = fs.last_name, fs.first_name, \
            fs.member_id
        sub.group_number = former.group_number
        sub.claim_filing_indicator = former.claim_filing_indicator or \
            sub.claim_filing_indicator
    sub.payer_responsibility = "S"
    paid = sum((cp.paid_amount or ZERO for cp in primary.payments), ZERO)
    remaining = sum((cp.patient_responsibility or ZERO for cp in primary.payments), ZERO)
    icn = next((cp.payer_claim_control_number for cp in primary.payments
                if cp.payer_claim_control_number), None)
    s = claim.subscriber
    out.other_payers = [OtherPayer(
        payer_responsibility="P", relationship=s.relationship or "18",
        subscriber=OtherSubscriber(last_name=s.last_name, first_name=s.first_name,
                                   middle_name=s.middle_name, suffix=s.suffix,
                                   member_id=s.member_id or "UNKNOWN",
                                   member_id_qualifier=s.member_id_qualifier,
                                   entity_type=s.entity_type, address=s.address),
        payer_name=primary.payer_name, payer_id=primary.payer_id,
        group_number=s.group_number, claim_filing_indicator=s.claim_filing_indicator,
        adjustments=[a for cp in primary.payments for a in _cas(cp.adjustments)],
        paid_amount=paid, remaining_patient_liability=remaining,
        benefits_assignment="Y", release_of_information="Y",
        adjudication_date=primary.adjudicated_on, payer_claim_control_number=icn)]
    view = submitted_claim(claim)
    for cp in primary.payments:
        posting = _posting(cp)
        for decision in match_lines(posting, view):
            if decision.line is None or decision.paid_line is None:
                continue
            line = out.service_lines[decision.line - view.key * 1000 - 1]
            sp = cp.service_lines[decision.paid_line - 1]
            line.adjudications.append(LineAdjudication(
                payer_id=primary.payer_id, paid_amount=sp.paid_amount or ZERO,
                procedure=Procedure(sp.procedure_code or "", qualifier=sp.procedure_qualifier
                                    or "HC", modifiers=list(sp.modifiers)),
                paid_units=sp.units, adjustments=_cas(sp.adjustments),
                adjudication_date=primary.adjudicated_on))
    return out


def _posting(cp: ClaimPayment) -> Posting:
    lines = tuple(PaidLine(
        key=i, position=i, charge=sp.charge or ZERO, paid=sp.paid_amount or ZERO,
        procedure_code=sp.procedure_code, modifiers=tuple(sp.modifiers),
        original_procedure_code=sp.original_procedure_code,
        original_modifiers=tuple(sp.original_modifiers), revenue_code=sp.revenue_code,
        service_date=sp.service_date or sp.service_start_date,
        line_item_control_number=sp.line_item_control_number,
        adjustments=_adjs(sp.adjustments))
        for i, sp in enumerate(cp.service_lines, start=1))
    return Posting(key=0, patient_control_number=cp.patient_control_number or "",
                   status_code=cp.status_code or "", total_charge=cp.total_charge or ZERO,
                   paid=cp.paid_amount or ZERO, lines=lines)
