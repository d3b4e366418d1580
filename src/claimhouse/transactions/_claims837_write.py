"""Claim-centred public models to 837 loop models, ready for the map engine's writer.

One function per loop (2000A/2010AA-AC, 2000B/2010BA-BB, 2000C/2010CA, 2300 with its
2310x, 2320/2330x and 2400/2410/2420x/2430); :mod:`._claims837_levels` builds the HL
hierarchy from them.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

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


def payer_name(pay: Payer) -> DName:
    """2010BB."""
    return DName("PR", "2", pay.name, id_qualifier=pay.id_qualifier, id=pay.id,
                 address=_address(pay.address),
                 refs=_refs(pay.references) + _refs(pay.billing_provider_references),
                 extra_segments=pay.extra_segments)


def subscriber_level(sub: Subscriber, pay: Payer, payer: DName | None = None
                     ) -> DSubscriberLevel:
    """2000B SBR, 2010BA subscriber, 2010BB payer (``payer``: its 2010BB, when already
    built for an earlier level of the same payer)."""
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
                   extra_segments=sub.extra_segments)
    return DSubscriberLevel(None, None, None, sub.payer_responsibility, sub.relationship,
                            sub.group_number, sub.group_name, sub.insurance_type,
                            sub.claim_filing_indicator, person,
                            payer if payer is not None else payer_name(pay),
                            extra_segments=sub.level_extra_segments)


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
    """2400 (with 2410, 2420x, 2430) from a service line. The loop models share the
    service line's lists (they are written, not kept)."""
    p = line.procedure
    if p is None:
        q = code = desc = None
        mods: list[str] = []
    else:
        q, code, mods, desc = p.qualifier, p.code, p.modifiers, p.description
    ptrs = line.diagnosis_pointers
    d = DLine(number if line.line_number is None else line.line_number, line.revenue_code, q,
              code, mods, desc, line.charge, line.unit_basis, line.units, line.unit_rate,
              line.non_covered_charge, line.place_of_service,
              [str(x) for x in ptrs] if ptrs else [], line.emergency, line.epsdt,
              line.family_planning, line.copay_exempt, line.oral_cavity, line.prosthesis)
    if line.teeth:
        d.teeth = [DTooth(t.qualifier, t.number, t.surfaces) for t in line.teeth]
    if line.service_date is not None:
        end = line.service_date_end
        d.dates.append(DDate("472", "D8", d8(line.service_date)) if end is None else
                       DDate("472", "RD8", f"{d8(line.service_date)}-{d8(end)}"))
    if line.other_dates:
        d.dates += [DDate(o.qualifier, *format_period(o.start, o.end, o.time))
                    for o in line.other_dates]
    if line.amounts:
        d.amounts = [DAmount(a.qualifier, a.amount) for a in line.amounts]
    refs = d.refs
    if line.prior_authorization:
        refs.append(DRef("G1", line.prior_authorization))
    if line.line_item_control_number:
        refs.append(DRef("6R", line.line_item_control_number))
    if line.other_references:
        refs += _refs(line.other_references)
    if line.note:
        code = line.note_code or ("TPO" if kind is ClaimKind.INSTITUTIONAL else "ADD")
        d.notes.append(DNote(code, line.note))
    if line.drug is not None:
        g = line.drug
        ref = (DRef(g.prescription_qualifier, g.prescription_number)
               if g.prescription_number else None)
        d.drug = DDrug(g.qualifier, g.ndc, g.quantity, g.unit, ref, g.extra_segments)
    if line.providers:
        _place_providers(d, line.providers, LINE_PROVIDER_SLOTS[kind], kind)
    if line.adjudications:
        d.adjudications = [_adjudication(a) for a in line.adjudications]
    d.extra_segments = line.extra_segments
    return d


def _hi(claim: Claim, kind: ClaimKind) -> list[DHi]:
    codes: list[DHiCode] = []
    diag = claim.diagnoses
    if diag:
        rank = DIAGNOSIS_QUALIFIERS.get
        if len(diag) > 1 and any(rank(a.qualifier, 9) > rank(b.qualifier, 9)
                                 for a, b in pairwise(diag)):
            diag = sorted(diag, key=lambda x: rank(x.qualifier, 9))
        codes = [DHiCode(x.qualifier, x.code, None, None, None, None, x.present_on_admission)
                 for x in diag]
    for p in claim.procedures:
        codes.append(DHiCode(p.qualifier, p.code, "D8" if p.performed_on else None,
                             d8(p.performed_on) if p.performed_on else None))
    if claim.occurrence_spans:
        codes += [DHiCode("BI", s.code, "RD8", f"{d8(s.start)}-{d8(s.end)}")
                  for s in claim.occurrence_spans]
    if claim.occurrence_codes:
        codes += [DHiCode("BH", o.code, "D8", d8(o.occurred_on))
                  for o in claim.occurrence_codes]
    if claim.value_codes:
        codes += [DHiCode("BE", v.code, amount=v.amount) for v in claim.value_codes]
    if claim.condition_codes:
        codes += [DHiCode("BG", c) for c in claim.condition_codes]
    if claim.drg_code:
        codes.append(DHiCode("DR", claim.drg_code))
    out: list[DHi] = []
    if not codes:
        return out
    for group in HI_GROUPS[kind]:
        quals = group.qualifiers
        mine = [c for c in codes if c.qualifier in quals]
        if not mine:
            continue
        per = group.per_segment
        if len(mine) <= per:
            out.append(DHi(mine))
            continue
        for start in range(0, len(mine), per):
            out.append(DHi(mine[start:start + per]))
    return out


_NAMED_REFS = ("prior_authorization", "G1"), ("referral_number", "9F"), (
    "payer_claim_control_number", "F8"), ("medical_record_number", "EA"), (
    "clearinghouse_trace_number", "D9")


def claim_loop(c: Claim, kind: ClaimKind) -> DClaim:
    """2300 (with 2310x, 2320/2330x and 2400) from a claim (sharing the claim's lists)."""
    institutional = kind is ClaimKind.INSTITUTIONAL
    amounts = []
    if c.patient_amount_paid is not None:
        amounts.append(DAmount("F5", c.patient_amount_paid))
    if c.patient_estimated_amount_due is not None:
        amounts.append(DAmount("F3", c.patient_estimated_amount_due))
    d = DClaim(c.patient_control_number, c.total_charge, c.place_of_service,
               c.facility_code_qualifier, c.frequency_code,
               None if institutional else c.provider_signature,  # CLM06: Not Used in X223
               c.assignment_participation, c.benefits_assignment, c.release_of_information,
               c.patient_signature_source, c.related_causes, c.accident_state,
               c.accident_country, c.special_program, None, c.delay_reason, [],
               c.admission_type, c.admission_source, c.patient_status, amounts, [],
               [DNote(n.code, n.text) for n in c.notes] if c.notes else [], _hi(c, kind))
    dates: list[tuple[str, str, str]] = []
    if c.discharge_time and institutional:
        dates.append(("096", "TM", c.discharge_time))
    if c.statement_from is not None:
        dates.append(("434", *format_period(c.statement_from, c.statement_to or c.statement_from)))
    if c.onset_date is not None:
        dates.append(("431", "D8", d8(c.onset_date)))
    if c.accident_date is not None:
        dates.append(("439", "D8", d8(c.accident_date)))
    if c.admission_date is not None:
        dates.append(("435", *format_period(c.admission_date, None, c.admission_time)))
    if c.discharge_date is not None:
        dates.append(("096", "D8", d8(c.discharge_date)))
    for o in c.other_dates:
        dates.append((o.qualifier, *format_period(o.start, o.end, o.time)))
    if len(dates) > 1:
        rank = DATE_RANK[kind]
        dates.sort(key=lambda t: rank.get(t[0], 99))
    d.dates = [DDate(*t) for t in dates]
    refs = [DRef(q, getattr(c, attr)) for attr, q in _NAMED_REFS if getattr(c, attr)]
    if c.other_references:
        refs += _refs(c.other_references)
    if len(refs) > 1:
        ref_rank = REF_RANK[kind]
        refs.sort(key=lambda r: ref_rank.get(r.qualifier or "", 99))
    d.refs = refs
    if c.providers:
        _place_providers(d, c.providers, CLAIM_PROVIDER_SLOTS[kind], kind)
    if c.other_payers:
        d.other_payers = [_other_payer(o, kind) for o in c.other_payers]
    d.extra_segments = c.extra_segments
    d.lines = [service_line(line, i, kind) for i, line in enumerate(c.service_lines, 1)]
    return d
