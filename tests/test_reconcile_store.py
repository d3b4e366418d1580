"""The reconcile engine over the store, on SQLite and PostgreSQL: the synthetic workload
ends with every claim in its expected state and every dollar accounted for, whatever the
loading order, however often it is reconciled or reloaded; the same through real files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from claimhouse.reconcile import reconcile
from claimhouse.store import Store, open_store
from claimhouse.store._files import load_file
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ProviderAdjustmentRow,
    RemittanceRow,
)
from claimhouse.testing._workload import CASES, Workload, generate_workload
from claimhouse.testing._workload_files import write_workload
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres

N = len(CASES) * 10


@pytest.fixture(scope="module")
def work() -> Workload:
    return generate_workload(N)


def end_state(store: Store) -> dict[str, Any]:
    with store.session() as s:
        claims = {r.patient_control_number: (r.state, r.paid_amount, r.patient_responsibility)
                  for r in s.execute(select(ClaimRow.patient_control_number, ClaimRow.state,
                                            ClaimRow.paid_amount,
                                            ClaimRow.patient_responsibility))}
        payments = sorted(s.execute(select(
            ClaimPaymentRow.patient_control_number, ClaimPaymentRow.paid_amount,
            ClaimPaymentRow.disposition, ClaimPaymentRow.payer_claim_control_number,
            ClaimPaymentRow.claim_id.is_(None))).all())
        plb = sorted(s.execute(select(ProviderAdjustmentRow.reason_code,
                                      ProviderAdjustmentRow.amount,
                                      ProviderAdjustmentRow.claim_id.is_(None))).all())
    return {"claims": claims, "payments": payments, "plb": plb}


def assert_truth(store: Store, work: Workload) -> None:
    state = end_state(store)
    assert len(state["claims"]) == len(work.claims)
    wrong = {pcn: (got, (t.state, t.paid, t.patient_responsibility))
             for pcn, t in work.expected.items()
             if (got := state["claims"][pcn]) != (t.state, t.paid, t.patient_responsibility)}
    assert wrong == {}
    unmatched = sorted(p[0] for p in state["payments"] if p[4])
    assert unmatched == sorted(work.unmatched_pcns)
    with store.session() as s:
        bpr = s.execute(select(func.sum(RemittanceRow.payment_amount))).scalar_one()
        clp = s.execute(select(func.sum(ClaimPaymentRow.paid_amount))).scalar_one()
        plb = s.execute(select(func.sum(ProviderAdjustmentRow.amount))).scalar_one()
        paid_claims = s.execute(select(func.sum(ClaimRow.paid_amount))).scalar_one()
        unmatched_paid = s.execute(select(func.sum(ClaimPaymentRow.paid_amount)).where(
            ClaimPaymentRow.claim_id.is_(None))).scalar_one()
        remits = s.execute(select(func.count()).select_from(RemittanceRow)).scalar_one()
    expected_bpr = sum((r.payment.amount for r in work.posted_remittances()
                        if r.payment and r.payment.amount is not None), Decimal(0))
    assert remits == len(work.posted_remittances())
    assert bpr == expected_bpr
    # every dollar: Σ paid over claims (matched and unmatched remits) − Σ PLB = Σ BPR02
    assert paid_claims + unmatched_paid == clp
    assert clp - plb == bpr
    assert isinstance(bpr, Decimal) and bpr.as_tuple().exponent == -2


def _load_models(store: Store, work: Workload, *, remits_first: bool = False) -> None:
    with store.session() as s:
        if remits_first:
            add_remittances(s, work.remittances)
            add_claims(s, work.all_claims())
        else:
            add_claims(s, work.all_claims())
            add_remittances(s, work.remittances)


def test_workload_truth(db_url: str, work: Workload) -> None:
    store = open_store(db_url)
    _load_models(store, work)
    summary = reconcile(store)
    assert summary.claims_settled == len(work.claims)
    assert_truth(store, work)
    with store.session() as s:
        linked = s.execute(select(ProviderAdjustmentRow.reason_code, ClaimRow.state)
                           .join(ClaimRow, ClaimRow.id == ProviderAdjustmentRow.claim_id)).all()
    assert linked and {r for r, _ in linked} == {"WO"}
    assert {st for _, st in linked} == {"overpaid"}
    store.close()


def test_reconcile_twice_and_reload_change_nothing(db_url: str, work: Workload) -> None:
    store = open_store(db_url)
    _load_models(store, work)
    reconcile(store)
    before = end_state(store)
    with store.session() as s:
        records = s.execute(select(func.count()).select_from(MatchRecordRow)).scalar_one()
    again = reconcile(store)
    assert again.decisions == 0 and again.claims_settled == 0
    with store.session() as s:
        counts = add_remittances(s, work.remittances)
    assert counts.remittances_added == 0
    assert counts.remittances_duplicate == len(work.remittances)
    reconcile(store)
    assert end_state(store) == before
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(MatchRecordRow)).scalar_one() == records
    store.close()


def test_remits_before_claims_same_end_state(db_url: str, work: Workload,
                                             tmp_path: Path) -> None:
    store = open_store(db_url)
    with store.session() as s:
        add_remittances(s, work.remittances)
    first = reconcile(store)  # nothing to match yet: everything is an unmatched remit
    assert first.payments_matched == 0
    with store.session() as s:
        add_claims(s, work.all_claims())
    reconcile(store)
    assert_truth(store, work)
    reference = open_store(str(tmp_path / "reference.db"))
    _load_models(reference, work)
    reconcile(reference)
    assert end_state(store) == end_state(reference)
    store.close()
    reference.close()


def test_through_real_files(db_url: str, tmp_path: Path) -> None:
    work = generate_workload(len(CASES) * 4)
    files = write_workload(work, tmp_path / "x12")
    store = open_store(db_url)
    outcomes = [load_file(store, p).outcome for p in files.remittances + files.claims]
    assert outcomes.count("loaded") == len(outcomes)
    again = [load_file(store, p).outcome for p in files.claims[:1] + files.remittances[:1]]
    assert again == ["duplicate", "duplicate"]
    reconcile(store)
    assert_truth(store, work)
    store.close()


def test_voids_first_and_voids_are_final(db_url: str, work: Workload, tmp_path: Path) -> None:
    """837 frequency-8 voids loaded before their originals (and the originals sent again
    after) end the same: a void is final; the original claim row becomes voided."""
    store = open_store(db_url)
    with store.session() as s:
        first = add_claims(s, work.voids)
        add_remittances(s, work.remittances)
    reconcile(store)
    with store.session() as s:
        counts = add_claims(s, work.claims)
    assert counts.claims_ignored == len(work.voids) == first.claims_added
    reconcile(store)
    assert_truth(store, work)
    reference = open_store(str(tmp_path / "reference.db"))
    _load_models(reference, work)
    reconcile(reference)
    assert end_state(store) == end_state(reference)
    with store.session() as s:
        voided = dict(s.execute(select(ClaimRow.patient_control_number,
                                       ClaimRow.frequency_code)
                                .where(ClaimRow.state == "voided")).all())
        reversals = s.execute(select(func.count()).select_from(ClaimPaymentRow).join(
            ClaimRow, ClaimRow.id == ClaimPaymentRow.claim_id).where(
            ClaimRow.state == "voided", ClaimPaymentRow.disposition == "reversal")).scalar_one()
    assert set(voided) == {c.patient_control_number for c in work.voids}
    assert set(voided.values()) == {"8"}
    assert reversals == sum(1 for t in work.expected.values() if t.case == "voided")
    store.close()
    reference.close()


def test_every_state_decided_and_explained(db_url: str, work: Workload) -> None:
    """One ``state`` decision per claim carries the evidence: each posting with the rule
    that matched it, reversal pairings, line rules; an unmatched remit its own record."""
    store = open_store(db_url)
    _load_models(store, work)
    summary = reconcile(store)
    with store.session() as s:
        states = s.execute(select(MatchRecordRow.claim_id, MatchRecordRow.decision,
                                  MatchRecordRow.reason)
                           .where(MatchRecordRow.level == "state")).all()
        claims = dict(s.execute(select(ClaimRow.id, ClaimRow.state)).all())
        levels = dict(s.execute(select(MatchRecordRow.level, func.count())
                                .group_by(MatchRecordRow.level)).all())
        plb = s.execute(select(func.count()).select_from(ProviderAdjustmentRow)).scalar_one()
    assert len(states) == len(claims) == len(work.claims)
    assert {c: d for c, d, _ in states} == claims
    # nothing else: an unmatched remit's decision, a PLB's link; no per-line rows
    assert levels == {"state": len(states), "claim": len(work.unmatched_pcns), "plb": plb}
    assert summary.decisions == sum(levels.values())
    reasons = " ".join(r for _, _, r in states)
    for rule in ("pcn+payer+dates+charge", "clp07+amount", "correction-after-reversal",
                 "line-item-control-number", "original-procedure+modifiers+date+charge",
                 "pcn+secondary", "voided by the provider"):
        assert rule in reasons, rule
    store.close()


def test_plb_reference_naming_a_payer_claim_control_number_links_that_claim(
        db_url: str, work: Workload) -> None:
    """A PLB03-2 that is no patient control number but a CLP07 of a matched payment links
    the claim that payment was matched to (rule ``plb-reference=clp07``); one naming
    nothing known stays unlinked, against the payment."""
    import dataclasses

    from claimhouse.models._remittance import (
        Payment,
        ProviderAdjustment,
        ProviderAdjustmentAmount,
        Remittance,
    )

    store = open_store(db_url)
    _load_models(store, work)
    reconcile(store)
    with store.session() as s:
        icn, claim_id = s.execute(select(
            ClaimPaymentRow.payer_claim_control_number, ClaimPaymentRow.claim_id).where(
            ClaimPaymentRow.claim_id.is_not(None),
            ClaimPaymentRow.payer_claim_control_number.is_not(None))
            .order_by(ClaimPaymentRow.id)).first()
        pcns = set(s.execute(select(ClaimRow.patient_control_number)).scalars())
    assert icn not in pcns
    template = work.remittances[0]
    extra = Remittance(
        payment=Payment(amount=Decimal("-12.50"), credit_debit="C", method="NON",
                        trace_number="PLB-ONLY-1",
                        trace_originator=template.payment.trace_originator
                        if template.payment else None),
        payer=dataclasses.replace(template.payer) if template.payer else None,
        payee=dataclasses.replace(template.payee) if template.payee else None,
        provider_adjustments=[ProviderAdjustment("1234567893", None, [
            ProviderAdjustmentAmount("WO", icn, Decimal("10.00")),
            ProviderAdjustmentAmount("WO", "NO-SUCH-CLAIM", Decimal("2.50"))])])
    with store.session() as s:
        assert add_remittances(s, [extra]).remittances_added == 1
    reconcile(store)
    with store.session() as s:
        rows = {r.reference: (r.claim_id, r.match_rule) for r in s.execute(select(
            ProviderAdjustmentRow.reference, ProviderAdjustmentRow.claim_id,
            ProviderAdjustmentRow.match_rule)
            .where(ProviderAdjustmentRow.reference.in_([icn, "NO-SUCH-CLAIM"])))}
    assert rows == {icn: (claim_id, "plb-reference=clp07"),
                    "NO-SUCH-CLAIM": (None, "unlinked")}
    store.close()
