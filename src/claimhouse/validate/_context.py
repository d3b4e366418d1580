"""What a checker needs to report a finding: the file, the envelope it is in, and the
position of the segment inside its transaction set."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimhouse.validate._codes import VALIDATION_CODES
from claimhouse.x12 import ENVELOPE_CODES, Finding, Location, Segment


@dataclass(slots=True)
class SetContext:
    """The transaction set being checked: control numbers, ST ordinal, delimiters."""

    file: str | None
    interchange: str | None
    group: str | None
    transaction_set: str | None
    set_id: str
    version: str
    st_ordinal: int
    component: str
    repetition: str | None
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, seg: Segment | None, message: str | None = None, *,
            element: int | None = None, component: int | None = None,
            loop: str | None = None) -> None:
        """Record ``code`` at ``seg`` (the set's ST when None); ``message`` must not quote
        element content."""
        spec = VALIDATION_CODES.get(code) or ENVELOPE_CODES[code]
        loc = Location(
            file=self.file,
            segment=seg.ordinal if seg else self.st_ordinal,
            offset=seg.offset if seg else None,
            segment_id=seg.elements[0] if seg else "ST",
            element=element, component=component,
            interchange=self.interchange, group=self.group,
            transaction_set=self.transaction_set,
            set_segment=(seg.ordinal - self.st_ordinal + 1) if seg else 1,
            loop=loop)
        self.findings.append(Finding(code, message or spec.summary, loc, spec.severity,
                                     spec.snip_level))

    def split(self, value: str) -> list[str]:
        """The components of a composite element."""
        return value.split(self.component)
