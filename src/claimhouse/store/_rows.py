"""The store's rows of claims and remittances as the tuples a bulk load writes, values
already in stored form (:class:`~claimhouse.store._bulk.Encoders`): no dict per row, each
distinct amount or date converted once. The ``*_COLUMNS`` tuples name the values in order.

Columns a load leaves NULL (the reconcile results: ``claim_id``, ``match_rule``,
``service_line_id``, ``last_paid_on``) are not written at all; a NULL the row does write is
``enc.null`` (see :class:`~claimhouse.store._bulk.Encoders`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from claimhouse.models import Claim
from claimhouse.models._remittance import Payment, Remittance, RemittancePayee, RemittancePayer
from claimhouse.models._remittance_claim import ClaimPayment, PaymentAdjustment, ServicePayment
from claimhouse.store._bulk import Encoders
from claimhouse.store._convert import other_payer_ids, payer_key, reference

Row = tuple[Any, ...]
ZERO = Decimal("0.00")

CLAIM_COLUMNS = ("file_id", "patient_control_number", "payer_id", "payer_name",
                 "payer_responsibility", "kind", "frequency_code", "total_charge",
                 "service_from", "service_to", "submitted_on", "billing_npi",
                 "other_payer_ids")
"""What a claim's 837 sets: written by a new claim and by a replacing one (then ``id`` last);
its document goes to ``claim_documents`` (``DOCUMENT_COLUMNS``)."""
DOCUMENT_COLUMNS = ("id", "document")
CLAIM_INSERT_COLUMNS = ("id", *CLAIM_COLUMNS, "state", "paid_amount",
                        "patient_responsibility", "adjusted_amount", "dirty")
LINE_COLUMNS = ("claim_id", "position", "line_item_control_number", "procedure_qualifier",
                "procedure_code", "modifiers", "revenue_code", "service_date",
                "service_date_end", "charge", "units", "paid_amount")
REMITTANCE_COLUMNS = ("id", "file_id", "payer_key", "trace_number", "payer_name", "payer_id",
                      "payer_additional_id", "payee_name", "payee_id", "payment_amount",
                      "credit_debit", "method", "payment_date", "production_date",
                      "claim_count")
CLAIM_PAYMENT_COLUMNS = ("id", "remittance_id", "position", "patient_control_number",
                         "status_code", "total_charge", "paid_amount",
                         "patient_responsibility", "filing_indicator",
                         "payer_claim_control_number", "frequency_code", "statement_from",
                         "statement_to", "crossover_id", "crossover_name", "remark_codes",
                         "disposition")
SERVICE_PAYMENT_COLUMNS = ("id", "claim_payment_id", "position", "procedure_qualifier",
                           "procedure_code", "modifiers", "original_procedure_code",
                           "original_modifiers", "revenue_code", "charge", "paid_amount",
                           "units", "service_date", "service_date_end",
                           "line_item_control_number", "remark_codes")
ADJUSTMENT_COLUMNS = ("claim_payment_id", "service_payment_id", "group_code", "reason_code",
                      "amount", "quantity")
PROVIDER_ADJUSTMENT_COLUMNS = ("remittance_id", "position", "provider_identifier",
                               "fiscal_period_date", "reason_code", "reference", "amount")


def _mods(modifiers: list[str], null: Any) -> Any:
    return ":".join([m for m in modifiers if m]) or null if modifiers else null


def claim_values(claim: Claim, kind: str, submitted_on: date | None, file_id: int | None,
                 enc: Encoders) -> Row:
    """The :data:`CLAIM_COLUMNS` of an 837 loop 2300 (payer from 2010BB, SBR01 from
    2000B)."""
    day = enc.day
    first = last = None
    for line in claim.service_lines:
        for d in (line.service_date, line.service_date_end):
            if d is not None:
                if first is None or d < first:
                    first = d
                if last is None or d > last:
                    last = d
    for d in (claim.statement_from, claim.statement_to):
        if d is not None:
            if first is None or d < first:
                first = d
            if last is None or d > last:
                last = d
    payer = claim.payer
    n = enc.null
    return (n if file_id is None else file_id, claim.patient_control_number, payer.id,
            payer.name[:120], n if (sbr := claim.subscriber.payer_responsibility) is None
            else sbr, kind, claim.frequency_code, enc.money[claim.total_charge], day[first],
            day[last], day[submitted_on],
            n if (npi := claim.billing_provider.npi) is None else npi,
            (other_payer_ids(claim) or n) if claim.other_payers else n)


def new_claim_tail(enc: Encoders) -> Row:
    """What a new claim adds after its :data:`CLAIM_COLUMNS`: pending, nothing paid yet,
    dirty (to reconcile)."""
    zero = enc.money[ZERO]
    return ("pending", zero, zero, zero, enc.true)


def add_line_values(out: list[Row], claim: Claim, claim_id: int, enc: Encoders) -> None:
    """Append the :data:`LINE_COLUMNS` of a claim's loop 2400s to ``out``."""
    money, day, quantity, n = enc.money, enc.day, enc.quantity, enc.null
    zero = money[ZERO]
    for position, line in enumerate(claim.service_lines, start=1):
        proc = line.procedure
        out.append((
            claim_id, line.line_number or position,
            n if (control := line.line_item_control_number) is None else control,
            proc.qualifier if proc else n, proc.code if proc else n,
            _mods(proc.modifiers, n) if proc else n,
            n if (revenue := line.revenue_code) is None else revenue,
            day[line.service_date or claim.statement_from], day[line.service_date_end],
            money[line.charge], quantity[line.units], zero))


def remittance_values(remittance: Remittance, remittance_id: int, file_id: int | None,
                      enc: Encoders) -> Row:
    """The :data:`REMITTANCE_COLUMNS`: BPR, TRN, 1000A, 1000B."""
    pay = remittance.payment or Payment()
    payer = remittance.payer or RemittancePayer()
    payee = remittance.payee or RemittancePayee()
    return (remittance_id, file_id, payer_key(remittance), pay.trace_number,
            (payer.name or "")[:120] or None, payer.identifier,
            reference(payer.references, "2U"), (payee.name or "")[:120] or None,
            payee.identifier, enc.money[pay.amount or ZERO], pay.credit_debit, pay.method,
            enc.day[pay.date], enc.day[remittance.production_date],
            sum(len(group.claims) for group in remittance.claim_groups))


def _remarks(codes: Iterable[str | None]) -> str | None:
    joined = ",".join([c for c in codes if c])
    return joined[:200] or None


def claim_payment_values(cp: ClaimPayment, cp_id: int, remittance_id: int, position: int,
                         enc: Encoders) -> Row:
    """The :data:`CLAIM_PAYMENT_COLUMNS` of a loop 2100 (CLP, NM1*TT, MOA/MIA remarks)."""
    money, day, n = enc.money, enc.day, enc.null
    remarks: list[str | None] = []
    if cp.outpatient:
        remarks += cp.outpatient.remark_codes
    if cp.inpatient:
        remarks += [cp.inpatient.remark_code, *cp.inpatient.remark_codes]
    tt = cp.crossover_carrier
    return (cp_id, remittance_id, position, cp.patient_control_number or "",
            cp.status_code or "", money[cp.total_charge or ZERO], money[cp.paid_amount or ZERO],
            money[cp.patient_responsibility],
            n if (filing := cp.claim_filing_indicator) is None else filing,
            n if (icn := cp.payer_claim_control_number) is None else icn,
            n if (frequency := cp.claim_frequency_code) is None else frequency,
            day[cp.statement_from_date], day[cp.statement_to_date],
            (n if tt.identifier is None else tt.identifier) if tt else n,
            ((tt.last_name or "")[:120] or n) if tt else n,
            (_remarks(remarks) or n) if remarks else n, "unmatched")


def service_payment_values(sp: ServicePayment, sp_id: int, cp_id: int, position: int,
                           enc: Encoders) -> Row:
    """The :data:`SERVICE_PAYMENT_COLUMNS` of a loop 2110 (SVC with SVC06, DTM, REF*6R,
    LQ*HE)."""
    money, day, n = enc.money, enc.day, enc.null
    control = n
    for ref in sp.references:
        if ref.qualifier == "6R":
            control = n if ref.value is None else ref.value
            break
    remarks = sp.remark_codes
    return (sp_id, cp_id, position, n if (qualifier := sp.procedure_qualifier) is None
            else qualifier, n if (code := sp.procedure_code) is None else code,
            _mods(sp.modifiers, n), n if (original := sp.original_procedure_code) is None
            else original, _mods(sp.original_modifiers, n),
            n if (revenue := sp.revenue_code) is None else revenue,
            money[sp.charge or ZERO], money[sp.paid_amount or ZERO],
            enc.quantity[sp.units], day[sp.service_date or sp.service_start_date],
            day[sp.service_end_date], control,
            (_remarks(r.code for r in remarks if r.qualifier == "HE") or n) if remarks else n)


def add_adjustment_values(out: list[Row], adjustments: list[PaymentAdjustment], cp_id: int,
                          sp_id: int | None, enc: Encoders) -> None:
    """Append the :data:`ADJUSTMENT_COLUMNS` of CAS triplets (2100 claim level, or 2110
    line level with ``sp_id``) to ``out``."""
    money, quantity = enc.money, enc.quantity
    line = enc.null if sp_id is None else sp_id
    for a in adjustments:
        out.append((cp_id, line, a.group_code or "", a.reason_code or "",
                    money[a.amount or ZERO], quantity[a.quantity]))


def provider_adjustment_values(remittance: Remittance, remittance_id: int,
                               enc: Encoders) -> Iterator[Row]:
    """The :data:`PROVIDER_ADJUSTMENT_COLUMNS`: one per PLB03/05/... triplet."""
    position = 0
    n = enc.null
    for plb in remittance.provider_adjustments:
        for item in plb.adjustments:
            position += 1
            yield (remittance_id, position,
                   n if plb.provider_identifier is None else plb.provider_identifier,
                   enc.day[plb.fiscal_period_date], item.reason_code or "",
                   n if item.reference is None else item.reference,
                   enc.money[item.amount or ZERO])
