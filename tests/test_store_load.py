"""Loading into the store on SQLite and PostgreSQL: files and remittances recorded once,
claims replaced by a resubmission, models back from rows, exact money."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from claimhouse.models import Claim
from claimhouse.models._remittance import ProviderAdjustment, ProviderAdjustmentAmount
from claimhouse.reconcile import reconcile
from claimhouse.store import open_store
from claimhouse.store._bulk import insert_rows
from claimhouse.store._convert import (
    claim_from_document,
    claim_payment_model,
    service_payment_model,
)
from claimhouse.store._files import load_file
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.store._tables import (
    TABLES,
    AdjustmentRow,
    ClaimDocumentRow,
    ClaimPaymentRow,
    ClaimRow,
    FileRow,
    ProviderAdjustmentRow,
    ServiceLineRow,
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
        document = s.execute(select(ClaimDocumentRow.document).where(
            ClaimDocumentRow.id == row.id)).scalar_one()
        assert claim_from_document(document) == changed
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
        docs = s.execute(select(ClaimDocumentRow.document)
                         .order_by(ClaimDocumentRow.id)).scalars().all()
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


def test_bulk_rows_hold_every_model_value(db_url: str) -> None:
    """What the bulk load writes (row tuples straight from the models, multi-row
    statements with a remainder) reads back through the column types as the models
    say: every service line, service payment, CAS and PLB triplet, none lost or doubled."""
    work = generate_workload(300)
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, work.claims)
        add_remittances(s, work.remittances)
    want_lines = sorted(
        (c.patient_control_number, ln.line_number, ln.procedure.code if ln.procedure else None,
         ":".join(ln.procedure.modifiers) or None if ln.procedure else None,
         ln.service_date, ln.charge, ln.units, ln.line_item_control_number)
        for c in work.claims for ln in c.service_lines)
    posted = work.posted_remittances()
    want_svc = sorted(
        (cp.patient_control_number, sp.procedure_code, ":".join(sp.modifiers) or None,
         sp.charge, sp.paid_amount, sp.units, sp.service_date, sp.line_item_control_number)
        for r in posted for cp in r.claims() for sp in cp.service_lines)
    want_cas = sorted(
        (cp.patient_control_number, a.group_code, a.reason_code, a.amount, a.quantity)
        for r in posted for cp in r.claims()
        for a in [*cp.adjustments, *(x for sp in cp.service_lines for x in sp.adjustments)])
    want_plb = sorted((item.reason_code, item.reference, item.amount)
                      for r in posted for plb in r.provider_adjustments
                      for item in plb.adjustments)
    with store.session() as s:
        lines = s.execute(select(
            ClaimRow.patient_control_number, ServiceLineRow.position,
            ServiceLineRow.procedure_code, ServiceLineRow.modifiers,
            ServiceLineRow.service_date, ServiceLineRow.charge, ServiceLineRow.units,
            ServiceLineRow.line_item_control_number).join(
            ClaimRow, ClaimRow.id == ServiceLineRow.claim_id)).all()
        svc = s.execute(select(
            ClaimPaymentRow.patient_control_number, ServicePaymentRow.procedure_code,
            ServicePaymentRow.modifiers, ServicePaymentRow.charge,
            ServicePaymentRow.paid_amount, ServicePaymentRow.units,
            ServicePaymentRow.service_date, ServicePaymentRow.line_item_control_number).join(
            ClaimPaymentRow, ClaimPaymentRow.id == ServicePaymentRow.claim_payment_id)).all()
        cas = s.execute(select(
            ClaimPaymentRow.patient_control_number, AdjustmentRow.group_code,
            AdjustmentRow.reason_code, AdjustmentRow.amount, AdjustmentRow.quantity).join(
            ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)).all()
        plb = s.execute(select(ProviderAdjustmentRow.reason_code,
                               ProviderAdjustmentRow.reference,
                               ProviderAdjustmentRow.amount)).all()
        claims = s.execute(select(ClaimRow.patient_control_number, ClaimRow.total_charge,
                                  ClaimRow.service_from, ClaimRow.service_to, ClaimRow.state,
                                  ClaimRow.paid_amount, ClaimRow.dirty)).all()
    assert len(want_lines) > 600 and len(want_svc) > 600 and len(want_cas) > 600
    assert sorted(tuple(r) for r in lines) == want_lines
    assert sorted(tuple(r) for r in svc) == want_svc
    assert sorted(tuple(r) for r in cas) == want_cas
    assert sorted(tuple(r) for r in plb) == want_plb and want_plb
    by_pcn = {c.patient_control_number: c for c in work.claims}
    for pcn, charge, first, last, state, paid, dirty in claims:
        claim = by_pcn[pcn]
        days = [d for ln in claim.service_lines
                for d in (ln.service_date, ln.service_date_end) if d]
        assert (charge, first, last, state, paid, dirty) == (
            claim.total_charge, min(days), max(days), "pending", Decimal("0.00"), True)
    store.close()


def test_amounts_round_half_even_to_cents(db_url: str) -> None:
    """An amount with more than two places is stored rounded half-even to cents, as the
    Money column type rounds it, on both backends."""
    work = generate_workload(12)
    remittance = work.remittances[0]
    plb = ProviderAdjustment(provider_identifier="1234567893", adjustments=[
        ProviderAdjustmentAmount("WO", "A", Decimal("1.005")),
        ProviderAdjustmentAmount("WO", "B", Decimal("1.015")),
        ProviderAdjustmentAmount("WO", "C", Decimal("-2.5")),
        ProviderAdjustmentAmount("WO", "D", Decimal("1.0150"))])
    remittance = dataclasses.replace(remittance, provider_adjustments=[plb])
    store = open_store(db_url)
    with store.session() as s:
        add_remittances(s, [remittance])
        got = s.execute(select(ProviderAdjustmentRow.reference, ProviderAdjustmentRow.amount)
                        .order_by(ProviderAdjustmentRow.position)).all()
    assert [tuple(r) for r in got] == [("A", Decimal("1.00")), ("B", Decimal("1.02")),
                                       ("C", Decimal("-2.50")), ("D", Decimal("1.02"))]
    assert all(str(amount).split(".")[1].__len__() == 2 for _, amount in got)
    store.close()


def test_driver_errors_come_out_as_sqlalchemy_errors_without_values(db_url: str) -> None:
    """A row the database refuses raises SQLAlchemy's IntegrityError (what the file
    loader catches) whose text names no value of the row (PHI)."""
    work = generate_workload(12)
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, work.claims[:1])
    secret = "SECRET-PATIENT-NAME"
    with pytest.raises(IntegrityError) as caught, store.session() as s:
        claim_id = s.execute(select(ClaimRow.id)).scalar_one()
        insert_rows(s, ServiceLineRow, ("id", "claim_id", "position", "line_item_control_number",
                                        "charge", "paid_amount"),
                    [(1, claim_id, 1, secret, 100, 0)])  # id 1 exists: a primary key clash
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    store.close()


def test_nulls_are_null_and_empty_text_stays_text(db_url: str) -> None:
    """A missing value is stored as NULL (on SQLite the load's NULL stand-in never reaches
    a row), an empty reference stays the empty string, and the replacing path (UPDATE)
    does the same."""
    work = generate_workload(40)
    remittance = dataclasses.replace(work.remittances[0], provider_adjustments=[
        ProviderAdjustment(provider_identifier=None, adjustments=[
            ProviderAdjustmentAmount("WO", "", Decimal("1.00")),
            ProviderAdjustmentAmount("WO", None, Decimal("2.00"))])])
    store = open_store(db_url)
    with store.session() as s:
        add_claims(s, work.claims)
        add_claims(s, work.voids)  # replaces: UPDATE claims
        add_remittances(s, [remittance])
        got = s.execute(select(ProviderAdjustmentRow.provider_identifier,
                               ProviderAdjustmentRow.reference)
                        .order_by(ProviderAdjustmentRow.position)).all()
        assert [tuple(r) for r in got] == [(None, ""), (None, None)]
        assert s.execute(select(func.count()).select_from(ClaimRow).where(
            ClaimRow.billing_npi.is_(None))).scalar_one() == 0
        nulls = s.execute(select(func.count()).select_from(ServicePaymentRow).where(
            ServicePaymentRow.original_procedure_code.is_(None))).scalar_one()
        assert nulls > 0
        if store.backend == "sqlite":
            conn = s.connection()
            for table in TABLES.sorted_tables:
                for column in table.c:
                    blobs = conn.exec_driver_sql(
                        f"SELECT count(*) FROM {table.name} "
                        f"WHERE typeof({column.name}) = 'blob'").scalar_one()
                    assert blobs == 0, f"{table.name}.{column.name}"
    store.close()
