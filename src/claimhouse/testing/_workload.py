"""A deterministic synthetic workload for the store and the reconcile engine: N claims
(837 models) and the payers' 835 remittances (models) with the known truth of how every
claim must end. Every value is made up (no PHI).

Cases, cycling over the claims: paid, paid with a copay (PR), zero-pay to the
deductible, partially paid (one line never adjudicated), denied (CLP02 4), reversed and
re-paid (CLP02 22 then a corrected payment), reversed for good, split over two 835s,
primary then secondary (NM1*TT crossover, CLP02 2 with OA-23), paid twice then
recovered by a PLB WO naming the claim, SVC06 (payer changed the code), pending (no
remit), voided (paid, then an 837 frequency 8 voids it and the payer reverses the payment)
and voided before the payer reversed (the payment still stands, awaiting the reversal).
The void 837s are :attr:`Workload.voids` (load them after, or before, the claims: a void
is final either way). Besides: unmatched remits (a CLP01 no claim carries), PLB L6 interest, and one
remittance sent twice (same TRN; it must post once); a net-negative 835 is brought to zero
by a PLB FB (forwarding balance).

The files (:mod:`._workload_files`) are guide-valid: pyx12 and ``claimhouse validate``
level 5 (tests/test_workload_valid.py); the made-up parties carry the contacts, addresses
and NDC the guides require.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from claimhouse.models import (
    Address,
    BillingProvider,
    Claim,
    Contact,
    ContactNumber,
    Diagnosis,
    DrugIdentification,
    Payer,
    Procedure,
    ServiceLine,
    Subscriber,
)
from claimhouse.models._remittance import (
    ClaimGroup,
    Payment,
    ProviderAdjustment,
    ProviderAdjustmentAmount,
    Remittance,
    RemittancePayee,
    RemittancePayer,
)
from claimhouse.models._remittance_claim import ClaimPayment, PaymentAdjustment, ServicePayment
from claimhouse.models._remittance_parts import (
    ContactInfo,
    EntityName,
    PostalAddress,
    ReferenceId,
    RemarkCode,
)

CASES = ("paid", "copay", "zero-pay", "partial", "denied", "reversed-repaid", "reversed",
         "split", "secondary", "overpaid-recovered", "svc06", "pending", "voided",
         "voided-unreversed")
EXPECTED_STATE = {
    "paid": "paid", "copay": "paid", "zero-pay": "paid", "partial": "partially paid",
    "denied": "denied", "reversed-repaid": "paid", "reversed": "reversed", "split": "paid",
    "secondary": "paid", "overpaid-recovered": "overpaid", "svc06": "paid",
    "pending": "pending", "voided": "voided", "voided-unreversed": "voided",
}
PAYERS = (("ACME HEALTH PLAN", "ACME1", "1111111111"),
          ("PRAIRIE MUTUAL", "PRAIR", "1222222222"),
          ("LAKESIDE CARE", "LAKE1", "1333333333"))
SECONDARY = ("MEDIGAP SUPPLEMENT", "MGAP1", "1444444444")
PROCEDURES = (("99213", ()), ("99214", ("25",)), ("93000", ()), ("36415", ()),
              ("81002", ()), ("97110", ("GP",)), ("20610", ("RT",)), ("J1100", ()))
NPI = "1234567893"
PAYER_ADDRESSES = {  # 835 1000A N3/N4 (required): made-up claim offices
    "ACME1": PostalAddress("100 ACME PLAZA", city="CHICAGO", state="IL", postal_code="606010100"),
    "PRAIR": PostalAddress("200 PRAIRIE AVE", city="PEORIA", state="IL", postal_code="616020200"),
    "LAKE1": PostalAddress("300 LAKESHORE DR", city="EVANSTON", state="IL",
                           postal_code="602010300"),
    "MGAP1": PostalAddress("400 SUPPLEMENT ST", city="SPRINGFIELD", state="IL",
                           postal_code="627010400"),
}
PAYER_PHONES = {"ACME1": "8005550101", "PRAIR": "8005550102", "LAKE1": "8005550103",
                "MGAP1": "8005550104"}
NDC = "00000000001"
"""A made-up 11-digit NDC (5-4-2) for the drug line (J-code): 2410 LIN*N4 is required."""
CLP06 = "12"
"""835 CLP06 (claim filing indicator): the 837's SBR09 CI (commercial) is not in the 835
code list; 12 (preferred provider organization) is."""
CENT = Decimal("0.01")


@dataclass(slots=True)
class Expected:
    """The truth for one claim: its case, end state, net paid and patient responsibility."""

    case: str
    state: str
    paid: Decimal
    patient_responsibility: Decimal


@dataclass(slots=True)
class Workload:
    """Claims by payer, remittances (in payment order; one is repeated on purpose), truth.

    ``voids`` are 837 frequency-8 claims voiding some of ``claims`` (same patient control
    number and payer); :meth:`all_claims` is what a biller sends: the claims, then voids."""

    claims: list[Claim]
    remittances: list[Remittance]
    expected: dict[str, Expected]
    unmatched_pcns: list[str] = field(default_factory=list)
    duplicate_traces: list[str] = field(default_factory=list)
    voids: list[Claim] = field(default_factory=list)

    def all_claims(self) -> list[Claim]:
        """Every 837 claim: the originals, then the voids."""
        return [*self.claims, *self.voids]

    def posted_remittances(self) -> list[Remittance]:
        """The remittances that must post: the repeated one counts once."""
        seen: set[tuple[str, str]] = set()
        out = []
        for r in self.remittances:
            assert r.payment is not None
            key = (r.payment.trace_originator or "", r.payment.trace_number or "")
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _claim(rng: random.Random, i: int, case: str, start: date) -> Claim:
    name, payer_id, _ = PAYERS[i % len(PAYERS)]
    n_lines = 3 if case in ("partial", "split") else rng.randint(1, 3)
    dos = start + timedelta(days=rng.randint(0, 60))
    lines = []
    for j in range(n_lines):
        code, mods = PROCEDURES[(i + j) % len(PROCEDURES)]
        lines.append(ServiceLine(
            charge=_money(Decimal(rng.randint(40, 400))), procedure=Procedure(code,
                                                                              modifiers=list(mods)),
            line_number=j + 1, unit_basis="UN", units=Decimal(1), diagnosis_pointers=[1],
            service_date=dos, line_item_control_number=f"L{i:07d}{j + 1}" if i % 2 else None,
            drug=DrugIdentification(NDC, Decimal(1)) if code.startswith("J") else None))
    return Claim(
        patient_control_number=f"PCN{i:08d}",
        total_charge=sum((ln.charge for ln in lines), Decimal("0.00")),
        billing_provider=BillingProvider(
            name="SYNTHETIC FAMILY CLINIC", npi=NPI, tax_id="741234567",
            contacts=[Contact(name="BILLING OFFICE", numbers=[ContactNumber("TE",
                                                                           "2175550100")])],
            address=Address("1 TEST WAY", city="SPRINGFIELD", state="IL",
                            postal_code="627010001")),
        subscriber=Subscriber(payer_responsibility="P", last_name=f"SUBSCRIBER{i % 997}",
                              first_name="TEST", member_id=f"M{i:09d}", relationship="18",
                              claim_filing_indicator="CI",
                              address=Address("2 SAMPLE RD", city="SPRINGFIELD", state="IL",
                                              postal_code="627010002"),
                              birth_date=date(1970, 1, 1) + timedelta(days=i % 9000),
                              gender="F" if i % 2 else "M"),
        payer=Payer(name=name, id=payer_id),
        service_lines=lines, diagnoses=[Diagnosis("Z0000")])


def _svc(line: ServiceLine, paid: Decimal, adjs: list[PaymentAdjustment], *,
         sign: int = 1, original: bool = False) -> ServicePayment:
    proc = line.procedure
    assert proc is not None
    refs = ([ReferenceId("6R", line.line_item_control_number)]
            if line.line_item_control_number else [])
    code, mods = proc.code, list(proc.modifiers)
    sp = ServicePayment(procedure_qualifier="HC", procedure_code=code, modifiers=mods,
                        charge=line.charge * sign, paid_amount=paid * sign,
                        units=Decimal(1), service_date=line.service_date,
                        adjustments=[PaymentAdjustment(a.group_code, a.reason_code,
                                                       (a.amount or Decimal(0)) * sign)
                                     for a in adjs], references=refs)
    if adjs and adjs[0].reason_code == "29":  # a timely-filing denial says so in LQ*HE
        sp.remark_codes = [RemarkCode("HE", "MA130")]
    if original:  # the payer paid another code: SVC01 what it paid, SVC06 what was billed
        sp.procedure_code, sp.modifiers = "99212", []
        sp.original_procedure_qualifier, sp.original_procedure_code = "HC", code
        sp.original_modifiers = mods
    return sp


def _adjudicate(line: ServiceLine, case: str) -> tuple[Decimal, list[PaymentAdjustment]]:
    """What the payer pays on a line and its CAS (charge - paid = Σ CAS)."""
    charge = line.charge
    allowed = _money(charge * Decimal("0.8"))
    co = PaymentAdjustment("CO", "45", charge - allowed)
    if case == "denied":
        return Decimal("0.00"), [PaymentAdjustment("CO", "29", charge)]
    if case == "zero-pay":
        return Decimal("0.00"), [co, PaymentAdjustment("PR", "1", allowed)]
    if case == "copay":
        copay = min(Decimal("10.00"), allowed)
        return allowed - copay, [co, PaymentAdjustment("PR", "3", copay)]
    if case == "secondary":
        coins = _money(allowed * Decimal("0.2"))
        return allowed - coins, [co, PaymentAdjustment("PR", "2", coins)]
    return allowed, [co] if co.amount else []


def _clp(claim: Claim, status: str, icn: str, lines: list[ServicePayment], *,
         sign: int = 1, crossover: bool = False) -> ClaimPayment:
    charge = sum((sp.charge or Decimal(0) for sp in lines), Decimal("0.00"))
    paid = sum((sp.paid_amount or Decimal(0) for sp in lines), Decimal("0.00"))
    pr = sum((a.amount or Decimal(0) for sp in lines for a in sp.adjustments
              if a.group_code == "PR"), Decimal("0.00"))
    return ClaimPayment(
        patient_control_number=claim.patient_control_number, status_code=status,
        total_charge=charge, paid_amount=paid, patient_responsibility=pr if pr else None,
        claim_filing_indicator=CLP06, payer_claim_control_number=icn,
        patient=EntityName("1", claim.subscriber.last_name, claim.subscriber.first_name,
                           id_qualifier="MI", identifier=claim.subscriber.member_id),
        crossover_carrier=EntityName("2", SECONDARY[0], id_qualifier="PI",
                                     identifier=SECONDARY[1]) if crossover else None,
        service_lines=lines)


def _lines(claim: Claim, case: str, part: slice = slice(None), *, scale: str = "0.8",
           sign: int = 1, original: bool = False) -> list[ServicePayment]:
    out = []
    for line in claim.service_lines[part]:
        if scale == "0.8":
            paid, adjs = _adjudicate(line, case)
        else:
            allowed = _money(line.charge * Decimal(scale))
            paid, adjs = allowed, [PaymentAdjustment("CO", "45", line.charge - allowed)]
        out.append(_svc(line, paid, adjs, sign=sign, original=original))
    return out


def _secondary_lines(claim: Claim) -> list[ServicePayment]:
    out = []
    for line in claim.service_lines:
        prior, adjs = _adjudicate(line, "secondary")
        coins = sum((a.amount or Decimal(0) for a in adjs if a.group_code == "PR"), Decimal(0))
        co = line.charge - prior - coins
        out.append(_svc(line, coins, [PaymentAdjustment("OA", "23", prior),
                                      PaymentAdjustment("CO", "45", co)]))
    return out


def _remittances(payer: tuple[str, str, str], rnd: str, when: date,
                 clps: list[ClaimPayment], plbs: list[ProviderAdjustmentAmount],
                 per_check: int) -> list[Remittance]:
    name, payer_id, trn03 = payer
    out = []
    chunks = [clps[i:i + per_check] for i in range(0, len(clps), per_check)] or [[]]
    for k, chunk in enumerate(chunks):
        mine = plbs if k == len(chunks) - 1 else []
        total = (sum((c.paid_amount or Decimal(0) for c in chunk), Decimal("0.00"))
                 - sum((p.amount or Decimal(0) for p in mine), Decimal("0.00")))
        if total < 0:  # more taken back than paid: a forwarding balance (FB) nets it to
            # zero, to be recovered later (X12 RFI 222; L6 would call it interest)
            mine = [*mine, ProviderAdjustmentAmount("FB", "NETTING", total)]
            total = Decimal("0.00")
        if not chunk and not mine:
            continue
        out.append(Remittance(
            payment=Payment(handling_code="I" if total else "H", amount=total,
                            credit_debit="C", method="CHK" if total else "NON", date=when,
                            trace_type="1", trace_number=f"{payer_id}{rnd}{k + 1:05d}",
                            trace_originator=trn03),
            production_date=when,
            payer=RemittancePayer(name=name, address=PAYER_ADDRESSES[payer_id],
                                  references=[ReferenceId("2U", payer_id)],
                                  technical_contacts=[ContactInfo(
                                      "EDI SUPPORT", "TE", PAYER_PHONES[payer_id])]),
            payee=RemittancePayee(name="SYNTHETIC FAMILY CLINIC", id_qualifier="XX",
                                  identifier=NPI),
            claim_groups=[ClaimGroup(number="1", claims=chunk)] if chunk else [],
            provider_adjustments=[ProviderAdjustment(
                provider_identifier=NPI, fiscal_period_date=date(when.year, 12, 31),
                adjustments=mine[j:j + 6]) for j in range(0, len(mine), 6)]))
    return out


def generate_workload(n_claims: int, *, seed: int = 835, per_check: int = 1000) -> Workload:
    """``n_claims`` claims cycling over :data:`CASES`, their payers' 835s and the truth."""
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    first, second, crossover_day = (start + timedelta(days=75), start + timedelta(days=89),
                                    start + timedelta(days=96))
    claims: list[Claim] = []
    expected: dict[str, Expected] = {}
    rounds: dict[tuple[int, str], list[ClaimPayment]] = {}
    plbs: dict[tuple[int, str], list[ProviderAdjustmentAmount]] = {}
    secondary: list[ClaimPayment] = []
    unmatched: list[str] = []
    voids: list[Claim] = []

    def post(p: int, rnd: str, clp: ClaimPayment) -> None:
        rounds.setdefault((p, rnd), []).append(clp)

    for i in range(n_claims):
        case = CASES[i % len(CASES)]
        claim = _claim(rng, i, case, start)
        claims.append(claim)
        p = i % len(PAYERS)
        icn = f"{PAYERS[p][1]}{i:09d}"
        paid: list[ClaimPayment] = []
        if case in ("paid", "copay", "zero-pay", "denied", "svc06"):
            paid = [_clp(claim, "4" if case == "denied" else "1", icn + "A",
                         _lines(claim, case, original=case == "svc06"))]
            post(p, "1", paid[0])
        elif case == "partial":
            paid = [_clp(claim, "1", icn + "A", _lines(claim, case, slice(0, 2)))]
            post(p, "1", paid[0])
        elif case in ("voided", "voided-unreversed"):
            paid = [_clp(claim, "1", icn + "A", _lines(claim, case))]
            post(p, "1", paid[0])
            voids.append(dataclasses.replace(claim, frequency_code="8",
                                             payer_claim_control_number=icn + "A"))
            if case == "voided":  # the payer takes the payment back after the void
                paid.append(_clp(claim, "22", icn + "A", _lines(claim, case, sign=-1)))
                post(p, "2", paid[-1])
        elif case in ("reversed-repaid", "reversed"):
            original = _clp(claim, "1", icn + "A", _lines(claim, case))
            reversal = _clp(claim, "22", icn + "A", _lines(claim, case, sign=-1))
            post(p, "1", original)
            post(p, "2", reversal)
            paid = [original, reversal]
            if case == "reversed-repaid":
                paid.append(_clp(claim, "1", icn + "B", _lines(claim, case, scale="0.9")))
                post(p, "2", paid[-1])
        elif case == "split":
            paid = [_clp(claim, "1", icn + "A", _lines(claim, case, slice(0, 2))),
                    _clp(claim, "1", icn + "B", _lines(claim, case, slice(2, None)))]
            post(p, "1", paid[0])
            post(p, "2", paid[1])
        elif case == "secondary":
            paid = [_clp(claim, "1", icn + "A", _lines(claim, case), crossover=True),
                    _clp(claim, "2", f"MG{i:09d}", _secondary_lines(claim))]
            post(p, "1", paid[0])
            secondary.append(paid[1])
        elif case == "overpaid-recovered":
            paid = [_clp(claim, "1", icn + "A", _lines(claim, case)),
                    _clp(claim, "1", icn + "B", _lines(claim, case))]
            post(p, "1", paid[0])
            post(p, "2", paid[1])
            plbs.setdefault((p, "2"), []).append(ProviderAdjustmentAmount(
                "WO", claim.patient_control_number, paid[1].paid_amount))
        net = sum((c.paid_amount or Decimal(0) for c in paid), Decimal("0.00"))
        current = [c for c in paid if c.status_code != "22"]
        if case in ("reversed", "voided"):
            current = []
        elif case in ("reversed-repaid", "secondary"):
            current = current[-1:]
        pr = sum((c.patient_responsibility or Decimal(0) for c in current), Decimal("0.00"))
        expected[claim.patient_control_number] = Expected(case, EXPECTED_STATE[case], net, pr)
        if i % 50 == 49 or i == n_claims - 1:
            orphan = _clp(claim, "1", f"{icn}X", _lines(claim, "paid"))
            orphan.patient_control_number = f"NOCLAIM{i:08d}"
            unmatched.append(orphan.patient_control_number)
            post(p, "1", orphan)
    remittances: list[Remittance] = []
    for rnd, when in (("1", first), ("2", second)):
        for p, payer in enumerate(PAYERS):
            extra = plbs.get((p, rnd), [])
            if rnd == "2":
                extra = [*extra, ProviderAdjustmentAmount("L6", "INTEREST", Decimal("-1.50"))]
            remittances += _remittances(payer, rnd, when, rounds.get((p, rnd), []), extra,
                                        per_check)
    remittances += _remittances(SECONDARY, "S", crossover_day, secondary, [], per_check)
    duplicates = []
    if remittances and remittances[0].payment:
        duplicates.append(remittances[0].payment.trace_number or "")
        remittances.append(remittances[0])
    return Workload(claims, remittances, expected, unmatched, duplicates, voids)
