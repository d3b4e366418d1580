"""``claimhouse explain PCN``: the claims carrying a patient control number, every payment
posted against it (or waiting unmatched under it), linked PLB recoveries, and every match
decision recorded for it, oldest first, with its rule and reason."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from claimhouse.reports._table import Section
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ProviderAdjustmentRow,
    RemittanceRow,
    ServiceLineRow,
    ServicePaymentRow,
)


def explain(session: Session, pcn: str) -> list[Section]:
    """Everything the store knows and decided about ``pcn`` (empty sections: nothing)."""
    conn = session.connection()
    claims = conn.execute(select(ClaimRow).where(ClaimRow.patient_control_number == pcn)
                          .order_by(ClaimRow.id)).all()
    claim_ids = [c.id for c in claims]
    claim_rows = [{"claim": c.id, "payer": c.payer_id, "state": c.state,
                   "billed_amount": c.total_charge, "paid_amount": c.paid_amount,
                   "patient_responsibility": c.patient_responsibility,
                   "adjusted_amount": c.adjusted_amount, "service_from": c.service_from,
                   "frequency_code": c.frequency_code} for c in claims]
    payments = conn.execute(
        select(ClaimPaymentRow, RemittanceRow.payer_key, RemittanceRow.trace_number,
               RemittanceRow.payment_date)
        .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
        .where(or_(ClaimPaymentRow.patient_control_number == pcn,
                   ClaimPaymentRow.claim_id.in_(claim_ids)))
        .order_by(RemittanceRow.payment_date, RemittanceRow.trace_number,
                  ClaimPaymentRow.position)).all()
    payment_rows = [{"payment": p.id, "claim": p.claim_id, "payer": p.payer_key,
                     "trace_number": p.trace_number, "payment_date": p.payment_date,
                     "status_code": p.status_code, "billed_amount": p.total_charge,
                     "paid_amount": p.paid_amount,
                     "payer_claim_control_number": p.payer_claim_control_number,
                     "disposition": p.disposition, "rule": p.match_rule} for p in payments]
    lines = conn.execute(
        select(ServicePaymentRow.id, ServicePaymentRow.claim_payment_id,
               ServicePaymentRow.procedure_code, ServicePaymentRow.original_procedure_code,
               ServicePaymentRow.charge, ServicePaymentRow.paid_amount,
               ServicePaymentRow.match_rule, ServiceLineRow.position.label("line"))
        .outerjoin(ServiceLineRow, ServiceLineRow.id == ServicePaymentRow.service_line_id)
        .where(ServicePaymentRow.claim_payment_id.in_([p.id for p in payments]))
        .order_by(ServicePaymentRow.claim_payment_id, ServicePaymentRow.position)).all()
    line_rows = [{"payment": ln.claim_payment_id, "service_payment": ln.id,
                  "procedure": ln.procedure_code, "submitted_as": ln.original_procedure_code,
                  "charge": ln.charge, "paid_amount": ln.paid_amount, "line": ln.line,
                  "rule": ln.match_rule} for ln in lines]
    plbs = conn.execute(select(ProviderAdjustmentRow).where(
        ProviderAdjustmentRow.claim_id.in_(claim_ids))).all()
    plb_rows = [{"remittance": p.remittance_id, "reason": p.reason_code,
                 "amount": p.amount, "rule": p.match_rule} for p in plbs]
    records = conn.execute(select(MatchRecordRow).where(or_(
        MatchRecordRow.patient_control_number == pcn, MatchRecordRow.claim_id.in_(claim_ids)))
        .order_by(MatchRecordRow.id)).all()
    record_rows = [{"run": r.run_id, "level": r.level, "payment": r.claim_payment_id,
                    "service_payment": r.service_payment_id, "decision": r.decision,
                    "rule": r.rule, "reason": r.reason} for r in records]
    return [
        Section("claims", ["claim", "payer", "state", "billed_amount", "paid_amount",
                           "patient_responsibility", "adjusted_amount", "service_from",
                           "frequency_code"], claim_rows),
        Section("payments", ["payment", "claim", "payer", "trace_number", "payment_date",
                             "status_code", "billed_amount", "paid_amount",
                             "payer_claim_control_number", "disposition", "rule"],
                payment_rows),
        Section("service payments", ["payment", "service_payment", "procedure",
                                     "submitted_as", "charge", "paid_amount", "line", "rule"],
                line_rows),
        Section("provider adjustments", ["remittance", "reason", "amount", "rule"], plb_rows),
        Section("decisions", ["run", "level", "payment", "service_payment", "decision",
                              "rule", "reason"], record_rows),
    ]
