"""Building acknowledgments from a validation report: 999 (005010X231A1) and TA1.

One 999 transaction set per functional group received (AK1 … AK9), written in one
interchange per interchange received, sender and receiver swapped. A TA1 when ISA14
asks for one or when the interchange envelope itself is bad (note code per defect,
e.g. 025 for a duplicate control number); a rejected interchange gets no 999.
Acknowledgments are never acknowledged. Clock and control numbers are injected, so the
same report gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from claimhouse.validate import (
    VALIDATION_CODES,
    GroupReport,
    InterchangeReport,
    SetReport,
    ValidationReport,
)
from claimhouse.x12 import (
    ENVELOPE_CODES,
    Clock,
    ControlNumbers,
    EnvelopeWriter,
    Finding,
    FindingCode,
    InterchangeHeader,
    SegmentWriter,
    Severity,
)

ACK_FUNCTIONAL_IDS = frozenset({"FA"})
"""GS01 of acknowledgment groups (997/999): never acknowledged."""
IK3_LIMIT = 100
"""At most this many IK3 loops per set, as receivers' guides usually cap error loops."""


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    """One generated acknowledgment interchange: ``kind`` is "999" or "TA1"."""

    kind: str
    interchange: str
    """The ISA13 of the interchange acknowledged."""
    accepted: bool
    content: bytes


def _spec(code: str) -> FindingCode | None:
    return VALIDATION_CODES.get(code) or ENVELOPE_CODES.get(code)


def _counts(f: Finding, levels: frozenset[int]) -> bool:
    return f.severity is not Severity.INFO and f.snip_level in levels


def set_status(ts: SetReport, levels: frozenset[int]) -> str:
    """IK501: A accepted, E accepted with errors noted (warnings only), R rejected."""
    relevant = [f for f in ts.findings if _counts(f, levels)]
    if any(f.severity is Severity.ERROR for f in relevant):
        return "R"
    return "E" if relevant else "A"


def _ik5_codes(ts: SetReport, levels: frozenset[int]) -> list[str]:
    codes: list[str] = []
    for f in ts.findings:
        spec = _spec(f.code)
        if spec and spec.ik5 and _counts(f, levels) and spec.ik5 not in codes:
            codes.append(spec.ik5)
    if "5" in codes and "I5" in codes:
        codes.remove("I5")
    return codes[:5]


def _write_set_errors(w: SegmentWriter, ts: SetReport, levels: frozenset[int]) -> None:
    """IK3 (segment) with its IK4s (elements), one IK3 per segment in error."""
    by_segment: dict[tuple[int, str], list[tuple[Finding, FindingCode]]] = {}
    for f in ts.findings:
        spec = _spec(f.code)
        loc = f.location
        if spec is None or not spec.ik3 or not _counts(f, levels) or loc.set_segment is None \
                or not loc.segment_id:
            continue
        by_segment.setdefault((loc.set_segment, loc.segment_id), []).append((f, spec))
    for (position, seg_id), items in sorted(by_segment.items())[:IK3_LIMIT]:
        loop = next((f.location.loop[:4] for f, _ in items if f.location.loop
                     and f.location.loop[:4].isdigit()), None)  # IK303 is AN 1/4
        elements = [(f, s) for f, s in items if s.ik4 and f.location.element]
        seg_codes = [s.ik3 for f, s in items if not s.ik4 and s.ik3]
        code = "8" if elements or not seg_codes else seg_codes[0]
        w.write("IK3", seg_id, str(position), loop, code)
        seen: set[tuple[int, int | None, str]] = set()
        for f, s in elements:
            assert f.location.element is not None and s.ik4 is not None
            key = (f.location.element, f.location.component, s.ik4)
            if key in seen:
                continue
            seen.add(key)
            pos: str | list[str] = str(f.location.element)
            if f.location.component is not None:
                pos = [str(f.location.element), str(f.location.component)]
            w.write("IK4", pos, None, s.ik4)


def _write_999(w: EnvelopeWriter, grp: GroupReport, levels: frozenset[int]) -> None:
    w.begin_set("999", "005010X231A1")
    s = w.w
    s.write("AK1", grp.functional_id, grp.control_number, grp.version or None)
    accepted = 0
    for ts in grp.sets:
        s.write("AK2", ts.id, ts.control_number, ts.version)
        _write_set_errors(s, ts, levels)
        status = set_status(ts, levels)
        accepted += status != "R"
        if status == "A":
            s.write("IK5", "A")
        else:
            s.write("IK5", status, *_ik5_codes(ts, levels))
    group_codes: list[str] = []
    for f in grp.findings:
        spec = _spec(f.code)
        if spec and spec.ak9 and _counts(f, levels) and spec.ak9 not in group_codes:
            group_codes.append(spec.ak9)
    received = len(grp.sets)
    if group_codes and any(f.severity is Severity.ERROR for f in grp.findings
                           if _counts(f, levels)):
        status = "R"
        accepted = 0
    elif accepted == received:
        status = "E" if any(set_status(t, levels) == "E" for t in grp.sets) else "A"
    else:
        status = "P" if accepted else "R"
    s.write("AK9", status, str(received), str(received), str(accepted), *group_codes[:5])
    w.end_set()


def _header(icx: InterchangeReport, functional_id: str, version: str) -> InterchangeHeader:
    return InterchangeHeader(
        sender_id=icx.receiver, receiver_id=icx.sender,
        sender_qualifier=icx.receiver_qualifier, receiver_qualifier=icx.sender_qualifier,
        usage=icx.usage if icx.usage in ("P", "T") else "P", ack_requested="0",
        functional_id=functional_id, gs_version=version)


_ISA_NOTES = {9: "014", 10: "015", 13: "018", 14: "019", 15: "020"}
"""TA105 for an invalid ISA element value, by element position."""


def ta1_note(icx: InterchangeReport) -> tuple[str, str]:
    """(TA104 acknowledgment code, TA105 note code) for an interchange."""
    for f in icx.findings:
        spec = _spec(f.code)
        if f.code == "isa-invalid-value" and f.location.element in _ISA_NOTES:
            return "R", _ISA_NOTES[f.location.element]
        if spec and spec.ta1 and f.severity is Severity.ERROR:
            return "R", spec.ta1
    if any(f.severity is Severity.ERROR for f in icx.findings):
        return "R", "024"
    if icx.findings:
        return "E", "000"
    return "A", "000"


def _write_ta1(out: io.BytesIO, icx: InterchangeReport, clock: Clock,
               numbers: ControlNumbers) -> None:
    """A TA1-only interchange: ISA, TA1, IEA with a group count of zero."""
    w = SegmentWriter(out)
    h = _header(icx, "", "")
    now = clock()
    control = f"{numbers.next_interchange():09d}"
    w.write_raw_isa([
        "00", " " * 10, "00", " " * 10, h.sender_qualifier.ljust(2)[:2],
        h.sender_id.ljust(15)[:15], h.receiver_qualifier.ljust(2)[:2],
        h.receiver_id.ljust(15)[:15], now.strftime("%y%m%d"), now.strftime("%H%M"),
        w.d.repetition or "U", "00501", control, "0", h.usage, w.d.component])
    code, note = ta1_note(icx)
    w.write("TA1", icx.control_number, icx.date, icx.time, code, note)
    w.write("IEA", "0", control)


def is_acknowledgment(icx: InterchangeReport) -> bool:
    """An interchange that carries only acknowledgments (TA1, 997/999 groups)."""
    return icx.has_ta1 or (bool(icx.groups) and all(
        g.functional_id in ACK_FUNCTIONAL_IDS for g in icx.groups))


def build_acks(report: ValidationReport, *, clock: Clock, control_numbers: ControlNumbers,
               levels: Iterable[int] = (1, 2, 3, 4, 5)) -> list[Acknowledgment]:
    """The TA1s and 999s for every interchange of ``report``.

    ``levels`` are the SNIP levels whose findings reject a transaction set in the 999
    (a per-partner policy; levels 3–5 reject with IK502 I5).
    """
    chosen = frozenset(levels)
    return list(_acks(report, clock, control_numbers, chosen))


def _acks(report: ValidationReport, clock: Clock, numbers: ControlNumbers,
          levels: frozenset[int]) -> Iterator[Acknowledgment]:
    for icx in report.interchanges:
        if is_acknowledgment(icx):
            continue
        code, _note = ta1_note(icx)
        if icx.ack_requested == "1" or code == "R":
            out = io.BytesIO()
            _write_ta1(out, icx, clock, numbers)
            yield Acknowledgment("TA1", icx.control_number, code != "R", out.getvalue())
        if code == "R":
            continue
        groups = [g for g in icx.groups if g.functional_id not in ACK_FUNCTIONAL_IDS]
        if not groups:
            continue
        out = io.BytesIO()
        ew = EnvelopeWriter(out, _header(icx, "FA", "005010X231A1"), clock=clock,
                            control_numbers=numbers)
        ew.begin()
        for grp in groups:
            _write_999(ew, grp, levels)
        ew.end()
        accepted = all(g.valid for g in groups)
        yield Acknowledgment("999", icx.control_number, accepted, out.getvalue())
