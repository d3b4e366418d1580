"""Writing segments and envelopes with chosen delimiters.

The writer counts for itself (SE01, GE01, IEA01), pads the ISA to its fixed width and
refuses any value containing a delimiter: X12 has no escaping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from claimhouse.errors import WriteError
from claimhouse.x12._control import Clock, ControlNumbers
from claimhouse.x12._delimiters import Delimiters

Element = str | Sequence[str]
"""An element: a plain string, or a sequence of components joined by the component
separator (trailing empty components are dropped)."""


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    """What the caller chooses for ISA/GS; dates, times and control numbers come from the
    clock and the control-number source."""

    sender_id: str
    receiver_id: str
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    usage: str = "P"
    ack_requested: str = "0"
    version: str = "00501"
    functional_id: str = "HC"
    gs_version: str = "005010X222A1"
    application_sender: str | None = None
    application_receiver: str | None = None


class SegmentWriter:
    """Serialise segments to a binary stream (Latin-1), counting them.

    ``newline`` adds a line feed after each terminator (easier to read; allowed by
    receivers that tolerate CR/LF after terminators).
    """

    def __init__(self, out: BinaryIO, delimiters: Delimiters | None = None, *,
                 newline: bool = False) -> None:
        self.out = out
        self.d = delimiters or Delimiters()
        self._end = self.d.segment + ("\n" if newline else "")
        self._forbidden = self.d.all
        self._bad = re.compile("[" + re.escape("".join(sorted(self.d.all))) + "\r\n]")
        self.count = 0
        """Segments written since the last :meth:`reset_count`."""

    def reset_count(self) -> None:
        self.count = 0

    def _refuse(self, seg_id: str, elements: Iterable[Element | None]) -> WriteError:
        """The error for the first element holding a delimiter or a line break (slow path,
        only once a segment is known to be bad); names the element, never its value."""
        for i, el in enumerate(elements, start=1):
            values = [el] if isinstance(el, str) else [c or "" for c in (el or ())]
            for value in values:
                if any(ch in "\r\n" for ch in value):
                    return WriteError(f"{seg_id}{i:02d}: the value contains a line break")
                if any(ch in self._forbidden for ch in value):
                    return WriteError(f"{seg_id}{i:02d}: the value contains a delimiter "
                                      "character, which X12 cannot escape")
        return WriteError(f"{seg_id}: a value contains a delimiter character")

    def format(self, seg_id: str, elements: Iterable[Element | None]) -> str:
        """The text of one segment, trailing empty elements dropped.

        Every value is checked for delimiters and line breaks with one regular-expression
        search over the segment's values (the writer's hot path)."""
        elements = list(elements)
        parts = [seg_id]
        values: list[str] = []
        comp = self.d.component
        for el in elements:
            if el is None:
                parts.append("")
            elif isinstance(el, str):
                parts.append(el)
                values.append(el)
            else:
                comps = [c or "" for c in el]
                while comps and comps[-1] == "":
                    comps.pop()
                values.extend(comps)
                parts.append(comp.join(comps))
        if self._bad.search("".join(values)):
            raise self._refuse(seg_id, elements)
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        return self.d.element.join(parts) + self._end

    def write(self, seg_id: str, *elements: Element | None) -> None:
        text = self.format(seg_id, elements)
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            raise WriteError(f"{seg_id}: a value has a character outside Latin-1, which X12 "
                             "cannot carry") from None
        self.out.write(data)
        self.count += 1

    def body(self, seg_id: str, elements: Iterable[Element | None]) -> str:
        """:meth:`format` without the terminator (for :meth:`write_bodies`)."""
        text = self.format(seg_id, elements)
        return text[:len(text) - len(self._end)]

    def write_bodies(self, bodies: list[str], values: list[str]) -> bool:
        """Write many segment texts (no terminators) in one go, ``values`` being every
        value they hold: one search over all values for a delimiter or line break and one
        Latin-1 encode for the lot. False, with nothing written, when a value is bad (the
        caller then finds it with :meth:`format`, which names the element)."""
        if not bodies:
            return True
        if self._bad.search("".join(values)):
            return False
        end = self._end
        try:
            data = (end.join(bodies) + end).encode("latin-1")
        except UnicodeEncodeError:
            return False
        self.out.write(data)
        self.count += len(bodies)
        return True

    def write_raw_isa(self, elements: Sequence[str]) -> None:
        """Write an ISA from sixteen already-padded values (fixed width, no trimming)."""
        if len(elements) != 16:
            raise WriteError("ISA needs exactly sixteen elements")
        text = "ISA" + "".join(self.d.element + e for e in elements) + self._end
        self.out.write(text.encode("latin-1"))
        self.count += 1


def _pad(value: str, width: int, element: int) -> str:
    if len(value) > width:
        raise WriteError(f"ISA{element:02d}: longer than its fixed width of {width}")
    return value.ljust(width)


class EnvelopeWriter:
    """Write one interchange with one functional group; the caller writes each transaction
    set's body between :meth:`begin_set` and :meth:`end_set`."""

    def __init__(self, out: BinaryIO, header: InterchangeHeader, *, clock: Clock,
                 control_numbers: ControlNumbers, delimiters: Delimiters | None = None,
                 newline: bool = False) -> None:
        self.w = SegmentWriter(out, delimiters, newline=newline)
        self.header = header
        self.clock = clock
        self.control_numbers = control_numbers
        self._sets = 0
        self._set_control: str | None = None
        self.interchange_control = ""
        self.group_control = ""

    def begin(self) -> None:
        h, d, now = self.header, self.w.d, self.clock()
        self.interchange_control = f"{self.control_numbers.next_interchange():09d}"
        self.group_control = str(self.control_numbers.next_group())
        rep = d.repetition if d.repetition is not None else "U"
        self.w.write_raw_isa([
            "00", " " * 10, "00", " " * 10,
            _pad(h.sender_qualifier, 2, 5), _pad(h.sender_id, 15, 6),
            _pad(h.receiver_qualifier, 2, 7), _pad(h.receiver_id, 15, 8),
            now.strftime("%y%m%d"), now.strftime("%H%M"), rep, _pad(h.version, 5, 12),
            self.interchange_control, h.ack_requested, h.usage, d.component,
        ])
        self.w.write("GS", h.functional_id, h.application_sender or h.sender_id,
                     h.application_receiver or h.receiver_id, now.strftime("%Y%m%d"),
                     now.strftime("%H%M"), self.group_control, "X", h.gs_version)

    def begin_set(self, set_id: str, version: str | None = None) -> str:
        self._sets += 1
        control = f"{self._sets:04d}"
        self._set_control = control
        self.w.reset_count()
        self.w.write("ST", set_id, control, version)
        return control

    def end_set(self) -> None:
        if self._set_control is None:
            raise WriteError("end_set() without begin_set()")
        self.w.write("SE", str(self.w.count + 1), self._set_control)
        self._set_control = None

    def end(self) -> None:
        if self._set_control is not None:
            raise WriteError("end() with a transaction set still open")
        self.w.write("GE", str(self._sets), self.group_control)
        self.w.write("IEA", "1", self.interchange_control)
