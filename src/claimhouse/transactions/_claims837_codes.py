"""837 code knowledge shared by the reader and writer: per-guide kinds, qualifier order,
HI groups, provider roles, and the DTP period formats (D8, RD8, DT, TM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from claimhouse.models import ClaimKind

VERSIONS = {ClaimKind.PROFESSIONAL: "005010X222A1", ClaimKind.INSTITUTIONAL: "005010X223A2",
            ClaimKind.DENTAL: "005010X224A2"}
MAP_FILES = {k: f"837{'PID'[i]}.{v}.xml" for i, (k, v) in enumerate(VERSIONS.items())}

SERVICE_SEGMENT_KIND = {"SV1": "837P", "SV2": "837I", "SV3": "837D"}
"""The 2400 service segment names the kind of an 837 whatever its GS08 says."""


def parse_d8(text: str | None) -> date | None:
    """A CCYYMMDD date, or None when absent or not a real date."""
    if not text or len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


_D8: dict[date, str] = {}


def d8(value: date) -> str:
    """CCYYMMDD (cached: a batch repeats few dates)."""
    text = _D8.get(value)
    if text is None:
        text = f"{value.year:04d}{value.month:02d}{value.day:02d}"
        if type(value) is date:  # not a datetime (equal to a date only at midnight)
            if len(_D8) > 20_000:
                _D8.clear()
            _D8[value] = text
    return text


def parse_period(fmt: str | None, text: str | None
                 ) -> tuple[date | None, date | None, str | None]:
    """(start, end, time) of a DTP period: D8 date, RD8 range, DT date+HHMM, TM time."""
    if not text:
        return None, None, None
    if fmt == "RD8":
        a, _, b = text.partition("-")
        return parse_d8(a), parse_d8(b), None
    if fmt == "DT":
        return parse_d8(text[:8]), None, text[8:] or None
    if fmt == "TM":
        return None, None, text
    return parse_d8(text), None, None


def format_period(start: date, end: date | None = None, time: str | None = None
                  ) -> tuple[str, str]:
    """(DTP02, DTP03) for a date, a range (RD8) or a date with a time (DT)."""
    if end is not None:
        return "RD8", f"{d8(start)}-{d8(end)}"
    if time:
        return "DT", d8(start) + time
    return "D8", d8(start)


def _ranks(*groups: str) -> dict[str, int]:
    return {q: i for i, group in enumerate(groups) for q in group.split()}


REF_RANK = {
    ClaimKind.PROFESSIONAL: _ranks("4N", "F5", "EW", "9F", "G1", "F8", "X4", "9A", "9C", "LX",
                                   "D9", "EA", "P4", "1J"),
    ClaimKind.INSTITUTIONAL: _ranks("4N", "9F", "G1", "F8", "9A", "9C", "DX", "D9", "LX", "EA",
                                    "P4"),
    ClaimKind.DENTAL: _ranks("G3", "4N", "9F", "G1", "F8", "9A", "9C", "D9"),
}
"""2300 REF qualifiers in implementation-guide order (others sort last)."""

DATE_RANK = {
    ClaimKind.PROFESSIONAL: _ranks("431", "454", "304", "453", "439", "484", "455", "471",
                                   "314 360 361", "297", "296", "435", "096", "090 091", "444",
                                   "050"),
    ClaimKind.INSTITUTIONAL: _ranks("096", "434", "435", "050"),
    ClaimKind.DENTAL: _ranks("472", "439", "452", "196", "198", "050"),
}
"""2300 DTP qualifiers in implementation-guide order."""

DIAGNOSIS_QUALIFIERS = _ranks("ABK BK", "ABJ BJ", "APR PR", "ABN BN", "ABF BF")
PROCEDURE_QUALIFIERS = _ranks("BBR BR CAH", "BBQ BQ")


@dataclass(frozen=True, slots=True)
class HiGroup:
    """One kind of HI segment: the qualifiers it holds, composites per segment, segments."""

    qualifiers: frozenset[str]
    per_segment: int
    segments: int


def _g(quals: str, per: int, segs: int) -> HiGroup:
    return HiGroup(frozenset(quals.split()), per, segs)


HI_GROUPS = {
    ClaimKind.PROFESSIONAL: (_g("ABK BK ABF BF", 12, 1), _g("BG", 12, 2)),
    ClaimKind.DENTAL: (_g("ABK BK ABF BF", 12, 1),),
    ClaimKind.INSTITUTIONAL: (
        _g("ABK BK", 1, 1), _g("ABJ BJ", 1, 1), _g("APR PR", 3, 1), _g("ABN BN", 12, 1),
        _g("DR", 1, 1), _g("ABF BF", 12, 2), _g("BBR BR CAH", 1, 1), _g("BBQ BQ", 12, 2),
        _g("BI", 12, 2), _g("BH", 12, 2), _g("BE", 12, 2), _g("BG", 12, 2)),
}
"""The HI segments of 2300 in guide order (837I: principal, admitting, reason for visit,
external cause, other diagnoses, principal and other procedures, occurrence spans,
occurrences, values, conditions)."""

CLAIM_PROVIDER_SLOTS = {
    ClaimKind.PROFESSIONAL: (("DN P3", "referring"), ("82", "rendering"),
                             ("77", "service_facility"), ("DQ", "supervising"),
                             ("PW", "pickup"), ("45", "dropoff")),
    ClaimKind.INSTITUTIONAL: (("71", "attending"), ("72", "operating"),
                              ("ZZ", "other_operating"), ("82", "rendering"),
                              ("77", "service_facility"), ("DN", "referring")),
    ClaimKind.DENTAL: (("DN P3", "referring"), ("82", "rendering"), ("77", "service_facility"),
                       ("DD", "assistant_surgeon"), ("DQ", "supervising")),
}
"""NM101 roles allowed in the 2310 loops of each guide, and the loop model attribute."""

LINE_PROVIDER_SLOTS = {
    ClaimKind.PROFESSIONAL: (("82", "rendering"), ("QB", "purchased_service"),
                             ("77", "service_facility"), ("DQ", "supervising"),
                             ("DK", "ordering"), ("DN P3", "referring"),
                             ("PW", "pickup"), ("45", "dropoff")),
    ClaimKind.INSTITUTIONAL: (("72", "operating"), ("ZZ", "other_operating"),
                              ("82", "rendering"), ("DN", "referring")),
    ClaimKind.DENTAL: (("82", "rendering"), ("DD", "assistant_surgeon"), ("DQ", "supervising"),
                       ("77", "service_facility")),
}
"""NM101 roles allowed in the 2420 loops of each guide."""

OTHER_PAYER_PROVIDER_SLOTS = {
    ClaimKind.PROFESSIONAL: (("DN P3", "p2330c"), ("82", "p2330d"), ("77", "p2330e"),
                             ("DQ", "p2330f"), ("85", "p2330g")),
    ClaimKind.INSTITUTIONAL: (("71", "p2330c"), ("72", "p2330d"), ("ZZ", "p2330e"),
                              ("77", "p2330f"), ("82", "p2330g"), ("DN", "p2330h"),
                              ("85", "p2330i")),
    ClaimKind.DENTAL: (("DN P3", "p2330c"), ("82", "p2330d"), ("DQ", "p2330e"),
                       ("85", "p2330f"), ("DD", "p2330g"), ("77", "p2330h")),
}
"""NM101 roles of the 2330C-2330I loops (the other payer's provider ids) of each guide."""

LIST_SLOTS = frozenset({"referring"})
"""Provider slots that repeat (2310A/2420F referring: up to two)."""

PRV_CODES = {"82": "PE", "71": "AT", "DD": "AS", "DN": "RF", "P3": "RF"}
"""PRV01 for the providers whose loop carries a PRV (rendering, attending, assistant,
referring in 837D)."""

PRV_ROLES = {
    ClaimKind.PROFESSIONAL: frozenset({"82"}),
    ClaimKind.INSTITUTIONAL: frozenset({"71"}),
    ClaimKind.DENTAL: frozenset({"82", "DD", "DN", "P3"}),
}
"""Roles whose loop has a PRV segment in each guide."""

ADDRESS_ROLES = frozenset({"77", "DK"})
"""Providers whose loop carries N3/N4 (service facility, ordering)."""
