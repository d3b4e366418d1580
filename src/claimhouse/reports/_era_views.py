"""Build the ERA view model (``_era_model``) from the 835 models: codes in words
(``claimhouse.codes``), patient names and member ids through a
:class:`~claimhouse.reports._mask.Masker`.

Allowed amounts (the 835 has no required "allowed" field), the rule used here:

- service line: ``AMT*B6`` (allowed - actual) where the payer sent it, else
  SVC02 charge − the line's CAS amounts in groups CO, PI, OA and CR (what the payer
  disallowed; PR is the patient's share *of* the allowed amount);
- claim: ``AMT*AU`` (coverage amount) where the payer sent it, else CLP03 charge − the
  claim's and its lines' CAS amounts in groups CO, PI, OA and CR; for a balanced claim
  this equals CLP04 paid + the PR (patient responsibility) adjustments.
"""

from __future__ import annotations

from decimal import Decimal

from claimhouse.codes import describe, label
from claimhouse.models import ClaimPayment, Remittance
from claimhouse.models._remittance_claim import PaymentAdjustment, ServicePayment
from claimhouse.models._remittance_parts import (
    ContactInfo,
    EntityName,
    PostalAddress,
    SupplementalAmount,
)
from claimhouse.reports._era_model import (
    DISALLOWED_GROUPS,
    ZERO,
    EraAdjustment,
    EraClaim,
    EraHeader,
    EraLine,
    EraParty,
    EraPlb,
    EraRemark,
)
from claimhouse.reports._mask import Masker


def _money(v: Decimal | None) -> Decimal:
    return v if v is not None else ZERO


def person_name(n: EntityName | None) -> str:
    """"LAST, FIRST M SUFFIX" (an organisation: its name); "" when absent."""
    if n is None:
        return ""
    first = " ".join(p for p in (n.first_name, n.middle_name, n.suffix) if p)
    last = n.last_name or ""
    return f"{last}, {first}" if last and first else (last or first)


def _address(a: PostalAddress | None) -> list[str]:
    if a is None:
        return []
    lines = [x for x in (a.line1, a.line2) if x]
    city = " ".join(x for x in (f"{a.city}," if a.city else None, a.state, a.postal_code,
                                a.country_code) if x)
    return [*lines, city] if city else lines


_COMM = {"TE": "phone", "EX": "ext.", "FX": "fax", "EM": "email", "UR": ""}


def _contact(c: ContactInfo | None, what: str) -> str | None:
    if c is None:
        return None
    parts = [f"{_COMM.get(q or '', q or '')} {n}".strip()
             for q, n in ((c.qualifier_1, c.number_1), (c.qualifier_2, c.number_2),
                          (c.qualifier_3, c.number_3)) if n]
    text = ", ".join(x for x in (c.name, *parts) if x)
    return f"{what}: {text}" if text else None


def _adjustments(items: list[PaymentAdjustment]) -> list[EraAdjustment]:
    return [EraAdjustment(group=a.group_code or "", group_text=label("group", a.group_code),
                          reason=a.reason_code or "", reason_text=label("carc", a.reason_code),
                          amount=_money(a.amount), quantity=a.quantity) for a in items]


def _disallowed(adjs: list[EraAdjustment]) -> Decimal:
    return sum((a.amount for a in adjs if a.group in DISALLOWED_GROUPS), ZERO)


_SHOWN = frozenset({"BPR", "TRN", "CLP", "CAS", "SVC", "AMT", "MIA", "MOA", "LQ", "PLB", "DTM"})


def unread_segments(extra: list[list[str]]) -> list[str]:
    """Ids of kept (unmapped or partly mapped) segments of a kind the ERA shows."""
    ids = [raw[0].lstrip("!") for raw in extra if raw]
    return [i for i in ids if i in _SHOWN]


def _remark(code: str, where: str) -> EraRemark:
    return EraRemark(code=code, text=label("rarc", code), where=where)


def _amt(amounts: list[SupplementalAmount], qualifier: str) -> Decimal | None:
    return next((a.amount for a in amounts if a.qualifier == qualifier
                 and a.amount is not None), None)


def _line(s: ServicePayment) -> EraLine:
    code = s.procedure_code or ""
    proc = " ".join(x for x in (s.procedure_qualifier, "-".join([code, *s.modifiers]) if code
                                else None) if x)
    if not proc and s.revenue_code:
        proc = f"Rev {s.revenue_code}"
    adjs = _adjustments(s.adjustments)
    charge = _money(s.charge)
    b6 = _amt(s.amounts, "B6")
    start = s.service_start_date or s.service_date
    return EraLine(
        procedure=proc, revenue_code=s.revenue_code, units=s.units, charge=charge,
        allowed=b6 if b6 is not None else charge - _disallowed(adjs),
        allowed_from_amt=b6 is not None, paid=_money(s.paid_amount), service_from=start,
        service_to=s.service_end_date or start, control_number=s.line_item_control_number,
        adjustments=adjs,
        remarks=[_remark(r.code, "LQ") for r in s.remark_codes if r.code])


def claim_view(c: ClaimPayment, number: int, masker: Masker) -> EraClaim:
    """One CLP loop in words (names and member ids through ``masker``)."""
    lines = [_line(s) for s in c.service_lines]
    adjs = _adjustments(c.adjustments)
    remarks: list[EraRemark] = []
    if c.outpatient is not None:
        remarks += [_remark(r, "MOA") for r in c.outpatient.remark_codes if r]
    if c.inpatient is not None:
        codes = [c.inpatient.remark_code, *c.inpatient.remark_codes]
        remarks += [_remark(r, "MIA") for r in codes if r]
    au = _amt(c.amounts, "AU")
    charge = _money(c.total_charge)
    disallowed = _disallowed(adjs) + sum((_disallowed(ln.adjustments) for ln in lines), ZERO)
    starts = [ln.service_from for ln in lines if ln.service_from]
    ends = [ln.service_to for ln in lines if ln.service_to]
    patient = c.patient or c.insured
    # the patient's own id (NM1*QC) first; the subscriber's (NM1*IL) when the patient has none
    member = next((n.identifier for n in (c.patient, c.insured, c.corrected_patient)
                   if n is not None and n.identifier), "")
    insured = person_name(c.insured) if c.insured is not None and c.patient is not None else ""
    insured_id = (c.insured.identifier or "") if c.insured is not None else ""
    return EraClaim(
        number=number, patient_control_number=c.patient_control_number or "",
        payer_claim_number=c.payer_claim_control_number or "",
        status_code=c.status_code or "", status_text=label("claim_status", c.status_code),
        filing_text=describe("claim_filing", c.claim_filing_indicator),
        patient_name=masker.name(person_name(patient)), member_id=masker.member_id(member),
        insured_name=masker.name(insured) if insured and insured != person_name(patient)
        else None,
        insured_id=masker.member_id(insured_id) if insured_id and insured_id != member
        else None,
        charge=charge, allowed=au if au is not None else charge - disallowed,
        allowed_from_amt=au is not None, paid=_money(c.paid_amount),
        patient_responsibility=_money(c.patient_responsibility),
        service_from=c.statement_from_date or (min(starts) if starts else None),
        service_to=c.statement_to_date or (max(ends) if ends else None),
        adjustments=adjs, remarks=remarks, lines=lines,
        unread=unread_segments(c.extra_segments)
        + [x for s in c.service_lines for x in unread_segments(s.extra_segments)])


def _party(name: str | None, ids: list[tuple[str, str]], address: PostalAddress | None,
           contacts: list[str | None]) -> EraParty:
    return EraParty(name=name or "(no name)", ids=[(k, v) for k, v in ids if v],
                    address=_address(address), contacts=[c for c in contacts if c])


_ID_LABELS = {"XX": "NPI", "FI": "TIN", "XV": "Plan id", "PI": "Payer id", "EO": "Payer id"}
_REF_LABELS = {"2U": "Payer id", "EO": "Submitter id", "HI": "HIN", "NF": "NAIC",
               "TJ": "TIN", "PQ": "Payee id", "0B": "State licence", "D3": "NCPDP"}


def header_view(r: Remittance, number: int, control: str, interchange: str) -> EraHeader:
    p = r.payment
    payer, payee = r.payer, r.payee
    payer_party = _party(
        payer.name if payer else None,
        ([(_ID_LABELS.get(payer.id_qualifier or "", "Payer id"), payer.identifier or "")]
         if payer else [])
        + [(_REF_LABELS.get(x.qualifier or "", x.qualifier or ""), x.value or "")
           for x in (payer.references if payer else [])],
        payer.address if payer else None,
        ([_contact(payer.business_contact, "Business contact")]
         + [_contact(t, "Technical contact") for t in payer.technical_contacts]
         + [_contact(payer.web_site, "Web")]) if payer else [])
    payee_party = _party(
        payee.name if payee else None,
        ([(_ID_LABELS.get(payee.id_qualifier or "", payee.id_qualifier or "Id"),
           payee.identifier or "")] if payee else [])
        + [(_REF_LABELS.get(x.qualifier or "", x.qualifier or ""), x.value or "")
           for x in (payee.references if payee else [])],
        payee.address if payee else None, [])
    return EraHeader(
        number=number, control_number=control, interchange=interchange,
        payer=payer_party, payee=payee_party,
        amount=_money(p.amount if p else None),
        credit_debit=label("credit_debit", p.credit_debit if p else None),
        method=label("payment_method", p.method if p else None),
        handling=label("handling", p.handling_code if p else None),
        payment_format=describe("payment_format", p.format_code if p else None),
        trace_number=(p.trace_number or "") if p else "",
        payment_date=p.date if p else None, production_date=r.production_date)


def plb_view(r: Remittance) -> list[EraPlb]:
    return [EraPlb(provider=pa.provider_identifier or "", fiscal_period=pa.fiscal_period_date,
                   reason=a.reason_code or "", reason_text=label("plb", a.reason_code),
                   reference=a.reference, amount=_money(a.amount))
            for pa in r.provider_adjustments for a in pa.adjustments]
