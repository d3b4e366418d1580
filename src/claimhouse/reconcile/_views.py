"""Reading the engine's views (claims with lines, postings with lines and CAS) out of the
store in bulk: a few ``IN (...)`` queries per chunk, no per-row round trips."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimhouse.reconcile._model import (
    Adj,
    PaidLine,
    Posting,
    SubmittedClaim,
    SubmittedLine,
)
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimPaymentRow,
    ClaimRow,
    RemittanceRow,
    ServiceLineRow,
    ServicePaymentRow,
)


def _mods(value: str | None) -> tuple[str, ...]:
    return tuple(m for m in (value or "").split(":") if m)


def members(column: Any, ids: Sequence[int]) -> Any:
    """``column`` among the sorted ``ids``: a range when they are dense (no IN-list to
    compile and bind; callers drop the extra rows a range may bring), else IN."""
    if ids[-1] - ids[0] + 1 <= 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def claims_by_id(session: Session, ids: Sequence[int], line_condition: Any = None
                 ) -> dict[int, SubmittedClaim]:
    """Submitted claims (and their 2400 lines) by row id; ``line_condition`` selects the
    ``service_lines`` rows to read (default: those of ``ids``; extra rows are ignored)."""
    if not ids:
        return {}
    conn = session.connection()
    lines: dict[int, list[SubmittedLine]] = defaultdict(list)
    wanted = set(ids)
    if line_condition is None:
        line_condition = ServiceLineRow.claim_id.in_(ids)
    if ids:
        for r in conn.execute(select(
                ServiceLineRow.id, ServiceLineRow.claim_id, ServiceLineRow.position,
                ServiceLineRow.charge, ServiceLineRow.procedure_code, ServiceLineRow.modifiers,
                ServiceLineRow.revenue_code, ServiceLineRow.service_date,
                ServiceLineRow.line_item_control_number)
                .where(line_condition).order_by(ServiceLineRow.id)):
            if r.claim_id not in wanted:
                continue
            lines[r.claim_id].append(SubmittedLine(
                key=r.id, position=r.position, charge=r.charge, procedure_code=r.procedure_code,
                modifiers=_mods(r.modifiers), revenue_code=r.revenue_code,
                service_date=r.service_date, line_item_control_number=r.line_item_control_number))
    out = {}
    for c in conn.execute(select(
            ClaimRow.id, ClaimRow.patient_control_number, ClaimRow.payer_id, ClaimRow.payer_name,
            ClaimRow.total_charge, ClaimRow.service_from, ClaimRow.service_to,
            ClaimRow.submitted_on).where(members(ClaimRow.id, ids))):
        if c.id in wanted:
            out[c.id] = _claim_view(c, tuple(lines.get(c.id, ())))
    return out


def _claim_view(r: Any, lines: tuple[SubmittedLine, ...]) -> SubmittedClaim:
    return SubmittedClaim(
        key=r.id, patient_control_number=r.patient_control_number, payer_id=r.payer_id,
        payer_name=r.payer_name, total_charge=r.total_charge, service_from=r.service_from,
        service_to=r.service_to, submitted_on=r.submitted_on, lines=lines)


def claims_by_pcn(session: Session, pcns: Iterable[str]) -> dict[str, list[SubmittedClaim]]:
    """Candidate claims (without lines) for patient control numbers."""
    wanted = sorted(set(pcns))
    conn = session.connection()
    out: dict[str, list[SubmittedClaim]] = defaultdict(list)
    for start in range(0, len(wanted), 900):
        for r in conn.execute(select(
                ClaimRow.id, ClaimRow.patient_control_number, ClaimRow.payer_id,
                ClaimRow.payer_name, ClaimRow.total_charge, ClaimRow.service_from,
                ClaimRow.service_to, ClaimRow.submitted_on)
                .where(ClaimRow.patient_control_number.in_(wanted[start:start + 900]))):
            out[r.patient_control_number].append(_claim_view(r, ()))
    return out


def postings_where(session: Session, condition: Any, *, with_lines: bool = True
                   ) -> list[tuple[Posting, int | None]]:
    """Postings (835 2100 with their remittance's payer/date/trace, 2110s and CAS) whose
    ``claim_payments`` row satisfies ``condition``; each with its current claim id."""
    conn = session.connection()
    rows = conn.execute(select(
        ClaimPaymentRow.id, ClaimPaymentRow.position, ClaimPaymentRow.patient_control_number,
        ClaimPaymentRow.status_code, ClaimPaymentRow.total_charge, ClaimPaymentRow.paid_amount,
        ClaimPaymentRow.patient_responsibility, ClaimPaymentRow.payer_claim_control_number,
        ClaimPaymentRow.statement_from, ClaimPaymentRow.statement_to,
        ClaimPaymentRow.crossover_id, ClaimPaymentRow.claim_id, RemittanceRow.payer_key,
        RemittanceRow.payer_id, RemittanceRow.payer_additional_id, RemittanceRow.payer_name,
        RemittanceRow.payment_date, RemittanceRow.trace_number)
        .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
        .where(condition).order_by(ClaimPaymentRow.id)).all()
    ids = [r[0] for r in rows]
    claim_adjs: dict[int, list[Adj]] = defaultdict(list)
    line_adjs: dict[int, list[Adj]] = defaultdict(list)
    lines: dict[int, list[PaidLine]] = defaultdict(list)
    if with_lines and ids:
        wanted = set(ids)
        # CAS then 2110s, joined to the same claim payments (no IN-list of ids)
        for cp_id, sp_id, group, reason, amount in conn.execute(select(
                AdjustmentRow.claim_payment_id, AdjustmentRow.service_payment_id,
                AdjustmentRow.group_code, AdjustmentRow.reason_code, AdjustmentRow.amount)
                .join(ClaimPaymentRow, ClaimPaymentRow.id == AdjustmentRow.claim_payment_id)
                .where(condition).order_by(AdjustmentRow.id)):
            if cp_id not in wanted:
                continue
            if sp_id is None:
                claim_adjs[cp_id].append(Adj(group, reason, amount))
            else:
                line_adjs[sp_id].append(Adj(group, reason, amount))
        for (sp_id, cp_id, position, charge, paid, code, mods, ocode, omods, revenue,
             dos, lic) in conn.execute(select(
                ServicePaymentRow.id, ServicePaymentRow.claim_payment_id,
                ServicePaymentRow.position, ServicePaymentRow.charge,
                ServicePaymentRow.paid_amount, ServicePaymentRow.procedure_code,
                ServicePaymentRow.modifiers, ServicePaymentRow.original_procedure_code,
                ServicePaymentRow.original_modifiers, ServicePaymentRow.revenue_code,
                ServicePaymentRow.service_date, ServicePaymentRow.line_item_control_number)
                .join(ClaimPaymentRow,
                      ClaimPaymentRow.id == ServicePaymentRow.claim_payment_id)
                .where(condition).order_by(ServicePaymentRow.id)):
            if cp_id not in wanted:
                continue
            lines[cp_id].append(PaidLine(
                sp_id, position, charge, paid, code, _mods(mods), ocode, _mods(omods),
                revenue, dos, lic, tuple(line_adjs.get(sp_id, ()))))
    spans: dict[int, tuple[date, ...]] = {}
    if not with_lines and ids:  # the service dates alone, for claim matching
        wanted = set(ids)
        for cp_id, first, last in conn.execute(select(
                ServicePaymentRow.claim_payment_id, func.min(ServicePaymentRow.service_date),
                func.max(ServicePaymentRow.service_date))
                .join(ClaimPaymentRow, ClaimPaymentRow.id == ServicePaymentRow.claim_payment_id)
                .where(condition).group_by(ServicePaymentRow.claim_payment_id)):
            if cp_id in wanted and first is not None:
                spans[cp_id] = (first,) if last is None or last == first else (first, last)
    out = []
    payers: dict[tuple[Any, ...], frozenset[str]] = {}
    for (cp_id, position, pcn, status, charge, paid, pr, icn, st_from, st_to, crossover,
         claim_id, payer_key, payer_id, payer_add, payer_name, pay_date, trace) in rows:
        ident = (payer_key, payer_id, payer_add, payer_name)
        payer_ids = payers.get(ident)
        if payer_ids is None:
            payer_ids = payers[ident] = frozenset(
                v for v in (payer_key, payer_id, payer_add, payer_name and payer_name.upper())
                if v)
        out.append((Posting(
            cp_id, pcn, status, charge, paid, payer_ids, pr, icn, pay_date, trace, position,
            st_from, st_to, crossover, tuple(claim_adjs.get(cp_id, ())),
            tuple(lines.get(cp_id, ())), spans.get(cp_id, ())), claim_id))
    return out
