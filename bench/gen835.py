"""A generator of balanced, fictional 835 interchanges of any size (fixed seed), written
with the project's own models and 835 writer, as a stream of byte blocks (constant memory).

Each transaction set holds ``claims_per_set`` claims (``None``: one set for the whole
file, the worst case for a reader that does not stream).
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from claimhouse.models import (
    ClaimPayment,
    ContactInfo,
    EntityName,
    Payment,
    PaymentAdjustment,
    PostalAddress,
    ProviderAdjustment,
    ProviderAdjustmentAmount,
    ReferenceId,
    Remittance,
    RemittancePayee,
    RemittancePayer,
    ServicePayment,
    SupplementalAmount,
)
from claimhouse.transactions._engine_write import write_loop
from claimhouse.transactions.x221 import remittance_map
from claimhouse.x12 import (
    EnvelopeWriter,
    InterchangeHeader,
    SegmentWriter,
    SequentialControlNumbers,
    fixed_clock,
)

_CENT = Decimal("0.01")
_CODES = ["99211", "99212", "99213", "99214", "99215", "36415", "81002", "97110"]
_REASONS = [("CO", "45"), ("PR", "1"), ("PR", "2"), ("PR", "3"), ("OA", "23"), ("CO", "97")]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) * _CENT).quantize(_CENT)


def random_claim(rng: random.Random, n: int) -> ClaimPayment:
    """One balanced claim: each line's charge = paid + its CAS; the claim's likewise."""
    lines: list[ServicePayment] = []
    for k in range(rng.randint(1, 4)):
        charge = _money(rng, 40, 400)
        adjs = []
        left = charge
        for group, reason in rng.sample(_REASONS, rng.randint(0, 2)):
            amount = min(left, _money(rng, 1, 60))
            left -= amount
            adjs.append(PaymentAdjustment(group, reason, amount))
        lines.append(ServicePayment(
            procedure_qualifier="HC", procedure_code=rng.choice(_CODES),
            modifiers=["25"] if rng.random() < 0.2 else [], charge=charge, paid_amount=left,
            units=Decimal(1), service_date=date(2026, 1, 1 + (n + k) % 28), adjustments=adjs,
            references=[ReferenceId("6R", f"L{n:09d}{k}")],
            amounts=[SupplementalAmount("B6", left)]))
    total = sum((ln.charge or Decimal(0) for ln in lines), Decimal(0))
    paid = sum((ln.paid_amount or Decimal(0) for ln in lines), Decimal(0))
    pr = sum((a.amount or Decimal(0) for ln in lines for a in ln.adjustments
              if a.group_code == "PR"), Decimal(0))
    return ClaimPayment(
        patient_control_number=f"PCN{n:010d}", status_code=rng.choice("1111124"),
        total_charge=total, paid_amount=paid, patient_responsibility=pr,
        claim_filing_indicator="12", payer_claim_control_number=f"ICN{n:012d}",
        facility_type_code="11", claim_frequency_code="1",
        patient=EntityName("1", "PATIENT", f"FICTION{n % 997}", id_qualifier="MI",
                           identifier=f"M{n:010d}"),
        statement_from_date=date(2026, 1, 1), statement_to_date=date(2026, 1, 28),
        service_lines=lines)


def _header(rng: random.Random, paid: Decimal, trace: str) -> Remittance:
    return Remittance(
        payment=Payment(handling_code="I", amount=paid, credit_debit="C", method="ACH",
                        format_code="CCP", sender_dfi_qualifier="01", sender_dfi_id="999999999",
                        sender_account_qualifier="DA", sender_account_number="123456789",
                        payer_identifier="1512345678", receiver_dfi_qualifier="01",
                        receiver_dfi_id="888888888", receiver_account_qualifier="DA",
                        receiver_account_number="987654321", date=date(2026, 2, 2),
                        trace_type="1", trace_number=trace, trace_originator="1512345678"),
        production_date=date(2026, 2, 1),
        payer=RemittancePayer(name="FICTIONAL HEALTH PLAN", id_qualifier="XV",
                              identifier="FHP01",
                              address=PostalAddress("1 EXAMPLE PLAZA", None, "ANYTOWN", "CA",
                                                    "90001"),
                              technical_contacts=[ContactInfo("EDI SUPPORT", "TE",
                                                              "8005550199")]),
        payee=RemittancePayee(name="EXAMPLE MEDICAL GROUP", id_qualifier="XX",
                              identifier="1234567893"))


def generate_835(target_bytes: int, *, seed: int = 835, claims_per_set: int | None = 500,
                 block_claims: int = 250) -> Iterator[bytes]:
    """Yield blocks of one balanced 835 interchange of about ``target_bytes`` bytes.

    ``block_claims`` random claims are rendered once and repeated (the generator must
    outrun the reader it feeds); each set's BPR02 is the sum of its claims less a PLB WO
    recovery, so every set balances. ``claims_per_set=None`` puts everything in one set."""
    rng = random.Random(seed)
    m = remittance_map()
    claim_def = next(c for c in m.definition.root.loops() if c.loop_id == "2000").loops()[0]
    claims = [random_claim(rng, n) for n in range(block_claims)]
    block_buf = io.BytesIO()
    bw = SegmentWriter(block_buf)
    for claim in claims:
        write_loop(bw, claim_def, claim)
    block, block_segments = block_buf.getvalue(), bw.count
    block_paid = sum((c.paid_amount or Decimal(0) for c in claims), Decimal(0))
    total_blocks = max(1, target_bytes // len(block))
    per_set = total_blocks if claims_per_set is None else max(1, claims_per_set // block_claims)

    buf = io.BytesIO()
    ew = EnvelopeWriter(buf, InterchangeHeader(sender_id="FHP01", receiver_id="EXMEDGRP",
                                               functional_id="HP", gs_version=m.version),
                        clock=fixed_clock(datetime(2026, 2, 1, 6, 0)),
                        control_numbers=SequentialControlNumbers())
    ew.begin()
    done = 0
    sets = 0
    while done < total_blocks:
        sets += 1
        blocks = min(per_set, total_blocks - done)
        paid = block_paid * blocks
        recovery = min(paid, Decimal("25.00"))
        ew.begin_set(m.set_id)
        m.write(_header(rng, paid - recovery, f"EFT{sets:09d}"), ew.w)
        ew.w.write("LX", "1")
        for _ in range(blocks):
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            yield block
            ew.w.count += block_segments
        m.write(Remittance(provider_adjustments=[ProviderAdjustment(
            "1234567893", date(2026, 12, 31),
            [ProviderAdjustmentAmount("WO", f"ICN{sets:012d}", recovery)])]), ew.w)
        ew.end_set()
        done += blocks
    ew.end()
    yield buf.getvalue()
