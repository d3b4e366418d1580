"""``claimhouse reconcile``: the engine driven over the store, in chunks.

1. Claim payments with no claim yet (new, or unmatched before) are joined to the claims
   carrying their patient control number (one query a chunk) and matched by
   :func:`choose_claim`; the match is kept in memory until step 2 settles that claim, and
   once every payment is matched, each claim that gained one becomes dirty.
2. Every dirty claim (new, replaced, voided or newly paid) is settled from scratch from
   all its postings (:func:`settle`), read for a whole chunk of claims by a few queries,
   and what changed is written back: the claim's state and amounts, each posting's
   disposition (with its claim and rule when step 1 matched it: one write of the row),
   each service payment's line. A run stopped between the steps leaves those payments
   unmatched; the next run matches them again.

With more than one chunk of work (and a process free to fork: no other thread, no
connection in use), steps 1 and 2 each run in one forked process per CPU
(:mod:`claimhouse.store._fork`), every process taking every other chunk of the ids
listed up front and writing its chunks itself (SQLite serialises the writers; on
PostgreSQL each process writes rows no other one touches, and this process marks the
matched claims dirty). A chunk's reads never depend on another chunk's writes, so the end
state is the inline run's. Inline on PostgreSQL, each chunk's writes run in a background
writer (:mod:`._pipeline`) while the next chunk is read and decided.
3. PLB triplets not yet linked are linked to the claim their PLB03-2 reference names
   (patient control number, else payer claim control number CLP07).

Decisions recorded in ``match_records``: one ``state`` decision per settled claim whose
reason is the evidence (every posting with its claim rule and disposition, reversal
pairings, line rules), one ``claim`` decision per unmatched payment, one ``plb`` decision
per PLB link. A decision equal to the one already recorded is not appended again, so
reconciling twice adds nothing and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from claimhouse.reconcile._match import Decision, choose_claim
from claimhouse.reconcile._model import Posting, SubmittedClaim
from claimhouse.reconcile._pipeline import ChunkWriter, Prefetch
from claimhouse.reconcile._settle import settle
from claimhouse.reconcile._views import (
    ClaimChunk,
    Codec,
    Pending,
    dirty_claims,
    id_filter,
    unmatched_with_candidates,
)
from claimhouse.reconcile._writes import cents, iso, same, stored_time, write_back
from claimhouse.store import Store
from claimhouse.store._bulk import bulk_insert, bulk_update, gc_paused
from claimhouse.store._fork import fork_map, worker_count
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    MatchRecordRow,
    ProviderAdjustmentRow,
    ReconcileRunRow,
)

CHUNK = 10_000
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
        pending = _match_claims(store, summary, clock)
        _settle_dirty(store, summary, clock, pending)
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
        key = (d.level, d.claim, d.posting, d.paid_line, d.line, plb_id, d.decision, d.rule,
               d.reason)
        if key in existing:
            continue
        existing.add(key)
        rows.append({"run_id": summary.run_id, "decided_at": when,
                     "patient_control_number": pcn, "level": d.level, "claim_id": d.claim,
                     "claim_payment_id": d.posting, "service_payment_id": d.paid_line,
                     "service_line_id": d.line, "provider_adjustment_id": plb_id,
                     "decision": d.decision, "rule": d.rule, "reason": d.reason})
    bulk_insert(session, MatchRecordRow, rows)
    summary.decisions += len(rows)


def _existing(session: Session, condition: Any) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in session.connection().execute(select(
        MatchRecordRow.level, MatchRecordRow.claim_id, MatchRecordRow.claim_payment_id,
        MatchRecordRow.service_payment_id, MatchRecordRow.service_line_id,
        MatchRecordRow.provider_adjustment_id, MatchRecordRow.decision, MatchRecordRow.rule,
        MatchRecordRow.reason).where(condition))}


def _latest_states(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """The last ``state`` decision recorded for each of these claims (decision, rule,
    reason): a settlement that decides the same again is not recorded twice."""
    latest: dict[int, tuple[str, str, str]] = {}
    for claim_id, decision, rule, reason in session.connection().exec_driver_sql(
            "SELECT claim_id, decision, rule, reason FROM match_records "
            f"WHERE {id_filter('claim_id', ids)} AND level = 'state' ORDER BY id"):
        latest[claim_id] = (decision, rule, reason)
    return latest


Span = tuple[int, int]
"""A chunk of work named by ids: those after the first, up to and including the second."""


def _spans(store: Store, sql: str) -> list[Span]:
    """The ids ``sql`` lists (ascending), in chunks of :data:`CHUNK`, each as its bounds:
    listed up front, so that forked processes can share the chunks out."""
    spans: list[Span] = []
    with store.session() as session:
        raw: Any = session.connection().connection.dbapi_connection
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
            after, last, n = 0, 0, 0
            for (last,) in cursor:  # streamed: only the bounds are kept
                n += 1
                if n == CHUNK:
                    spans.append((after, last))
                    after, n = last, 0
            if n:
                spans.append((after, last))
        finally:
            cursor.close()
    return spans


def _merge(summary: RunSummary, part: RunSummary) -> None:
    summary.payments_examined += part.payments_examined
    summary.payments_matched += part.payments_matched
    summary.claims_settled += part.claims_settled
    summary.decisions += part.decisions


R = TypeVar("R")


def _over_spans(store: Store, summary: RunSummary, spans: list[Span],
                run: Callable[[Store, RunSummary, list[Span]], R]) -> list[R]:
    """``run(store, summary, spans)`` in this process, or, when
    :func:`~claimhouse.store._fork.worker_count` gives more than one, over shares of the
    spans in forked processes (each with a store and counts of its own, merged into
    ``summary``). The results, one a process, in share order."""
    workers = worker_count(store, len(spans))
    if workers < 2:
        return [run(store, summary, spans)]

    def share(mine: Store, part: list[Span]) -> tuple[R, RunSummary]:
        counts = RunSummary(run_id=summary.run_id)
        return run(mine, counts, part), counts

    results = []
    for result, counts in fork_map(store, share, spans, workers):
        _merge(summary, counts)
        results.append(result)
    return results


def _match_claims(store: Store, summary: RunSummary, clock: Clock) -> Pending:
    """Every claim payment without a claim, joined to its candidates by PCN, is matched
    by :func:`choose_claim`; matched ones make their claim dirty and are returned by
    claim (their row is written when the claim is settled), unmatched ones are recorded
    (once) as unmatched remits. Over forked processes where :func:`_over_spans` may."""
    spans = _spans(store, "SELECT id FROM claim_payments WHERE claim_id IS NULL ORDER BY id")
    parts = _over_spans(store, summary, spans,
                        lambda mine, counts, part: _match_spans(mine, counts, clock, part))
    pending = parts[0]
    if len(parts) > 1:
        for part_pending in parts[1:]:
            for claim, items in part_pending.items():
                pending.setdefault(claim, []).extend(items)
        for items in pending.values():
            items.sort()  # by posting id, as one process would have listed them
    _mark_dirty(store, sorted(pending))
    return pending


def _mark_dirty(store: Store, ids: list[int]) -> None:
    """The claims that gained a payment become dirty (those not dirty already), by this
    process once matching is done: two processes marking one claim each could deadlock on
    PostgreSQL."""
    with store.session() as session:
        conn = session.connection()
        codec = Codec.of(conn)
        for start in range(0, len(ids), 1000):
            conn.exec_driver_sql(
                f"UPDATE claims SET dirty = {codec.true} WHERE dirty = {codec.false} AND "
                f"id IN ({', '.join(str(int(i)) for i in ids[start:start + 1000])})")


def _match_spans(store: Store, summary: RunSummary, clock: Clock, spans: list[Span]
                 ) -> Pending:
    """:func:`_match_claims` over ``spans``, in this process."""
    pending: Pending = {}

    def batches() -> Iterator[list[tuple[Posting, list[SubmittedClaim]]]]:
        for after, upto in spans:
            with store.session() as session:
                batch = unmatched_with_candidates(session.connection(), after, upto)
            if batch:
                yield batch

    with ChunkWriter(store) as writer, Prefetch(store, batches) as reader:
        for batch in reader:
            decisions = [(choose_claim(p, candidates), p.patient_control_number)
                         for p, candidates in batch]
            unmatched = []
            for d, pcn in decisions:
                if d.claim is None:
                    unmatched.append((d, pcn))
                    continue
                pending.setdefault(d.claim, []).append((d.posting or 0, d.rule))
            if unmatched:
                writer.submit(_unmatched_writes(summary, unmatched, clock()))
            summary.payments_examined += len(batch)
            summary.payments_matched += len(decisions) - len(unmatched)
    return pending


def _unmatched_writes(summary: RunSummary, unmatched: list[tuple[Decision, str]],
                      when: datetime) -> Callable[[Session], None]:
    """One matched chunk's writes, to run in the writer's transaction: each unmatched
    payment's rule and its decision (once)."""
    def write(session: Session) -> None:
        bulk_update(session, ClaimPaymentRow, [
            {"id": d.posting, "match_rule": d.rule} for d, _ in unmatched])
        ids = [d.posting or 0 for d, _ in unmatched]
        existing = _existing(session, MatchRecordRow.claim_payment_id.in_(ids))
        _record(session, summary, [(d, pcn, None) for d, pcn in unmatched], when, existing)
    return write


def _settle_dirty(store: Store, summary: RunSummary, clock: Clock, pending: Pending
                  ) -> None:
    """Settle the dirty claims chunk by chunk; write back only what changed (and each
    payment matched by this run: its claim, rule and disposition in one write), and one
    ``state`` decision per claim (with the evidence) unless it repeats the last one.
    Over forked processes where :func:`_over_spans` may."""
    true = "1" if store.backend == "sqlite" else "true"
    spans = _spans(store, f"SELECT id FROM claims WHERE dirty = {true} ORDER BY id")
    _over_spans(store, summary, spans, lambda mine, counts, part: _settle_spans(
        mine, counts, clock, pending, part))


def _settle_spans(store: Store, summary: RunSummary, clock: Clock, pending: Pending,
                  spans: list[Span]) -> None:
    """:func:`_settle_dirty` over ``spans``, in this process."""
    sqlite = store.backend == "sqlite"
    money = cents if sqlite else same
    day = iso if sqlite else same

    def chunks() -> Iterator[tuple[ClaimChunk, dict[int, tuple[str, str, str]]]]:
        for after, upto in spans:
            with store.session() as session:
                chunk = dirty_claims(session.connection(), after, upto, pending)
                if chunk is None:
                    continue
                latest = _latest_states(session, [c.key for c in chunk.claims])
            yield chunk, latest

    with ChunkWriter(store) as writer, Prefetch(store, chunks) as reader:
        for chunk, latest in reader:
            ids = [c.key for c in chunk.claims]
            claim_rows: list[tuple[Any, ...]] = []
            line_rows: list[tuple[Any, ...]] = []
            posting_rows: list[tuple[Any, ...]] = []
            linked_rows: list[tuple[Any, ...]] = []
            paid_line_rows: list[tuple[Any, ...]] = []
            records: list[tuple[Any, ...]] = []
            when = stored_time(store, clock())
            run_id = summary.run_id
            postings, line_paid = chunk.postings, chunk.line_paid
            disposition, paid_line = chunk.disposition, chunk.paid_line
            linked = chunk.linked
            for claim in chunk.claims:
                key = claim.key
                result = settle(claim, postings.get(key, ()))
                claim_rows.append((
                    result.state, money(result.paid), money(result.patient_responsibility),
                    money(result.contractual), day(result.last_paid_on), key))
                paid_by_line = result.line_paid
                for ln in claim.lines:
                    stored = money(paid_by_line.get(ln.key, ZERO))
                    if line_paid.get(ln.key) != stored:
                        line_rows.append((stored, ln.key))
                for k, v in result.dispositions.items():
                    link = linked.get(k)
                    if link is not None:
                        linked_rows.append((*link, v, k))
                    elif disposition.get(k) != v:
                        posting_rows.append((v, k))
                for k, (line, rule) in result.paid_lines.items():
                    if paid_line.get(k) != (line, rule):
                        paid_line_rows.append((line, rule, k))
                state = result.decisions[-1]
                if latest.get(key) != (state.decision, state.rule, state.reason):
                    records.append((
                        run_id, when, claim.patient_control_number, state.level, key,
                        state.decision, state.rule, state.reason))
            writer.submit(_settled_writes(claim_rows, line_rows, posting_rows, linked_rows,
                                          paid_line_rows, records))
            summary.decisions += len(records)
            summary.claims_settled += len(ids)


def _settled_writes(claim_rows: list[tuple[Any, ...]], line_rows: list[tuple[Any, ...]],
                    posting_rows: list[tuple[Any, ...]], linked_rows: list[tuple[Any, ...]],
                    paid_line_rows: list[tuple[Any, ...]],
                    records: list[tuple[Any, ...]]) -> Callable[[Session], None]:
    """One settled chunk's writes, to run in the writer's transaction."""
    def write(session: Session) -> None:
        write_back(session, "claims", claim_rows)
        write_back(session, "service_lines", line_rows)
        write_back(session, "claim_payments", posting_rows)
        write_back(session, "linked", linked_rows)
        write_back(session, "service_payments", paid_line_rows)
        write_back(session, "states", records)
    return write


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
        # CLP07 only for the references no patient control number answers (the lookup
        # scans claim_payments: that column has no index)
        refs = [r for r in refs if r not in by_pcn]
        for start in range(0, len(refs), 900):
            chunk = refs[start:start + 900]
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


