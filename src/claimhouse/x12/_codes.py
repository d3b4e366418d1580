"""Every finding code the syntax layer emits, with what acknowledges it.

``ta1`` is the TA1 interchange note code (TA105) the defect maps to, ``ak9``/``ik5`` the
999 functional-group (AK905) or transaction-set (IK502) syntax error code. The validation
layer adds its own codes to the same shape; docs/findings.md is generated from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimhouse.x12._findings import Severity


@dataclass(frozen=True, slots=True)
class FindingCode:
    code: str
    summary: str
    severity: Severity = Severity.ERROR
    snip_level: int = 1
    ta1: str | None = None
    ak9: str | None = None
    ik5: str | None = None
    ik3: str | None = None
    ik4: str | None = None
    fix: str = ""


_E = Severity.ERROR
_W = Severity.WARNING

ENVELOPE_CODES: dict[str, FindingCode] = {c.code: c for c in (
    FindingCode("not-x12", "The file is empty or does not start with an ISA segment.",
                fix="Send an X12 interchange that begins with ISA; strip any banner or wrapper."),
    FindingCode("isa-unreadable", "The ISA cannot be read: truncated, or its delimiters are "
                "invalid or collide.", ta1="022",
                fix="Regenerate the ISA: 106 characters, four distinct non-alphanumeric "
                "delimiters."),
    FindingCode("isa-field-width", "An ISA element does not have its fixed width, so the "
                "delimiters are off their fixed offsets.", ta1="022",
                fix="Pad ISA elements with spaces (or zeros for numbers) to their fixed widths."),
    FindingCode("isa-invalid-value", "An ISA element has an invalid value (date, time, "
                "control number, acknowledgment flag, usage indicator).",
                fix="Correct the ISA element named in the location."),
    FindingCode("iea-missing", "The interchange has no IEA trailer (premature end of file).",
                ta1="023", fix="Make sure the whole file was transferred; end it with IEA."),
    FindingCode("iea-control-mismatch", "IEA02 does not equal ISA13.", ta1="001",
                fix="Write the interchange control number of ISA13 into IEA02."),
    FindingCode("iea-count-mismatch", "IEA01 does not equal the number of functional groups.",
                ta1="021", fix="Set IEA01 to the number of GS/GE groups in the interchange."),
    FindingCode("isa-duplicate-control", "The same ISA13 appears twice for one sender in the "
                "file.", ta1="025", fix="Give every interchange a unique control number."),
    FindingCode("gs-outside-interchange", "A GS appears outside an interchange.", ta1="024"),
    FindingCode("ge-missing", "The functional group has no GE trailer.", ak9="3", ta1="024",
                fix="End each functional group with GE."),
    FindingCode("ge-control-mismatch", "GE02 does not equal GS06.", ak9="4",
                fix="Write the group control number of GS06 into GE02."),
    FindingCode("ge-count-mismatch", "GE01 does not equal the number of transaction sets.",
                ak9="5", fix="Set GE01 to the number of ST/SE sets in the group."),
    FindingCode("gs-duplicate-control", "Two groups of one interchange share a GS06.", ak9="19",
                fix="Give every group of an interchange a unique control number."),
    FindingCode("st-outside-group", "An ST appears outside a functional group.", ik5="18"),
    FindingCode("se-missing", "The transaction set has no SE trailer.", ik5="2",
                fix="End each transaction set with SE."),
    FindingCode("se-control-mismatch", "SE02 does not equal ST02.", ik5="3",
                fix="Write the transaction set control number of ST02 into SE02."),
    FindingCode("se-count-mismatch", "SE01 does not equal the number of segments from ST to SE.",
                ik5="4", fix="Count every segment from ST to SE inclusive into SE01."),
    FindingCode("st-duplicate-control", "Two transaction sets of one group share an ST02.",
                ik5="23", fix="Give every transaction set of a group a unique control number."),
    FindingCode("st-missing-id", "ST01 or ST02 is missing.", ik5="6"),
    FindingCode("st-empty", "The transaction set has no segment between ST and SE.", ik5="5",
                fix="Send the transaction's segments, or no transaction set at all."),
    FindingCode("st-version-mismatch", "ST03 names another implementation guide than GS08.",
                ik5="19", fix="Make ST03 and GS08 name the same implementation guide."),
    FindingCode("st-version-addenda", "ST03 and GS08 name different addenda of one guide.",
                severity=_W),
    FindingCode("segment-outside-set", "A segment appears outside any transaction set.",
                ta1="024"),
    FindingCode("empty-segment", "Two segment terminators with nothing between them.",
                ik5="5", ik3="8", fix="Remove the empty segment."),
    FindingCode("unterminated-segment", "The file ends without a final segment terminator.",
                severity=_W),
    FindingCode("data-after-trailer", "Data follows the last IEA.", ta1="022"),
    FindingCode("segment-too-long", "A segment is longer than 1 MiB (a missing segment "
                "terminator or an absurd element); the file was not read past it.", ta1="022",
                fix="End every segment with the ISA's segment terminator; send large data "
                "outside X12."),
)}
