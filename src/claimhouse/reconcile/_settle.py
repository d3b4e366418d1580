"""Settling one claim: from a submitted claim and every posting matched to it, decide
which postings are current, which reversed, what each line was paid, and the claim state.

Order is canonical (payment date, trace, position), so the result does not depend on the
order the 835s were loaded in. A reversal (CLP02 22) cancels the latest earlier current
posting with the same CLP07 and opposite amount (then same CLP07, then opposite amount); a
posting after it is the correction and becomes current; nothing is deleted.

Amounts (highest payer level among current postings, so a secondary's OA-23 "prior payer"
adjustments are not counted twice):

* paid = Σ CLP04 over every matched posting (reversals net out);
* contractual = Σ CAS not PR and not CARC 23 of the top-level current postings;
* patient responsibility = Σ CLP05 (else Σ PR CAS) of those postings;
* unaccounted = billed − paid − contractual − patient responsibility.

States: ``voided`` (the provider sent an 837 frequency 8 for the claim; a payment not yet
reversed is named in the reason as awaiting the payer's reversal), ``pending`` (no
posting), ``reversed`` (nothing current after reversals),
``denied`` (nothing paid and CLP02 4 or nothing owed by the patient), ``overpaid``
(unaccounted < 0: paid twice, or more than billed), ``partially paid`` (unaccounted > 0:
lines or split parts not yet adjudicated), ``paid``. ``unmatched remit`` is the state of
a posting no claim was found for.

Every settlement ends in one ``state`` decision whose reason is the evidence: the amounts,
each posting with the rule that matched it and its disposition, each reversal pairing, and
how the lines were matched (rules and counts) — one auditable record per claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from claimhouse.reconcile._match import Decision, _payer_matches, fit_lines, line_rule
from claimhouse.reconcile._model import ZERO, Posting, SubmittedClaim

PENDING = "pending"
PAID = "paid"
PARTIAL = "partially paid"
DENIED = "denied"
REVERSED = "reversed"
OVERPAID = "overpaid"
UNMATCHED = "unmatched remit"
VOIDED = "voided"
STATES = (PAID, PARTIAL, DENIED, REVERSED, PENDING, OVERPAID, UNMATCHED, VOIDED)


@dataclass(slots=True)
class Settlement:
    """The outcome for one claim."""

    claim: int
    state: str
    billed: Decimal
    paid: Decimal = ZERO
    contractual: Decimal = ZERO
    patient_responsibility: Decimal = ZERO
    unaccounted: Decimal = ZERO
    last_paid_on: date | None = None
    dispositions: dict[int, str] = field(default_factory=dict)
    line_paid: dict[int, Decimal] = field(default_factory=dict)
    paid_lines: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)


def payer_level(posting: Posting, claim: SubmittedClaim) -> int:
    """1 primary, 2 secondary, 3 tertiary (CLP02 1/19, 2/20, 3/21; otherwise by payer)."""
    level = {"1": 1, "19": 1, "2": 2, "20": 2, "3": 3, "21": 3}.get(posting.status_code)
    if level is not None:
        return level
    return 1 if _payer_matches(posting, claim) else 2


def _pair_reversal(rev: Posting, current: list[Posting]) -> tuple[Posting | None, str]:
    earlier = [p for p in current if p.order < rev.order]
    icn = rev.payer_claim_control_number
    tests: list[tuple[str, Callable[[Posting], bool]]] = [
        ("clp07+amount", lambda p: icn is not None and p.payer_claim_control_number == icn
         and p.paid == -rev.paid),
        ("clp07", lambda p: icn is not None and p.payer_claim_control_number == icn),
        ("amount", lambda p: p.paid == -rev.paid and p.payer_ids == rev.payer_ids),
    ]
    for rule, test in tests:
        found = [p for p in earlier if test(p)]
        if found:
            return found[-1], rule
    return None, "no-payment-to-reverse"


_LINE_RULES = {how: line_rule(how) for how in range(-1, 5)}
"""The rule name of each :func:`fit_lines` outcome."""


def _order(p: Posting) -> tuple[date, str, int, int]:
    return p.order


def settle(claim: SubmittedClaim, postings: Sequence[Posting], *,
           today: date | None = None) -> Settlement:
    """Settle ``claim`` given every posting matched to it (any order)."""
    out = Settlement(claim=claim.key, state=PENDING, billed=claim.total_charge)
    ordered = sorted(postings, key=_order) if len(postings) > 1 else list(postings)
    current: list[Posting] = []
    reversed_any = False
    for p in ordered:
        if p.status_code == "22":
            target, rule = _pair_reversal(p, current)
            out.dispositions[p.key] = "reversal"
            if target is None:
                out.decisions.append(Decision(
                    "reversal", "unpaired", rule, "CLP02 22 reversal with no earlier current "
                    "payment to cancel; its amount still counts", posting=p.key,
                    claim=claim.key))
                continue
            current.remove(target)
            reversed_any = True
            out.dispositions[target.key] = "reversed"
            out.decisions.append(Decision(
                "reversal", "reversed", rule, f"cancels the payment of {target.paid} "
                f"(posting {target.key})", posting=p.key, claim=claim.key))
            continue
        if reversed_any:
            out.decisions.append(Decision(
                "reversal", "current", "correction-after-reversal",
                "a payment after a reversal: the corrected payment is now current",
                posting=p.key, claim=claim.key))
        current.append(p)
        out.dispositions[p.key] = "current"
    line_rules: dict[str, int] = {}
    paid_lines = out.paid_lines
    line_paid = out.line_paid
    for p in ordered:
        if not p.lines:
            continue
        for paid, found, how in fit_lines(p, claim):
            rule = _LINE_RULES[how]
            line_rules[rule] = line_rules.get(rule, 0) + 1
            if found is None:
                paid_lines[paid.key] = (None, rule)
                continue
            paid_lines[paid.key] = (found.key, rule)
            line_paid[found.key] = line_paid.get(found.key, ZERO) + paid.paid
    out.paid = sum([p.paid for p in ordered], ZERO)
    dates = [p.payment_date for p in ordered if p.payment_date is not None]
    out.last_paid_on = max(dates) if dates else None
    out.state = _state(claim, ordered, current, reversed_any, out)
    if claim.voided:
        out.state = VOIDED
    out.decisions.append(Decision("state", out.state, "settlement",
                                  _evidence(claim, ordered, current, out, line_rules),
                                  claim=claim.key))
    return out


def _evidence(claim: SubmittedClaim, ordered: list[Posting], current: list[Posting],
              out: Settlement, line_rules: dict[str, int]) -> str:
    """The reason of the state decision: amounts, postings, reversals, lines (codes,
    amounts and row ids only; no PHI)."""
    parts = [f"billed {out.billed}, paid {out.paid}, contractual {out.contractual}, "
             f"patient {out.patient_responsibility}, unaccounted {out.unaccounted}; "
             f"{len(ordered)} posting(s), {len(current)} current"]
    if claim.voided:
        parts.append("voided by the provider (837 frequency 8)" + (
            f"; awaiting the payer's reversal of {out.paid}" if out.paid else ""))
    for p in ordered:
        parts.append(f"posting {p.key} CLP02 {p.status_code or '-'} paid {p.paid} "
                     f"matched by {p.match_rule or 'claim'}: {out.dispositions.get(p.key)}")
    for d in out.decisions:
        if d.level == "reversal":
            parts.append(f"reversal {d.decision} by {d.rule} (posting {d.posting}): {d.reason}")
    if line_rules:
        parts.append("lines " + ", ".join(f"{rule} x{n}"
                                          for rule, n in sorted(line_rules.items())))
    return "; ".join(parts)


def _state(claim: SubmittedClaim, ordered: list[Posting], current: list[Posting],
           reversed_any: bool, out: Settlement) -> str:
    if not ordered:
        out.unaccounted = claim.total_charge
        return PENDING
    if not current:
        out.unaccounted = claim.total_charge - out.paid
        return REVERSED
    if len(current) == 1:
        last = current
    else:
        levels = [payer_level(p, claim) for p in current]
        top = max(levels)
        last = [p for p, level in zip(current, levels, strict=True) if level == top]
    contractual = patient = ZERO
    for p in last:
        cas_contractual, cas_patient = p.cas_sums()
        contractual += cas_contractual
        patient += (p.patient_responsibility if p.patient_responsibility is not None
                    else cas_patient)
    out.contractual, out.patient_responsibility = contractual, patient
    out.unaccounted = (claim.total_charge - out.paid - out.contractual
                       - out.patient_responsibility)
    if out.unaccounted < 0 or out.paid > claim.total_charge:
        return OVERPAID
    if out.paid == 0 and (any(p.status_code == "4" for p in current)
                          or out.patient_responsibility == 0):
        return DENIED
    if out.unaccounted > 0:
        return PARTIAL
    return PAID
