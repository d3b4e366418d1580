"""The full pipeline: envelope checks, validation with 999/TA1, and loading into the store.

:class:`FullPipeline` runs, for each file:

1. :class:`~claimhouse.batch.EnvelopePipeline` (streaming envelope checks, accepted set
   ids, claim counts; constant memory on any size);
2. :func:`claimhouse.validate.validate_file` at the drop's SNIP level, and
   :func:`claimhouse.acks.build_acks` for the TA1/999 answers (control numbers derived
   from the job id and the clock from the job's discovery time, so a retried job writes
   the same acknowledgment under the same name). A file with any error finding is
   rejected; files larger than ``max_validate_bytes`` are validated at the envelope only;
3. inside the runner's commit transaction (:meth:`FullPipeline.load`): the store's
   ``files`` row (its unique sha256 and ISA05/ISA06/ISA13 keep a file from loading twice),
   and every 837 claim (loop 2300) and 835 remittance through the transaction registry
   with :func:`claimhouse.store._load.add_claims` / ``add_remittances``.

After a run that accepted files the runner calls :func:`claimhouse.reconcile.reconcile`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from claimhouse.acks import build_277ca, build_acks
from claimhouse.batch._config import DropConfig
from claimhouse.batch._pipeline import EnvelopePipeline, FileOutcome, JobInfo
from claimhouse.models import ClaimBatch, Remittance
from claimhouse.store import Store
from claimhouse.store._load import LoadCounts, add_claims, add_remittances
from claimhouse.store._tables import FileRow
from claimhouse.transactions._registry import resolve
from claimhouse.transactions.claims837 import ClaimStream
from claimhouse.validate import ValidationReport, validate_file
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers, Severity, fixed_clock

MAX_VALIDATE_BYTES = 64 * 1024 * 1024


def _validation_reason(report: ValidationReport) -> str:
    errors = [f for f in report.all_findings() if f.severity is Severity.ERROR]
    first = errors[0]
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    return (f"{first.code}: {first.message} at {first.location.describe()} "
            f"(SNIP {first.snip_level}){more}")


def _gs_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return None


class FullPipeline:
    """Envelope checks, validation and acknowledgments, then loading into ``store`` (if
    any)."""

    def __init__(self, config: DropConfig, store: Store | None, *,
                 seen: Callable[[str, str, str], int | None] | None = None,
                 max_validate_bytes: int = MAX_VALIDATE_BYTES) -> None:
        """``seen(sender, receiver, ISA13)`` names the job that already took an
        interchange (the runner passes its journal's lookup): a repeat is rejected and
        answered with TA1 note 025."""
        self.config, self.store, self.seen = config, store, seen
        self.envelope = EnvelopePipeline(config)
        self.max_validate_bytes = max_validate_bytes

    def process(self, path: Path, job: JobInfo) -> FileOutcome:
        outcome = self.envelope.process(path, job)
        level = self.config.validation_level
        if level == 0 or not path.is_file() or path.is_symlink():
            return outcome
        size = path.stat().st_size
        if size == 0 or size > self.max_validate_bytes:
            return outcome
        repeats = [(key, owner) for key in outcome.interchanges
                   if self.seen and (owner := self.seen(key.sender, key.receiver,
                                                        key.control_number)) is not None]
        report = validate_file(path, level, name=job.name, seen_interchanges=[
            (key.sender.split(":", 1)[-1], key.control_number) for key, _ in repeats])
        when = datetime.fromtimestamp(job.received, UTC).replace(tzinfo=None)
        clock = fixed_clock(when)
        numbers = SequentialControlNumbers(job.id * 10 % 999_999_990)
        acks = build_acks(report, clock=clock, control_numbers=numbers)
        if "277ca" in self.config.acks and not repeats:
            # claim-level acknowledgment of the 837 sets that passed SNIP 1-2
            acks += build_277ca(path, report, clock=clock, control_numbers=numbers)
        outcome.acks = [(f"{a.kind.lower()}.x12", a.content) for a in acks]
        if repeats:
            key, owner = repeats[0]
            outcome.accepted, outcome.extracts = False, []
            outcome.reason = (f"duplicate interchange: ISA13 {key.control_number} from this "
                              f"sender was already processed (job {owner})")
        elif outcome.accepted and not report.valid:
            outcome.accepted = False
            outcome.reason = _validation_reason(report)
        if outcome.accepted:
            outcome.source = path
        return outcome

    def load(self, conn: Connection, outcome: FileOutcome, job: JobInfo) -> None:
        self.envelope.load(conn, outcome, job)
        if outcome.source is None or self.store is None:
            return
        with Session(bind=conn) as session:
            self._load(session, outcome.source, outcome, job)
            session.flush()

    def _load(self, session: Session, path: Path, outcome: FileOutcome, job: JobInfo) -> None:
        now = datetime.now(UTC)
        counts = LoadCounts()
        kinds: list[str] = []
        file_id: int | None = None
        for ts in EnvelopeReader(path, name=job.name).transaction_sets():
            if file_id is None:
                isa = ts.interchange
                file_id = session.execute(insert(FileRow).returning(FileRow.id), [{
                    "sha256": outcome.sha256, "name": job.name[-400:],
                    "size": path.stat().st_size, "sender_qualifier": isa.sender_qualifier,
                    "sender_id": isa.sender, "receiver_qualifier": isa.receiver_qualifier,
                    "receiver_id": isa.receiver, "control_number": isa.control_number,
                    "received_at": datetime.fromtimestamp(job.received, UTC),
                    "processed_at": now, "outcome": "loaded"}]).scalar_one()
            binding, ts = resolve(ts)
            if binding is None:
                continue
            model = binding.read(ts)
            gs_date = _gs_date(ts.group.date)
            submitted = gs_date.date() if gs_date else None
            if isinstance(model, ClaimStream | ClaimBatch):
                counts.merge(add_claims(session, model.claims, kind=model.kind,
                                        submitted_on=submitted, file_id=file_id))
            elif isinstance(model, Remittance):
                counts.merge(add_remittances(session, [model], file_id=file_id))
            else:
                continue
            if binding.name not in kinds:
                kinds.append(binding.name)
        if file_id is not None:
            session.execute(update(FileRow).where(FileRow.id == file_id).values(
                kind="+".join(kinds)[:20] or None,
                detail=(f"batch job {job.id}: claims {counts.claims_added} new, "
                        f"{counts.claims_replaced} replaced; remittances "
                        f"{counts.remittances_added} posted")))
        outcome.loaded = bool(kinds)
