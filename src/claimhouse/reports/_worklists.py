"""The biller's reports: the denials worklist, underpayments, paid vs expected per payer,
days to payment, the headline totals, and the dashboard that holds all of them.

Worklists name the patient (name, member id, date of birth: what a biller needs to call a
payer or a patient); ``--mask`` turns those into stable tokens for reports sent to support.
Only the rows a report shows are looked up in the claim documents, never the whole store.

**Expected payment** (underpayments, paid vs expected): the store has no fee schedule, so
the payer's own contractual write-off stands for the contract. For a claim the payer
adjudicated, expected = billed - patient responsibility - the write-offs a contract
explains (CARC 45 charge exceeds the fee schedule / contracted amount, 23 prior payer's
adjudication, 253 sequestration) on its current payments. Whatever else was held back
(any other CARC, e.g. CO-97 bundling or CO-29 timely filing) and any billed amount the
payer has not adjudicated at all (a line missing from the 835, counted at its charge) is
the shortfall. Underpayments are the claims paid something but short; claims paid
nothing are the denials worklist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

import orjson
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from claimhouse.codes import carc_description
from claimhouse.reports._reconciliation import (
    ZERO,
    ReportFilter,
    _age,
    _claim_filter,
    _unmatched_rows,
    aging_report,
    denials_report,
    patient_balances_report,
    unmatched_report,
)
from claimhouse.reports._table import Section
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimPaymentRow,
    ClaimRow,
    RemittanceRow,
    ServicePaymentRow,
)

EXPECTED_CARCS = ("45", "23", "253")
"""Write-offs a contract explains: not a shortfall (see the module text)."""
PATIENT_COLUMNS = ["patient_name", "member_id", "birth_date"]
"""The identifying columns ``--mask`` replaces."""
DAY_BINS = ((0, 14, "0-14"), (15, 30, "15-30"), (31, 45, "31-45"), (46, 60, "46-60"),
            (61, 90, "61-90"), (91, 120, "91-120"), (121, None, "121+"))
ADJUDICATED = ("paid", "partially paid", "denied")
"""The claims paid vs expected covers: an overpaid claim's duplicate payment doubles its
write-offs, so it would distort the comparison (the claims report lists them)."""
DENIAL_COLUMNS = ["patient_control_number", *PATIENT_COLUMNS, "payer", "reason_code",
                  "reason", "remarks", "billed_amount", "denied_amount", "service_from",
                  "denied_on", "age_days", "payer_claim_control_number"]
UNDERPAID_COLUMNS = ["patient_control_number", *PATIENT_COLUMNS, "payer", "state",
                     "billed_amount", "expected_amount", "paid_amount", "short_amount",
                     "reason", "last_paid_on", "age_days"]
BALANCE_COLUMNS = ["patient_control_number", *PATIENT_COLUMNS, "payer", "state",
                   "billed_amount", "paid_amount", "patient_responsibility", "last_paid_on"]
TOTAL_COLUMNS = ["claims", "billed", "paid", "adjusted", "patient_responsibility",
                 "outstanding", "denied_claims", "unmatched_remits", "unmatched_paid"]


def patient_details(session: Session, claim_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Patient name (2010CA patient, else subscriber), member id, date of birth per claim id,
    read from the claim documents of just these claims."""
    ids = list(dict.fromkeys(claim_ids))
    out: dict[int, dict[str, Any]] = {}
    conn = session.connection()
    for k in range(0, len(ids), 500):
        for claim_id, document in conn.execute(
                select(ClaimRow.id, ClaimRow.document).where(ClaimRow.id.in_(ids[k:k + 500]))):
            doc = orjson.loads(document)
            sub = doc.get("subscriber") or {}
            person = doc.get("patient") or sub
            name = ", ".join(p for p in (person.get("last_name"), person.get("first_name"))
                             if p)
            born = person.get("birth_date")
            out[claim_id] = {"patient_name": name or None, "member_id": sub.get("member_id"),
                             "birth_date": date.fromisoformat(born) if born else None}
    return out


def _with_patients(session: Session, rows: list[dict[str, Any]],
                   limit: int | None) -> list[dict[str, Any]]:
    """Add the patient columns to the first ``limit`` rows (all when None); the rest keep
    them empty (the HTML shows only the first rows; CSV/JSON ask for all)."""
    head = rows if limit is None else rows[:limit]
    details = patient_details(session, (r["claim_id"] for r in head))
    for r in head:
        r.update(details.get(r["claim_id"], {}))
    return rows


Adjustments = dict[int | None, list[tuple[str, str, Decimal]]]


def _adjustments(session: Session, f: ReportFilter, claim_filter: Any) -> Adjustments:
    """Non-PR adjustments of the current payments of the claims ``claim_filter`` selects,
    summed per claim, group and CARC."""
    out: Adjustments = defaultdict(list)
    for claim_id, group, reason, amount in session.connection().execute(
            select(ClaimPaymentRow.claim_id, AdjustmentRow.group_code, AdjustmentRow.reason_code,
                   func.sum(AdjustmentRow.amount))
            .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
            .join(ClaimRow, ClaimRow.id == ClaimPaymentRow.claim_id)
            .where(ClaimPaymentRow.disposition == "current", AdjustmentRow.group_code != "PR",
                   claim_filter, *_claim_filter(f))
            .group_by(ClaimPaymentRow.claim_id, AdjustmentRow.group_code,
                      AdjustmentRow.reason_code)):
        out[claim_id].append((group, reason, amount))
    return out


def denial_worklist(session: Session, f: ReportFilter, *,
                    limit: int | None = None) -> list[Section]:
    """Denied claims, largest first: the main reason (the CARC holding back the most, with
    its text), RARC remarks, billed and denied amounts, age since submission (or service)."""
    conn = session.connection()
    denied = ClaimRow.state == "denied"
    reasons = _adjustments(session, f, denied)
    remarks: dict[int | None, set[str]] = defaultdict(set)
    icns: dict[int | None, str] = {}
    for claim_id, icn, codes in conn.execute(
            select(ClaimPaymentRow.claim_id, ClaimPaymentRow.payer_claim_control_number,
                   ClaimPaymentRow.remark_codes)
            .join(ClaimRow, ClaimRow.id == ClaimPaymentRow.claim_id)
            .where(ClaimPaymentRow.disposition == "current", denied, *_claim_filter(f))
            .order_by(ClaimPaymentRow.id)):
        if icn:
            icns[claim_id] = icn
        remarks[claim_id].update(c for c in (codes or "").split(",") if c)
    for claim_id, codes in conn.execute(
            select(ClaimPaymentRow.claim_id, ServicePaymentRow.remark_codes)
            .join(ClaimPaymentRow, ClaimPaymentRow.id == ServicePaymentRow.claim_payment_id)
            .join(ClaimRow, ClaimRow.id == ClaimPaymentRow.claim_id)
            .where(ClaimPaymentRow.disposition == "current", denied,
                   ServicePaymentRow.remark_codes.is_not(None), *_claim_filter(f))):
        remarks[claim_id].update(c for c in (codes or "").split(",") if c)
    rows = []
    for r in conn.execute(select(
            ClaimRow.id, ClaimRow.patient_control_number, ClaimRow.payer_id,
            ClaimRow.total_charge, ClaimRow.paid_amount, ClaimRow.service_from,
            ClaimRow.submitted_on, ClaimRow.last_paid_on).where(denied, *_claim_filter(f))):
        adjs = sorted(reasons.get(r.id, []), key=lambda a: (-a[2], a[0], a[1]))
        rows.append({
            "claim_id": r.id, "patient_control_number": r.patient_control_number,
            "payer": r.payer_id, "reason_code": f"{adjs[0][0]}-{adjs[0][1]}" if adjs else None,
            "reason": carc_description(adjs[0][1]) if adjs else "no adjustment given",
            "remarks": " ".join(sorted(remarks.get(r.id, ()))) or None,
            "billed_amount": r.total_charge, "denied_amount": r.total_charge - r.paid_amount,
            "service_from": r.service_from, "denied_on": r.last_paid_on,
            "age_days": _age(r, f.today), "payer_claim_control_number": icns.get(r.id)})
    rows.sort(key=lambda x: (-x["denied_amount"], x["patient_control_number"], x["payer"]))
    return [Section("denials worklist", DENIAL_COLUMNS, _with_patients(session, rows, limit))]


def _withheld_filter() -> Any:
    return AdjustmentRow.reason_code.not_in(EXPECTED_CARCS)


def underpayments_report(session: Session, f: ReportFilter, *,
                         limit: int | None = None) -> list[Section]:
    """Claims paid something but less than expected (see the module text for the rule),
    largest shortfall first, with the reason that holds back the most."""
    conn = session.connection()
    unaccounted = (ClaimRow.total_charge - ClaimRow.paid_amount - ClaimRow.adjusted_amount
                   - ClaimRow.patient_responsibility)
    candidates = ClaimRow.state.in_(("paid", "partially paid")) & (ClaimRow.paid_amount > 0)
    withheld = _adjustments(session, f, candidates & _withheld_filter())
    rows = []
    for r in conn.execute(select(
            ClaimRow.id, ClaimRow.patient_control_number, ClaimRow.payer_id, ClaimRow.state,
            ClaimRow.total_charge, ClaimRow.paid_amount, ClaimRow.service_from,
            ClaimRow.submitted_on, ClaimRow.last_paid_on, unaccounted.label("unaccounted"))
            .where(candidates, *_claim_filter(f),
                   or_(unaccounted > 0, ClaimRow.id.in_(
                       select(ClaimPaymentRow.claim_id)
                       .join(AdjustmentRow,
                             AdjustmentRow.claim_payment_id == ClaimPaymentRow.id)
                       .where(ClaimPaymentRow.disposition == "current",
                              AdjustmentRow.group_code != "PR", _withheld_filter()))))):
        adjs = sorted(withheld.get(r.id, []), key=lambda a: (-a[2], a[0], a[1]))
        held = sum((a[2] for a in adjs), ZERO)
        short = max(r.unaccounted, ZERO) + held
        if short <= 0:
            continue
        if adjs and adjs[0][2] >= r.unaccounted:
            reason = f"{adjs[0][0]}-{adjs[0][1]} {carc_description(adjs[0][1])}"
        else:
            reason = "billed amount not adjudicated (line missing from the 835)"
        rows.append({
            "claim_id": r.id, "patient_control_number": r.patient_control_number,
            "payer": r.payer_id, "state": r.state, "billed_amount": r.total_charge,
            "expected_amount": r.paid_amount + short, "paid_amount": r.paid_amount,
            "short_amount": short, "reason": reason, "last_paid_on": r.last_paid_on,
            "age_days": _age(r, f.today)})
    rows.sort(key=lambda x: (-x["short_amount"], x["patient_control_number"], x["payer"]))
    return [Section("underpayments", UNDERPAID_COLUMNS, _with_patients(session, rows, limit))]


def paid_vs_expected(session: Session, f: ReportFilter) -> list[Section]:
    """Per payer, over adjudicated claims (paid, partially paid, denied): billed,
    expected (see the module text), paid and paid - expected."""
    conn = session.connection()
    adjudicated = ClaimRow.state.in_(ADJUDICATED)
    held: dict[str, Decimal] = {payer: amount or ZERO for payer, amount in conn.execute(
        select(ClaimRow.payer_id, func.sum(AdjustmentRow.amount))
        .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
        .join(ClaimRow, ClaimRow.id == ClaimPaymentRow.claim_id)
        .where(ClaimPaymentRow.disposition == "current", AdjustmentRow.group_code != "PR",
               _withheld_filter(), adjudicated, *_claim_filter(f))
        .group_by(ClaimRow.payer_id))}
    rows: list[dict[str, Any]] = []
    for payer, n, billed, paid, pr, adjusted in conn.execute(
            select(ClaimRow.payer_id, func.count(), func.sum(ClaimRow.total_charge),
                   func.sum(ClaimRow.paid_amount), func.sum(ClaimRow.patient_responsibility),
                   func.sum(ClaimRow.adjusted_amount))
            .where(adjudicated, *_claim_filter(f)).group_by(ClaimRow.payer_id)
            .order_by(ClaimRow.payer_id)):
        writeoff = (adjusted or ZERO) - held.get(payer, ZERO)
        expected = (billed or ZERO) - (pr or ZERO) - writeoff
        rows.append({"payer": payer, "claims": n, "billed": billed or ZERO,
                     "contractual_writeoff": writeoff, "patient_responsibility": pr or ZERO,
                     "expected": expected, "paid": paid or ZERO,
                     "difference": (paid or ZERO) - expected})
    return [Section("paid vs expected by payer", ["payer", "claims", "billed",
                                                  "contractual_writeoff",
                                                  "patient_responsibility", "expected",
                                                  "paid", "difference"], rows)]


def days_to_payment(session: Session, f: ReportFilter) -> list[Section]:
    """How long payers took: days from submission (or service) to a claim's first payment
    date, in bins, with the median."""
    first = (select(ClaimPaymentRow.claim_id.label("claim_id"),
                    func.min(RemittanceRow.payment_date).label("paid_on"))
             .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
             .where(ClaimPaymentRow.claim_id.is_not(None), ClaimPaymentRow.paid_amount > 0)
             .group_by(ClaimPaymentRow.claim_id).subquery())
    days = []
    for start, service, paid_on in session.connection().execute(
            select(ClaimRow.submitted_on, ClaimRow.service_from, first.c.paid_on)
            .join(first, first.c.claim_id == ClaimRow.id).where(*_claim_filter(f))):
        begin = start or service
        if begin is not None and paid_on is not None:
            days.append(max((paid_on - begin).days, 0))
    counts = dict.fromkeys((b[2] for b in DAY_BINS), 0)
    for d in days:
        counts[next(label for lo, hi, label in DAY_BINS if hi is None or d <= hi)] += 1
    middle = Decimal(str(median(days))).quantize(Decimal("0.1")) if days else None
    return [Section("days to payment", ["days", "claims", "median_days"],
                    [{"days": label, "claims": n, "median_days": middle}
                     for label, n in counts.items()])]


def totals_report(session: Session, f: ReportFilter) -> list[Section]:
    """The headline figures: claims, billed, paid (net of reversals), adjusted, patient
    responsibility, outstanding (what payers still owe on pending and partially paid
    claims: the A/R aging total), denied claims, unmatched remits."""
    conn = session.connection()
    n, billed, paid, adjusted, pr = conn.execute(select(
        func.count(), func.sum(ClaimRow.total_charge), func.sum(ClaimRow.paid_amount),
        func.sum(ClaimRow.adjusted_amount), func.sum(ClaimRow.patient_responsibility))
        .where(*_claim_filter(f))).one()
    outstanding, = conn.execute(select(func.sum(
        ClaimRow.total_charge - ClaimRow.paid_amount - ClaimRow.adjusted_amount
        - ClaimRow.patient_responsibility)).where(
        ClaimRow.state.in_(("pending", "partially paid")), *_claim_filter(f))).one()
    denied = conn.execute(select(func.count()).where(ClaimRow.state == "denied",
                                                     *_claim_filter(f))).scalar_one()
    unmatched = _unmatched_rows(session, f)
    return [Section("totals", TOTAL_COLUMNS, [{
        "claims": n, "billed": billed or ZERO, "paid": paid or ZERO,
        "adjusted": adjusted or ZERO, "patient_responsibility": pr or ZERO,
        "outstanding": outstanding or ZERO, "denied_claims": denied,
        "unmatched_remits": len(unmatched),
        "unmatched_paid": sum((u["paid_amount"] for u in unmatched), ZERO)}])]


def patient_balances_named(session: Session, f: ReportFilter, *,
                           limit: int | None = None) -> list[Section]:
    """The patient balances report with the patient named, largest balance first."""
    rows = patient_balances_report(session, f)[0].rows
    rows.sort(key=lambda x: (-x["patient_responsibility"], x["patient_control_number"]))
    return [Section("patient balances", BALANCE_COLUMNS, _with_patients(session, rows, limit))]


def dashboard_report(session: Session, f: ReportFilter, *,
                     limit: int | None = None) -> list[Section]:
    """Everything a biller looks at: totals, A/R aging, denials by CARC, paid vs expected,
    days to payment, and the worklists (denials, underpayments, unmatched remits, patient
    balances). ``limit`` names patients in only the first rows of each worklist."""
    unmatched = unmatched_report(session, f)[0]
    unmatched.rows.sort(key=lambda x: (-x["paid_amount"], x["patient_control_number"]))
    return [*totals_report(session, f), *aging_report(session, f),
            denials_report(session, f)[0], *paid_vs_expected(session, f),
            *days_to_payment(session, f), *denial_worklist(session, f, limit=limit),
            *underpayments_report(session, f, limit=limit), unmatched,
            *patient_balances_named(session, f, limit=limit)]
