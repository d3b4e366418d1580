"""Converters between the domain models and the store's rows (plain dicts for bulk
inserts, so 100,000 claims load with a few executemany calls instead of ORM objects).

Claims keep their whole model as JSON (``claims.document``) and come back losslessly;
remittances come back from their columns (the 2100/2110 fields the store keeps).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import orjson

from claimhouse.models import Claim, ClaimKind, from_json
from claimhouse.models._remittance import (
    Payment,
    ProviderAdjustment,
    ProviderAdjustmentAmount,
    Remittance,
    RemittancePayee,
    RemittancePayer,
)
from claimhouse.models._remittance_claim import ClaimPayment, PaymentAdjustment, ServicePayment
from claimhouse.models._remittance_parts import EntityName, ReferenceId, RemarkCode
from claimhouse.store._document import compact_json

Row = dict[str, Any]
ZERO = Decimal("0.00")


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def claim_document(claim: Claim) -> str:
    """The claim as compact model JSON: amounts as strings, dates ISO 8601, fields at their
    default (``None``, ``[]``) left out - :func:`from_json` restores them."""
    return compact_json(claim)


def claim_from_document(document: str) -> Claim:
    """The claim model back from ``claims.document``."""
    return from_json(Claim, orjson.loads(document))


def _mods(modifiers: Iterable[str]) -> str | None:
    joined = ":".join(m for m in modifiers if m)
    return joined or None


def claim_row(claim: Claim, kind: ClaimKind, submitted_on: date | None,
              file_id: int | None) -> Row:
    """The ``claims`` row of an 837 loop 2300 (payer from 2010BB, SBR01 from 2000B)."""
    dates = [d for line in claim.service_lines
             for d in (line.service_date, line.service_date_end) if d is not None]
    dates += [d for d in (claim.statement_from, claim.statement_to) if d is not None]
    return {
        "file_id": file_id,
        "patient_control_number": claim.patient_control_number,
        "payer_id": claim.payer.id,
        "payer_name": claim.payer.name[:120],
        "payer_responsibility": claim.subscriber.payer_responsibility,
        "kind": kind.value,
        "frequency_code": claim.frequency_code,
        "total_charge": claim.total_charge,
        "service_from": min(dates) if dates else None,
        "service_to": max(dates) if dates else None,
        "submitted_on": submitted_on,
        "billing_npi": claim.billing_provider.npi,
        "other_payer_ids": other_payer_ids(claim),
        "document": claim_document(claim),
        "state": "pending",
        "paid_amount": ZERO,
        "patient_responsibility": ZERO,
        "adjusted_amount": ZERO,
        "dirty": True,
    }


def other_payer_ids(claim: Claim) -> str | None:
    """The claim's other payers (2330B NM109), comma-separated, for ``claims``."""
    ids = ",".join(dict.fromkeys(p.payer_id for p in claim.other_payers if p.payer_id))
    return ids[:200] or None


def line_rows(claim: Claim, claim_id: int) -> list[Row]:
    """The ``service_lines`` rows of a claim's loop 2400s."""
    rows = []
    for position, line in enumerate(claim.service_lines, start=1):
        proc = line.procedure
        rows.append({
            "claim_id": claim_id,
            "position": line.line_number or position,
            "line_item_control_number": line.line_item_control_number,
            "procedure_qualifier": proc.qualifier if proc else None,
            "procedure_code": proc.code if proc else None,
            "modifiers": _mods(proc.modifiers) if proc else None,
            "revenue_code": line.revenue_code,
            "service_date": line.service_date or claim.statement_from,
            "service_date_end": line.service_date_end,
            "charge": line.charge,
            "units": line.units,
            "paid_amount": ZERO,
        })
    return rows


def payer_key(remittance: Remittance) -> str:
    """Who pays, for the never-post-twice key: TRN03 (payer id, usually 1 + EIN), else the
    1000A payer id (N104 / REF*2U), else its name."""
    pay = remittance.payment
    payer = remittance.payer
    for value in (pay.trace_originator if pay else None,
                  payer.identifier if payer else None,
                  _ref(payer.references, "2U") if payer else None,
                  payer.name if payer else None):
        if value:
            return value[:80]
    return "unknown"


def _ref(refs: Iterable[ReferenceId], qualifier: str) -> str | None:
    return next((r.value for r in refs if r.qualifier == qualifier and r.value), None)


def remittance_row(remittance: Remittance, file_id: int | None) -> Row:
    """The ``remittances`` row: BPR, TRN, 1000A, 1000B."""
    pay = remittance.payment or Payment()
    payer = remittance.payer or RemittancePayer()
    payee = remittance.payee or RemittancePayee()
    return {
        "file_id": file_id,
        "payer_key": payer_key(remittance),
        "trace_number": pay.trace_number,
        "payer_name": (payer.name or "")[:120] or None,
        "payer_id": payer.identifier,
        "payer_additional_id": _ref(payer.references, "2U"),
        "payee_name": (payee.name or "")[:120] or None,
        "payee_id": payee.identifier,
        "payment_amount": pay.amount if pay.amount is not None else ZERO,
        "credit_debit": pay.credit_debit,
        "method": pay.method,
        "payment_date": pay.date,
        "production_date": remittance.production_date,
        "claim_count": sum(1 for _ in remittance.claims()),
    }


def _remarks(codes: Iterable[str | None]) -> str | None:
    joined = ",".join(c for c in codes if c)
    return joined[:200] or None


def claim_payment_row(cp: ClaimPayment, remittance_id: int, position: int) -> Row:
    """The ``claim_payments`` row of a loop 2100 (CLP, NM1*TT, MOA/MIA remark codes)."""
    remarks: list[str | None] = []
    if cp.outpatient:
        remarks += cp.outpatient.remark_codes
    if cp.inpatient:
        remarks += [cp.inpatient.remark_code, *cp.inpatient.remark_codes]
    tt = cp.crossover_carrier
    return {
        "remittance_id": remittance_id,
        "position": position,
        "patient_control_number": cp.patient_control_number or "",
        "status_code": cp.status_code or "",
        "total_charge": cp.total_charge if cp.total_charge is not None else ZERO,
        "paid_amount": cp.paid_amount if cp.paid_amount is not None else ZERO,
        "patient_responsibility": cp.patient_responsibility,
        "filing_indicator": cp.claim_filing_indicator,
        "payer_claim_control_number": cp.payer_claim_control_number,
        "frequency_code": cp.claim_frequency_code,
        "statement_from": cp.statement_from_date,
        "statement_to": cp.statement_to_date,
        "crossover_id": tt.identifier if tt else None,
        "crossover_name": (tt.last_name or "")[:120] or None if tt else None,
        "remark_codes": _remarks(remarks),
        "claim_id": None,
        "disposition": "unmatched",
        "match_rule": None,
    }


def service_payment_row(sp: ServicePayment, claim_payment_id: int, position: int) -> Row:
    """The ``service_payments`` row of a loop 2110 (SVC with SVC06, DTM, REF*6R, LQ*HE)."""
    return {
        "claim_payment_id": claim_payment_id,
        "position": position,
        "procedure_qualifier": sp.procedure_qualifier,
        "procedure_code": sp.procedure_code,
        "modifiers": _mods(sp.modifiers),
        "original_procedure_code": sp.original_procedure_code,
        "original_modifiers": _mods(sp.original_modifiers),
        "revenue_code": sp.revenue_code,
        "charge": sp.charge if sp.charge is not None else ZERO,
        "paid_amount": sp.paid_amount if sp.paid_amount is not None else ZERO,
        "units": sp.units,
        "service_date": sp.service_date or sp.service_start_date,
        "service_date_end": sp.service_end_date,
        "line_item_control_number": sp.line_item_control_number,
        "remark_codes": _remarks(r.code for r in sp.remark_codes if r.qualifier == "HE"),
        "service_line_id": None,
        "match_rule": None,
    }


def adjustment_rows(adjustments: Iterable[PaymentAdjustment], claim_payment_id: int,
                    service_payment_id: int | None) -> list[Row]:
    """``adjustments`` rows of CAS triplets (2100 claim level or 2110 line level)."""
    return [{"claim_payment_id": claim_payment_id, "service_payment_id": service_payment_id,
             "group_code": a.group_code or "", "reason_code": a.reason_code or "",
             "amount": a.amount if a.amount is not None else ZERO, "quantity": a.quantity}
            for a in adjustments]


def provider_adjustment_rows(remittance: Remittance, remittance_id: int) -> list[Row]:
    """``provider_adjustments`` rows: one per PLB03/05/... triplet (reason:reference)."""
    rows = []
    position = 0
    for plb in remittance.provider_adjustments:
        for item in plb.adjustments:
            position += 1
            rows.append({
                "remittance_id": remittance_id, "position": position,
                "provider_identifier": plb.provider_identifier,
                "fiscal_period_date": plb.fiscal_period_date,
                "reason_code": item.reason_code or "", "reference": item.reference,
                "amount": item.amount if item.amount is not None else ZERO,
                "claim_id": None, "match_rule": None,
            })
    return rows


def _split(value: str | None, sep: str = ":") -> list[str]:
    return [v for v in (value or "").split(sep) if v]


def _plain(value: Decimal | None) -> Decimal | None:
    """A quantity without the column's trailing zeros (1.000 -> 1, 2.500 -> 2.5)."""
    if value is None:
        return None
    plain = value.normalize()
    exponent = plain.as_tuple().exponent
    return plain.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else plain


def adjustment_model(row: Any) -> PaymentAdjustment:
    return PaymentAdjustment(group_code=row.group_code, reason_code=row.reason_code,
                             amount=row.amount, quantity=row.quantity)


def service_payment_model(row: Any, adjustments: list[Any]) -> ServicePayment:
    """A 2110 model back from a ``service_payments`` row and its adjustment rows."""
    refs = ([ReferenceId("6R", row.line_item_control_number)]
            if row.line_item_control_number else [])
    return ServicePayment(
        procedure_qualifier=row.procedure_qualifier, procedure_code=row.procedure_code,
        modifiers=_split(row.modifiers), charge=row.charge, paid_amount=row.paid_amount,
        revenue_code=row.revenue_code, units=_plain(row.units),
        original_procedure_code=row.original_procedure_code,
        original_modifiers=_split(row.original_modifiers),
        service_date=row.service_date if row.service_date_end is None else None,
        service_start_date=row.service_date if row.service_date_end is not None else None,
        service_end_date=row.service_date_end,
        adjustments=[adjustment_model(a) for a in adjustments], references=refs,
        remark_codes=[RemarkCode("HE", c) for c in _split(row.remark_codes, ",")])


def claim_payment_model(row: Any, adjustments: list[Any],
                        lines: list[ServicePayment]) -> ClaimPayment:
    """A 2100 model back from a ``claim_payments`` row, its claim-level CAS and 2110s."""
    tt = (EntityName(entity_type="2", last_name=row.crossover_name, id_qualifier="PI",
                     identifier=row.crossover_id)
          if row.crossover_id or row.crossover_name else None)
    return ClaimPayment(
        patient_control_number=row.patient_control_number, status_code=row.status_code,
        total_charge=row.total_charge, paid_amount=row.paid_amount,
        patient_responsibility=row.patient_responsibility,
        claim_filing_indicator=row.filing_indicator,
        payer_claim_control_number=row.payer_claim_control_number,
        claim_frequency_code=row.frequency_code, statement_from_date=row.statement_from,
        statement_to_date=row.statement_to, crossover_carrier=tt,
        adjustments=[adjustment_model(a) for a in adjustments], service_lines=lines)


def provider_adjustment_models(rows: Iterable[Any]) -> list[ProviderAdjustment]:
    """PLB models back from ``provider_adjustments`` rows (one triplet per PLB segment)."""
    return [ProviderAdjustment(provider_identifier=r.provider_identifier,
                               fiscal_period_date=r.fiscal_period_date,
                               adjustments=[ProviderAdjustmentAmount(r.reason_code,
                                                                     r.reference, r.amount)])
            for r in rows]


def remittance_header(row: Any) -> Remittance:
    """A Remittance (BPR/TRN, 1000A, 1000B) without its claims, from its row."""
    refs = [ReferenceId("2U", row.payer_additional_id)] if row.payer_additional_id else []
    return Remittance(
        payment=Payment(amount=row.payment_amount, credit_debit=row.credit_debit,
                        method=row.method, date=row.payment_date, trace_type="1",
                        trace_number=row.trace_number, trace_originator=row.payer_key),
        production_date=row.production_date,
        payer=RemittancePayer(name=row.payer_name, identifier=row.payer_id, references=refs),
        payee=RemittancePayee(name=row.payee_name, identifier=row.payee_id))
