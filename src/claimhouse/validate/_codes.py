"""Every finding code the validation layer emits, in the envelope codes' shape.

``ik3`` is the 999 IK304 segment syntax error code, ``ik4`` the IK403 element error
code, ``ik5`` the IK502 transaction-set code and ``ak9`` the AK905 group code a finding
maps to; ``ta1`` the TA105 interchange note code. SNIP levels 3–5 have no X12 syntax
code of their own: they reject a transaction set with IK502 ``I5`` (implementation: one
or more segments in error) when the acknowledgment policy includes them.

Level 2 codes carry pyx12's IK304/IK403 code (the ``ig-`` prefix); see
:data:`PYX12_SEGMENT_CODES` and :data:`PYX12_ELEMENT_CODES` for the mapping.
"""

from __future__ import annotations

from claimhouse.x12 import FindingCode, Severity

_E = Severity.ERROR
_W = Severity.WARNING
_I = Severity.INFO


def _seg(code: str, summary: str, ik3: str, fix: str = "", severity: Severity = _E,
         ik5: str = "5") -> FindingCode:
    return FindingCode(code, summary, severity, 2, ik5=ik5, ik3=ik3, fix=fix)


def _ele(code: str, summary: str, ik4: str, fix: str = "", level: int = 2,
         ik5: str = "5") -> FindingCode:
    return FindingCode(code, summary, _E, level, ik5=ik5, ik3="8", ik4=ik4, fix=fix)


def _rule(code: str, summary: str, level: int, fix: str, severity: Severity = _E,
          ik4: str | None = None) -> FindingCode:
    return FindingCode(code, summary, severity, level, ik5="I5",
                       ik3="8" if ik4 else None, ik4=ik4, fix=fix)


VALIDATION_CODES: dict[str, FindingCode] = {c.code: c for c in (
    # -- level 1: characters and syntax our envelope reader does not own -------------------
    FindingCode("invalid-character", "An element holds a character outside the X12 basic and "
                "extended character sets (a control character or a non-ASCII byte).", _E, 1,
                ik5="5", ik3="8", ik4="6",
                fix="Remove control characters and accented letters; send plain ASCII."),
    FindingCode("st-version-missing", "ST03 (implementation convention reference) is missing; "
                "5010 requires it.", _E, 1, ik5="5", ik3="8", ik4="1",
                fix="Write the guide of GS08 (e.g. 005010X222A1) into ST03."),
    FindingCode("ack-not-acknowledged", "The file is itself an acknowledgment (999, 997 or TA1); "
                "acknowledgments are never acknowledged.", _I, 1,
                fix="Nothing to do: no 999 or TA1 is sent back for an acknowledgment."),
    FindingCode("isa-duplicate-interchange", "This sender's interchange control number (ISA13) "
                "was already received in an earlier file.", _E, 1, ta1="025",
                fix="Resend with a new ISA13 if the interchange is new; otherwise it is a "
                "duplicate and will not be processed again."),
    # -- level 2: the implementation guide through pyx12 (IK304 segment codes) -------------
    _seg("ig-segment-unrecognized", "Unrecognized segment ID.", "1",
         "Correct the segment ID or remove the segment."),
    _seg("ig-segment-unexpected", "A segment appears where the guide does not expect it.", "2",
         "Move the segment to its loop or remove it."),
    _seg("ig-segment-missing", "A segment the guide requires is missing.", "3",
         "Add the required segment in its loop."),
    _seg("ig-loop-over-max", "A loop repeats more often than the guide allows.", "4",
         "Split the data across claims or transaction sets, or remove the extra loops."),
    _seg("ig-segment-over-max", "A segment repeats more often than the guide allows.", "5",
         "Remove the extra repetitions."),
    _seg("ig-segment-not-in-set", "The segment is not defined in this transaction set.", "6",
         "Remove the segment."),
    _seg("ig-segment-out-of-order", "A segment is out of the order the guide requires.", "7",
         "Reorder the segments as the guide lists them."),
    _seg("ig-segment-element-errors", "The segment has element errors (too many elements or "
         "components, or a syntax rule between its elements is broken).", "8",
         "Correct the elements of the segment named in the location."),
    _seg("ig-segment-not-used", "A segment the guide marks Not Used is present.", "I4",
         "Remove the segment."),
    _seg("ig-dependent-segment-missing", "A segment required by a situational rule is "
         "missing.", "I6", "Add the segment the rule requires."),
    _seg("ig-loop-under-min", "A loop occurs fewer times than the guide requires.", "I7",
         "Add the missing loop."),
    _seg("ig-segment-under-min", "A segment occurs fewer times than the guide requires.", "I8",
         "Add the missing repetitions."),
    _seg("ig-dependent-not-used", "A segment a situational rule forbids is present.", "I9",
         "Remove the segment."),
    _seg("ig-lx-sequence", "Service line numbers (2400 LX01) do not count 1, 2, 3 within the "
         "claim.", "8", "Number the service lines of each claim from 1."),
    _seg("ig-trailing-separator", "The segment ends with an element separator (empty trailing "
         "elements).", "8", "Drop trailing empty elements and their separators.", _W),
    _seg("ig-guide-not-checked", "No implementation-guide map exists for this GS08 version, so "
         "level 2 was not checked.", "", "Send a HIPAA 5010 guide version this system "
         "supports.", _W, ik5=""),
    _seg("ig-engine-failure", "The implementation-guide validator (pyx12) failed on this file; "
         "level 2 could not be completed.", "", "Inspect the file's structure near the start; "
         "report the file to the claimhouse maintainers.", ik5="5"),
    # -- level 2: IK403 element codes ------------------------------------------------------
    _ele("ig-element-missing", "A mandatory element is missing.", "1", "Fill in the element."),
    _ele("ig-element-conditional-missing", "A conditionally required element is missing.", "2",
         "Fill in the element the condition requires."),
    _ele("ig-too-many-elements", "The segment has more elements than defined.", "3",
         "Remove the extra elements."),
    _ele("ig-element-too-short", "An element is shorter than its minimum length.", "4",
         "Pad or correct the value to its minimum length."),
    _ele("ig-element-too-long", "An element is longer than its maximum length.", "5",
         "Shorten the value to its maximum length."),
    _ele("ig-element-invalid-character", "An element has a character its data type does not "
         "allow (e.g. a letter in a number).", "6", "Correct the value's format."),
    _ele("ig-element-invalid-code", "An element holds a code value the guide does not allow.",
         "7", "Use one of the codes the guide lists for this element."),
    _ele("ig-element-invalid-date", "An element holds an invalid date.", "8",
         "Write the date as CCYYMMDD (or the qualifier's format) with a real calendar day."),
    _ele("ig-element-invalid-time", "An element holds an invalid time.", "9",
         "Write the time as HHMM with a real clock time."),
    _ele("ig-element-exclusion", "Two elements that exclude each other are both present.", "10",
         "Remove one of the two elements."),
    _ele("ig-too-many-repetitions", "An element repeats more often than allowed.", "12",
         "Remove the extra repetitions."),
    _ele("ig-too-many-components", "A composite has more components than defined.", "13",
         "Remove the extra components."),
    _ele("ig-element-not-used", "An element the guide marks Not Used is present.", "I10",
         "Remove the element's value."),
    _ele("ig-element-dependent-missing", "An element required by a situational rule is "
         "missing.", "I9", "Fill in the element the rule requires."),
    _ele("ig-element-code-not-used", "A code value the guide does not use in this element.",
         "I6", "Use a code the guide allows for this element."),
    _ele("ig-element-pattern", "An element does not match the pattern the guide requires.",
         "I12", "Correct the value's format."),
    _ele("ig-element-error", "An element breaks an implementation-guide rule.", "7",
         "Correct the element named in the location."),
    # -- level 3: balancing ------------------------------------------------------------------
    _rule("claim-charge-mismatch", "The claim's total charge (CLM02) does not equal the sum of "
          "its service line charges (SV102/SV203/SV302).", 3,
          "Make CLM02 the sum of the line charges, or correct the line charge in error."),
    _rule("cob-paid-exceeds-charge", "An other payer's paid amount (2320 AMT*D or 2430 SVD02) "
          "exceeds the charge it pays.", 3,
          "Check the other payer's paid amount against the claim or line charge."),
    _rule("cob-line-paid-mismatch", "An other payer's line payments (2430 SVD02) less its "
          "claim-level adjustments (2320 CAS) do not equal its paid amount (2320 AMT*D).", 3,
          "Make the other payer's AMT*D equal the sum of its SVD02 line payments less its "
          "claim-level CAS amounts."),
    _rule("line-charge-negative", "A service line charge (SV102/SV203/SV302) is negative.", 3,
          "Correct a claim by voiding (CLM05-3 8) or replacing (7) it, never with negative "
          "charges (X12 RFI 2499)."),
    # -- level 4: inter-segment rules --------------------------------------------------------
    _rule("hl-not-sequential", "HL01 is not numeric, not unique, or does not count 1, 2, 3 "
          "in order.", 4, "Number the HL segments 1, 2, 3 … in the order they appear."),
    _rule("hl-parent-unknown", "HL02 names no HL segment that comes before it.", 4,
          "Point HL02 at the HL01 of an earlier parent level."),
    _rule("hl-parent-level", "The HL level (HL03) is not allowed under its parent's level "
          "(e.g. a patient not under a subscriber).", 4,
          "Nest billing provider (20) > subscriber (22) > patient (23)."),
    _rule("hl-child-flag", "HL04 says the level has (1) or has no (0) subordinate levels, but "
          "the file disagrees.", 4, "Set HL04 to 1 when child HLs follow, else 0."),
    _rule("patient-loop-with-self", "A patient loop (2000C) sits under a subscriber whose "
          "relationship (SBR02) is self.", 4,
          "Remove the patient loop, or correct SBR02 when patient and subscriber differ."),
    _rule("patient-loop-missing", "The subscriber is not the patient (SBR02 blank) but no "
          "patient loop (2000C) follows.", 4,
          "Add the 2000C patient loop, or set SBR02 to 18 when the subscriber is the patient."),
    _rule("diagnosis-pointer-invalid", "A service line's diagnosis pointer (SV107/SV203-less "
          "SV311) points at a diagnosis the claim does not have.", 4,
          "Point each line at one of the claim's HI diagnosis positions (1–12)."),
    _rule("line-control-duplicate", "Two service lines of one claim share a line item control "
          "number (REF*6R).", 4, "Give every line of a claim a unique REF*6R."),
    _rule("claim-frequency-invalid", "The claim frequency code (CLM05-3) is not one the guide "
          "allows (1 original, 7 replacement, 8 void).", 4,
          "Use 1 for a new claim, 7 to replace or 8 to void an earlier one."),
    _rule("claim-frequency-reference-missing", "A replacement or void claim (CLM05-3 7 or 8) "
          "has no payer claim control number (REF*F8).", 4,
          "Add REF*F8 with the payer's claim number of the claim being replaced or voided.",
          severity=_W),
    # -- level 5: external code sets ---------------------------------------------------------
    _rule("icd10-unknown", "A diagnosis code is not an ICD-10-CM code.", 5,
          "Check the diagnosis code against the current ICD-10-CM code set.", ik4="7"),
    _rule("icd10-not-billable", "A diagnosis code is an ICD-10-CM category, not a billable "
          "(most specific) code.", 5, "Code to the highest specificity (a billable leaf code).",
          ik4="7"),
    _rule("hcpcs-format", "A HCPCS Level II code is not a letter followed by four digits.", 5,
          "Correct the procedure code.", ik4="7"),
    _rule("cpt-format", "A CPT code is not five digits, or four digits followed by F or T.", 5,
          "Correct the procedure code.", ik4="7"),
    _rule("modifier-format", "A procedure modifier is not two letters or digits.", 5,
          "Correct the modifier.", ik4="7"),
    _rule("ndc-format", "An NDC (LIN03 with qualifier N4) is not eleven digits (5-4-2 without "
          "hyphens).", 5, "Write the NDC in the 11-digit 5-4-2 format, without hyphens.",
          ik4="7"),
    _rule("ndc-missing", "A drug line (a J-code) has no NDC (2410 LIN*N4).", 5,
          "Add the 2410 drug identification loop with the NDC of the drug given."),
    _rule("pos-unknown", "A place-of-service code is not on the CMS place-of-service list.", 5,
          "Use a two-digit CMS place-of-service code.", ik4="7"),
    _rule("carc-unknown", "A claim adjustment reason code (CAS) is not a CARC: not on "
          "the CARC list and not shaped like one (1-3 digits, or a letter and digits).", 5,
          "Check the adjustment reason code against the CARC list.", ik4="7"),
    _rule("rarc-unknown", "A remark code (MIA/MOA/LQ) is not a RARC: not on the RARC "
          "list and not shaped like one (1-2 letters and 1-3 digits).",
          5, "Check the remark code against the RARC list.", ik4="7"),
)}

PYX12_SEGMENT_CODES: dict[str, str] = {
    "1": "ig-segment-unrecognized", "2": "ig-segment-unexpected", "3": "ig-segment-missing",
    "4": "ig-loop-over-max", "5": "ig-segment-over-max", "6": "ig-segment-not-in-set",
    "7": "ig-segment-out-of-order", "8": "ig-segment-element-errors",
    "I4": "ig-segment-not-used", "I6": "ig-dependent-segment-missing",
    "I7": "ig-loop-under-min", "I8": "ig-segment-under-min", "I9": "ig-dependent-not-used",
    "HL1": "hl-not-sequential", "HL2": "hl-parent-unknown", "LX": "ig-lx-sequence",
    "SEG1": "ig-trailing-separator",
}
"""pyx12 segment error code (IK304, plus pyx12's own HL1/HL2/LX/SEG1) -> our code."""

PYX12_ELEMENT_CODES: dict[str, str] = {
    "1": "ig-element-missing", "2": "ig-element-conditional-missing",
    "3": "ig-too-many-elements", "4": "ig-element-too-short", "5": "ig-element-too-long",
    "6": "ig-element-invalid-character", "7": "ig-element-invalid-code",
    "8": "ig-element-invalid-date", "9": "ig-element-invalid-time",
    "10": "ig-element-exclusion", "12": "ig-too-many-repetitions",
    "13": "ig-too-many-components", "I10": "ig-element-not-used",
    "I9": "ig-element-dependent-missing", "I6": "ig-element-code-not-used",
    "I12": "ig-element-pattern",
}
"""pyx12 element error code (IK403) -> our code; unknown codes map to ig-element-error."""
