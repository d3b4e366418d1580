"""Loading into the store: submitted claims (837 or generated), remittances (835) and whole
files, in bulk (ids reserved up front, row tuples built straight from the models,
:func:`~claimhouse.store._bulk.insert_rows`), never twice.

* A file is recorded once: its sha256 and its first interchange (ISA05/ISA06 sender,
  ISA13 control number) are unique; a second load reports ``duplicate`` and adds nothing.
* A remittance is posted once: (payer, TRN02) is unique; a repeat is skipped and counted.
* A claim is one per (CLM01 patient control number, 2010BB payer id); a claim arriving
  again replaces the stored one (837 frequency 7) and is reconciled again.
* A void (837 CLM05-3 frequency 8) voids the stored claim it names (same key): the row
  takes the void's content and frequency 8 and settles as ``voided``. A void is final: a
  claim arriving later under the key of a voided one is ignored (counted), so loading the
  void before or after the original gives the same end state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from claimhouse.models import Claim, ClaimKind, Remittance
from claimhouse.models._remittance_claim import ClaimPayment
from claimhouse.store._bulk import (
    Encoders,
    encoders,
    fetch_in,
    gc_paused,
    insert_rows,
    reserve_ids,
    update_rows,
)
from claimhouse.store._convert import claim_document, payer_key
from claimhouse.store._rows import (
    ADJUSTMENT_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_INSERT_COLUMNS,
    CLAIM_PAYMENT_COLUMNS,
    DOCUMENT_COLUMNS,
    LINE_COLUMNS,
    PROVIDER_ADJUSTMENT_COLUMNS,
    REMITTANCE_COLUMNS,
    SERVICE_PAYMENT_COLUMNS,
    Row,
    add_adjustment_values,
    add_line_values,
    claim_payment_values,
    claim_values,
    new_claim_tail,
    provider_adjustment_values,
    remittance_values,
    service_payment_values,
)
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimDocumentRow,
    ClaimPaymentRow,
    ClaimRow,
    ProviderAdjustmentRow,
    RemittanceRow,
    ServiceLineRow,
    ServicePaymentRow,
)

CHUNK = 2000
VOID = "8"


@dataclass(slots=True)
class LoadCounts:
    """What a load added: claims new and replaced, remittances posted and skipped."""

    claims_added: int = 0
    claims_replaced: int = 0
    claims_voided: int = 0
    claims_ignored: int = 0
    remittances_added: int = 0
    remittances_duplicate: int = 0
    claim_payments_added: int = 0
    remittance_ids: list[int] = field(default_factory=list)

    def merge(self, other: LoadCounts) -> None:
        self.claims_added += other.claims_added
        self.claims_replaced += other.claims_replaced
        self.claims_voided += other.claims_voided
        self.claims_ignored += other.claims_ignored
        self.remittances_added += other.remittances_added
        self.remittances_duplicate += other.remittances_duplicate
        self.claim_payments_added += other.claim_payments_added
        self.remittance_ids += other.remittance_ids


def add_claims(session: Session, claims: Iterable[Claim], *,
               kind: ClaimKind = ClaimKind.PROFESSIONAL, submitted_on: date | None = None,
               file_id: int | None = None) -> LoadCounts:
    """Store submitted claims (837 loop 2300 + 2400s); replaces a claim already stored
    under the same (patient control number, payer id)."""
    counts = LoadCounts()
    batch: list[Claim] = []
    enc = encoders(session)
    with gc_paused():
        for claim in claims:
            batch.append(claim)
            if len(batch) >= CHUNK:
                counts.merge(_add_claim_chunk(session, batch, kind.value, submitted_on,
                                              file_id, enc))
                batch = []
        if batch:
            counts.merge(_add_claim_chunk(session, batch, kind.value, submitted_on, file_id,
                                          enc))
    return counts


def _add_claim_chunk(session: Session, claims: list[Claim], kind: str,
                     submitted_on: date | None, file_id: int | None,
                     enc: Encoders) -> LoadCounts:
    keys = [(c.patient_control_number, c.payer.id) for c in claims]
    existing = {(pcn, payer): (claim_id, frequency) for pcn, payer, claim_id, frequency in
                fetch_in(session, "SELECT patient_control_number, payer_id, id, "
                         "frequency_code FROM claims WHERE patient_control_number IN ({})",
                         sorted({k[0] for k in keys}))}
    fresh: dict[tuple[str, str], Claim] = {}
    replaced: dict[int, Claim] = {}
    counts = LoadCounts()
    for key, claim in zip(keys, claims, strict=True):
        found = existing.get(key)
        if found is None:
            if key in fresh and fresh[key].frequency_code == VOID \
                    and claim.frequency_code != VOID:
                counts.claims_ignored += 1  # a void is final, even within one chunk
                continue
            fresh[key] = claim  # a repeat inside one chunk: the later one wins
            continue
        claim_id, frequency = found
        if frequency == VOID and claim.frequency_code != VOID:
            counts.claims_ignored += 1
            continue
        replaced[claim_id] = claim  # the later one wins here too
        if claim.frequency_code == VOID:
            counts.claims_voided += 1
        else:
            counts.claims_replaced += 1
        existing[key] = (claim_id, claim.frequency_code)
    lines: list[Row] = []
    if replaced:  # in bulk: the rows updated, their lines deleted and inserted again
        update_rows(session, ClaimRow, [*CLAIM_COLUMNS, "dirty"], [
            (*claim_values(claim, kind, submitted_on, file_id, enc), enc.true, claim_id)
            for claim_id, claim in replaced.items()])
        update_rows(session, ClaimDocumentRow, ["document"], [
            (claim_document(claim), claim_id) for claim_id, claim in replaced.items()])
        ids = sorted(replaced)
        for start in range(0, len(ids), 900):
            session.execute(delete(ServiceLineRow).where(
                ServiceLineRow.claim_id.in_(ids[start:start + 900])))
        for claim_id, claim in replaced.items():
            add_line_values(lines, claim, claim_id, enc)
        insert_rows(session, ServiceLineRow, LINE_COLUMNS, lines)
        lines = []
    new = list(fresh.values())
    ids = reserve_ids(session, ClaimRow, len(new))
    tail = new_claim_tail(enc)
    documents: list[Row] = []

    def rows() -> Iterator[Row]:
        """The new claims' rows; each also files its document's and its lines' rows: one
        pass, while the claim's objects are still in the CPU cache (100,000 claims'
        objects are far beyond it), and on PostgreSQL while the server takes the claims
        (see insert_rows)."""
        for claim, claim_id in zip(new, ids, strict=True):
            yield (claim_id, *claim_values(claim, kind, submitted_on, file_id, enc), *tail)
            documents.append((claim_id, claim_document(claim)))
            add_line_values(lines, claim, claim_id, enc)

    insert_rows(session, ClaimRow, CLAIM_INSERT_COLUMNS, rows())
    insert_rows(session, ClaimDocumentRow, DOCUMENT_COLUMNS, documents)
    insert_rows(session, ServiceLineRow, LINE_COLUMNS, lines)
    counts.claims_added += len(ids)
    known = {pcn for pcn, _ in existing}
    _rematch_weak(session, sorted({c.patient_control_number for c in new} & known))
    return counts


def _rematch_weak(session: Session, pcns: list[str]) -> None:
    """A new claim for a patient control number already on file (another payer) may fit
    payments matched before without the payer's confirmation (secondary, payer differs):
    release those so the next reconcile chooses again among all the claims."""
    if not pcns:
        return
    weak = (ClaimPaymentRow.patient_control_number.in_(pcns),
            ClaimPaymentRow.claim_id.is_not(None),
            ~ClaimPaymentRow.match_rule.like("%payer%"))
    old = set(session.execute(select(ClaimPaymentRow.claim_id).where(*weak)).scalars())
    if not old:
        return
    session.execute(update(ClaimPaymentRow).where(*weak).values(
        claim_id=None, disposition="unmatched", match_rule=None))
    session.execute(update(ClaimRow).where(ClaimRow.id.in_(old)).values(dirty=True))


def remittance_exists(session: Session, remittance: Remittance) -> bool:
    """Whether this payer's TRN02 trace number is already posted."""
    trace = remittance.payment.trace_number if remittance.payment else None
    if not trace:
        return False
    found = session.execute(select(RemittanceRow.id).where(
        RemittanceRow.payer_key == payer_key(remittance),
        RemittanceRow.trace_number == trace)).first()
    return found is not None


def add_remittances(session: Session, remittances: Iterable[Remittance], *,
                    file_id: int | None = None) -> LoadCounts:
    """Post remittances (835 sets) with their 2100/2110 loops, CAS and PLB; a remittance
    whose (payer, TRN02) is already posted is skipped and counted as a duplicate."""
    with gc_paused():
        return _add_remittances(session, remittances, file_id)


def _add_remittances(session: Session, remittances: Iterable[Remittance],
                     file_id: int | None) -> LoadCounts:
    counts = LoadCounts()
    enc = encoders(session)
    for remittance in remittances:
        if remittance_exists(session, remittance):
            counts.remittances_duplicate += 1
            continue
        rem_id = reserve_ids(session, RemittanceRow, 1)[0]
        insert_rows(session, RemittanceRow, REMITTANCE_COLUMNS,
                    [remittance_values(remittance, rem_id, file_id, enc)])
        counts.remittance_ids.append(rem_id)
        counts.remittances_added += 1
        insert_rows(session, ProviderAdjustmentRow, PROVIDER_ADJUSTMENT_COLUMNS,
                    list(provider_adjustment_values(remittance, rem_id, enc)))
        claims = list(remittance.claims())
        for start in range(0, len(claims), CHUNK):
            _add_payment_chunk(session, claims[start:start + CHUNK], rem_id, start, enc)
            counts.claim_payments_added += len(claims[start:start + CHUNK])
    return counts


def _add_payment_chunk(session: Session, chunk: list[ClaimPayment], rem_id: int,
                       start: int, enc: Encoders) -> None:
    """Loops 2100 (claim payments), their 2110s (service payments) and every CAS."""
    cp_ids = reserve_ids(session, ClaimPaymentRow, len(chunk))
    sp_ids = iter(reserve_ids(session, ServicePaymentRow,
                              sum(len(cp.service_lines) for cp in chunk)))
    lines: list[Row] = []
    adjustments: list[Row] = []  # the chunk's claim-level CAS, then its line-level CAS
    line_adjustments: list[Row] = []

    def payments() -> Iterator[Row]:
        """The 2100 rows; building each also files its 2110 and CAS rows (one pass over
        the models; on PostgreSQL while the server takes the 2100 rows, see insert_rows)."""
        for i, (cp, cp_id) in enumerate(zip(chunk, cp_ids, strict=True)):
            yield claim_payment_values(cp, cp_id, rem_id, start + i + 1, enc)
            if cp.adjustments:
                add_adjustment_values(adjustments, cp.adjustments, cp_id, None, enc)
            for position, sp in enumerate(cp.service_lines, start=1):
                sp_id = next(sp_ids)
                lines.append(service_payment_values(sp, sp_id, cp_id, position, enc))
                if sp.adjustments:
                    add_adjustment_values(line_adjustments, sp.adjustments, cp_id, sp_id, enc)

    insert_rows(session, ClaimPaymentRow, CLAIM_PAYMENT_COLUMNS, payments())
    insert_rows(session, ServicePaymentRow, SERVICE_PAYMENT_COLUMNS, lines)
    insert_rows(session, AdjustmentRow, ADJUSTMENT_COLUMNS, adjustments + line_adjustments)


def claim_kind(session: Session, pcn: str) -> ClaimKind | None:
    """The 837 kind (professional, institutional, dental) a stored claim was billed as."""
    kind = session.execute(select(ClaimRow.kind).where(
        ClaimRow.patient_control_number == pcn).order_by(ClaimRow.id)).scalars().first()
    return ClaimKind(kind) if kind else None
