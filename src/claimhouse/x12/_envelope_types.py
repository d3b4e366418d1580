"""The envelope summaries the reader builds (ISA/GS/ST info), the transaction set it hands
to transaction readers, and GS08/ST03 implementation references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from claimhouse.x12._delimiters import Delimiters
from claimhouse.x12._tokenizer import Segment

_VERSION_RE = re.compile(r"^(\d{6})(X\d{3})(A\d+)?$")


@dataclass(frozen=True, slots=True)
class ImplementationVersion:
    """A GS08/ST03 implementation convention reference, e.g. ``005010X222A1``.

    ``release`` is the X12 release (005010), ``guide`` the implementation guide (X222),
    ``addenda`` its addenda (A1). Two references name the same guide when release and guide
    agree, whatever the addenda (X222A1 and X222A2 are both the 837P guide).
    """

    raw: str
    release: str | None
    guide: str | None
    addenda: str | None

    @classmethod
    def parse(cls, raw: str) -> ImplementationVersion:
        m = _VERSION_RE.match(raw.strip())
        if not m:
            return cls(raw, raw[:6] if raw[:6].isdigit() else None, None, None)
        return cls(raw, m.group(1), m.group(2), m.group(3))

    def same_guide(self, other: ImplementationVersion) -> bool:
        if self.guide is None or other.guide is None:
            return self.raw.strip() == other.raw.strip()
        return (self.release, self.guide) == (other.release, other.guide)

    @property
    def key(self) -> str:
        """Release and guide without addenda, e.g. ``005010X222``."""
        return f"{self.release}{self.guide}" if self.guide else self.raw.strip()


@dataclass(slots=True)
class TransactionSetInfo:
    """ST/SE: identifier (ST01), control number (ST02), version (ST03), counts."""

    id: str
    control_number: str
    version: str | None
    start_segment: int
    start_offset: int
    segment_count: int = 0
    declared_count: str | None = None
    closed: bool = False


@dataclass(slots=True)
class GroupInfo:
    """GS/GE: functional id, application sender/receiver, date/time, control, version."""

    functional_id: str
    sender: str
    receiver: str
    date: str
    time: str
    control_number: str
    agency: str
    version: str
    start_segment: int
    transaction_sets: list[TransactionSetInfo] = field(default_factory=list)
    declared_count: str | None = None
    closed: bool = False

    @property
    def implementation(self) -> ImplementationVersion:
        return ImplementationVersion.parse(self.version)


@dataclass(slots=True)
class InterchangeInfo:
    """ISA/IEA: sender and receiver with qualifiers, date/time, version, control number."""

    sender_qualifier: str
    sender: str
    receiver_qualifier: str
    receiver: str
    date: str
    time: str
    version: str
    control_number: str
    ack_requested: str
    usage: str
    delimiters: Delimiters
    start_segment: int
    start_offset: int
    groups: list[GroupInfo] = field(default_factory=list)
    declared_count: str | None = None
    closed: bool = False


@dataclass(slots=True)
class TransactionSet:
    """One transaction set as handed to a transaction reader.

    ``segments`` yields the body, from the segment after ST up to (not including) SE; it
    must be consumed (or abandoned) before the reader moves to the next set.
    """

    header: Segment
    info: TransactionSetInfo
    group: GroupInfo
    interchange: InterchangeInfo
    delimiters: Delimiters
    segments: Iterator[Segment]
