"""The biller's worklists: denials, underpayments and patient balances, naming the patient.

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
)
from claimhouse.reports._slim import claims_table
from claimhouse.reports._table import Section
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimDocumentRow,
    ClaimPaymentRow,
    ServicePaymentRow,
)

EXPECTED_CARCS = ("45", "23", "253")
"""Write-offs a contract explains: not a shortfall (see the module text)."""
PATIENT_COLUMNS = ["patient_name", "member_id", "birth_date"]
"""The identifying columns ``--mask`` replaces."""
DENIAL_COLUMNS = ["patient_control_number", *PATIENT_COLUMNS, "payer", "reason_code",
                  "reason", "remarks", "billed_amount", "denied_amount", "service_from",
                  "denied_on", "age_days", "payer_claim_control_number"]
UNDERPAID_COLUMNS = ["patient_control_number", *PATIENT_COLUMNS, "payer", "state",
                     "billed_amount", "expected_amount", "paid_amount", "short_amount",
                     "reason", "last_paid_on", "age_days"]
BALANCE_COLUMNS = ["patient_control_number", *PATIENT_COLUMNS, "payer", "state",
                   "billed_amount", "paid_amount", "patient_responsibility", "last_paid_on"]


class Page(Section):
    """A section holding only the first rows of a longer list: ``total`` says how long."""

    __slots__ = ("total",)

    def __init__(self, title: str, columns: list[str], rows: list[dict[str, Any]],
                 total: int) -> None:
        super().__init__(title, columns, rows)
        self.total = total


def patient_details(session: Session, claim_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Patient name (2010CA patient, else subscriber), member id, date of birth per claim id,
    read from the claim documents of just these claims."""
    ids = list(dict.fromkeys(claim_ids))
    out: dict[int, dict[str, Any]] = {}
    conn = session.connection()
    for k in range(0, len(ids), 500):
        for claim_id, document in conn.execute(
                select(ClaimDocumentRow.id, ClaimDocumentRow.document)
                .where(ClaimDocumentRow.id.in_(ids[k:k + 500]))):
            doc = orjson.loads(document)
            sub = doc.get("subscriber") or {}
            person = doc.get("patient") or sub
            name = ", ".join(p for p in (person.get("last_name"), person.get("first_name"))
                             if p)
            born = person.get("birth_date")
            out[claim_id] = {"patient_name": name or None, "member_id": sub.get("member_id"),
                             "birth_date": date.fromisoformat(born) if born else None}
    return out


def _with_patients(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the patient columns to ``rows`` (the rows a report shows)."""
    details = patient_details(session, (r["claim_id"] for r in rows))
    for r in rows:
        r.update(details.get(r["claim_id"], {}))
    return rows


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    return (ids[k:k + size] for k in range(0, len(ids), size))


Adjustments = dict[int | None, list[tuple[str, str, Decimal]]]


def _adjustments(session: Session, claim_ids: list[int], *conds: Any) -> Adjustments:
    """Non-PR adjustments (and ``conds``) of the current payments of these claims, summed
    per claim, group and CARC, largest first."""
    out: Adjustments = defaultdict(list)
    conn = session.connection()
    for chunk in _chunks(claim_ids):
        for claim_id, group, reason, amount in conn.execute(
                select(ClaimPaymentRow.claim_id, AdjustmentRow.group_code,
                       AdjustmentRow.reason_code, func.sum(AdjustmentRow.amount))
                .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
                .where(ClaimPaymentRow.claim_id.in_(chunk),
                       ClaimPaymentRow.disposition == "current",
                       AdjustmentRow.group_code != "PR", *conds)
                .group_by(ClaimPaymentRow.claim_id, AdjustmentRow.group_code,
                          AdjustmentRow.reason_code)):
            out[claim_id].append((group, reason, amount))
    for adjs in out.values():
        adjs.sort(key=lambda a: (-a[2], a[0], a[1]))
    return out


def _remarks(session: Session, claim_ids: list[int]) -> tuple[dict[Any, set[str]],
                                                              dict[Any, str]]:
    """RARCs (claim and line level) and the payer's claim number of the current payments."""
    conn = session.connection()
    remarks: dict[Any, set[str]] = defaultdict(set)
    icns: dict[Any, str] = {}
    for chunk in _chunks(claim_ids):
        for claim_id, icn, codes in conn.execute(
                select(ClaimPaymentRow.claim_id, ClaimPaymentRow.payer_claim_control_number,
                       ClaimPaymentRow.remark_codes)
                .where(ClaimPaymentRow.claim_id.in_(chunk),
                       ClaimPaymentRow.disposition == "current")
                .order_by(ClaimPaymentRow.id)):
            if icn:
                icns[claim_id] = icn
            remarks[claim_id].update(c for c in (codes or "").split(",") if c)
        for claim_id, codes in conn.execute(
                select(ClaimPaymentRow.claim_id, ServicePaymentRow.remark_codes)
                .join(ClaimPaymentRow, ClaimPaymentRow.id == ServicePaymentRow.claim_payment_id)
                .where(ClaimPaymentRow.claim_id.in_(chunk),
                       ClaimPaymentRow.disposition == "current",
                       ServicePaymentRow.remark_codes.is_not(None))):
            remarks[claim_id].update(c for c in (codes or "").split(",") if c)
    return remarks, icns


def _count(session: Session, *conds: Any) -> int:
    return int(session.connection().execute(
        select(func.count()).select_from(claims_table(session)).where(*conds)).scalar_one())


def denial_worklist(session: Session, f: ReportFilter, *,
                    limit: int | None = None) -> list[Section]:
    """Denied claims, largest first (only the first ``limit``): the main reason (the CARC
    holding back the most, with its text), RARC remarks, billed and denied amounts, age
    since submission (or service), the payer's claim number."""
    c = claims_table(session).c
    conds = [c.state == "denied", *_claim_filter(f, c)]
    q = (select(c.id, c.patient_control_number, c.payer_id, c.total_charge, c.paid_amount,
                c.service_from, c.submitted_on, c.last_paid_on).where(*conds)
         .order_by((c.total_charge - c.paid_amount).desc(), c.patient_control_number,
                   c.payer_id))
    claims = session.connection().execute(q if limit is None else q.limit(limit)).all()
    ids = [r.id for r in claims]
    reasons = _adjustments(session, ids)
    remarks, icns = _remarks(session, ids)
    rows = []
    for r in claims:
        adjs = reasons.get(r.id, [])
        rows.append({
            "claim_id": r.id, "patient_control_number": r.patient_control_number,
            "payer": r.payer_id, "reason_code": f"{adjs[0][0]}-{adjs[0][1]}" if adjs else None,
            "reason": carc_description(adjs[0][1]) if adjs else "no adjustment given",
            "remarks": " ".join(sorted(remarks.get(r.id, ()))) or None,
            "billed_amount": r.total_charge, "denied_amount": r.total_charge - r.paid_amount,
            "service_from": r.service_from, "denied_on": r.last_paid_on,
            "age_days": _age(r, f.today), "payer_claim_control_number": icns.get(r.id)})
    total = len(rows) if limit is None or len(rows) < limit else _count(session, *conds)
    return [Page("denials worklist", DENIAL_COLUMNS, _with_patients(session, rows), total)]


def withheld_filter() -> Any:
    """Adjustments a contract does not explain (see the module text)."""
    return AdjustmentRow.reason_code.not_in(EXPECTED_CARCS)


def underpayments_report(session: Session, f: ReportFilter, *,
                         limit: int | None = None) -> list[Section]:
    """Claims paid something but less than expected (see the module text for the rule),
    largest shortfall first (only the first ``limit``), with the reason holding back most."""
    c = claims_table(session).c
    unaccounted = c.total_charge - c.paid_amount - c.adjusted_amount - c.patient_responsibility
    withheld_claims = (select(ClaimPaymentRow.claim_id)
                       .join(AdjustmentRow, AdjustmentRow.claim_payment_id == ClaimPaymentRow.id)
                       .where(ClaimPaymentRow.disposition == "current",
                              AdjustmentRow.group_code != "PR", withheld_filter()))
    claims = session.connection().execute(select(
        c.id, c.patient_control_number, c.payer_id, c.state, c.total_charge, c.paid_amount,
        c.service_from, c.submitted_on, c.last_paid_on, unaccounted.label("unaccounted"))
        .where(c.state.in_(("paid", "partially paid")), c.paid_amount > 0, *_claim_filter(f, c),
               or_(unaccounted > 0, c.id.in_(withheld_claims)))).all()
    withheld = _adjustments(session, [r.id for r in claims], withheld_filter())
    rows = []
    for r in claims:
        adjs = withheld.get(r.id, [])
        short = max(r.unaccounted, ZERO) + sum((a[2] for a in adjs), ZERO)
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
    total = len(rows)
    rows = rows if limit is None else rows[:limit]
    return [Page("underpayments", UNDERPAID_COLUMNS, _with_patients(session, rows), total)]


def patient_balances_named(session: Session, f: ReportFilter, *,
                           limit: int | None = None) -> list[Section]:
    """Claims where the patient owes something, largest balance first (only the first
    ``limit``), with the patient named."""
    c = claims_table(session).c
    conds = [c.patient_responsibility > 0, *_claim_filter(f, c)]
    q = (select(c.id, c.patient_control_number, c.payer_id, c.state, c.total_charge,
                c.paid_amount, c.patient_responsibility, c.last_paid_on).where(*conds)
         .order_by(c.patient_responsibility.desc(), c.patient_control_number, c.payer_id))
    rows = [{"claim_id": r.id, "patient_control_number": r.patient_control_number,
             "payer": r.payer_id, "state": r.state, "billed_amount": r.total_charge,
             "paid_amount": r.paid_amount, "patient_responsibility": r.patient_responsibility,
             "last_paid_on": r.last_paid_on}
            for r in session.connection().execute(q if limit is None else q.limit(limit))]
    total = len(rows) if limit is None or len(rows) < limit else _count(session, *conds)
    return [Page("patient balances", BALANCE_COLUMNS, _with_patients(session, rows), total)]
