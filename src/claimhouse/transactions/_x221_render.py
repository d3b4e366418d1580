"""How 835 Remittance models render for `claimhouse parse`: JSON, JSON lines, CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimhouse.models import ClaimPayment, PaymentAdjustment, Remittance, ServicePayment, to_json
from claimhouse.transactions._model_json import json_encoder_for

JsonRecord = dict[str, Any]

CSV_COLUMNS: tuple[str, ...] = (
    "payer_name", "payer_identifier", "payee_name", "payee_identifier", "trace_number",
    "payment_date", "payment_amount", "patient_control_number", "status_code",
    "total_charge", "paid_amount", "patient_responsibility", "claim_filing_indicator",
    "payer_claim_control_number", "claim_adjustments", "procedure_qualifier",
    "procedure_code", "modifiers", "revenue_code", "line_charge", "line_paid_amount",
    "units", "service_date", "line_item_control_number", "line_adjustments",
    "remark_codes",
)


def remittance_to_json(remittance: Remittance) -> JsonRecord:
    """The JSON object of one remittance (amounts as strings, dates ISO 8601)."""
    return json_encoder_for(Remittance)(remittance)


def payment_context(remittance: Remittance) -> JsonRecord:
    """What each jsonl claim line repeats from its remittance: payer and payment."""
    ctx: JsonRecord = {}
    if remittance.payer is not None:
        ctx["payer"] = {k: v for k, v in (("name", remittance.payer.name),
                                          ("identifier", remittance.payer.identifier))
                        if v is not None}
    p = remittance.payment
    if p is not None:
        ctx["payment"] = {k: to_json(v) for k, v in (
            ("trace_number", p.trace_number), ("date", p.date), ("amount", p.amount),
            ("method", p.method)) if v is not None}
    return ctx


_CLAIM_JSON = json_encoder_for(ClaimPayment)


def claim_record(claim: ClaimPayment, context: JsonRecord) -> JsonRecord:
    """One jsonl record: the remittance context, then the claim's fields."""
    rec: JsonRecord = dict(context)
    rec.update(_CLAIM_JSON(claim))
    return rec


def jsonl_records(remittance: Remittance) -> Iterator[JsonRecord]:
    """One record per claim payment, with its remittance's payer and payment."""
    ctx = payment_context(remittance)
    for claim in remittance.claims():
        yield claim_record(claim, ctx)


def _adjustments(adjs: list[PaymentAdjustment]) -> str:
    return " ".join(f"{a.group_code or ''}-{a.reason_code or ''}:{a.amount or ''}"
                    for a in adjs)


def _s(value: Any) -> str:
    return "" if value is None else str(to_json(value))


def _line(row: JsonRecord, line: ServicePayment | None) -> JsonRecord:
    if line is None:
        return row
    row = dict(row)
    row.update({
        "procedure_qualifier": _s(line.procedure_qualifier),
        "procedure_code": _s(line.procedure_code),
        "modifiers": " ".join(line.modifiers),
        "revenue_code": _s(line.revenue_code),
        "line_charge": _s(line.charge),
        "line_paid_amount": _s(line.paid_amount),
        "units": _s(line.units),
        "service_date": _s(line.service_date or line.service_start_date),
        "line_item_control_number": _s(line.line_item_control_number),
        "line_adjustments": _adjustments(line.adjustments),
        "remark_codes": " ".join(r.code or "" for r in line.remark_codes),
    })
    return row


def csv_rows(remittance: Remittance) -> Iterator[JsonRecord]:
    """One row per service line (a claim without lines gives one row), claim and payment
    fields repeated on each."""
    payer, payee, pay = remittance.payer, remittance.payee, remittance.payment
    base = {c: "" for c in CSV_COLUMNS}
    base.update({
        "payer_name": _s(payer and payer.name), "payer_identifier": _s(payer and payer.identifier),
        "payee_name": _s(payee and payee.name), "payee_identifier": _s(payee and payee.identifier),
        "trace_number": _s(pay and pay.trace_number), "payment_date": _s(pay and pay.date),
        "payment_amount": _s(pay and pay.amount),
    })
    for claim in remittance.claims():
        row = dict(base)
        row.update({
            "patient_control_number": _s(claim.patient_control_number),
            "status_code": _s(claim.status_code), "total_charge": _s(claim.total_charge),
            "paid_amount": _s(claim.paid_amount),
            "patient_responsibility": _s(claim.patient_responsibility),
            "claim_filing_indicator": _s(claim.claim_filing_indicator),
            "payer_claim_control_number": _s(claim.payer_claim_control_number),
            "claim_adjustments": _adjustments(claim.adjustments),
        })
        if not claim.service_lines:
            yield row
        for line in claim.service_lines:
            yield _line(row, line)
