"""The narrow interface between the batch runner and what is done to one file.

The runner owns claiming, duplicates, durability and the journal; a :class:`Pipeline`
only decides what a file is worth: :meth:`Pipeline.process` reads it and returns a
:class:`FileOutcome` (accepted or rejected with a PHI-free reason, acknowledgments,
extracts, a claim count and the interchanges and transaction sets it held), and
:meth:`Pipeline.load` writes its results inside the runner's commit transaction, the
same one that marks the job done and records the interchange's control number, so a
file's results are stored exactly once.

:class:`EnvelopePipeline` is the default: it reads envelopes (ISA/GS/ST … SE/GE/IEA)
with :class:`claimhouse.x12.EnvelopeReader`, rejects a file with envelope errors or with
a transaction set the drop does not accept, counts claims (837 ``CLM`` in loop 2300,
835 ``CLP`` in loop 2100), and records each transaction set in ``batch_sets``.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from claimhouse.batch._config import DropConfig
from claimhouse.batch._tables import sets as sets_table
from claimhouse.errors import ClaimhouseError
from claimhouse.x12 import EnvelopeReader, Finding, Severity

_CLAIM_SEGMENT = {"837": "CLM", "835": "CLP"}


@dataclass(frozen=True, slots=True)
class JobInfo:
    """What a pipeline may know of the job: its id (stable across retries), the original
    name, and the claim day. ``id`` is a good base for reproducible ack control numbers."""

    id: int
    name: str
    day: str
    received: float = 0.0
    """When the file was discovered (epoch seconds): the clock for its acknowledgments."""


@dataclass(frozen=True, slots=True)
class InterchangeKey:
    """ISA05/ISA06 sender, ISA07/ISA08 receiver and ISA13 control number."""

    sender: str
    receiver: str
    control_number: str


@dataclass(frozen=True, slots=True)
class SetSummary:
    """One transaction set (ST/SE) of an accepted file: control numbers and counts."""

    interchange: str
    group: str
    control_number: str
    set_id: str
    version: str
    segments: int
    claims: int


@dataclass(slots=True)
class FileOutcome:
    """What a pipeline decided about one file."""

    accepted: bool
    reason: str = ""
    acks: list[tuple[str, bytes]] = field(default_factory=list)
    """(kind, bytes), e.g. ("999.x12", ...), ("ta1.x12", ...)."""
    extracts: list[tuple[str, bytes]] = field(default_factory=list)
    """(suffix, bytes), e.g. ("835.json", ...)."""
    claims_count: int = 0
    interchanges: list[InterchangeKey] = field(default_factory=list)
    sets: list[SetSummary] = field(default_factory=list)
    source: Path | None = None
    """Where the file is while the job runs, when :meth:`Pipeline.load` must read it."""
    sha256: str | None = None
    """Set by the runner before the commit."""
    loaded: bool = False
    """Set by a pipeline whose load stored something (the runner then reconciles)."""

    @classmethod
    def rejected(cls, reason: str) -> FileOutcome:
        return cls(accepted=False, reason=reason)


class Pipeline(Protocol):
    """What the runner needs from the processing of one file."""

    def process(self, path: Path, job: JobInfo) -> FileOutcome:
        """Read ``path`` and decide. Raise only for I/O faults (``OSError``); bad content
        is a rejected outcome, never an exception."""
        ...

    def load(self, conn: Connection, outcome: FileOutcome, job: JobInfo) -> None:
        """Store an accepted outcome's results inside the runner's commit transaction."""
        ...


def _reason(findings: list[Finding]) -> str:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    first = errors[0]
    where = first.location.describe()
    more = f" (and {len(errors) - 1} more envelope error(s))" if len(errors) > 1 else ""
    return f"{first.code}: {first.message}{' at ' + where if where else ''}{more}"


class EnvelopePipeline:
    """The default pipeline: envelope checks, accepted set ids, claim counts."""

    def __init__(self, config: DropConfig) -> None:
        self.config = config

    def process(self, path: Path, job: JobInfo) -> FileOutcome:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode):
            return FileOutcome.rejected("not a regular file")
        if st.st_size == 0:
            return FileOutcome.rejected("empty file: nothing to acknowledge")
        reader = EnvelopeReader(path, name=job.name)
        summaries: list[SetSummary] = []
        refused: set[str] = set()
        try:
            for ts in reader.transaction_sets():
                claim_id = _CLAIM_SEGMENT.get(ts.info.id)
                claims = sum(1 for seg in ts.segments if seg.elements[0] == claim_id)
                if ts.info.id not in self.config.accept:
                    refused.add(ts.info.id)
                summaries.append(SetSummary(
                    ts.interchange.control_number, ts.group.control_number,
                    ts.info.control_number, ts.info.id, ts.info.version or ts.group.version,
                    ts.info.segment_count, claims))
        except ClaimhouseError as exc:
            return FileOutcome.rejected(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}")
        if any(f.severity is Severity.ERROR for f in reader.findings):
            return FileOutcome.rejected(_reason(reader.findings))
        if refused:
            return FileOutcome.rejected(
                "transaction set(s) not accepted by this drop: " + ", ".join(sorted(refused)))
        if not summaries:
            return FileOutcome.rejected("no transaction sets in the interchange")
        keys = [InterchangeKey(f"{i.sender_qualifier}:{i.sender.strip()}",
                               f"{i.receiver_qualifier}:{i.receiver.strip()}",
                               i.control_number) for i in reader.interchanges]
        outcome = FileOutcome(accepted=True, claims_count=sum(s.claims for s in summaries),
                              interchanges=keys, sets=summaries)
        if self.config.report:
            outcome.extracts.append(("report.json", _report(job, outcome)))
        return outcome

    def load(self, conn: Connection, outcome: FileOutcome, job: JobInfo) -> None:
        if outcome.sets:
            conn.execute(insert(sets_table), [
                {"job_id": job.id, "ordinal": n, "interchange": s.interchange,
                 "group_control": s.group, "set_control": s.control_number,
                 "set_id": s.set_id, "version": s.version, "segments": s.segments,
                 "claims": s.claims}
                for n, s in enumerate(outcome.sets, 1)])


def _report(job: JobInfo, outcome: FileOutcome) -> bytes:
    """A PHI-free per-file report: control numbers, set ids and counts only."""
    doc = {
        "job": job.id, "accepted": outcome.accepted, "reason": outcome.reason,
        "claims": outcome.claims_count,
        "sets": [{"interchange": s.interchange, "group": s.group, "set": s.control_number,
                  "id": s.set_id, "version": s.version, "segments": s.segments,
                  "claims": s.claims} for s in outcome.sets],
    }
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")
