"""Reading the acknowledgments we receive back: 999 (005010X231A1) and TA1.

A 999 says, per functional group (AK1/AK9) and per transaction set (AK2/IK5), whether it
was accepted, and where the errors are (IK3 segment, IK4 element, with their codes). A
TA1 sits directly in an interchange with no group; :func:`read_ta1` finds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from claimhouse.transactions._registry import Binding
from claimhouse.x12 import EnvelopeReader, Source, TransactionSet

SET_STATUS = {"A": "accepted", "E": "accepted with errors", "M": "rejected (security)",
              "R": "rejected", "W": "rejected (security)", "X": "rejected (security)",
              "P": "partially accepted"}


@dataclass(slots=True)
class ElementError:
    """IK4: element position (and component), data element number, IK403 code."""

    position: str
    reference: str
    code: str


@dataclass(slots=True)
class SegmentError:
    """IK3: segment id, position in the set, loop id, IK304 code, and its IK4s."""

    segment_id: str
    position: str
    loop: str
    code: str
    elements: list[ElementError] = field(default_factory=list)


@dataclass(slots=True)
class SetAcknowledgment:
    """AK2 … IK5: the acknowledged set (ST01, ST02, ST03) and its status and codes."""

    set_id: str
    control_number: str
    version: str
    status: str = ""
    codes: list[str] = field(default_factory=list)
    errors: list[SegmentError] = field(default_factory=list)


@dataclass(slots=True)
class ImplementationAcknowledgment:
    """One 999 transaction set: the group acknowledged (AK1) and its verdict (AK9)."""

    functional_id: str = ""
    group_control_number: str = ""
    version: str = ""
    status: str = ""
    included: str = ""
    received: str = ""
    accepted: str = ""
    codes: list[str] = field(default_factory=list)
    sets: list[SetAcknowledgment] = field(default_factory=list)
    control_number: str = ""
    """ST02 of the 999 itself."""


@dataclass(slots=True)
class InterchangeAcknowledgment:
    """A TA1: the interchange acknowledged (ISA13, date, time), TA104 status, TA105 note."""

    control_number: str
    date: str
    time: str
    status: str
    note: str


def read_999(ts: TransactionSet) -> ImplementationAcknowledgment:
    ack = ImplementationAcknowledgment(control_number=ts.info.control_number)
    comp = ts.delimiters.component
    current: SetAcknowledgment | None = None
    seg_err: SegmentError | None = None
    for seg in ts.segments:
        tag = seg.elements[0]
        if tag == "AK1":
            ack.functional_id, ack.group_control_number, ack.version = \
                seg.get(1), seg.get(2), seg.get(3)
        elif tag == "AK2":
            current = SetAcknowledgment(seg.get(1), seg.get(2), seg.get(3))
            ack.sets.append(current)
            seg_err = None
        elif tag == "IK3" and current is not None:
            seg_err = SegmentError(seg.get(1), seg.get(2), seg.get(3), seg.get(4))
            current.errors.append(seg_err)
        elif tag == "IK4" and seg_err is not None:
            pos = ".".join(p for p in seg.get(1).split(comp) if p)
            seg_err.elements.append(ElementError(pos, seg.get(2), seg.get(3)))
        elif tag == "IK5" and current is not None:
            current.status = seg.get(1)
            current.codes = [c for c in seg.elements[2:7] if c]
        elif tag == "AK9":
            ack.status, ack.included, ack.received, ack.accepted = \
                seg.get(1), seg.get(2), seg.get(3), seg.get(4)
            ack.codes = [c for c in seg.elements[5:10] if c]
    return ack


def read_ta1(source: Source, *, name: str | None = None) -> list[InterchangeAcknowledgment]:
    """Every TA1 segment of a file (they sit directly under ISA, outside any group)."""
    out: list[InterchangeAcknowledgment] = []
    for seg in EnvelopeReader(source, name=name).segments():
        if seg.elements[0] == "TA1":
            out.append(InterchangeAcknowledgment(seg.get(1), seg.get(2), seg.get(3),
                                                 seg.get(4), seg.get(5)))
    return out


def ack_to_json(ack: ImplementationAcknowledgment) -> dict[str, Any]:
    d = asdict(ack)
    d["status_text"] = SET_STATUS.get(ack.status, "")
    for s in d["sets"]:
        s["status_text"] = SET_STATUS.get(s["status"], "")
    return d


def ack_jsonl(ack: ImplementationAcknowledgment) -> Iterator[dict[str, Any]]:
    """One record per acknowledged transaction set, with its group's verdict."""
    for s in ack.sets:
        yield {"group_control_number": ack.group_control_number,
               "functional_id": ack.functional_id, "group_status": ack.status,
               **asdict(s), "status_text": SET_STATUS.get(s.status, "")}


ACK_CSV_COLUMNS = ("group_control_number", "set_id", "control_number", "status",
                   "set_codes", "segment_id", "position", "loop", "segment_code",
                   "element", "element_code")


def ack_csv(ack: ImplementationAcknowledgment) -> Iterator[dict[str, Any]]:
    """One row per element error (or segment error, or set when it has none)."""
    for s in ack.sets:
        base = {"group_control_number": ack.group_control_number, "set_id": s.set_id,
                "control_number": s.control_number, "status": s.status,
                "set_codes": " ".join(s.codes)}
        if not s.errors:
            yield base
        for e in s.errors:
            seg = {**base, "segment_id": e.segment_id, "position": e.position,
                   "loop": e.loop, "segment_code": e.code}
            if not e.elements:
                yield seg
            for el in e.elements:
                yield {**seg, "element": el.position, "element_code": el.code}


BINDINGS = [Binding(name="999", set_id="999", guides=frozenset({"005010X231"}),
                    json_key="acknowledgments", read=read_999, to_json=ack_to_json,
                    jsonl_records=ack_jsonl, csv_rows=ack_csv, csv_columns=ACK_CSV_COLUMNS)]
"""Registered in ``claimhouse.transactions._registry._load``."""
