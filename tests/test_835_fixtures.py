"""The project's own 835 fixtures: claim statuses, reversals, interest, forwarded claims,
provider-level recoveries; each valid for pyx12, balanced, and surviving a round trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from claimhouse.models import Remittance
from claimhouse.transactions.balancing import check_remittance
from tests._835_helpers import plain_split_835, pyx12_verdict, read_all, regenerate

X12 = Path(__file__).resolve().parents[1] / "fixtures" / "x12"
FIXTURES = sorted(p.name for p in X12.glob("835-*.x12"))


def _one(name: str) -> Remittance:
    (remittance,) = read_all((X12 / name).read_bytes())
    return remittance


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_is_valid_balanced_and_round_trips(name: str) -> None:
    data = (X12 / name).read_bytes()
    original = pyx12_verdict(data)
    assert original is not None and original[0] is True
    remits = read_all(data)
    assert [f.code for r in remits for f in check_remittance(r)] == []
    generated = regenerate(remits)
    assert read_all(generated) == remits
    verdict = pyx12_verdict(generated)
    assert verdict is not None and verdict[0] is True
    plain = plain_split_835(data)
    assert [len(p.clps) for p in plain] == [len(list(r.claims())) for r in remits]


def test_every_claim_status_code() -> None:
    statuses = [c.status_code for c in _one("835-statuses.x12").claims()]
    assert statuses == ["1", "2", "3", "4", "19", "20", "21", "22", "23", "25"]


def test_forwarded_claims_name_the_crossover_payer() -> None:
    claims = {c.status_code: c for c in _one("835-statuses.x12").claims()}
    for status in ("19", "20", "21", "23"):
        carrier = claims[status].crossover_carrier
        assert carrier is not None and carrier.id_qualifier == "PI" and carrier.identifier
    assert claims["1"].crossover_carrier is None


def test_reversal_is_negated_and_follows_its_original() -> None:
    claims = list(_one("835-reversal.x12").claims())
    original, reversal, correction = claims[:3]
    assert reversal.status_code == "22" and correction.status_code == "1"
    assert reversal.total_charge == -(original.total_charge or 0)
    assert reversal.paid_amount == Decimal("-120.00")
    orig_cas = [(a.group_code, a.reason_code, a.amount) for a in
                original.service_lines[0].adjustments]
    rev_cas = [(a.group_code, a.reason_code, -(a.amount or 0)) for a in
               reversal.service_lines[0].adjustments]
    assert rev_cas == orig_cas
    assert reversal.service_lines[0].units == Decimal("-1")


def test_net_negative_remittance_carries_forward_with_plb_fb() -> None:
    remittance = _one("835-reversal.x12")
    assert remittance.payment is not None and remittance.payment.amount == Decimal(0)
    assert remittance.payment.handling_code == "H"
    (plb,) = remittance.provider_adjustments
    (fb,) = plb.adjustments
    assert (fb.reason_code, fb.reference, fb.amount) == ("FB", "NOTIF0002", Decimal("-70.00"))
    assert sum((c.paid_amount or 0 for c in remittance.claims()), Decimal(0)) == Decimal(-70)


def test_interest_and_recoveries() -> None:
    remittance = _one("835-interest-recovery.x12")
    first = next(remittance.claims())
    assert [(a.qualifier, a.amount) for a in first.amounts] == [
        ("AU", Decimal("500.00")), ("I", Decimal("5.25"))]
    (plb,) = remittance.provider_adjustments
    assert plb.provider_identifier == "1234567893"
    assert [(a.reason_code, a.reference, a.amount) for a in plb.adjustments] == [
        ("L6", "FHP260300", Decimal("-5.25")), ("WO", "FHP250777", Decimal("30.00")),
        ("72", "REFUND9", Decimal("-12.00")), ("WO", "FHP250778", Decimal("19.00"))]
    line = first.service_lines[1]
    assert line.original_procedure_code == "36416" and line.units == Decimal(2)
    assert line.service_start_date is not None and line.service_end_date is not None
    second = list(remittance.claims())[1]
    assert [(a.group_code, a.reason_code, a.amount, a.quantity)
            for a in second.service_lines[0].adjustments] == [
        ("CO", "97", Decimal("150.00"), Decimal(2)), ("CO", "18", Decimal("50.00"), Decimal(2))]
    assert first.service_lines[0].modifiers == ["25"]
    assert first.service_lines[0].remark_codes[0].code == "N10"
    assert first.service_lines[0].line_item_control_number == "L0300"
    assert remittance.claim_groups[0].provider_summary is not None
