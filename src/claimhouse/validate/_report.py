"""The validation report, shaped like the interchange: interchange > group > set.

Each level holds the findings that belong to it (a set's findings are those located in
that transaction set); findings that fit no envelope (an unreadable file) sit on the
report itself. A 999 or TA1 is a straight walk over this tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from claimhouse.x12 import Finding, InterchangeInfo, Severity


def _has_error(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


@dataclass(slots=True)
class SetReport:
    """One transaction set (ST/SE) and its findings."""

    id: str
    control_number: str
    version: str | None
    start_segment: int
    closed: bool = True
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not _has_error(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "control_number": self.control_number,
                "version": self.version, "valid": self.valid,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(slots=True)
class GroupReport:
    """One functional group (GS/GE), its sets and its own findings (GE/GS defects)."""

    functional_id: str
    control_number: str
    version: str
    sender: str
    receiver: str
    closed: bool = True
    sets: list[SetReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not _has_error(self.findings) and all(s.valid for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        return {"functional_id": self.functional_id, "control_number": self.control_number,
                "version": self.version, "valid": self.valid,
                "findings": [f.to_dict() for f in self.findings],
                "transaction_sets": [s.to_dict() for s in self.sets]}


@dataclass(slots=True)
class InterchangeReport:
    """One interchange (ISA/IEA): the envelope data a TA1 needs, groups and findings."""

    control_number: str
    sender_qualifier: str
    sender: str
    receiver_qualifier: str
    receiver: str
    date: str
    time: str
    version: str
    ack_requested: str
    usage: str
    groups: list[GroupReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    has_ta1: bool = False
    """True when the interchange carries a TA1 segment (it is an acknowledgment)."""

    @property
    def valid(self) -> bool:
        return not _has_error(self.findings) and all(g.valid for g in self.groups)

    @property
    def envelope_valid(self) -> bool:
        """No error on the interchange envelope itself (what a TA1 reports)."""
        return not _has_error(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"control_number": self.control_number, "sender": self.sender,
                "receiver": self.receiver, "version": self.version, "valid": self.valid,
                "findings": [f.to_dict() for f in self.findings],
                "groups": [g.to_dict() for g in self.groups]}


@dataclass(slots=True)
class ValidationReport:
    """Everything found in one file at the requested SNIP level."""

    file: str | None
    level: int
    interchanges: list[InterchangeReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """File-level findings: those that belong to no interchange."""
    pyx12_valid: bool | None = None
    """pyx12's own verdict from the level-2 run (None: not run, or it gave none), kept
    for differential testing against our translated findings."""

    @property
    def valid(self) -> bool:
        return not _has_error(self.findings) and all(i.valid for i in self.interchanges)

    def all_findings(self) -> Iterator[Finding]:
        yield from self.findings
        for icx in self.interchanges:
            yield from icx.findings
            for grp in icx.groups:
                yield from grp.findings
                for ts in grp.sets:
                    yield from ts.findings

    def codes(self, severity: Severity | None = Severity.ERROR) -> list[str]:
        """The finding codes, in order (only those of ``severity``; None for all)."""
        return [f.code for f in self.all_findings()
                if severity is None or f.severity is severity]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "level": self.level, "valid": self.valid,
                "findings": [f.to_dict() for f in self.findings],
                "interchanges": [i.to_dict() for i in self.interchanges]}


def build_report(name: str | None, level: int, interchanges: list[InterchangeInfo],
                 findings: list[Finding], ta1_interchanges: set[int]) -> ValidationReport:
    """Place each finding at the deepest envelope its location names.

    ``ta1_interchanges`` holds the start segments of interchanges that carry a TA1.
    """
    report = ValidationReport(name, level)
    by_key: dict[tuple[str | None, ...], list[Finding]] = {}
    for icx in interchanges:
        ir = InterchangeReport(icx.control_number, icx.sender_qualifier, icx.sender,
                               icx.receiver_qualifier, icx.receiver, icx.date, icx.time,
                               icx.version, icx.ack_requested, icx.usage,
                               has_ta1=icx.start_segment in ta1_interchanges)
        report.interchanges.append(ir)
        by_key.setdefault((icx.control_number,), ir.findings)
        for grp in icx.groups:
            gr = GroupReport(grp.functional_id, grp.control_number, grp.version,
                             grp.sender, grp.receiver, grp.closed)
            ir.groups.append(gr)
            by_key.setdefault((icx.control_number, grp.control_number), gr.findings)
            for ts in grp.transaction_sets:
                sr = SetReport(ts.id, ts.control_number, ts.version, ts.start_segment,
                               ts.closed)
                gr.sets.append(sr)
                by_key.setdefault((icx.control_number, grp.control_number,
                                   ts.control_number), sr.findings)
    for f in findings:
        loc = f.location
        keys = [(loc.interchange, loc.group, loc.transaction_set),
                (loc.interchange, loc.group), (loc.interchange,)]
        target = next((by_key[k] for k in keys if None not in k and k in by_key),
                      report.findings)
        target.append(f)
    return report
