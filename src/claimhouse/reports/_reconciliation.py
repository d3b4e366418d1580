"""Reconciliation reports over the store: claims, unmatched remits, A/R aging, patient
balances, denials by CARC/RARC (the summary, which shares the dashboard's paid vs expected
rule, is in :mod:`._dashboard`). Operator reports: identifiers and amounts, never names.

Every builder takes a :class:`ReportFilter` (``payer`` matches a payer id or name,
``since`` keeps claims whose service starts on or after it, remits paid on or after it)
and ``today`` (injected so reports are reproducible).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from claimhouse.codes import carc_description, rarc_description
from claimhouse.reports._slim import claims_table
from claimhouse.reports._table import Section
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimPaymentRow,
    RemittanceRow,
    ServicePaymentRow,
)

ZERO = Decimal("0.00")
BUCKETS = ("0-30", "31-60", "61-90", "91-120", "120+")
CLAIM_COLUMNS = ["patient_control_number", "state", "payer", "billed_amount", "paid_amount",
                 "patient_responsibility", "adjusted_amount", "unaccounted_amount",
                 "service_from", "submitted_on", "age_days", "last_paid_on"]


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which claims and remits a report covers."""

    payer: str | None = None
    since: date | None = None
    today: date = field(default_factory=date.today)


def _claim_filter(f: ReportFilter, c: Any) -> list[Any]:
    """The conditions of ``f`` on the claims columns ``c`` (``claims_table(session).c``)."""
    conds: list[Any] = []
    if f.payer:
        conds.append(or_(func.upper(c.payer_id) == f.payer.upper(),
                         func.upper(c.payer_name) == f.payer.upper()))
    if f.since:
        conds.append(or_(c.service_from >= f.since, c.service_from.is_(None)))
    return conds


def _remit_filter(f: ReportFilter) -> list[Any]:
    conds: list[Any] = []
    if f.payer:
        p = f.payer.upper()
        conds.append(or_(func.upper(RemittanceRow.payer_key) == p,
                         func.upper(RemittanceRow.payer_additional_id) == p,
                         func.upper(RemittanceRow.payer_id) == p,
                         func.upper(RemittanceRow.payer_name) == p))
    if f.since:
        conds.append(or_(RemittanceRow.payment_date >= f.since,
                         RemittanceRow.payment_date.is_(None)))
    return conds


def _age(r: Any, today: date) -> int | None:
    start = r.submitted_on or r.service_from
    return (today - start).days if start else None


def _claim_rows(session: Session, f: ReportFilter, *extra: Any) -> list[dict[str, Any]]:
    """Claims as report rows; ``extra`` are conditions on ``claims_table(session).c``."""
    c = claims_table(session).c
    rows = []
    for r in session.connection().execute(select(
            c.id, c.patient_control_number, c.state, c.payer_id, c.total_charge,
            c.paid_amount, c.patient_responsibility, c.adjusted_amount, c.service_from,
            c.submitted_on, c.last_paid_on).where(*_claim_filter(f, c), *extra)
            .order_by(c.patient_control_number, c.payer_id)):
        rows.append({
            "claim_id": r.id, "patient_control_number": r.patient_control_number,
            "state": r.state,
            "payer": r.payer_id, "billed_amount": r.total_charge, "paid_amount": r.paid_amount,
            "patient_responsibility": r.patient_responsibility,
            "adjusted_amount": r.adjusted_amount,
            "unaccounted_amount": (r.total_charge - r.paid_amount - r.adjusted_amount
                                   - r.patient_responsibility),
            "service_from": r.service_from, "submitted_on": r.submitted_on,
            "age_days": _age(r, f.today), "last_paid_on": r.last_paid_on})
    return rows


def _unmatched_rows(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    return [{
        "patient_control_number": r.patient_control_number, "state": "unmatched remit",
        "payer": r.payer_additional_id or r.payer_id or r.payer_key,
        "billed_amount": r.total_charge, "paid_amount": r.paid_amount,
        "patient_responsibility": r.patient_responsibility or ZERO, "status_code": r.status_code,
        "payer_claim_control_number": r.payer_claim_control_number,
        "trace_number": r.trace_number, "payment_date": r.payment_date,
        "last_paid_on": r.payment_date}
        for r in session.connection().execute(select(
            ClaimPaymentRow.patient_control_number, ClaimPaymentRow.total_charge,
            ClaimPaymentRow.paid_amount, ClaimPaymentRow.patient_responsibility,
            ClaimPaymentRow.status_code, ClaimPaymentRow.payer_claim_control_number,
            RemittanceRow.payer_key, RemittanceRow.payer_additional_id, RemittanceRow.payer_id,
            RemittanceRow.trace_number, RemittanceRow.payment_date)
            .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
            .where(ClaimPaymentRow.claim_id.is_(None), *_remit_filter(f))
            .order_by(ClaimPaymentRow.patient_control_number, ClaimPaymentRow.id))]


def claims_report(session: Session, f: ReportFilter) -> list[Section]:
    """One row per claim (and per unmatched remit): state, billed, paid net of
    reversals, patient responsibility, adjustments, what is unaccounted, age."""
    rows = _claim_rows(session, f) + _unmatched_rows(session, f)
    rows.sort(key=lambda r: (r["patient_control_number"], r["payer"] or ""))
    return [Section("claims", CLAIM_COLUMNS, rows)]


def unmatched_report(session: Session, f: ReportFilter) -> list[Section]:
    """Claim payments no submitted claim was found for."""
    return [Section("unmatched remits", [
        "patient_control_number", "payer", "status_code", "billed_amount", "paid_amount",
        "patient_responsibility", "payer_claim_control_number", "trace_number",
        "payment_date"], _unmatched_rows(session, f))]


def patient_balances_report(session: Session, f: ReportFilter) -> list[Section]:
    """Claims where the patient owes something (CLP05 / PR adjustments)."""
    rows = _claim_rows(session, f, claims_table(session).c.patient_responsibility > 0)
    return [Section("patient balances", ["patient_control_number", "payer", "state",
                                         "billed_amount", "paid_amount",
                                         "patient_responsibility", "last_paid_on"], rows)]


def aging_report(session: Session, f: ReportFilter) -> list[Section]:
    """A/R aging: what payers still owe (pending and partially paid claims, the amount not
    yet paid, adjusted or assigned to the patient) by payer and age since submission."""
    table: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, ZERO))
    counts: dict[str, int] = defaultdict(int)
    c = claims_table(session).c
    start = func.coalesce(c.submitted_on, c.service_from)
    bucket = case(  # age <= 30 days <=> started on or after today - 30 days
        (or_(start.is_(None), start >= f.today - timedelta(days=30)), 0),
        (start >= f.today - timedelta(days=60), 1),
        (start >= f.today - timedelta(days=90), 2),
        (start >= f.today - timedelta(days=120), 3), else_=4).label("bucket")
    for payer, b, n, amount in session.connection().execute(
            select(c.payer_id, bucket, func.count(), func.sum(
                c.total_charge - c.paid_amount - c.adjusted_amount - c.patient_responsibility))
            .where(c.state.in_(("pending", "partially paid")), *_claim_filter(f, c))
            .group_by(c.payer_id, bucket)):
        table[payer][BUCKETS[b]] += amount
        counts[payer] += n
    rows: list[dict[str, Any]] = [
        {"payer": payer, "claims": counts[payer], **amounts,
         "total": sum(amounts.values(), ZERO)} for payer, amounts in sorted(table.items())]
    if rows:
        totals = {b: sum((amounts[b] for amounts in table.values()), ZERO) for b in BUCKETS}
        rows.append({"payer": "TOTAL", "claims": sum(counts.values()), **totals,
                     "total": sum(totals.values(), ZERO)})
    return [Section("accounts receivable aging", ["payer", "claims", *BUCKETS, "total"],
                    rows)]


def denials_report(session: Session, f: ReportFilter) -> list[Section]:
    """Denied money grouped by CARC (with group code) and by RARC, with descriptions:
    adjustments of current payments on denied claims (CLP02 4) and of zero-paid lines."""
    conn = session.connection()
    claims = claims_table(session)
    c = claims.c
    base = (select(ClaimPaymentRow.id).join(claims, c.id == ClaimPaymentRow.claim_id)
            .where(ClaimPaymentRow.disposition == "current", *_claim_filter(f, c)))
    is_denied = or_(ClaimPaymentRow.status_code == "4", c.state == "denied")
    denied_claims = base.where(is_denied)
    # a zero-paid line the patient owes (deductible) is not a denial
    patient_owes = (select(AdjustmentRow.service_payment_id)
                    .where(AdjustmentRow.group_code == "PR",
                           AdjustmentRow.service_payment_id.is_not(None)))
    carc: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [set(), ZERO])
    columns = (AdjustmentRow.group_code, AdjustmentRow.reason_code, AdjustmentRow.amount,
               AdjustmentRow.claim_payment_id)
    current = (ClaimPaymentRow.disposition == "current", *_claim_filter(f, c))
    # every adjustment of a denied payment, and (the others) those of zero-paid lines
    denied_q = (select(*columns)
                .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
                .join(claims, c.id == ClaimPaymentRow.claim_id).where(is_denied, *current))
    lines_q = (select(*columns)
               .join(ServicePaymentRow, ServicePaymentRow.id == AdjustmentRow.service_payment_id)
               .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
               .join(claims, c.id == ClaimPaymentRow.claim_id)
               .where(~is_denied, *current, ServicePaymentRow.paid_amount == 0,
                      ServicePaymentRow.charge > 0, ~ServicePaymentRow.id.in_(patient_owes)))
    for q in (denied_q, lines_q):
        for r in conn.execute(q):
            entry = carc[(r.group_code, r.reason_code)]
            entry[0].add(r.claim_payment_id)
            entry[1] += r.amount
    rarc: dict[str, set[int]] = defaultdict(set)
    for cp_id, remarks in conn.execute(select(ClaimPaymentRow.id, ClaimPaymentRow.remark_codes)
                                       .where(ClaimPaymentRow.id.in_(denied_claims))):
        for code in (remarks or "").split(","):
            if code:
                rarc[code].add(cp_id)
    for cp_id, remarks in conn.execute(
            select(ServicePaymentRow.claim_payment_id, ServicePaymentRow.remark_codes)
            .where(ServicePaymentRow.claim_payment_id.in_(base),
                   ServicePaymentRow.remark_codes.is_not(None))):
        for code in (remarks or "").split(","):
            if code:
                rarc[code].add(cp_id)
    carc_rows = sorted(({"group": g, "carc": c, "description": carc_description(c),
                         "payments": len(v[0]), "amount": v[1]}
                        for (g, c), v in carc.items()),
                       key=lambda r: (-r["amount"], r["group"], r["carc"]))
    rarc_rows = [{"rarc": code, "description": rarc_description(code),
                  "payments": len(ids)} for code, ids in sorted(rarc.items())]
    return [Section("denials by CARC", ["group", "carc", "description", "payments", "amount"],
                    carc_rows),
            Section("denials by RARC", ["rarc", "description", "payments"], rarc_rows)]


REPORTS = {
    "claims": claims_report,
    "denials": denials_report,
    "unmatched": unmatched_report,
    "aging": aging_report,
    "patient-balances": patient_balances_report,
}
"""The plain reconciliation reports (``summary`` and the worklists live in
:mod:`._dashboard` and :mod:`._worklists`; :mod:`._render` names them all)."""
