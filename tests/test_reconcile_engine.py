"""The reconcile engine as pure functions over models (no database)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from claimhouse.reconcile import (
    PaidLine,
    Posting,
    SubmittedClaim,
    SubmittedLine,
    choose_claim,
    match_lines,
    postings,
    settle,
    submitted_claim,
)
from claimhouse.testing._workload import CASES, generate_workload

D = Decimal


def _claim(key: int = 1, payer: str = "ACME1") -> SubmittedClaim:
    return SubmittedClaim(
        key=key, patient_control_number="PCN1", payer_id=payer, total_charge=D("300.00"),
        service_from=date(2026, 2, 1), service_to=date(2026, 2, 1),
        lines=(SubmittedLine(11, 1, D("100.00"), "99213", (), None, date(2026, 2, 1), "L1"),
               SubmittedLine(12, 2, D("200.00"), "20610", ("RT",), None, date(2026, 2, 1))))


def _posting(key: int = 7, **kw: object) -> Posting:
    base: dict[str, object] = dict(
        key=key, patient_control_number="PCN1", status_code="1", total_charge=D("300.00"),
        paid=D("240.00"), payer_ids=frozenset({"ACME1"}), statement_from=date(2026, 2, 1))
    base.update(kw)
    return Posting(**base)  # type: ignore[arg-type]


def test_claim_match_confirmed_by_payer_dates_and_charge() -> None:
    d = choose_claim(_posting(), [_claim()])
    assert (d.decision, d.claim, d.rule) == ("matched", 1, "pcn+payer+dates+charge")


def test_claim_match_prefers_the_payer_among_same_pcn() -> None:
    d = choose_claim(_posting(), [_claim(1, "OTHER"), _claim(2, "ACME1")])
    assert d.claim == 2 and "chosen among 2" in d.reason


def test_split_claim_charge_differs_is_still_matched_and_said() -> None:
    d = choose_claim(_posting(total_charge=D("100.00")), [_claim()])
    assert d.claim == 1 and d.rule == "pcn+payer+dates" and "split" in d.reason


def test_secondary_payer_matches_by_status() -> None:
    d = choose_claim(_posting(status_code="2", payer_ids=frozenset({"MGAP1"})), [_claim()])
    assert d.claim == 1 and d.rule.startswith("pcn+secondary")


def test_no_claim_is_an_unmatched_remit() -> None:
    d = choose_claim(_posting(patient_control_number="NOPE"), [_claim()])
    assert (d.decision, d.claim, d.rule) == ("unmatched", None, "no-claim-with-pcn")


def test_lines_by_lic_then_procedure_then_svc06() -> None:
    lines = (
        PaidLine(1, 1, D("100.00"), D("80.00"), "99999", line_item_control_number="L1"),
        PaidLine(2, 2, D("200.00"), D("160.00"), "20611", (), "20610", ("RT",),
                 service_date=date(2026, 2, 1)),
    )
    ds = match_lines(_posting(lines=lines), _claim())
    assert [(d.line, d.rule) for d in ds] == [
        (11, "line-item-control-number"), (12, "original-procedure+modifiers+date+charge")]


def test_line_modifiers_must_agree() -> None:
    lines = (PaidLine(2, 1, D("200.00"), D("160.00"), "20610", ("LT",),
                      service_date=date(2026, 2, 1)),)
    (d,) = match_lines(_posting(lines=lines), _claim())
    assert d.decision == "unmatched" and d.line is None


def test_reversal_cancels_and_correction_becomes_current() -> None:
    claim = _claim()
    first = _posting(1, payer_claim_control_number="A", payment_date=date(2026, 3, 1))
    rev = _posting(2, status_code="22", paid=D("-240.00"), total_charge=D("-300.00"),
                   payer_claim_control_number="A", payment_date=date(2026, 3, 8))
    fix = _posting(3, paid=D("270.00"), payer_claim_control_number="B",
                   payment_date=date(2026, 3, 8), position=2)
    # order given does not matter: canonical order is payment date, trace, position
    s = settle(claim, [fix, rev, first])
    assert s.dispositions == {1: "reversed", 2: "reversal", 3: "current"}
    assert s.paid == D("270.00")
    rules = {d.rule for d in s.decisions if d.level == "reversal"}
    assert {"clp07+amount", "correction-after-reversal"} <= rules


def test_reversal_alone_leaves_claim_reversed() -> None:
    s = settle(_claim(), [
        _posting(1, payer_claim_control_number="A", payment_date=date(2026, 3, 1)),
        _posting(2, status_code="22", paid=D("-240.00"), payer_claim_control_number="A",
                 payment_date=date(2026, 3, 2))])
    assert (s.state, s.paid) == ("reversed", D("0.00"))


def test_pending_without_postings() -> None:
    s = settle(_claim(), [])
    assert (s.state, s.unaccounted) == ("pending", D("300.00"))


@pytest.mark.parametrize("case", [c for c in CASES])
def test_workload_truth_from_models_alone(case: str) -> None:
    """Every case of the synthetic workload settles as its truth says, straight from the
    claim and remittance models."""
    work = generate_workload(len(CASES) * 2)
    by_pcn = defaultdict(list)
    key = 0
    for remittance in work.posted_remittances():
        for p in postings(remittance, first_key=key):
            by_pcn[p.patient_control_number].append(p)
        key += 10_000
    checked = 0
    voids = {c.patient_control_number: c for c in work.voids}
    for i, claim in enumerate(work.claims):
        truth = work.expected[claim.patient_control_number]
        if truth.case != case:
            continue
        view = submitted_claim(voids.get(claim.patient_control_number, claim), key=i + 1)
        found = [p for p in by_pcn[claim.patient_control_number]
                 if choose_claim(p, [view]).claim == view.key]
        s = settle(view, found)
        assert (s.state, s.paid, s.patient_responsibility) == (
            truth.state, truth.paid, truth.patient_responsibility), claim.patient_control_number
        checked += 1
    assert checked == 2


def test_institutional_lines_by_revenue_code() -> None:
    claim = SubmittedClaim(
        key=1, patient_control_number="PCN1", payer_id="ACME1", total_charge=D("500.00"),
        lines=(SubmittedLine(21, 1, D("300.00"), None, (), "0120", date(2026, 2, 1)),
               SubmittedLine(22, 2, D("200.00"), "80053", (), "0300", date(2026, 2, 1))))
    lines = (PaidLine(1, 1, D("300.00"), D("250.00"), "0120"),  # SVC01 NU:0120
             PaidLine(2, 2, D("200.00"), D("100.00"), "80053", revenue_code="0300"))
    ds = match_lines(_posting(lines=lines), claim)
    assert [d.line for d in ds] == [21, 22]
