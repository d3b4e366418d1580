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
    DrugIdentification,
    LineAdjudication,
    LineAmount,
    Note,
    OtherPayer,
    OtherSubscriber,
    Patient,
    Payer,
    PayToPlan,
    PayToProvider,
    Procedure,
    Provider,
    Receiver,
    Reference,
    ServiceLine,
    Submitter,
    Subscriber,
    Tooth,
)
from claimhouse.transactions._claims837_codes import (
    CLAIM_PROVIDER_SLOTS,
    LINE_PROVIDER_SLOTS,
    OTHER_PAYER_PROVIDER_SLOTS,
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
    DLine,
    DName,
    DOtherPayer,
    DPatientLevel,
    DRef,
    DSubscriberLevel,
)
from claimhouse.transactions._claims837_read_codes import (
    claim_dates,
    health_codes,
    raw,
    raw_amounts,
    raw_dates,
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
                    extra_segments=d.extra_segments + raw_dates(d, ()))


def _providers(owner: DClaim | DLine | DOtherPayer,
               slots: tuple[tuple[str, str], ...]) -> list[Provider]:
    out: list[Provider] = []
    for roles, attr in slots:
        value = getattr(owner, attr)
        if not value:  # None or an empty list: the usual case
            continue
        for d in value if isinstance(value, list) else (value,):
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
        extra_segments=d.extra_segments + raw_amounts(d.amounts, ("D", "A8", "EAF")),
        payer_extra_segments=pay.extra_segments + raw_dates(pay, ("573",)))


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
        extra_segments=(d.extra_segments + raw_amounts(d.amounts, ("EAF",))
                        + [raw("DTP", x.qualifier, x.format, x.value) for x in d.dates
                           if x is not when]))


_NOTE_CODE = {ClaimKind.PROFESSIONAL: "ADD", ClaimKind.INSTITUTIONAL: "TPO",
              ClaimKind.DENTAL: "ADD"}


def _first(ds: list[DRef], qual: str) -> DRef | None:
    return next((r for r in ds if r.qualifier == qual), None)


def _int_pointers(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit()]  # not e.g. '\xb3'


def service_line(d: DLine, kind: ClaimKind, note_code: str | None = None,
                 slots: tuple[tuple[str, str], ...] | None = None) -> ServiceLine:
    """2400 with 2410, 2420x and 2430. ``note_code`` and ``slots`` are ``kind``'s usual NTE
    code and line provider slots (looked up here when not given; a claim passes them once
    for all its lines: an Enum-keyed lookup costs a Python-level hash)."""
    if note_code is None:
        note_code = _NOTE_CODE[kind]
    if slots is None:
        slots = LINE_PROVIDER_SLOTS[kind]
    proc = (Procedure(d.proc_code, d.proc_qualifier or "HC", list(d.modifiers[:4]),
                      d.proc_description) if d.proc_code else None)
    if proc is None and d.revenue_code is None:
        proc = Procedure("")  # malformed line: keep it, visibly empty
    extras = list(d.extra_segments)
    other_dates = []
    start = end = None
    if d.dates:  # (most loops leave most lists empty: no generator for those)
        served = next((x for x in d.dates if x.qualifier == "472"), None)
        if served:
            start, end, _ = parse_period(served.format, served.value)
        for x in d.dates:
            if x is served and start is not None:
                continue
            s0, e0, t0 = parse_period(x.format, x.value)
            if s0 is None:  # unreadable or a bare time: kept as it came
                extras.append(raw("DTP", x.qualifier, x.format, x.value))
            else:
                other_dates.append(ClaimDate(x.qualifier or "", s0, e0, t0))
    other_refs: list[Reference] = []
    control = prior = None
    if d.refs:
        named = {"6R": _first(d.refs, "6R"), "G1": _first(d.refs, "G1")}
        other_refs = [Reference(r.qualifier or "", r.value or "") for r in d.refs
                      if r is not named.get(r.qualifier or "")]
        control, prior = _ref(d.refs, "6R"), _ref(d.refs, "G1")
    amounts: list[LineAmount] = []
    if d.amounts:
        amounts = [LineAmount(a.qualifier or "", a.amount) for a in d.amounts
                   if a.amount is not None]
        extras += [raw("AMT", a.qualifier) for a in d.amounts if a.amount is None]
    note = None
    if d.notes:
        extras += [raw("NTE", n.code, n.text) for n in d.notes[1:]]
        note = d.notes[0]
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
        place_of_service=d.place_of_service,
        diagnosis_pointers=_int_pointers(d.pointers) if d.pointers else [],
        emergency=d.emergency, epsdt=d.epsdt, family_planning=d.family_planning,
        copay_exempt=d.copay_exempt, oral_cavity=list(d.oral_cavity), prosthesis=d.prosthesis,
        teeth=[Tooth(t.number or "", list(t.surfaces), t.qualifier or "JP") for t in d.teeth],
        service_date=start, service_date_end=end,
        line_item_control_number=control, prior_authorization=prior,
        note=note.text if note else None,
        note_code=note.code if note and note.code != note_code else None, drug=drug,
        providers=_providers(d, slots),
        adjudications=[_adjudication(a) for a in d.adjudications], other_dates=other_dates,
        amounts=amounts, other_references=other_refs, extra_segments=extras)


_CLAIM_REFS = {"G1": "prior_authorization", "9F": "referral_number",
               "F8": "payer_claim_control_number", "EA": "medical_record_number",
               "D9": "clearinghouse_trace_number"}


def claim(d: DClaim, kind: ClaimKind, bp: BillingProvider, sub: Subscriber, pay: Payer,
          pat: Patient | None) -> Claim:
    """One 2300 loop with its context resolved onto it."""
    institutional = kind is ClaimKind.INSTITUTIONAL
    note_code, slots = _NOTE_CODE[kind], LINE_PROVIDER_SLOTS[kind]
    c = Claim(
        patient_control_number=d.patient_control_number or "",
        total_charge=d.total_charge if d.total_charge is not None else _ZERO,
        billing_provider=bp, subscriber=sub, payer=pay,
        service_lines=[service_line(line, kind, note_code, slots) for line in d.lines],
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
    claim_dates(c, d, kind)
    health_codes(c, d)
    return c
