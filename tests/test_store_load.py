"""Loading into the store on SQLite and PostgreSQL: files and remittances recorded once,
claims replaced by a resubmission, models back from rows, exact money."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from claimhouse.models import Claim
from claimhouse.reconcile import reconcile
from claimhouse.store import open_store
from claimhouse.store._convert import (
    claim_from_document,
    claim_payment_model,
    service_payment_model,
)
from claimhouse.store._files import load_file
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimPaymentRow,
    ClaimRow,
    FileRow,
    ServicePaymentRow,
)
from claimhouse.testing._workload import generate_workload
from claimhouse.transactions.x221 import write_remittances
from claimhouse.x12 import InterchangeHeader, SequentialControlNumbers, fixed_clock
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres


def _write(path: Path, remittances: list, when: datetime) -> Path:  # type: ignore[type-arg]
    header = InterchangeHeader(sender_id="ACME1", receiver_id="SYNCLINIC", functional_id="HP",
                               gs_version="005010X221A1")
    with path.open("wb") as fh:
        write_remittances(remittances, fh, header=header, clock=fixed_clock(when),
                          control_numbers=SequentialControlNumbers(start=77))
    return path


def test_same_interchange_recorded_once(db_url: str, tmp_path: Path) -> None:
    work = generate_workload(12)
    first = _write(tmp_path / "a.835", work.remittances[:1], datetime(2026, 3, 1, 9, 0))
    # same ISA sender and ISA13, other bytes (another date): the same interchange resent
    second = _write(tmp_path / "b.835", work.remittances[:1], datetime(2026, 3, 2, 9, 0))
    assert first.read_bytes() != second.read_bytes()
    store = open_store(db_url)
    assert load_file(store, first).outcome == "loaded"
    dup = load_file(store, second)
    assert dup.outcome == "duplicate" and "ISA13" in (dup.detail or "")
    junk = tmp_path / "junk.835"
    junk.write_bytes(b"\x00\x01 not x12")
    assert load_file(store, junk).outcome == "rejected"
    with store.session() as s:
        rows = s.execute(select(FileRow.name, FileRow.outcome, FileRow.sender_id,
                                FileRow.control_number).order_by(FileRow.id)).all()
        payments = s.execute(select(func.count()).select_from(ClaimPaymentRow)).scalar_one()
    assert [tuple(r) for r in rows] == [("a.835", "loaded", "ACME1", "000000077"),
                                        ("junk.835", "rejected", None, None)]
    assert payments == sum(1 for _ in work.remittances[0].claims())
    store.close()


def test_resubmitted_claim_replaces_and_resettles(db_url: str) -> None:
    work = generate_workload(12)
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, work.claims)
        add_remittances(s, work.remittances)
    reconcile(store)
    claim = work.claims[0]
    line = dataclasses.replace(claim.service_lines[0], charge=Decimal("999.99"))
    changed = dataclasses.replace(claim, service_lines=[line, *claim.service_lines[1:]],
                                  total_charge=claim.total_charge - claim.service_lines[0].charge
                                  + Decimal("999.99"), frequency_code="7")
    with store.session() as s:
        counts = add_claims(s, [changed])
    assert (counts.claims_added, counts.claims_replaced) == (0, 1)
    summary = reconcile(store)
    assert summary.claims_settled == 1
    with store.session() as s:
        row = s.execute(select(ClaimRow).where(
            ClaimRow.patient_control_number == claim.patient_control_number)).scalar_one()
        assert (row.total_charge, row.frequency_code) == (changed.total_charge, "7")
        assert row.state == "partially paid"  # the payer paid less than the new charge
        assert claim_from_document(row.document) == changed
        assert s.execute(select(func.count()).select_from(ClaimRow)).scalar_one() == 12
    store.close()


def test_models_back_from_rows_and_exact_money(db_url: str) -> None:
    work = generate_workload(24)
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, work.claims)
        add_remittances(s, work.remittances)
    original = next(cp for cp in work.remittances[0].claims() if cp.service_lines)
    with store.session() as s:
        docs = s.execute(select(ClaimRow.document).order_by(ClaimRow.id)).scalars().all()
        assert [claim_from_document(d) for d in docs] == work.claims
        assert all(isinstance(c, Claim) for c in map(claim_from_document, docs))
        cp = s.execute(select(ClaimPaymentRow).where(
            ClaimPaymentRow.patient_control_number == original.patient_control_number)
            .order_by(ClaimPaymentRow.id)).scalars().first()
        assert cp is not None
        lines = s.execute(select(ServicePaymentRow).where(
            ServicePaymentRow.claim_payment_id == cp.id)
            .order_by(ServicePaymentRow.position)).scalars().all()
        adjs = s.execute(select(AdjustmentRow).where(AdjustmentRow.claim_payment_id == cp.id)
                         .order_by(AdjustmentRow.id)).scalars().all()
        models = [service_payment_model(sp, [a for a in adjs if a.service_payment_id == sp.id])
                  for sp in lines]
        back = claim_payment_model(cp, [a for a in adjs if a.service_payment_id is None],
                                   models)
        total = s.execute(select(func.sum(AdjustmentRow.amount))).scalar_one()
    assert (back.patient_control_number, back.status_code, back.total_charge,
            back.paid_amount, back.payer_claim_control_number) == (
        original.patient_control_number, original.status_code, original.total_charge,
        original.paid_amount, original.payer_claim_control_number)
    for got, want in zip(back.service_lines, original.service_lines, strict=True):
        assert (got.procedure_code, got.modifiers, got.charge, got.paid_amount,
                got.service_date, got.line_item_control_number, got.units) == (
            want.procedure_code, want.modifiers, want.charge, want.paid_amount,
            want.service_date, want.line_item_control_number, want.units)
        assert [(a.group_code, a.reason_code, a.amount) for a in got.adjustments] == [
            (a.group_code, a.reason_code, a.amount) for a in want.adjustments]
    expected = sum((a.amount or Decimal(0) for r in work.posted_remittances()
                    for c in r.claims() for a in c.adjustments), Decimal(0)) + sum(
        (a.amount or Decimal(0) for r in work.posted_remittances() for c in r.claims()
         for sp in c.service_lines for a in sp.adjustments), Decimal(0))
    assert total == expected and str(total) == str(expected.quantize(Decimal("0.01")))
    store.close()


def test_secondary_claim_arriving_later_takes_its_payment(db_url: str) -> None:
    work = generate_workload(24)
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, work.claims)
        add_remittances(s, work.remittances)
    reconcile(store)
    pcn = next(p for p, t in work.expected.items() if t.case == "secondary")
    claim = next(c for c in work.claims if c.patient_control_number == pcn)
    payments = {cp.status_code: cp for r in work.remittances for cp in r.claims()
                if cp.patient_control_number == pcn}
    billed_to_secondary = dataclasses.replace(
        claim, payer=dataclasses.replace(claim.payer, id="MGAP1", name="MEDIGAP SUPPLEMENT"))
    with store.session() as s:
        add_claims(s, [billed_to_secondary])
    reconcile(store)
    with store.session() as s:
        rows = {r.payer_id: r for r in s.execute(select(ClaimRow).where(
            ClaimRow.patient_control_number == pcn)).scalars()}
        rules = dict(s.execute(select(ClaimPaymentRow.status_code, ClaimPaymentRow.match_rule)
                               .where(ClaimPaymentRow.patient_control_number == pcn)).all())
    assert rows["MGAP1"].paid_amount == payments["2"].paid_amount
    assert rows[claim.payer.id].paid_amount == payments["1"].paid_amount
    assert rows[claim.payer.id].patient_responsibility == payments["1"].patient_responsibility
    assert rules["2"].startswith("pcn+payer")
    store.close()


def test_other_payer_ids_stored_and_used_for_matching(db_url: str) -> None:
    """The claim's 2330B other-payer ids are stored (claims.other_payer_ids) and a payment
    from that payer matches as secondary even when its CLP02 says primary."""
    from claimhouse.models import OtherPayer, OtherSubscriber
    from claimhouse.models._remittance import ClaimGroup, RemittancePayer
    from claimhouse.models._remittance_parts import ReferenceId
    from claimhouse.testing._workload import SECONDARY

    work = generate_workload(12)
    claim = work.claims[0]  # the "paid" case, billed to ACME1
    other = OtherPayer(payer_responsibility="S", relationship="18",
                       subscriber=OtherSubscriber(last_name="SUBSCRIBER0", member_id="G1"),
                       payer_name=SECONDARY[0], payer_id=SECONDARY[1])
    claim = dataclasses.replace(claim, other_payers=[other])
    cp = next(c for r in work.remittances for c in r.claims()
              if c.patient_control_number == claim.patient_control_number)
    first = work.remittances[0]
    assert first.payment is not None
    remittance = dataclasses.replace(
        first, payment=dataclasses.replace(first.payment, trace_originator=SECONDARY[2],
                                           trace_number="MG-1"),
        payer=RemittancePayer(name=SECONDARY[0], references=[ReferenceId("2U", SECONDARY[1])]),
        claim_groups=[ClaimGroup(number="1", claims=[cp])], provider_adjustments=[])
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, [claim])
        add_remittances(s, [remittance])
    reconcile(store)
    with store.session() as s:
        assert s.execute(select(ClaimRow.other_payer_ids)).scalar_one() == SECONDARY[1]
        rule = s.execute(select(ClaimPaymentRow.match_rule)).scalar_one()
    assert rule is not None and rule.startswith("pcn+secondary"), rule
    store.close()
