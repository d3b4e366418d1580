"""837 loop models (as read by the map engine) to the claim-centred public models.

Each 2300 claim gets its billing provider (2000A/2010AA), subscriber and payer (2000B,
2010BA/BB) and patient (2000C/2010CA) resolved onto it. Malformed content never raises:
missing required values become empty strings or zero so a bad file still yields its
claims (the engine's findings say what was wrong).
"""

from __future__ import annotations

from decimal import Decimal

from claimhouse.models import (
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimDate,
    ClaimKind,
    Contact,
    ContactNumber,
    Diagnosis,
    DrugIdentification,
    LineAdjudication,
    LineAmount,
    Note,
    OccurrenceCode,
    OccurrenceSpan,
    OtherPayer,
    OtherSubscriber,
    Patient,
    Payer,
    PayToPlan,
    PayToProvider,
    Procedure,
    ProcedureCode,
    Provider,
    Receiver,
    Reference,
    ServiceLine,
    Submitter,
    Subscriber,
    Tooth,
    ValueCode,
)
from claimhouse.transactions._claims837_codes import (
    CLAIM_PROVIDER_SLOTS,
    DATE_RANK,
    DIAGNOSIS_QUALIFIERS,
    LINE_PROVIDER_SLOTS,
    OTHER_PAYER_PROVIDER_SLOTS,
    PROCEDURE_QUALIFIERS,
    REF_RANK,
    parse_d8,
    parse_period,
)
from claimhouse.transactions._claims837_doc import (
    DAddress,
    DAdjudication,
    DAmount,
    DBillingLevel,
    DCas,
    DClaim,
    DContact,
    DHiCode,
    DLine,
    DName,
    DOtherPayer,
    DPatientLevel,
    DRef,
    DSubscriberLevel,
)

_ZERO = Decimal(0)


def _zero(value: Decimal | None) -> Decimal:
    """The amount, or zero where a malformed file left it out (``0.00`` stays ``0.00``)."""
    return _ZERO if value is None else value


def address(d: DAddress | None) -> Address | None:
    if d is None:
        return None
    return Address(d.line1 or "", d.line2, d.city, d.state, d.postal_code, d.country,
                   d.country_subdivision)


def contacts(ds: list[DContact]) -> list[Contact]:
    return [Contact(c.name, [ContactNumber(n.qualifier or "", n.number or "")
                             for n in c.numbers]) for c in ds]


def refs(ds: list[DRef]) -> list[Reference]:
    return [Reference(r.qualifier or "", r.value or "") for r in ds]


def _ref(ds: list[DRef], *quals: str) -> str | None:
    return next((r.value for r in ds if r.qualifier in quals), None)


def _amount(ds: list[DAmount], qual: str) -> Decimal | None:
    return next((a.amount for a in ds if a.qualifier == qual), None)


def _adjustments(ds: list[DCas]) -> list[Adjustment]:
    return [Adjustment(c.group or "", c.reason or "", _zero(c.amount), c.quantity)
            for c in ds]


def _npi(d: DName) -> str | None:
    return d.id if d.id_qualifier == "XX" else None


def submitter(d: DName | None) -> Submitter:
    d = d or DName()
    return Submitter(d.last_name or "", d.id or "", d.entity_type or "2", d.first_name,
                     d.middle_name, contacts(d.contacts), list(d.extra_segments))


def receiver(d: DName | None) -> Receiver:
    d = d or DName()
    return Receiver(d.last_name or "", d.id or "", list(d.extra_segments))


def billing_provider(level: DBillingLevel) -> BillingProvider:
    """2000A + 2010AA (+ 2010AB pay-to address, 2010AC pay-to plan)."""
    d = level.provider or DName()
    tax = next((r for r in d.refs if r.qualifier in ("EI", "SY")), None)
    pay_to = None
    if level.pay_to is not None:
        pay_to = PayToProvider(address(level.pay_to.address) or Address(""),
                               level.pay_to.entity_type or "2",
                               list(level.pay_to.extra_segments))
    plan = None
    if level.pay_to_plan is not None:
        p = level.pay_to_plan
        plan = PayToPlan(p.last_name or "", p.id_qualifier or "", p.id or "",
                         address(p.address) or Address(""), _ref(p.refs, "EI") or "",
                         [r for r in refs(p.refs) if r.qualifier != "EI"],
                         list(p.extra_segments))
    return BillingProvider(
        name=d.last_name or "", address=address(d.address) or Address(""),
        entity_type=d.entity_type or "2", first_name=d.first_name, middle_name=d.middle_name,
        suffix=d.suffix, npi=_npi(d), tax_id=tax.value if tax else None,
        tax_id_qualifier=(tax.qualifier or "EI") if tax else "EI", taxonomy=level.taxonomy,
        currency=level.currency,
        references=[r for r in refs(d.refs) if r.qualifier not in ("EI", "SY")],
        contacts=contacts(d.contacts), pay_to=pay_to, pay_to_plan=plan,
        extra_segments=list(d.extra_segments), level_extra_segments=list(level.extra_segments))


def subscriber(level: DSubscriberLevel) -> Subscriber:
    """2000B SBR + 2010BA."""
    d = level.subscriber or DName()
    return Subscriber(
        payer_responsibility=level.payer_responsibility or "", last_name=d.last_name or "",
        member_id=d.id, member_id_qualifier=d.id_qualifier or "MI",
        entity_type=d.entity_type or "1", first_name=d.first_name, middle_name=d.middle_name,
        suffix=d.suffix, relationship=level.relationship, group_number=level.group_number,
        group_name=level.group_name, insurance_type=level.insurance_type,
        claim_filing_indicator=level.claim_filing_indicator, address=address(d.address),
        birth_date=d.birth_date, gender=d.gender, ssn=_ref(d.refs, "SY"),
        property_casualty_claim_number=_ref(d.refs, "Y4"),
        contact=contacts(d.contacts)[0] if d.contacts else None,
        extra_segments=list(d.extra_segments), level_extra_segments=list(level.extra_segments))


def payer(level: DSubscriberLevel) -> Payer:
    """2010BB."""
    d = level.payer or DName()
    rs = refs(d.refs)
    return Payer(d.last_name or "", d.id or "", d.id_qualifier or "PI", address(d.address),
                 [r for r in rs if r.qualifier not in ("G2", "LU")],
                 [r for r in rs if r.qualifier in ("G2", "LU")], list(d.extra_segments))


def patient(level: DPatientLevel) -> Patient:
    """2000C PAT + 2010CA."""
    d = level.patient or DName()
    return Patient(
        relationship=level.relationship or "", last_name=d.last_name or "",
        first_name=d.first_name, middle_name=d.middle_name, suffix=d.suffix,
        address=address(d.address), birth_date=d.birth_date, gender=d.gender,
        death_date=level.death_date, weight_lbs=level.weight,
        pregnant=True if level.pregnant == "Y" else None,
        property_casualty_claim_number=_ref(d.refs, "Y4"),
        references=[r for r in refs(d.refs) if r.qualifier != "Y4"],
        contact=contacts(d.contacts)[0] if d.contacts else None,
        extra_segments=list(d.extra_segments), level_extra_segments=list(level.extra_segments))


def provider(d: DName, role: str) -> Provider:
    """A 2310x/2420x provider loop."""
    return Provider(role=d.entity_code or role, last_name=d.last_name,
                    entity_type=d.entity_type or "1", first_name=d.first_name,
                    middle_name=d.middle_name, suffix=d.suffix, npi=_npi(d),
                    taxonomy=d.taxonomy, address=address(d.address), references=refs(d.refs),
                    contact=contacts(d.contacts)[0] if d.contacts else None,
                    id_qualifier=None if d.id_qualifier == "XX" else d.id_qualifier,
                    id=None if d.id_qualifier == "XX" else d.id,
                    extra_segments=d.extra_segments + _raw_dates(d, ()))


def _providers(owner: DClaim | DLine | DOtherPayer,
               slots: tuple[tuple[str, str], ...]) -> list[Provider]:
    out: list[Provider] = []
    for roles, attr in slots:
        value = getattr(owner, attr)
        for d in value if isinstance(value, list) else [value]:
            if d is not None:
                out.append(provider(d, roles.split()[0]))
    return out


def _other_payer(d: DOtherPayer, kind: ClaimKind) -> OtherPayer:
    """2320 + 2330A/2330B."""
    sub, pay = d.subscriber or DName(), d.payer or DName()
    start, _, _ = parse_period("D8", next((x.value for x in pay.dates
                                           if x.qualifier == "573"), None))
    rs = refs(pay.refs)
    named = {"F8", "G1", "9F"}
    return OtherPayer(
        payer_responsibility=d.payer_responsibility or "", relationship=d.relationship or "",
        subscriber=OtherSubscriber(sub.last_name or "", sub.id or "", sub.id_qualifier or "MI",
                                   sub.entity_type or "1", sub.first_name, sub.middle_name,
                                   sub.suffix, address(sub.address),
                                   list(sub.extra_segments)),
        payer_name=pay.last_name or "", payer_id=pay.id or "",
        payer_id_qualifier=pay.id_qualifier or "PI", group_number=d.group_number,
        group_name=d.group_name, insurance_type=d.insurance_type,
        claim_filing_indicator=d.claim_filing_indicator,
        adjustments=_adjustments(d.adjustments), paid_amount=_amount(d.amounts, "D"),
        non_covered_amount=_amount(d.amounts, "A8"),
        remaining_patient_liability=_amount(d.amounts, "EAF"),
        benefits_assignment=d.benefits_assignment,
        patient_signature_source=d.patient_signature_source,
        release_of_information=d.release_of_information, payer_address=address(pay.address),
        adjudication_date=start, payer_references=[r for r in rs if r.qualifier not in named],
        payer_claim_control_number=_ref(pay.refs, "F8"),
        prior_authorization=_ref(pay.refs, "G1"), referral_number=_ref(pay.refs, "9F"),
        providers=_providers(d, OTHER_PAYER_PROVIDER_SLOTS[kind]),
        extra_segments=d.extra_segments + _raw_amounts(d.amounts, ("D", "A8", "EAF")),
        payer_extra_segments=pay.extra_segments + _raw_dates(pay, ("573",)))


def _adjudication(d: DAdjudication) -> LineAdjudication:
    """2430."""
    proc = (Procedure(d.proc_code, d.proc_qualifier or "HC", list(d.modifiers[:4]),
                      d.proc_description) if d.proc_code else None)
    when = next((x for x in d.dates if x.qualifier == "573"), None)
    return LineAdjudication(
        payer_id=d.payer_id or "", paid_amount=_zero(d.paid_amount), procedure=proc,
        revenue_code=d.revenue_code, paid_units=d.units, bundled_line_number=d.bundled_line,
        adjustments=_adjustments(d.adjustments),
        adjudication_date=parse_d8(when.value) if when else None,
        remaining_patient_liability=_amount(d.amounts, "EAF"),
        extra_segments=(d.extra_segments + _raw_amounts(d.amounts, ("EAF",))
                        + [_raw("DTP", x.qualifier, x.format, x.value) for x in d.dates
                           if x is not when]))


_NOTE_CODE = {ClaimKind.PROFESSIONAL: "ADD", ClaimKind.INSTITUTIONAL: "TPO",
              ClaimKind.DENTAL: "ADD"}


def _first(ds: list[DRef], qual: str) -> DRef | None:
    return next((r for r in ds if r.qualifier == qual), None)


def _raw(seg_id: str, *values: str | None) -> list[str]:
    """A mapped segment whose values no model field can hold, as an extra segment."""
    out = [seg_id, *(v or "" for v in values)]
    while len(out) > 1 and not out[-1]:
        out.pop()
    return out


def _raw_amounts(ds: list[DAmount], named: tuple[str, ...]) -> list[list[str]]:
    """AMTs no field holds (other qualifiers, repeats), as extra segments."""
    out, seen = [], set()
    for a in ds:
        if a.qualifier in named and a.qualifier not in seen and a.amount is not None:
            seen.add(a.qualifier)
            continue
        out.append(_raw("AMT", a.qualifier, None if a.amount is None else format(a.amount, "f")))
    return out


def _raw_dates(d: DName, named: tuple[str, ...]) -> list[list[str]]:
    """DTPs of a name loop no field holds, as extra segments."""
    out, seen = [], set()
    for x in d.dates:
        if x.qualifier in named and x.qualifier not in seen:
            seen.add(x.qualifier)
            continue
        out.append(_raw("DTP", x.qualifier, x.format, x.value))
    return out


def _int_pointers(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def service_line(d: DLine, kind: ClaimKind) -> ServiceLine:
    """2400 with 2410, 2420x and 2430."""
    proc = (Procedure(d.proc_code, d.proc_qualifier or "HC", list(d.modifiers[:4]),
                      d.proc_description) if d.proc_code else None)
    if proc is None and d.revenue_code is None:
        proc = Procedure("")  # malformed line: keep it, visibly empty
    served = next((x for x in d.dates if x.qualifier == "472"), None)
    start, end, _ = parse_period(served.format, served.value) if served else (None, None, None)
    extras = list(d.extra_segments)
    other_dates = []
    for x in d.dates:
        if x is served and start is not None:
            continue
        s0, e0, t0 = parse_period(x.format, x.value)
        if s0 is None:  # unreadable or a bare time: kept as it came
            extras.append(_raw("DTP", x.qualifier, x.format, x.value))
        else:
            other_dates.append(ClaimDate(x.qualifier or "", s0, e0, t0))
    named = {"6R": _first(d.refs, "6R"), "G1": _first(d.refs, "G1")}
    other_refs = [Reference(r.qualifier or "", r.value or "") for r in d.refs
                  if r is not named.get(r.qualifier or "")]
    amounts = [LineAmount(a.qualifier or "", a.amount) for a in d.amounts
               if a.amount is not None]
    extras += [_raw("AMT", a.qualifier) for a in d.amounts if a.amount is None]
    extras += [_raw("NTE", n.code, n.text) for n in d.notes[1:]]
    note = d.notes[0] if d.notes else None
    drug = None
    if d.drug is not None:
        g = d.drug
        drug = DrugIdentification(g.ndc or "", _zero(g.quantity), g.unit or "UN",
                                  g.qualifier or "N4", g.ref.qualifier if g.ref else None,
                                  g.ref.value if g.ref else None, list(g.extra_segments))
    return ServiceLine(
        charge=_zero(d.charge), procedure=proc, revenue_code=d.revenue_code,
        line_number=d.line_number, unit_basis=d.unit_basis, units=d.units,
        unit_rate=d.unit_rate, non_covered_charge=d.non_covered,
        place_of_service=d.place_of_service, diagnosis_pointers=_int_pointers(d.pointers),
        emergency=d.emergency, epsdt=d.epsdt, family_planning=d.family_planning,
        copay_exempt=d.copay_exempt, oral_cavity=list(d.oral_cavity), prosthesis=d.prosthesis,
        teeth=[Tooth(t.number or "", list(t.surfaces), t.qualifier or "JP") for t in d.teeth],
        service_date=start, service_date_end=end,
        line_item_control_number=_ref(d.refs, "6R"), prior_authorization=_ref(d.refs, "G1"),
        note=note.text if note else None,
        note_code=note.code if note and note.code != _NOTE_CODE[kind] else None, drug=drug,
        providers=_providers(d, LINE_PROVIDER_SLOTS[kind]),
        adjudications=[_adjudication(a) for a in d.adjudications], other_dates=other_dates,
        amounts=amounts, other_references=other_refs, extra_segments=extras)


def _hi_raw(c: DHiCode) -> list[str]:
    """An HI composite no claim field holds, as a one-composite extra HI segment."""
    comps = [c.qualifier or "", c.code or "", c.date_format or "", c.date_value or "",
             "" if c.amount is None else format(c.amount, "f"),
             "" if c.quantity is None else format(c.quantity, "f"), "", "", c.poa or ""]
    while comps and not comps[-1]:
        comps.pop()
    return ["HI", ":".join(comps)]


def _health_codes(claim: Claim, d: DClaim) -> None:
    """Sort each HI composite into diagnoses, procedures, occurrences, values, conditions,
    the DRG; any other composite (treatment codes, unreadable dates) is kept as an extra."""
    for seg in d.hi:
        for c in seg.codes:
            q, code = c.qualifier or "", c.code or ""
            if q in DIAGNOSIS_QUALIFIERS and not (c.date_value or c.amount or c.quantity):
                claim.diagnoses.append(Diagnosis(code, q, c.poa))
                continue
            if q in PROCEDURE_QUALIFIERS and not (c.amount or c.quantity or c.poa):
                when = parse_d8(c.date_value)
                if when is not None or not c.date_value:
                    claim.procedures.append(ProcedureCode(code, q, when))
                    continue
            elif q == "BI" and c.date_format == "RD8":
                start, end, _ = parse_period("RD8", c.date_value)
                if start and end:
                    claim.occurrence_spans.append(OccurrenceSpan(code, start, end))
                    continue
            elif q == "BH" and c.date_format == "D8":
                when = parse_d8(c.date_value)
                if when:
                    claim.occurrence_codes.append(OccurrenceCode(code, when))
                    continue
            elif q == "BE" and c.amount is not None and not c.date_value:
                claim.value_codes.append(ValueCode(code, c.amount))
                continue
            elif q == "BG" and not (c.date_value or c.amount or c.quantity or c.poa):
                claim.condition_codes.append(code)
                continue
            elif q == "DR" and claim.drg_code is None and not (c.date_value or c.amount):
                claim.drg_code = code
                continue
            claim.extra_segments.append(_hi_raw(c))


def _dates(claim: Claim, d: DClaim, kind: ClaimKind) -> None:
    for x in d.dates:
        start, end, time = parse_period(x.format, x.value)
        q = x.qualifier or ""
        if q == "096" and x.format == "TM":
            claim.discharge_time = time
        elif start is None:  # unreadable: kept as it came
            claim.extra_segments.append(_raw("DTP", x.qualifier, x.format, x.value))
        elif q == "434":
            claim.statement_from, claim.statement_to = start, end or start
        elif q == "435" and end is None:
            claim.admission_date, claim.admission_time = start, time
        elif q == "096" and end is None and time is None:
            claim.discharge_date = start
        elif q == "431" and end is None and time is None:
            claim.onset_date = start
        elif q == "439" and end is None and time is None:
            claim.accident_date = start
        else:
            claim.other_dates.append(ClaimDate(q, start, end, time))
    rank = DATE_RANK[kind]
    claim.other_dates.sort(key=lambda c: rank.get(c.qualifier, 99))


_CLAIM_REFS = {"G1": "prior_authorization", "9F": "referral_number",
               "F8": "payer_claim_control_number", "EA": "medical_record_number",
               "D9": "clearinghouse_trace_number"}


def claim(d: DClaim, kind: ClaimKind, bp: BillingProvider, sub: Subscriber, pay: Payer,
          pat: Patient | None) -> Claim:
    """One 2300 loop with its context resolved onto it."""
    institutional = kind is ClaimKind.INSTITUTIONAL
    c = Claim(
        patient_control_number=d.patient_control_number or "",
        total_charge=d.total_charge if d.total_charge is not None else _ZERO,
        billing_provider=bp, subscriber=sub, payer=pay,
        service_lines=[service_line(line, kind) for line in d.lines],
        place_of_service=d.facility_code or "", facility_code_qualifier=d.facility_qualifier or "",
        frequency_code=d.frequency_code or "", patient=pat,
        provider_signature=None if institutional else d.provider_signature,
        assignment_participation=d.assignment_participation,
        benefits_assignment=d.benefits_assignment,
        release_of_information=d.release_of_information,
        patient_signature_source=d.patient_signature_source,
        related_causes=list(d.related_causes), accident_state=d.accident_state,
        accident_country=d.accident_country, special_program=d.special_program,
        delay_reason=d.delay_reason, admission_type=d.admission_type,
        admission_source=d.admission_source, patient_status=d.patient_status,
        patient_amount_paid=_amount(d.amounts, "F5"),
        patient_estimated_amount_due=_amount(d.amounts, "F3"),
        notes=[Note(n.code or "", n.text or "") for n in d.notes],
        providers=_providers(d, CLAIM_PROVIDER_SLOTS[kind]),
        other_payers=[_other_payer(o, kind) for o in d.other_payers],
        extra_segments=list(d.extra_segments))
    for r in d.refs:
        attr = _CLAIM_REFS.get(r.qualifier or "")
        if attr is not None and getattr(c, attr) is None:
            setattr(c, attr, r.value or "")
        else:
            c.other_references.append(Reference(r.qualifier or "", r.value or ""))
    rank = REF_RANK[kind]
    c.other_references.sort(key=lambda r: rank.get(r.qualifier, 99))
    _dates(c, d, kind)
    _health_codes(c, d)
    return c
