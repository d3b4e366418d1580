"""``claimhouse reconcile``: the engine driven over the store, in chunks.

1. Claim payments with no claim yet (new, or unmatched before) are matched by
   :func:`choose_claim`; a claim that gains one becomes dirty.
2. Every dirty claim (new, replaced, or newly paid) is settled from scratch from all its
   postings (:func:`settle`), and the results are written back: the claim's state and
   amounts, each posting's disposition, each service payment's line.
3. PLB triplets not yet linked are linked to the claim their PLB03-2 reference names
   (patient control number, else payer claim control number CLP07).

Every decision is appended to ``match_records`` unless the same decision is already
recorded, so reconciling twice adds nothing and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from claimhouse.reconcile._match import Decision, choose_claim
from claimhouse.reconcile._settle import settle
from claimhouse.reconcile._views import claims_by_id, claims_by_pcn, members, postings_where
from claimhouse.store import Store
from claimhouse.store._bulk import bulk_insert, bulk_update, gc_paused
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ProviderAdjustmentRow,
    ReconcileRunRow,
    ServiceLineRow,
    ServicePaymentRow,
)

CHUNK = 2000
Clock = Callable[[], datetime]
ZERO = Decimal("0.00")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class RunSummary:
    """What one reconcile run did."""

    run_id: int
    payments_examined: int = 0
    payments_matched: int = 0
    claims_settled: int = 0
    provider_adjustments_linked: int = 0
    decisions: int = 0


def reconcile(store: Store, *, clock: Clock = _now) -> RunSummary:
    """Run the engine over everything not yet settled in ``store``."""
    with store.session() as session:
        run_id = session.execute(insert(ReconcileRunRow).returning(ReconcileRunRow.id),
                                 [{"started_at": clock()}]).scalar_one()
    summary = RunSummary(run_id=run_id)
    if store.backend == "postgresql":
        # fresh statistics after a bulk load, so ranges and joins use their indexes
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "ANALYZE claims, service_lines, claim_payments, service_payments, "
                "adjustments, match_records")
    with gc_paused():
        _match_claims(store, summary, clock)
        _settle_dirty(store, summary, clock)
        _link_plb(store, summary, clock)
    with store.session() as session:
        session.execute(update(ReconcileRunRow).where(ReconcileRunRow.id == run_id).values(
            finished_at=clock(), payments_examined=summary.payments_examined,
            claims_settled=summary.claims_settled, decisions=summary.decisions))
    return summary


Item = tuple[Decision, str | None, int | None]
"""A decision with the patient control number it concerns and its PLB row id, if any."""


def _record(session: Session, summary: RunSummary, items: Sequence[Item], when: datetime,
            existing: set[tuple[Any, ...]]) -> None:
    rows = []
    for d, pcn, plb_id in items:
        reason = d.reason[:300]
        key = (d.level, d.claim, d.posting, d.paid_line, d.line, plb_id, d.decision, d.rule,
               reason)
        if key in existing:
            continue
        existing.add(key)
        rows.append({"run_id": summary.run_id, "decided_at": when,
                     "patient_control_number": pcn, "level": d.level, "claim_id": d.claim,
                     "claim_payment_id": d.posting, "service_payment_id": d.paid_line,
                     "service_line_id": d.line, "provider_adjustment_id": plb_id,
                     "decision": d.decision, "rule": d.rule, "reason": reason})
    bulk_insert(session, MatchRecordRow, rows)
    summary.decisions += len(rows)


def _existing(session: Session, condition: Any) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in session.connection().execute(select(
        MatchRecordRow.level, MatchRecordRow.claim_id, MatchRecordRow.claim_payment_id,
        MatchRecordRow.service_payment_id, MatchRecordRow.service_line_id,
        MatchRecordRow.provider_adjustment_id, MatchRecordRow.decision, MatchRecordRow.rule,
        MatchRecordRow.reason).where(condition))}


def _ids_after(session: Session, column: Any, condition: Any, after: int) -> list[int]:
    return list(session.execute(select(column).where(condition, column > after)
                                .order_by(column).limit(CHUNK)).scalars())


def _match_claims(store: Store, summary: RunSummary, clock: Clock) -> None:
    after = 0
    while True:
        with store.session() as session:
            ids = _ids_after(session, ClaimPaymentRow.id, ClaimPaymentRow.claim_id.is_(None),
                             after)
            if not ids:
                return
            after = ids[-1]
            postings = [p for p, _ in postings_where(
                session, ClaimPaymentRow.claim_id.is_(None)
                & ClaimPaymentRow.id.between(ids[0], ids[-1]), with_lines=False)]
            candidates = claims_by_pcn(session, (p.patient_control_number for p in postings))
            decisions = [choose_claim(p, candidates.get(p.patient_control_number, []))
                         for p in postings]
            matched = [{"id": d.posting, "claim_id": d.claim, "match_rule": d.rule}
                       for d in decisions if d.claim is not None]
            unmatched = [{"id": d.posting, "match_rule": d.rule}
                         for d in decisions if d.claim is None]
            if matched:
                bulk_update(session, ClaimPaymentRow, matched)
                dirty = sorted({d.claim for d in decisions if d.claim is not None})
                for start in range(0, len(dirty), 900):
                    session.execute(update(ClaimRow).where(
                        ClaimRow.id.in_(dirty[start:start + 900]),
                        ClaimRow.dirty.is_(False)).values(dirty=True))
            if unmatched:
                bulk_update(session, ClaimPaymentRow, unmatched)
            pcn = {p.key: p.patient_control_number for p in postings}
            existing = _existing(session, members(MatchRecordRow.claim_payment_id, ids))
            _record(session, summary, [(d, pcn.get(d.posting or 0), None) for d in decisions],
                    clock(), existing)
            summary.payments_examined += len(ids)
            summary.payments_matched += len(matched)


def _settle_dirty(store: Store, summary: RunSummary, clock: Clock) -> None:
    after = 0
    while True:
        with store.session() as session:
            ids = _ids_after(session, ClaimRow.id, ClaimRow.dirty.is_(True), after)
            if not ids:
                return
            after = ids[-1]
            claims = claims_by_id(session, ids, members(ServiceLineRow.claim_id, ids))
            by_claim: dict[int, list[Any]] = {i: [] for i in ids}
            for posting, claim_id in postings_where(
                    session, members(ClaimPaymentRow.claim_id, ids)):
                if claim_id in by_claim:
                    by_claim[claim_id].append(posting)
            claim_rows, line_rows, posting_rows, paid_line_rows = [], [], [], []
            decisions: list[Decision] = []
            pcn: dict[int, str] = {}
            for claim_id in ids:
                claim = claims[claim_id]
                pcn[claim_id] = claim.patient_control_number
                result = settle(claim, by_claim[claim_id])
                claim_rows.append({
                    "id": claim_id, "state": result.state, "paid_amount": result.paid,
                    "patient_responsibility": result.patient_responsibility,
                    "adjusted_amount": result.contractual,
                    "last_paid_on": result.last_paid_on, "dirty": False})
                line_rows += [{"id": ln.key, "paid_amount": result.line_paid.get(ln.key, ZERO)}
                              for ln in claim.lines]
                posting_rows += [{"id": k, "disposition": v}
                                 for k, v in result.dispositions.items()]
                paid_line_rows += [{"id": k, "service_line_id": line, "match_rule": rule}
                                   for k, (line, rule) in result.paid_lines.items()]
                decisions += result.decisions
            for table, rows in ((ClaimRow, claim_rows), (ServiceLineRow, line_rows),
                                (ClaimPaymentRow, posting_rows),
                                (ServicePaymentRow, paid_line_rows)):
                bulk_update(session, table, rows)
            existing = _existing(session, members(MatchRecordRow.claim_id, ids))
            _record(session, summary, [(d, pcn.get(d.claim or 0), None) for d in decisions],
                    clock(), existing)
            summary.claims_settled += len(ids)


def _link_plb(store: Store, summary: RunSummary, clock: Clock) -> None:
    with store.session() as session:
        plbs = session.execute(select(
            ProviderAdjustmentRow.id, ProviderAdjustmentRow.reason_code,
            ProviderAdjustmentRow.reference, ProviderAdjustmentRow.amount,
            ProviderAdjustmentRow.match_rule)
            .where(ProviderAdjustmentRow.claim_id.is_(None))).all()
        if not plbs:
            return
        refs = sorted({_plb_ref(p.reference) for p in plbs if p.reference} - {""})
        by_pcn: dict[str, tuple[int, str]] = {}
        by_icn: dict[str, tuple[int, str]] = {}
        for start in range(0, len(refs), 900):
            chunk = refs[start:start + 900]
            for cid, pcn in session.execute(select(ClaimRow.id, ClaimRow.patient_control_number)
                                            .where(ClaimRow.patient_control_number.in_(chunk))
                                            .order_by(ClaimRow.id)):
                by_pcn.setdefault(pcn, (cid, pcn))
            for row in session.execute(select(
                    ClaimPaymentRow.claim_id, ClaimPaymentRow.payer_claim_control_number,
                    ClaimPaymentRow.patient_control_number)
                    .where(ClaimPaymentRow.payer_claim_control_number.in_(chunk),
                           ClaimPaymentRow.claim_id.is_not(None))
                    .order_by(ClaimPaymentRow.id)):
                if row.claim_id is not None and row.payer_claim_control_number:
                    by_icn.setdefault(row.payer_claim_control_number,
                                      (row.claim_id, row.patient_control_number))
        updates: list[dict[str, Any]] = []
        items: list[Item] = []
        for p in plbs:
            ref = _plb_ref(p.reference)
            hit, rule = by_pcn.get(ref), "plb-reference=pcn"
            if hit is None:
                hit, rule = by_icn.get(ref), "plb-reference=clp07"
            if hit is None:
                if p.match_rule is None:
                    updates.append({"id": p.id, "claim_id": None, "match_rule": "unlinked"})
                    d = Decision("plb", "unlinked", "no-claim-named",
                                 f"PLB {p.reason_code} {p.amount}: its reference names no "
                                 "known claim; kept against the payment", claim=None)
                    items.append((d, None, p.id))
                continue
            updates.append({"id": p.id, "claim_id": hit[0], "match_rule": rule})
            d = Decision("plb", "linked", rule, f"PLB {p.reason_code} {p.amount} linked to "
                         "the claim its PLB03-2 reference names", claim=hit[0])
            items.append((d, hit[1], p.id))
            summary.provider_adjustments_linked += 1
        if updates:
            bulk_update(session, ProviderAdjustmentRow, updates)
        _record(session, summary, items, clock(), set())


def _plb_ref(reference: str | None) -> str:
    return (reference or "").strip()


def pending_claim_ids(session: Session) -> int:
    """How many claims still await settlement (dirty)."""
    return int(session.execute(select(func.count()).where(ClaimRow.dirty.is_(True)))
               .scalar_one())


