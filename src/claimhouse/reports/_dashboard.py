"""The dashboard: the headline totals, paid vs expected per payer, days to payment, and
every other section a biller looks at (A/R aging, denials by CARC, the worklists), all
aggregated in SQL over a slim copy of the claims (:mod:`claimhouse.reports._slim`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from claimhouse.reports._reconciliation import (
    ZERO,
    ReportFilter,
    _claim_filter,
    _remit_filter,
    aging_report,
    denials_report,
    unmatched_report,
)
from claimhouse.reports._slim import claims_table, slim_claims
from claimhouse.reports._table import Section
from claimhouse.reports._worklists import (
    Page,
    denial_worklist,
    patient_balances_named,
    underpayments_report,
    withheld_filter,
)
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimPaymentRow,
    ProviderAdjustmentRow,
    RemittanceRow,
)

DAY_BINS = ((0, 14, "0-14"), (15, 30, "15-30"), (31, 45, "31-45"), (46, 60, "46-60"),
            (61, 90, "61-90"), (91, 120, "91-120"), (121, None, "121+"))
ADJUDICATED = ("paid", "partially paid", "denied")
"""The claims paid vs expected covers: an overpaid claim's duplicate payment doubles its
write-offs, so it would distort the comparison (the claims report lists them)."""
TOTAL_COLUMNS = ["claims", "billed", "paid", "adjusted", "patient_responsibility",
                 "outstanding", "denied_claims", "unmatched_remits", "unmatched_paid"]


def paid_vs_expected(session: Session, f: ReportFilter) -> list[Section]:
    """Per payer, over adjudicated claims (paid, partially paid, denied): billed, the
    contractual write-off, expected (see :mod:`._worklists`), paid and paid - expected."""
    conn = session.connection()
    claims = claims_table(session)
    c = claims.c
    adjudicated = c.state.in_(ADJUDICATED)
    held: dict[str, Decimal] = {payer: amount or ZERO for payer, amount in conn.execute(
        select(c.payer_id, func.sum(AdjustmentRow.amount))
        .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
        .join(claims, c.id == ClaimPaymentRow.claim_id)
        .where(ClaimPaymentRow.disposition == "current", AdjustmentRow.group_code != "PR",
               withheld_filter(), adjudicated, *_claim_filter(f, c))
        .group_by(c.payer_id))}
    rows: list[dict[str, Any]] = []
    for payer, n, billed, paid, pr, adjusted in conn.execute(
            select(c.payer_id, func.count(), func.sum(c.total_charge), func.sum(c.paid_amount),
                   func.sum(c.patient_responsibility), func.sum(c.adjusted_amount))
            .where(adjudicated, *_claim_filter(f, c)).group_by(c.payer_id)
            .order_by(c.payer_id)):
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


def summary_report(session: Session, f: ReportFilter) -> list[Section]:
    """Claims by state, paid vs expected per payer (the dashboard's rule, see
    :func:`paid_vs_expected`), and remittance totals (aggregated in SQL: the same cost for
    ten claims or a million)."""
    conn = session.connection()
    c = claims_table(session).c
    states: list[dict[str, Any]] = [
        {"state": st, "claims": n, "billed": billed or ZERO, "paid": paid or ZERO,
         "patient_responsibility": pr or ZERO}
        for st, n, billed, paid, pr in conn.execute(
            select(c.state, func.count(), func.sum(c.total_charge), func.sum(c.paid_amount),
                   func.sum(c.patient_responsibility))
            .where(*_claim_filter(f, c)).group_by(c.state))]
    n_unmatched, u_billed, u_paid, u_pr = conn.execute(select(
        func.count(), func.sum(ClaimPaymentRow.total_charge),
        func.sum(ClaimPaymentRow.paid_amount), func.sum(ClaimPaymentRow.patient_responsibility))
        .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
        .where(ClaimPaymentRow.claim_id.is_(None), *_remit_filter(f))).one()
    if n_unmatched:
        states.append({"state": "unmatched remit", "claims": n_unmatched,
                       "billed": u_billed or ZERO, "paid": u_paid or ZERO,
                       "patient_responsibility": u_pr or ZERO})
    states.sort(key=lambda r: str(r["state"]))
    totals = _remittance_totals(session, f)
    totals.update(unmatched_remits=n_unmatched, unmatched_paid=u_paid or ZERO)
    return [Section("claims by state", ["state", "claims", "billed", "paid",
                                        "patient_responsibility"], states),
            *paid_vs_expected(session, f),
            Section("remittances", ["remittances", "payment_total", "claim_payments_total",
                                    "provider_adjustments_total",
                                    "provider_adjustments_linked", "unmatched_remits",
                                    "unmatched_paid"], [totals])]


def _remittance_totals(session: Session, f: ReportFilter) -> dict[str, Any]:
    conn = session.connection()
    conds = _remit_filter(f)
    n, bpr = conn.execute(select(func.count(), func.sum(RemittanceRow.payment_amount))
                          .where(*conds)).one()
    clp = conn.execute(select(func.sum(ClaimPaymentRow.paid_amount)).join(
        RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id).where(*conds)
    ).scalar_one()
    plb, linked = conn.execute(select(
        func.sum(ProviderAdjustmentRow.amount), func.count(ProviderAdjustmentRow.claim_id))
        .join(RemittanceRow, RemittanceRow.id == ProviderAdjustmentRow.remittance_id)
        .where(*conds)).one()
    return {"remittances": n, "payment_total": bpr or ZERO, "claim_payments_total": clp or ZERO,
            "provider_adjustments_total": plb or ZERO, "provider_adjustments_linked": linked}


def _days_between(dialect: str, start: Any, end: Any) -> Any:
    if dialect == "sqlite":
        return cast(func.julianday(end) - func.julianday(start), Integer)
    return end - start  # PostgreSQL: date - date is a number of days


def days_to_payment(session: Session, f: ReportFilter) -> list[Section]:
    """How long payers took: days from submission (or service) to a claim's first payment
    date, counted per day in SQL, then binned, with the median."""
    conn = session.connection()
    claims = claims_table(session)
    c = claims.c
    first = (select(ClaimPaymentRow.claim_id.label("claim_id"),
                    func.min(RemittanceRow.payment_date).label("paid_on"))
             .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
             .where(ClaimPaymentRow.claim_id.is_not(None), ClaimPaymentRow.paid_amount > 0)
             .group_by(ClaimPaymentRow.claim_id).subquery())
    days = _days_between(conn.dialect.name, func.coalesce(c.submitted_on, c.service_from),
                         first.c.paid_on).label("days")
    per_day = sorted((max(int(d), 0), int(n)) for d, n in conn.execute(
        select(days, func.count()).select_from(claims).join(first, first.c.claim_id == c.id)
        .where(days.is_not(None), *_claim_filter(f, c)).group_by(days)))
    counts = dict.fromkeys((b[2] for b in DAY_BINS), 0)
    for d, n in per_day:
        counts[next(label for _, hi, label in DAY_BINS if hi is None or d <= hi)] += n
    return [Section("days to payment", ["days", "claims", "median_days"],
                    [{"days": label, "claims": n, "median_days": _median(per_day)}
                     for label, n in counts.items()])]


def _median(per_day: list[tuple[int, int]]) -> Decimal | None:
    total = sum(n for _, n in per_day)
    if not total:
        return None
    values = []
    for k in ((total - 1) // 2, total // 2):
        seen = 0
        for d, n in per_day:
            seen += n
            if k < seen:
                values.append(d)
                break
    return (Decimal(values[0] + values[1]) / 2).quantize(Decimal("0.1"))


def totals_report(session: Session, f: ReportFilter) -> list[Section]:
    """The headline figures: claims, billed, paid (net of reversals), adjusted, patient
    responsibility, outstanding (what payers still owe on pending and partially paid
    claims: the A/R aging total), denied claims, unmatched remits."""
    conn = session.connection()
    c = claims_table(session).c
    open_amount = c.total_charge - c.paid_amount - c.adjusted_amount - c.patient_responsibility
    states: dict[str, tuple[Any, ...]] = {
        r[0]: tuple(r[1:]) for r in conn.execute(select(
            c.state, func.count(), func.sum(c.total_charge), func.sum(c.paid_amount),
            func.sum(c.adjusted_amount), func.sum(c.patient_responsibility),
            func.sum(open_amount)).where(*_claim_filter(f, c)).group_by(c.state))}

    def total(i: int, only: tuple[str, ...] | None = None) -> Any:
        return sum((v[i] or 0 for s, v in states.items() if only is None or s in only),
                   ZERO if i else 0)

    unmatched = unmatched_report(session, f)[0].rows
    return [Section("totals", TOTAL_COLUMNS, [{
        "claims": total(0), "billed": total(1), "paid": total(2), "adjusted": total(3),
        "patient_responsibility": total(4),
        "outstanding": total(5, ("pending", "partially paid")),
        "denied_claims": total(0, ("denied",)), "unmatched_remits": len(unmatched),
        "unmatched_paid": sum((u["paid_amount"] for u in unmatched), ZERO)}])]


def dashboard_report(session: Session, f: ReportFilter, *,
                     limit: int | None = None) -> list[Section]:
    """Everything a biller looks at: totals, A/R aging, denials by CARC, paid vs expected,
    days to payment, and the worklists (denials, underpayments, unmatched remits, patient
    balances; only their first ``limit`` rows when given)."""
    with slim_claims(session):
        unmatched = unmatched_report(session, f)[0]
        unmatched.rows.sort(key=lambda x: (-x["paid_amount"], x["patient_control_number"]))
        total = len(unmatched.rows)
        rows = unmatched.rows if limit is None else unmatched.rows[:limit]
        return [*totals_report(session, f), *aging_report(session, f),
                denials_report(session, f)[0], *paid_vs_expected(session, f),
                *days_to_payment(session, f), *denial_worklist(session, f, limit=limit),
                *underpayments_report(session, f, limit=limit),
                Page(unmatched.title, unmatched.columns, rows, total),
                *patient_balances_named(session, f, limit=limit)]
