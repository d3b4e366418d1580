"""Claim-centred public models to 837 loop models, ready for the map engine's writer.

One function per loop (2000A/2010AA-AC, 2000B/2010BA-BB, 2000C/2010CA, 2300 with its
2310x, 2320/2330x and 2400/2410/2420x/2430); :mod:`._claims837_levels` builds the HL
hierarchy from them.
"""

from __future__ import annotations

from decimal import Decimal

from claimhouse.models import (
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimKind,
    Contact,
    LineAdjudication,
    OtherPayer,
    Patient,
    Payer,
    Procedure,
    Provider,
    Reference,
    ServiceLine,
    Subscriber,
)
from claimhouse.transactions._claims837_codes import (
    CLAIM_PROVIDER_SLOTS,
    DATE_RANK,
    DIAGNOSIS_QUALIFIERS,
    HI_GROUPS,
    LINE_PROVIDER_SLOTS,
    LIST_SLOTS,
    OTHER_PAYER_PROVIDER_SLOTS,
    PRV_CODES,
    PRV_ROLES,
    REF_RANK,
    d8,
    format_period,
)
from claimhouse.transactions._claims837_doc import (
    DAddress,
    DAdjudication,
    DAmount,
    DBillingLevel,
    DCas,
    DClaim,
    DContact,
    DDate,
    DDrug,
    DHi,
    DHiCode,
    DLine,
    DName,
    DNote,
    DNumber,
    DOtherPayer,
    DPatientLevel,
    DRef,
    DSubscriberLevel,
    DTooth,
)


def _address(a: Address | None) -> DAddress | None:
    if a is None:
        return None
    return DAddress(a.line1 or None, a.line2, a.city, a.state, a.postal_code, a.country,
                    a.country_subdivision)


def _contacts(cs: list[Contact]) -> list[DContact]:
    return [DContact("IC", c.name, [DNumber(n.qualifier, n.number) for n in c.numbers])
            for c in cs]


def _refs(rs: list[Reference]) -> list[DRef]:
    return [DRef(r.qualifier, r.value) for r in rs]


def _cas(adjs: list[Adjustment]) -> list[DCas]:
    return [DCas(a.group, a.reason, a.amount, a.quantity) for a in adjs]


def _amounts(*pairs: tuple[str, object]) -> list[DAmount]:
    return [DAmount(q, v) for q, v in pairs if isinstance(v, Decimal)]


def _id(npi: str | None) -> tuple[str | None, str | None]:
    return ("XX", npi) if npi else (None, None)


def billing_level(bp: BillingProvider) -> DBillingLevel:
    """2000A/2010AA/2010AB/2010AC from a billing provider."""
    refs = ([DRef(bp.tax_id_qualifier, bp.tax_id)] if bp.tax_id else []) + _refs(bp.references)
    q, i = _id(bp.npi)
    name = DName("85", bp.entity_type, bp.name, bp.first_name, bp.middle_name, bp.suffix, q, i,
                 _address(bp.address), refs=refs, contacts=_contacts(bp.contacts),
                 extra_segments=list(bp.extra_segments))
    pay_to = None
    if bp.pay_to is not None:
        pay_to = DName("87", bp.pay_to.entity_type, address=_address(bp.pay_to.address),
                       extra_segments=list(bp.pay_to.extra_segments))
    plan = None
    if bp.pay_to_plan is not None:
        p = bp.pay_to_plan
        plan = DName("PE", "2", p.name, id_qualifier=p.id_qualifier, id=p.id,
                     address=_address(p.address),
                     refs=[*_refs(p.references), DRef("EI", p.tax_id)],
                     extra_segments=list(p.extra_segments))
    return DBillingLevel(prv_qualifier="PXC" if bp.taxonomy else None, taxonomy=bp.taxonomy,
                         currency=bp.currency, provider=name, pay_to=pay_to,
                         pay_to_plan=plan, extra_segments=list(bp.level_extra_segments))


def subscriber_level(sub: Subscriber, pay: Payer) -> DSubscriberLevel:
    """2000B SBR, 2010BA subscriber, 2010BB payer."""
    refs = []
    if sub.ssn:
        refs.append(DRef("SY", sub.ssn))
    if sub.property_casualty_claim_number:
        refs.append(DRef("Y4", sub.property_casualty_claim_number))
    has_dmg = sub.birth_date is not None or sub.gender is not None
    person = DName("IL", sub.entity_type, sub.last_name, sub.first_name, sub.middle_name,
                   sub.suffix, sub.member_id_qualifier if sub.member_id else None,
                   sub.member_id, _address(sub.address), dmg_format="D8" if has_dmg else None,
                   birth_date=sub.birth_date, gender=sub.gender, refs=refs,
                   contacts=_contacts([sub.contact] if sub.contact else []),
                   extra_segments=list(sub.extra_segments))
    payer = DName("PR", "2", pay.name, id_qualifier=pay.id_qualifier, id=pay.id,
                  address=_address(pay.address),
                  refs=_refs(pay.references) + _refs(pay.billing_provider_references),
                  extra_segments=list(pay.extra_segments))
    return DSubscriberLevel(payer_responsibility=sub.payer_responsibility,
                            relationship=sub.relationship, group_number=sub.group_number,
                            group_name=sub.group_name, insurance_type=sub.insurance_type,
                            claim_filing_indicator=sub.claim_filing_indicator,
                            subscriber=person, payer=payer,
                            extra_segments=list(sub.level_extra_segments))


def patient_level(pat: Patient) -> DPatientLevel:
    """2000C PAT and 2010CA."""
    refs = ([DRef("Y4", pat.property_casualty_claim_number)]
            if pat.property_casualty_claim_number else []) + _refs(pat.references)
    has_dmg = pat.birth_date is not None or pat.gender is not None
    person = DName("QC", "1", pat.last_name, pat.first_name, pat.middle_name, pat.suffix,
                   address=_address(pat.address), dmg_format="D8" if has_dmg else None,
                   birth_date=pat.birth_date, gender=pat.gender, refs=refs,
                   contacts=_contacts([pat.contact] if pat.contact else []),
                   extra_segments=list(pat.extra_segments))
    return DPatientLevel(relationship=pat.relationship,
                         death_date_format="D8" if pat.death_date else None,
                         death_date=pat.death_date,
                         weight_unit="01" if pat.weight_lbs else None, weight=pat.weight_lbs,
                         pregnant="Y" if pat.pregnant else None, patient=person,
                         extra_segments=list(pat.level_extra_segments))


def _provider(p: Provider, kind: ClaimKind) -> DName:
    q, i = _id(p.npi) if p.npi or not p.id else (p.id_qualifier, p.id)
    prv = p.role in PRV_ROLES[kind] and p.taxonomy is not None
    return DName(p.role, p.entity_type, p.last_name, p.first_name, p.middle_name, p.suffix, q,
                 i, _address(p.address), prv_code=PRV_CODES.get(p.role) if prv else None,
                 prv_qualifier="PXC" if prv else None, taxonomy=p.taxonomy if prv else None,
                 refs=_refs(p.references), contacts=_contacts([p.contact] if p.contact else []),
                 extra_segments=list(p.extra_segments))


def _place_providers(owner: DClaim | DLine | DOtherPayer, providers: list[Provider],
                     slots: tuple[tuple[str, str], ...], kind: ClaimKind) -> None:
    for p in providers:
        attr = next((a for roles, a in slots if p.role in roles.split()), None)
        if attr is None:
            continue  # reported by check_batch before writing
        if attr in LIST_SLOTS:
            getattr(owner, attr).append(_provider(p, kind))
        else:
            setattr(owner, attr, _provider(p, kind))


def _other_payer(o: OtherPayer, kind: ClaimKind) -> DOtherPayer:
    s = o.subscriber
    sub = DName("IL", s.entity_type, s.last_name, s.first_name, s.middle_name, s.suffix,
                s.member_id_qualifier, s.member_id, _address(s.address),
                extra_segments=list(s.extra_segments))
    refs = _refs(o.payer_references)
    for qual, value in (("G1", o.prior_authorization), ("9F", o.referral_number),
                        ("F8", o.payer_claim_control_number)):
        if value:
            refs.append(DRef(qual, value))
    dates = [DDate("573", "D8", d8(o.adjudication_date))] if o.adjudication_date else []
    pay = None
    if o.payer_name or o.payer_id or o.payer_address or dates or refs or o.payer_extra_segments:
        pay = DName("PR", "2", o.payer_name, id_qualifier=o.payer_id_qualifier if o.payer_id
                    else None, id=o.payer_id or None, address=_address(o.payer_address),
                    dates=dates, refs=refs, extra_segments=list(o.payer_extra_segments))
    d = DOtherPayer(o.payer_responsibility, o.relationship, o.group_number, o.group_name,
                       o.insurance_type, o.claim_filing_indicator, _cas(o.adjustments),
                       _amounts(("D", o.paid_amount), ("A8", o.non_covered_amount),
                                ("EAF", o.remaining_patient_liability)),
                       o.benefits_assignment, o.patient_signature_source,
                       o.release_of_information, sub, pay,
                       extra_segments=list(o.extra_segments))
    _place_providers(d, o.providers, OTHER_PAYER_PROVIDER_SLOTS[kind], kind)
    return d


def _proc(p: Procedure | None) -> tuple[str | None, str | None, list[str], str | None]:
    if p is None:
        return None, None, [], None
    return p.qualifier, p.code, list(p.modifiers), p.description


def _adjudication(a: LineAdjudication) -> DAdjudication:
    q, code, mods, desc = _proc(a.procedure)
    dates = [DDate("573", "D8", d8(a.adjudication_date))] if a.adjudication_date else []
    return DAdjudication(a.payer_id, a.paid_amount, q, code, mods, desc, a.revenue_code,
                         a.paid_units, a.bundled_line_number, _cas(a.adjustments), dates,
                         _amounts(("EAF", a.remaining_patient_liability)),
                         extra_segments=list(a.extra_segments))


def service_line(line: ServiceLine, number: int, kind: ClaimKind) -> DLine:
    """2400 (with 2410, 2420x, 2430) from a service line."""
    q, code, mods, desc = _proc(line.procedure)
    d = DLine(line_number=number if line.line_number is None else line.line_number,
              revenue_code=line.revenue_code, proc_qualifier=q,
              proc_code=code, modifiers=mods, proc_description=desc, charge=line.charge,
              unit_basis=line.unit_basis, units=line.units, unit_rate=line.unit_rate,
              non_covered=line.non_covered_charge, place_of_service=line.place_of_service,
              pointers=[str(p) for p in line.diagnosis_pointers], emergency=line.emergency,
              epsdt=line.epsdt, family_planning=line.family_planning,
              copay_exempt=line.copay_exempt, oral_cavity=list(line.oral_cavity),
              prosthesis=line.prosthesis)
    d.teeth = [DTooth(t.qualifier, t.number, list(t.surfaces)) for t in line.teeth]
    if line.service_date is not None:
        fmt, value = format_period(line.service_date, line.service_date_end)
        d.dates.append(DDate("472", fmt, value))
    d.dates += [DDate(o.qualifier, *format_period(o.start, o.end, o.time))
                for o in line.other_dates]
    d.amounts = [DAmount(a.qualifier, a.amount) for a in line.amounts]
    if line.prior_authorization:
        d.refs.append(DRef("G1", line.prior_authorization))
    if line.line_item_control_number:
        d.refs.append(DRef("6R", line.line_item_control_number))
    d.refs += _refs(line.other_references)
    if line.note:
        code = line.note_code or ("TPO" if kind is ClaimKind.INSTITUTIONAL else "ADD")
        d.notes.append(DNote(code, line.note))
    if line.drug is not None:
        g = line.drug
        ref = (DRef(g.prescription_qualifier, g.prescription_number)
               if g.prescription_number else None)
        d.drug = DDrug(g.qualifier, g.ndc, g.quantity, g.unit, ref,
                       extra_segments=list(g.extra_segments))
    _place_providers(d, line.providers, LINE_PROVIDER_SLOTS[kind], kind)
    d.adjudications = [_adjudication(a) for a in line.adjudications]
    d.extra_segments = list(line.extra_segments)
    return d


def _hi(claim: Claim, kind: ClaimKind) -> list[DHi]:
    codes: list[DHiCode] = []
    diag = sorted(claim.diagnoses, key=lambda x: DIAGNOSIS_QUALIFIERS.get(x.qualifier, 9))
    codes += [DHiCode(x.qualifier, x.code, poa=x.present_on_admission) for x in diag]
    for p in claim.procedures:
        codes.append(DHiCode(p.qualifier, p.code, "D8" if p.performed_on else None,
                             d8(p.performed_on) if p.performed_on else None))
    codes += [DHiCode("BI", s.code, "RD8", f"{d8(s.start)}-{d8(s.end)}")
              for s in claim.occurrence_spans]
    codes += [DHiCode("BH", o.code, "D8", d8(o.occurred_on)) for o in claim.occurrence_codes]
    codes += [DHiCode("BE", v.code, amount=v.amount) for v in claim.value_codes]
    codes += [DHiCode("BG", c) for c in claim.condition_codes]
    if claim.drg_code:
        codes.append(DHiCode("DR", claim.drg_code))
    out: list[DHi] = []
    for group in HI_GROUPS[kind]:
        mine = [c for c in codes if c.qualifier in group.qualifiers]
        for start in range(0, len(mine), group.per_segment):
            out.append(DHi(mine[start:start + group.per_segment]))
    return out


_NAMED_REFS = ("prior_authorization", "G1"), ("referral_number", "9F"), (
    "payer_claim_control_number", "F8"), ("medical_record_number", "EA"), (
    "clearinghouse_trace_number", "D9")


def claim_loop(c: Claim, kind: ClaimKind) -> DClaim:
    """2300 (with 2310x, 2320/2330x and 2400) from a claim."""
    institutional = kind is ClaimKind.INSTITUTIONAL
    d = DClaim(
        patient_control_number=c.patient_control_number, total_charge=c.total_charge,
        facility_code=c.place_of_service, facility_qualifier=c.facility_code_qualifier,
        frequency_code=c.frequency_code, provider_signature=c.provider_signature,
        assignment_participation=c.assignment_participation,
        benefits_assignment=c.benefits_assignment,
        release_of_information=c.release_of_information,
        patient_signature_source=c.patient_signature_source,
        related_causes=list(c.related_causes), accident_state=c.accident_state,
        accident_country=c.accident_country, special_program=c.special_program,
        delay_reason=c.delay_reason, admission_type=c.admission_type,
        admission_source=c.admission_source, patient_status=c.patient_status,
        amounts=_amounts(("F5", c.patient_amount_paid), ("F3", c.patient_estimated_amount_due)),
        notes=[DNote(n.code, n.text) for n in c.notes], hi=_hi(c, kind))
    dates: list[tuple[str, str, str]] = []
    if c.discharge_time and institutional:
        dates.append(("096", "TM", c.discharge_time))
    if c.statement_from is not None:
        dates.append(("434", *format_period(c.statement_from, c.statement_to or c.statement_from)))
    for q, value in (("431", c.onset_date), ("439", c.accident_date)):
        if value is not None:
            dates.append((q, "D8", d8(value)))
    if c.admission_date is not None:
        dates.append(("435", *format_period(c.admission_date, None, c.admission_time)))
    if c.discharge_date is not None:
        dates.append(("096", "D8", d8(c.discharge_date)))
    for o in c.other_dates:
        dates.append((o.qualifier, *format_period(o.start, o.end, o.time)))
    rank = DATE_RANK[kind]
    dates.sort(key=lambda t: rank.get(t[0], 99))
    d.dates = [DDate(*t) for t in dates]
    refs = [DRef(q, getattr(c, attr)) for attr, q in _NAMED_REFS if getattr(c, attr)]
    refs += _refs(c.other_references)
    ref_rank = REF_RANK[kind]
    refs.sort(key=lambda r: ref_rank.get(r.qualifier or "", 99))
    d.refs = refs
    _place_providers(d, c.providers, CLAIM_PROVIDER_SLOTS[kind], kind)
    d.other_payers = [_other_payer(o, kind) for o in c.other_payers]
    d.extra_segments = list(c.extra_segments)
    d.lines = [service_line(line, i, kind) for i, line in enumerate(c.service_lines, 1)]
    return d
