"""Findings: what is wrong with a file, as data, located and free of PHI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def is_segment_id(text: str) -> bool:
    """Whether ``text`` can be an X12 segment id: 2-3 upper-case letters or digits, the
    first a letter (X12.6). Anything else may be content and is never echoed."""
    return (2 <= len(text) <= 3 and "A" <= text[0] <= "Z" and all(c in _ID_CHARS for c in text))


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is. Never carries element content.

    ``segment`` is the 1-based ordinal of the segment in the file, ``offset`` its byte
    offset, ``element`` the 1-based element position (and ``component`` inside it).
    The control numbers place the finding in its interchange, group and transaction set.
    """

    file: str | None = None
    segment: int | None = None
    offset: int | None = None
    segment_id: str | None = None
    element: int | None = None
    component: int | None = None
    interchange: str | None = None
    group: str | None = None
    transaction_set: str | None = None
    set_segment: int | None = None
    """1-based position of the segment inside its transaction set (ST is 1), for IK3."""
    loop: str | None = None

    def __post_init__(self) -> None:
        # The "id" of text that is not X12 (bytes after the last IEA, a line of another
        # format) is whatever precedes its first element separator, e.g. a patient's name:
        # a location keeps only what can be a segment id.
        if self.segment_id is not None and not is_segment_id(self.segment_id):
            object.__setattr__(self, "segment_id", None)

    def describe(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.segment is not None:
            seg = f"segment {self.segment}"
            if self.segment_id:
                seg += f" ({self.segment_id}"
                if self.element is not None:
                    seg += f"{self.element:02d}"
                    if self.component is not None:
                        seg += f"-{self.component}"
                seg += ")"
            parts.append(seg)
        if self.offset is not None:
            parts.append(f"byte {self.offset}")
        if self.loop:
            parts.append(f"loop {self.loop}")
        return ", ".join(parts) if parts else "(whole file)"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a file: a stable ``code`` (see ``FINDING_CODES``), severity,
    SNIP level, location and a message that never quotes element content."""

    code: str
    message: str
    location: Location = field(default_factory=Location)
    severity: Severity = Severity.ERROR
    snip_level: int = 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["location"] = {k: v for k, v in d["location"].items() if v is not None}
        return d

    def __str__(self) -> str:
        return f"{self.severity.value} {self.code} at {self.location.describe()}: {self.message}"
