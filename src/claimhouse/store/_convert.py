"""Converters between the domain models and the store's rows: the claim document, the
keys a load looks up by, and the models back from rows (the rows a load writes are built
in :mod:`claimhouse.store._rows`).

Claims keep their whole model as JSON (``claim_documents.document``) and come back losslessly;
remittances come back from their columns (the 2100/2110 fields the store keeps).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import orjson

from claimhouse.models import Claim, from_json
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


def claim_document(claim: Claim) -> str:
    """The claim as compact model JSON: amounts as strings, dates ISO 8601, fields at their
    default (``None``, ``[]``) left out - :func:`from_json` restores them."""
    return compact_json(claim)


def claim_from_document(document: str) -> Claim:
    """The claim model back from ``claim_documents.document``."""
    return from_json(Claim, orjson.loads(document))


def other_payer_ids(claim: Claim) -> str | None:
    """The claim's other payers (2330B NM109), comma-separated, for ``claims``."""
    ids = ",".join(dict.fromkeys(p.payer_id for p in claim.other_payers if p.payer_id))
    return ids[:200] or None


def payer_key(remittance: Remittance) -> str:
    """Who pays, for the never-post-twice key: TRN03 (payer id, usually 1 + EIN), else the
    1000A payer id (N104 / REF*2U), else its name."""
    pay = remittance.payment
    payer = remittance.payer
    for value in (pay.trace_originator if pay else None,
                  payer.identifier if payer else None,
                  reference(payer.references, "2U") if payer else None,
                  payer.name if payer else None):
        if value:
            return value[:80]
    return "unknown"


def reference(refs: Iterable[ReferenceId], qualifier: str) -> str | None:
    """The first value of a REF with this qualifier."""
    return next((r.value for r in refs if r.qualifier == qualifier and r.value), None)


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
