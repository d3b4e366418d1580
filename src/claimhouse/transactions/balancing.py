"""835 balancing checks (X12-RULES §1.4) as findings, in Decimal.

- service line (2110): SVC02 − Σ line CAS amounts = SVC03 (RFI 2348);
- claim (2100): CLP03 − Σ claim CAS − Σ its lines' CAS = CLP04 (RFI 358);
- transaction: Σ CLP04 − Σ PLB amounts = BPR02, and BPR02 is never negative (RFI 222:
  a net-negative remittance carries forward through PLB FB);
- the same adjustment (group + reason) is not at claim and line level at once (RFI 689);
- a reversal (CLP02 = 22) repeats the original's amounts and CAS negated (RFI 2442,
  RFI 1429);
- interest: claim interest (2100 AMT*I) is informational and not part of CLP04 or claim
  balancing (RFI 1324); the remittance pays it as one provider-level PLB L6, which must be
  the net of all the claims' AMT*I (RFI 2123; a PLB L6 of -5.25 pays AMT*I 5.25). Checked
  when some claim reports AMT*I; their net being zero, no L6 is needed.

Messages name claims and lines by position only (no patient data).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from claimhouse.models import ClaimPayment, PaymentAdjustment, Remittance
from claimhouse.x12 import Finding, FindingCode, Location, Severity

_E, _W = Severity.ERROR, Severity.WARNING
_ZERO = Decimal(0)

BALANCING_CODES: dict[str, FindingCode] = {c.code: c for c in (
    FindingCode("835-line-unbalanced", "A service line does not balance: SVC02 minus the "
                "line's CAS amounts is not SVC03.", _E, 3, ik5="5",
                fix="Send CAS adjustments for the whole difference between the line's charge "
                "and its payment (X12 RFI 2348)."),
    FindingCode("835-claim-unbalanced", "A claim does not balance: CLP03 minus the claim- and "
                "line-level CAS amounts is not CLP04.", _E, 3, ik5="5",
                fix="Claim balancing includes the service-line adjustments (X12 RFI 358)."),
    FindingCode("835-transaction-unbalanced", "The transaction does not balance: the sum of "
                "CLP04 minus the PLB amounts is not BPR02.", _E, 3, ik5="5",
                fix="BPR02 must equal the claim payments less the provider adjustments."),
    FindingCode("835-negative-payment", "BPR02 (total payment) is negative.", _E, 3, ik5="5",
                fix="Carry a net-negative balance forward with PLB FB instead (X12 RFI 222)."),
    FindingCode("835-adjustment-both-levels", "The same adjustment (group and reason code) is "
                "reported at claim level and at service-line level of one claim.", _W, 3,
                fix="Report each adjustment at one level only (X12 RFI 689)."),
    FindingCode("835-interest-unbalanced", "The claims' interest (2100 AMT*I) does not add up "
                "to the interest paid in PLB L6.", _E, 3, ik5="5",
                fix="Pay the net of the claims' AMT*I amounts as one PLB L6 (negative: it "
                "increases the payment); AMT*I is not part of CLP04 (X12 RFI 2123, 1324)."),
    FindingCode("835-reversal-not-negated", "A reversal (CLP02 = 22) does not repeat the "
                "original claim's amounts and adjustments negated.", _E, 3,
                fix="Send the original's CLP03/CLP04 and every CAS amount with the opposite "
                "sign (X12 RFI 2442, RFI 1429)."),
)}
"""Every code :func:`check_remittance` emits, in the shape of ``x12._codes``."""


def _sum(adjs: Iterable[PaymentAdjustment]) -> Decimal:
    return sum((a.amount or _ZERO for a in adjs), _ZERO)


class _Checker:
    def __init__(self, file: str | None, transaction_set: str | None) -> None:
        self.file, self.ts = file, transaction_set
        self.findings: list[Finding] = []

    def add(self, code: str, detail: str, segment_id: str, loop: str | None) -> None:
        fc = BALANCING_CODES[code]
        loc = Location(file=self.file, segment_id=segment_id, transaction_set=self.ts,
                       loop=loop)
        self.findings.append(Finding(code, f"{fc.summary} {detail}".strip(), loc,
                                     fc.severity, fc.snip_level))

    def claim(self, n: int, claim: ClaimPayment) -> None:
        line_cas = _ZERO
        claim_keys = {(a.group_code, a.reason_code) for a in claim.adjustments}
        both = False
        for k, line in enumerate(claim.service_lines, 1):
            cas = _sum(line.adjustments)
            line_cas += cas
            if line.charge is not None and line.paid_amount is not None \
                    and line.charge - cas != line.paid_amount:
                self.add("835-line-unbalanced", f"(claim {n}, line {k}: off by "
                         f"{line.charge - cas - line.paid_amount})", "SVC", "2110")
            both = both or any((a.group_code, a.reason_code) in claim_keys
                               for a in line.adjustments)
        if claim.total_charge is not None and claim.paid_amount is not None:
            diff = claim.total_charge - _sum(claim.adjustments) - line_cas - claim.paid_amount
            if diff:
                self.add("835-claim-unbalanced", f"(claim {n}: off by {diff})", "CLP", "2100")
        if both:
            self.add("835-adjustment-both-levels", f"(claim {n})", "CAS", "2100")

    def reversal(self, n: int, claim: ClaimPayment, original: ClaimPayment | None) -> None:
        if original is None:
            bad = any(v is not None and v > 0 for v in (claim.total_charge, claim.paid_amount))
        else:
            bad = (_neg(original.total_charge) != claim.total_charge
                   or _neg(original.paid_amount) != claim.paid_amount
                   or _cas_bag(original, negate=True) != _cas_bag(claim, negate=False))
        if bad:
            self.add("835-reversal-not-negated", f"(claim {n})", "CLP", "2100")


def _neg(value: Decimal | None) -> Decimal | None:
    return None if value is None else -value


def _cas_bag(claim: ClaimPayment, *, negate: bool) -> Counter[tuple[str | None, str | None,
                                                                      Decimal]]:
    adjs = list(claim.adjustments)
    for line in claim.service_lines:
        adjs.extend(line.adjustments)
    sign = -1 if negate else 1
    return Counter((a.group_code, a.reason_code, sign * (a.amount or _ZERO)) for a in adjs)


def check_remittance(remittance: Remittance, *, file: str | None = None,
                     transaction_set: str | None = None) -> list[Finding]:
    """Every balancing finding of one 835 transaction set (empty when it balances)."""
    chk = _Checker(file, transaction_set)
    claims = list(remittance.claims())
    originals: dict[str, ClaimPayment] = {}
    for claim in claims:
        if claim.status_code != "22":
            for key in (claim.payer_claim_control_number, claim.patient_control_number):
                if key:
                    originals.setdefault(key, claim)
    for n, claim in enumerate(claims, 1):
        chk.claim(n, claim)
        if claim.status_code == "22":
            orig = originals.get(claim.payer_claim_control_number or "")
            if orig is None:  # by CLP01, unless both name payer claims and they differ
                cand = originals.get(claim.patient_control_number or "")
                if cand is not None and not (claim.payer_claim_control_number
                                             and cand.payer_claim_control_number):
                    orig = cand
            chk.reversal(n, claim, orig)
    pay = remittance.payment
    if pay is not None and pay.amount is not None:
        if pay.amount < 0:
            chk.add("835-negative-payment", "", "BPR", None)
        plb = sum((a.amount or _ZERO for p in remittance.provider_adjustments
                   for a in p.adjustments), _ZERO)
        paid = sum((c.paid_amount or _ZERO for c in claims), _ZERO)
        if paid - plb != pay.amount:
            chk.add("835-transaction-unbalanced", f"(off by {paid - plb - pay.amount})",
                    "BPR", None)
    _interest(chk, remittance, claims)
    return chk.findings


def _interest(chk: _Checker, remittance: Remittance, claims: list[ClaimPayment]) -> None:
    """Σ claim AMT*I = −Σ PLB L6 (RFI 2123), when any claim reports AMT*I."""
    interest = [a.amount or _ZERO for c in claims for a in c.amounts if a.qualifier == "I"]
    if not interest:
        return
    claimed = sum(interest, _ZERO)
    paid = -sum((a.amount or _ZERO for p in remittance.provider_adjustments
                 for a in p.adjustments if a.reason_code == "L6"), _ZERO)
    if claimed != paid:
        chk.add("835-interest-unbalanced", f"(claims {claimed}, PLB L6 {paid})", "PLB", None)
