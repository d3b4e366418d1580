"""The validation entry point: one pass of our own checks, then pyx12 for level 2.

Level 1 is the envelope reader's findings plus character-set and ST03 checks; level 2
is pyx12 (through :mod:`claimhouse.validate._pyx12`); levels 3–5 are segment checkers
run in the same single streaming pass as level 1 (:mod:`._check837`, :mod:`._check835`).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from claimhouse.errors import InputError
from claimhouse.validate._check835 import Check835
from claimhouse.validate._check837 import Check837
from claimhouse.validate._codes import VALIDATION_CODES
from claimhouse.validate._context import SetContext
from claimhouse.validate._report import ValidationReport, build_report
from claimhouse.x12 import EnvelopeReader, Finding, Location, Segment, Severity, Source

ACK_SET_IDS = frozenset({"999", "997"})
"""Transaction sets that are acknowledgments themselves (never acknowledged)."""

Checker = Check837 | Check835

ST03_NOT_USED = frozenset({"835"})
"""Transaction sets whose 5010 guide does not use ST03: the 835 (X221A1) marks it Not
Used (pyx12's map; every public 5010 835 omits it); the 837s, 999 and 277CA require it."""


def _read_source(source: Source) -> tuple[bytes | Path, str]:
    """A path stays a path (both passes stream it); bytes and streams are read whole."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise InputError(f"{os.fspath(source)}: cannot read ({exc.strerror})") from None
        return path, os.fspath(source)
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), "<bytes>"
    return source.read(), str(getattr(source, "name", "<stream>"))


def _bad_char(text: str) -> bool:
    return not (text.isascii() and text.isprintable())


class _Pass:
    """Our single pass over the segments: level 1 extras and levels 3–5."""

    def __init__(self, name: str, level: int, reader: EnvelopeReader) -> None:
        self.name = name
        self.level = level
        self.reader = reader
        self.findings: list[Finding] = []
        self.ta1_interchanges: set[int] = set()
        self.ack_sets = 0
        self.icn: str | None = None
        self.gcn: str | None = None
        self.gs_version = ""
        self.isa_version = ""
        self.isa_start = 0
        self.ctx: SetContext | None = None
        self.checker: Checker | None = None

    def run(self) -> None:
        for seg in self.reader.segments():
            tag = seg.elements[0]
            if tag == "ISA":
                self.icn, self.gcn = seg.get(13), None
                self.isa_version, self.isa_start = seg.get(12), seg.ordinal
                continue
            self._charset(seg)
            if tag == "GS":
                self.gcn, self.gs_version = seg.get(6), seg.get(8)
            elif tag == "ST":
                self._start_set(seg)
            elif tag == "SE":
                self._end_set()
            elif tag == "TA1":
                self.ta1_interchanges.add(self.isa_start)
            elif tag == "GE":
                self.gcn = None
            elif self.checker is not None:
                self.checker.segment(seg)
        if any(f.code == "segment-too-long" for f in self.reader.findings):
            self.checker = None  # the set was cut short: its balance means nothing
        self._end_set()

    def _charset(self, seg: Segment) -> None:
        els = seg.elements
        if not _bad_char("".join(els)):
            return
        ctx = self.ctx
        for i, value in enumerate(els):
            if _bad_char(value):
                spec = VALIDATION_CODES["invalid-character"]
                loc = Location(file=self.name, segment=seg.ordinal, offset=seg.offset,
                               segment_id=els[0] if i else None, element=i or None,
                               interchange=self.icn, group=self.gcn,
                               transaction_set=ctx.transaction_set if ctx else None,
                               set_segment=seg.ordinal - ctx.st_ordinal + 1 if ctx else None)
                self.findings.append(Finding(spec.code, spec.summary, loc, spec.severity,
                                             spec.snip_level))
                return

    def _start_set(self, seg: Segment) -> None:
        self._end_set()
        version = seg.get(3) or self.gs_version
        delims = self.reader.tokenizer.delimiters
        ctx = SetContext(self.name, self.icn, self.gcn, seg.get(2), seg.get(1), version,
                         seg.ordinal, delims.component if delims else ":",
                         delims.repetition if delims else None, self.findings)
        self.ctx = ctx
        if (not seg.get(3) and self.gs_version.startswith("005010")
                and seg.get(1) not in ST03_NOT_USED):
            ctx.add("st-version-missing", seg, element=3)
        if seg.get(1) in ACK_SET_IDS:
            self.ack_sets += 1
        if self.level < 3:
            return
        if seg.get(1) == "837":
            self.checker = Check837(ctx, self.level)
        elif seg.get(1) == "835":
            self.checker = Check835(ctx, self.level)

    def _end_set(self) -> None:
        if self.checker is not None:
            self.checker.finish()
        self.checker = None
        self.ctx = None


def validate_file(source: Source, level: int = 5, *, name: str | None = None,
                  seen_interchanges: Collection[tuple[str, str]] = (),
                  use_pyx12: bool = True) -> ValidationReport:
    """Validate one X12 file at SNIP ``level`` (1–5, cumulative) and return the report.

    ``seen_interchanges`` holds (ISA06 sender, ISA13) pairs already received (from the
    store); a repeat is reported as ``isa-duplicate-interchange`` (TA1 note 025).
    Bad data yields findings; only an unreadable source raises (:class:`InputError`).
    """
    if not 1 <= level <= 5:
        raise InputError(f"validation level must be 1 to 5, not {level}")
    data, default_name = _read_source(source)
    name = name or default_name
    reader = EnvelopeReader(data, name=name)
    walk = _Pass(name, level, reader)
    walk.run()
    findings = list(reader.findings)
    seen = set(seen_interchanges)
    for icx in reader.interchanges:
        if (icx.sender, icx.control_number) in seen:
            spec = VALIDATION_CODES["isa-duplicate-interchange"]
            findings.append(Finding(spec.code, spec.summary, Location(
                file=name, segment=icx.start_segment, offset=icx.start_offset,
                segment_id="ISA", element=13, interchange=icx.control_number),
                spec.severity, spec.snip_level))
    findings.extend(walk.findings)
    has_groups = any(icx.groups for icx in reader.interchanges)
    unread = any(f.code == "segment-too-long" for f in reader.findings)  # pyx12 would load it
    if level >= 2 and use_pyx12 and has_groups and not unread:  # pyx12 dies on bare TA1 (#160)
        level2, pyx12_valid = _level2(data, name, findings, reader, level)
        findings.extend(level2)
    else:
        pyx12_valid = None
    if walk.ack_sets or walk.ta1_interchanges:
        spec = VALIDATION_CODES["ack-not-acknowledged"]
        findings.append(Finding(spec.code, spec.summary, Location(file=name),
                                spec.severity, spec.snip_level))
    findings.sort(key=lambda f: f.location.segment or 0)
    report = build_report(name, level, reader.interchanges, findings, walk.ta1_interchanges)
    report.pyx12_valid = pyx12_valid
    return report


def _scope(f: Finding) -> tuple[str, str | None, str | None, str | None]:
    loc = f.location
    return (f.code, loc.interchange, loc.group, loc.transaction_set)


def _level2(data: bytes | Path, name: str, ours: list[Finding], reader: EnvelopeReader,
            level: int) -> tuple[list[Finding], bool | None]:
    from claimhouse.validate._pyx12 import run_pyx12

    result = run_pyx12(data, name)
    seen = {_scope(f) for f in ours}
    seen_codes = {f.code for f in ours}
    level1_errors = any(f.severity is Severity.ERROR for f in ours)
    ours_elements = {(f.location.segment, f.location.element) for f in ours
                     if f.code == "st-version-missing"}
    out: list[Finding] = []
    for f in result.findings:
        if f.code in ("hl-not-sequential", "hl-parent-unknown") and level >= 4:
            continue  # our level-4 HL checks own these
        if _scope(f) in seen or (f.location.transaction_set is None and f.code in seen_codes
                                 and f.snip_level == 1):
            continue  # the envelope reader already reported it
        if (f.location.segment, f.location.element) in ours_elements:
            continue  # the same element our level 1 already names (e.g. ST03 missing)
        if f.code == "ig-engine-failure" and level1_errors:
            f = Finding(f.code, f.message, f.location, Severity.WARNING, f.snip_level)
        out.append(f)
    for vriic in result.unsupported:
        spec = VALIDATION_CODES["ig-guide-not-checked"]
        for icx in reader.interchanges:
            for grp in icx.groups:
                if grp.version == vriic or not vriic:
                    out.append(Finding(spec.code, spec.summary, Location(
                        file=name, segment=grp.start_segment, segment_id="GS", element=8,
                        interchange=icx.control_number, group=grp.control_number),
                        spec.severity, spec.snip_level))
    return out, result.valid
