"""Hypothesis: random valid claim batches (837P, 837I, 837D) survive write -> read, and the
writer's bytes are stable through a read."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimhouse.models import (
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimBatch,
    ClaimKind,
    Diagnosis,
    DrugIdentification,
    LineAdjudication,
    Note,
    OccurrenceCode,
    OtherPayer,
    OtherSubscriber,
    Patient,
    Payer,
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
from claimhouse.transactions.claims837 import read_claim_batch, write_claim_batch
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers, fixed_clock

P, INST, D = ClaimKind.PROFESSIONAL, ClaimKind.INSTITUTIONAL, ClaimKind.DENTAL

text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=10)
name = st.from_regex(r"[A-Z]{1,8}( [A-Z]{1,6})?", fullmatch=True)
opt = st.none
money = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)
qty = st.decimals(min_value=1, max_value=999, places=0, allow_nan=False)
day = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
hhmm = st.from_regex(r"(0[0-9]|1[0-9]|2[0-3])[0-5][0-9]", fullmatch=True)
npi = st.from_regex(r"1[0-9]{9}", fullmatch=True)


def maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


address = st.builds(Address, line1=name, line2=maybe(name), city=maybe(name),
                    state=maybe(st.sampled_from(["IL", "PA", "NY"])),
                    postal_code=maybe(st.from_regex(r"[0-9]{9}", fullmatch=True)))
billing = st.builds(BillingProvider, name=name, address=address, npi=maybe(npi),
                    tax_id=maybe(st.from_regex(r"[0-9]{9}", fullmatch=True)),
                    taxonomy=maybe(st.just("207Q00000X")),
                    references=st.lists(st.builds(Reference, st.just("0B"), text), max_size=1),
                    pay_to=maybe(st.builds(PayToProvider, address=address)))
subscriber = st.builds(Subscriber, payer_responsibility=st.sampled_from(["P", "S"]),
                       last_name=name, member_id=text, first_name=maybe(name),
                       relationship=maybe(st.just("18")), group_number=maybe(text),
                       claim_filing_indicator=maybe(st.sampled_from(["CI", "MB"])),
                       address=maybe(address), birth_date=maybe(day),
                       gender=maybe(st.sampled_from(["F", "M", "U"])))
payer = st.builds(Payer, name=name, id=text, address=maybe(address))
patient = st.builds(Patient, relationship=st.just("19"), last_name=name,
                    first_name=maybe(name), address=maybe(address), birth_date=maybe(day),
                    gender=maybe(st.sampled_from(["F", "M"])))


def provider(role: str) -> st.SearchStrategy[Provider]:
    return st.builds(Provider, role=st.just(role), last_name=name,
                     entity_type=st.just("2" if role == "77" else "1"),
                     first_name=st.none() if role == "77" else maybe(name), npi=maybe(npi),
                     address=address if role == "77" else st.none(),
                     references=st.lists(st.builds(Reference, st.just("G2"), text), max_size=1))


def providers(kind: ClaimKind, line: bool) -> st.SearchStrategy[list[Provider]]:
    roles = {(P, False): ["DN", "82", "77", "DQ"], (INST, False): ["71", "72", "82", "77"],
             (D, False): ["DN", "82", "77", "DQ"], (P, True): ["82", "QB", "DQ"],
             (INST, True): ["72", "82"], (D, True): ["82", "DQ"]}[(kind, line)]
    return st.lists(st.sampled_from(roles), unique=True, max_size=3).flatmap(
        lambda rs: st.tuples(*[provider(r) for r in sorted(rs, key=roles.index)])).map(list)


adjustments = st.lists(st.builds(Adjustment, st.sampled_from(["CO", "PR"]),
                                 st.sampled_from(["45", "1", "2"]), money, maybe(qty)),
                       max_size=3)


def procedure(kind: ClaimKind) -> st.SearchStrategy[Procedure]:
    return st.builds(Procedure, code=st.from_regex(r"[0-9A-Z][0-9]{4}", fullmatch=True),
                     qualifier=st.just("AD" if kind is D else "HC"),
                     modifiers=st.lists(st.sampled_from(["25", "59", "LT", "RT"]),
                                        max_size=4))


def adjudication(kind: ClaimKind) -> st.SearchStrategy[LineAdjudication]:
    return st.builds(LineAdjudication, payer_id=text, paid_amount=money,
                     procedure=procedure(kind), paid_units=maybe(qty),
                     adjustments=adjustments, adjudication_date=day)


@st.composite
def line(draw: Any, kind: ClaimKind, n_dx: int) -> ServiceLine:
    pointers = draw(st.lists(st.integers(1, max(n_dx, 1)), max_size=min(4, n_dx)))
    common: dict[str, Any] = dict(
        charge=draw(money), units=draw(maybe(qty)), service_date=draw(maybe(day)),
        line_item_control_number=draw(maybe(text)), note=draw(maybe(name)),
        providers=draw(providers(kind, True)),
        adjudications=draw(st.lists(adjudication(kind), max_size=1)))
    if kind is INST:
        return ServiceLine(revenue_code=draw(st.from_regex(r"0[0-9]{3}", fullmatch=True)),
                           procedure=draw(maybe(procedure(kind))),
                           unit_basis=draw(st.sampled_from(["UN", "DA"])), **common)
    if kind is D:
        teeth = draw(st.lists(st.builds(Tooth, st.from_regex(r"[1-9][0-9]?", fullmatch=True),
                                        st.lists(st.sampled_from("MODBL"), max_size=5)),
                              max_size=2))
        return ServiceLine(procedure=draw(procedure(kind)), teeth=teeth,
                           diagnosis_pointers=pointers,
                           prosthesis=draw(maybe(st.sampled_from(["I", "R"]))), **common)
    drug = draw(maybe(st.builds(DrugIdentification, st.from_regex(r"[0-9]{11}", fullmatch=True),
                                qty, st.sampled_from(["UN", "ML", "ME"]))))
    end = draw(maybe(day)) if common["service_date"] else None
    return ServiceLine(procedure=draw(procedure(kind)), unit_basis="UN",
                       diagnosis_pointers=pointers, drug=drug, service_date_end=end,
                       place_of_service=draw(maybe(st.just("11"))), **common)


@st.composite
def claim(draw: Any, kind: ClaimKind, parties: Any) -> Claim:
    bp, sub, pay, pat = draw(parties)
    n_dx = draw(st.integers(0 if kind is D else 1, 8))
    dx = [Diagnosis(draw(text), "ABK" if i == 0 else "ABF",
                    draw(maybe(st.sampled_from("YN"))) if kind is INST else None)
          for i in range(n_dx)]
    lines = draw(st.lists(line(kind, n_dx), min_size=1, max_size=4))
    for i, ln in enumerate(lines, 1):
        ln.line_number = i
        if ln.line_item_control_number:
            ln.line_item_control_number += f"X{i}"  # unique within the claim
    c = Claim(
        patient_control_number=draw(text), total_charge=sum((x.charge for x in lines),
                                                            Decimal(0)),
        billing_provider=bp, subscriber=sub, payer=pay, patient=pat, service_lines=lines,
        facility_code_qualifier="A" if kind is INST else "B",
        frequency_code=draw(st.sampled_from("178")), diagnoses=dx,
        prior_authorization=draw(maybe(text)), payer_claim_control_number=draw(text),
        notes=draw(st.lists(st.builds(Note, st.just("ADD"), name), max_size=1)),
        providers=draw(providers(kind, False)),
        other_payers=draw(st.lists(st.builds(
            OtherPayer, payer_responsibility=st.just("S"), relationship=st.just("18"),
            subscriber=st.builds(OtherSubscriber, name, text), payer_name=name,
            payer_id=text, adjustments=adjustments, paid_amount=maybe(money),
            adjudication_date=maybe(day)), max_size=1)))
    if kind is INST:
        c.provider_signature = None
        c.statement_from = draw(day)
        c.statement_to = draw(day)
        c.admission_date, c.admission_time = draw(maybe(day)), None
        if c.admission_date:
            c.admission_time = draw(maybe(hhmm))
        c.discharge_time = draw(maybe(hhmm))
        c.admission_type, c.patient_status = "1", "01"
        c.procedures = draw(st.lists(st.builds(ProcedureCode, text, st.just("BBR"),
                                               maybe(day)), max_size=1))
        c.occurrence_codes = draw(st.lists(st.builds(OccurrenceCode, text, day), max_size=2))
        c.value_codes = draw(st.lists(st.builds(ValueCode, text, money), max_size=2))
        c.condition_codes = draw(st.lists(text, max_size=2))
    else:
        c.onset_date = draw(maybe(day)) if kind is P else None
        c.accident_date = draw(maybe(day))
        c.related_causes = draw(st.lists(st.sampled_from(["AA", "EM", "OA"]), max_size=2,
                                         unique=True))
        c.patient_signature_source = draw(maybe(st.just("P"))) if kind is P else None
    return c


@st.composite
def batches(draw: Any) -> ClaimBatch:
    kind = draw(st.sampled_from(list(ClaimKind)))
    bps = draw(st.lists(billing, min_size=1, max_size=2))
    subs = draw(st.lists(st.tuples(subscriber, payer), min_size=1, max_size=2))
    pats = draw(st.lists(patient, min_size=1, max_size=2))
    parties = st.tuples(st.sampled_from(bps), st.sampled_from(subs),
                        maybe(st.sampled_from(pats))).map(
        lambda t: (t[0], t[1][0], t[1][1], t[2]))
    claims = draw(st.lists(claim(kind, parties), min_size=1, max_size=4))
    return ClaimBatch(Submitter(draw(name), draw(text)), Receiver(draw(name), draw(text)),
                      claims, kind, reference=draw(text), created=draw(day),
                      created_time=draw(hhmm))


def _write(batch: ClaimBatch) -> bytes:
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="SENDER", receiver="RECEIVER",
                      clock=fixed_clock(datetime(2026, 1, 2, 3, 4)),
                      control_numbers=SequentialControlNumbers())
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_random_claim_batches_survive_write_then_read(batch: ClaimBatch) -> None:
    data = _write(batch)
    [back] = [read_claim_batch(ts) for ts in EnvelopeReader(data).transaction_sets()]
    assert back == batch
    assert _write(back) == data
