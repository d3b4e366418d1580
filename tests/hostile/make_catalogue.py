"""Generate the hostile-input catalogue (tests/hostile/files/ and MANIFEST.tsv).

Every file is derived from claimhouse's own fixtures - fixtures/x12/835-sample.x12 and the
837P/837D written from fixtures/json - never from the public corpus. Each case names the
finding codes (errors and warnings) that validating it at its SNIP level must give,
exactly; ``raise:<Error>`` where reading must stop with that ClaimhouseError instead.
X12-RULES.md §4.1 is the list this follows (its numbers are in the notes).

Run ``python -m tests.hostile.make_catalogue`` after changing a case; a test fails when the
files on disk differ from what this script writes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = HERE / "files"
MANIFEST = HERE / "MANIFEST.tsv"
MAX_ON_DISK = 64 * 1024
"""Larger cases (a 1.1 MB element) are not committed; the test builds them with render()."""


def _835() -> str:
    return (ROOT / "fixtures" / "x12" / "835-sample.x12").read_bytes().decode("latin-1")


def _837(kind: str) -> str:
    from claimhouse.models import load_claim_batch
    from claimhouse.transactions.claims837 import write_claim_batch
    from claimhouse.x12 import SequentialControlNumbers, fixed_clock

    raw = (ROOT / "fixtures" / "json" / f"claims-{kind}.json").read_text("utf-8")
    out = io.BytesIO()
    write_claim_batch(
        load_claim_batch(json.loads(raw)),
        out,
        sender="SENDER",
        receiver="RECEIVER",
        clock=fixed_clock(datetime(2026, 1, 2, 3, 4)),
        control_numbers=SequentialControlNumbers(11),
        newline=True,
    )
    return out.getvalue().decode("latin-1")


def sub(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` (which must occur exactly ``count`` times) by ``new``."""
    found = text.count(old)
    if found != count:
        raise AssertionError(f"{old!r} occurs {found} times, expected {count}")
    return text.replace(old, new)


def first(text: str, old: str, new: str) -> str:
    """Replace the first occurrence of ``old`` (which must occur)."""
    if old not in text:
        raise AssertionError(f"{old!r} does not occur")
    return text.replace(old, new, 1)


def se_fix(text: str, delta: int) -> str:
    """Adjust SE01 of the (single) set by ``delta`` after adding/removing body segments."""
    start = text.index("\nSE*") + 4 if "\nSE*" in text else text.index("~SE*") + 4
    end = text.index("*", start)
    return text[:start] + str(int(text[start:end]) + delta) + text[end:]


@dataclass(frozen=True)
class Case:
    name: str
    base: str  # "835", "837P", "837D" or "" (no base)
    make: Callable[[str], str | bytes]
    expect: str  # space-separated finding codes, "" for none, or "raise:<Error>"
    note: str
    level: int = 5
    xfail: str = ""


ISA_835 = (
    "ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*SUNNYCLINIC    *260115*0930*"
    "^*00501*000000101*0*P*:~"
)


def _cases() -> list[Case]:
    c: list[Case] = []

    def add(
        name: str,
        base: str,
        make: Callable[[str], str | bytes],
        expect: str,
        note: str,
        **kw: object,
    ) -> None:
        c.append(Case(name, base, make, expect, note, **kw))  # type: ignore[arg-type]

    # -- A. file level ----------------------------------------------------------------------
    add("a01-empty", "", lambda t: b"", "not-x12", "A1 zero bytes")
    add("a02-whitespace-only", "", lambda t: b"\r\n\r\n   \t\r\n", "not-x12", "A2")
    add("a03-bom-only", "", lambda t: b"\xef\xbb\xbf", "not-x12", "A2 UTF-8 BOM alone")
    add(
        "a04-gzip-magic",
        "",
        lambda t: b"\x1f\x8b\x08\x00" + bytes(range(256)),
        "not-x12",
        "A3 binary junk",
    )
    add(
        "a05-pdf",
        "",
        lambda t: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "not-x12",
        "A3 another format",
    )
    add(
        "a06-banner-before-isa",
        "835",
        lambda t: "FILE FROM PAYER\r\n" + t,
        "not-x12",
        "A4 leading garbage is not stripped",
    )
    add(
        "a07-utf8-bom-then-isa",
        "835",
        lambda t: b"\xef\xbb\xbf" + t.encode("latin-1"),
        "",
        "A4 a UTF-8 BOM before ISA is tolerated (valid)",
    )
    add(
        "a08-latin1-in-name",
        "835",
        lambda t: sub(t, "N1*PR*ACME HEALTH PLAN", "N1*PR*ACM\xc9 HEALTH PLAN"),
        "ig-element-invalid-character invalid-character",
        "A5 Latin-1 byte",
    )
    add(
        "a09-utf8-multibyte",
        "835",
        lambda t: sub(t, "N3*1 MAIN STREET", "N3*1 MA\xc3\xafN STREET"),
        "ig-element-invalid-character invalid-character",
        "A5 UTF-8 multibyte",
    )
    add(
        "a10-nul-in-element",
        "835",
        lambda t: sub(t, "REF*TJ*371234567", "REF*TJ*3712\x0034567"),
        "ig-element-invalid-character invalid-character",
        "A6 NUL",
    )
    add(
        "a11-ctrl-z-after-iea",
        "835",
        lambda t: t + "\x1a",
        "data-after-trailer invalid-character unterminated-segment",
        "A6 DOS EOF byte after the last terminator",
    )
    add(
        "a12-huge-element",
        "835",
        lambda t: sub(t, "N1*PR*ACME HEALTH PLAN", "N1*PR*" + "A" * 1_100_000),
        "segment-too-long",
        "A7 a 1.1 MB element: read stops, memory bounded",
    )
    # -- B. ISA and delimiters --------------------------------------------------------------
    add("b01-truncated-isa", "835", lambda t: t[:60], "isa-unreadable", "B9 file ends in ISA")
    add("b02-isa-only", "835", lambda t: t[:107], "iea-missing", "B9 a lone ISA")
    add(
        "b03-isa02-short",
        "835",
        lambda t: sub(t, "*00*          *00*", "*00*         *00*"),
        "ig-guide-not-checked isa-field-width",
        "B10 ISA02 nine characters",
    )
    add(
        "b04-isa06-long",
        "835",
        lambda t: sub(t, "*ACMEPAYER      *", "*ACMEPAYER       *"),
        "ig-guide-not-checked isa-field-width",
        "B10 ISA06 sixteen characters",
    )
    add(
        "b05-isa16-missing",
        "835",
        lambda t: sub(t, "*P*:~", "*P*~", 1),
        "835-claim-unbalanced 835-line-unbalanced ge-control-mismatch iea-control-mismatch "
        "ig-element-invalid-character ig-segment-unrecognized isa-unreadable rarc-unknown",
        "B11 no component separator",
    )
    add(
        "b06-component-equals-element",
        "835",
        lambda t: sub(t, "*P*:~", "*P**~"),
        "isa-unreadable",
        "B12 ISA16 = element separator",
    )
    add(
        "b07-repetition-equals-component",
        "835",
        lambda t: sub(t, "*^*00501*", "*:*00501*"),
        "isa-invalid-value",
        "B12 ISA11 = ISA16 (I65)",
    )
    add(
        "b08-letter-as-separator",
        "835",
        lambda t: t.replace("*", "E"),
        "isa-unreadable",
        "B13 alphanumeric element separator",
    )
    add(
        "b09-mixed-element-separator",
        "835",
        lambda t: sub(t, "N4*SPRINGFIELD*IL*62701", "N4|SPRINGFIELD|IL|62701"),
        "ig-segment-element-errors ig-segment-missing ig-segment-unrecognized",
        "B14 one segment uses | as separator",
    )
    add(
        "b10-mixed-terminator",
        "835",
        lambda t: sub(t, "DTM*405*20260115~\n", "DTM*405*20260115\n"),
        "ig-element-exclusion ig-element-invalid-character ig-element-too-long ig-segment-missing "
        "ig-segment-unrecognized invalid-character se-count-mismatch",
        "B14 one segment ends in a line end only",
    )
    add(
        "b11-delimiter-in-data",
        "835",
        lambda t: sub(t, "N1*PR*ACME HEALTH PLAN", "N1*PR*ACME*HEALTH PLAN"),
        "ig-element-invalid-code ig-element-too-long ig-segment-element-errors",
        "delimiter inside data shifts elements",
    )
    add(
        "b12-isa-4010-version",
        "835",
        lambda t: sub(t, "*^*00501*", "*U*00401*"),
        "isa-invalid-value ig-guide-not-checked",
        "B15 a 4010 ISA on a 5010 group",
        xfail="no finding for ISA12 00401 with GS08 005010 (X12-RULES B15: TA105 017); "
        "the x12 layer reads 4010 interchanges, so a version policy belongs to validation",
    )
    add(
        "b13-isa09-bad-date",
        "835",
        lambda t: sub(t, "*260115*0930*", "*261399*0930*"),
        "ig-element-invalid-date isa-invalid-value",
        "B16 ISA09",
    )
    add(
        "b14-isa14-bad-flag",
        "835",
        lambda t: sub(t, "*0*P*:~", "*2*P*:~"),
        "ig-element-invalid-code isa-invalid-value",
        "B16 ISA14",
    )
    add(
        "b15-isa15-bad-usage",
        "835",
        lambda t: sub(t, "*0*P*:~", "*0*X*:~"),
        "ig-element-invalid-code isa-invalid-value",
        "B16 ISA15",
    )
    add(
        "b16-crlf-terminators",
        "835",
        lambda t: t.replace("~\n", "~\r\n"),
        "",
        "CR/LF after each terminator is tolerated (valid)",
    )
    add(
        "b17-newline-terminator",
        "835",
        lambda t: t.replace("~\n", "\n"),
        "",
        "line end as the segment terminator (valid)",
    )
    add(
        "b18-mainframe-wrap",
        "835",
        lambda t: sub(t, "BPR*I*275.00*C*ACH", "BPR*I*275.00*C*\r\nACH"),
        "ig-element-invalid-character ig-element-too-long invalid-character",
        "B17 80-column wrap inside a segment: reported, not repaired",
    )
    # -- C. control structure and counts ----------------------------------------------------
    add("c01-missing-iea", "835", lambda t: sub(t, "IEA*1*000000101~\n", ""), "iea-missing", "C18")
    add(
        "c02-isa13-iea02-mismatch",
        "835",
        lambda t: sub(t, "IEA*1*000000101", "IEA*1*000000102"),
        "iea-control-mismatch",
        "C19",
    )
    add("c03-iea01-count", "835", lambda t: sub(t, "IEA*1*", "IEA*2*"), "iea-count-mismatch", "C20")
    add(
        "c04-missing-ge",
        "835",
        lambda t: sub(t, "GE*1*101~\n", ""),
        "ge-missing segment-outside-set",
        "C21",
    )
    add(
        "c05-gs06-ge02-mismatch",
        "835",
        lambda t: sub(t, "GE*1*101", "GE*1*102"),
        "ge-control-mismatch",
        "C21",
    )
    add(
        "c06-ge01-count",
        "835",
        lambda t: sub(t, "GE*1*101", "GE*3*101"),
        "ge-count-mismatch",
        "C21",
    )
    add(
        "c07-missing-se",
        "835",
        lambda t: sub(t, "SE*34*0001~\n", ""),
        "ge-missing ig-segment-missing se-missing",
        "C22",
    )
    add(
        "c08-st02-se02-mismatch",
        "835",
        lambda t: sub(t, "SE*34*0001", "SE*34*0002"),
        "se-control-mismatch",
        "C22",
    )
    add(
        "c09-se01-wrong",
        "835",
        lambda t: sub(t, "SE*34*0001", "SE*33*0001"),
        "se-count-mismatch",
        "C22",
    )
    add(
        "c10-se01-zero",
        "835",
        lambda t: sub(t, "SE*34*0001", "SE*0*0001"),
        "se-count-mismatch",
        "C22 SE*0 as in pyx12 fail_no_IEA",
    )
    add(
        "c11-empty-transaction-set",
        "835",
        lambda t: t[: t.index("BPR*")] + t[t.index("SE*34") :].replace("SE*34*", "SE*2*"),
        "st-empty",
        "an ST immediately followed by its SE (pyx12 calls it valid)",
    )
    add(
        "c12-empty-group",
        "835",
        lambda t: t[: t.index("ST*835")] + t[t.index("GE*1") :].replace("GE*1*", "GE*0*"),
        "",
        "a group with no transaction set (GE01 = 0) reads cleanly",
    )
    add(
        "c13-duplicate-st02",
        "835",
        lambda t: _two_sets(t, "0001"),
        "st-duplicate-control",
        "C24 two sets, one ST02",
    )
    add(
        "c14-duplicate-gs06",
        "835",
        lambda t: _two_groups(t),
        "gs-duplicate-control",
        "C24 two groups, one GS06",
    )
    add(
        "c15-st-outside-group",
        "835",
        lambda t: sub(sub(t, t[t.index("GS*") : t.index("ST*")], ""), "GE*1*101~\n", ""),
        "st-outside-group iea-count-mismatch",
        "C23 ST directly under ISA",
    )
    add(
        "c16-nested-isa",
        "835",
        lambda t: sub(t, "LX*1~\n", "LX*1~\n" + ISA_835 + "\n"),
        "ge-missing gs-outside-interchange iea-count-mismatch iea-missing ig-segment-missing "
        "ig-segment-unrecognized isa-duplicate-control se-control-mismatch se-missing "
        "segment-outside-set",
        "C23 an ISA inside a set closes everything open; the rest cascades",
    )
    add(
        "c17-isa-text-in-data",
        "835",
        lambda t: sub(t, "PATIENT*SAMPLE", "PATIENT*ISAAC"),
        "",
        "C26 ISA inside an element is data (valid)",
    )
    add(
        "c18-empty-segment",
        "835",
        lambda t: sub(t, "TRN*1*", "~TRN*1*"),
        "empty-segment ge-missing iea-missing se-count-mismatch se-missing",
        "C27 '~\\n~'; pyx12 loses the envelope (its ge/iea/se-missing)",
    )
    add(
        "c19-no-final-terminator",
        "835",
        lambda t: t.rstrip("\n").rstrip("~"),
        "iea-missing unterminated-segment",
        "final terminator missing: a warning for us, pyx12 sees no IEA",
    )
    add(
        "c20-data-after-iea",
        "835",
        lambda t: t + "NM1*QC*1*X~\n",
        "data-after-trailer ig-segment-unrecognized",
        "",
    )
    add(
        "c21-st03-guide-mismatch",
        "835",
        lambda t: sub(t, "ST*835*0001", "ST*835*0001*005010X222A1"),
        "ig-element-exclusion st-version-mismatch",
        "D28 ST03 names the 837P guide",
    )
    add(
        "c22-st02-missing",
        "835",
        lambda t: sub(sub(t, "ST*835*0001", "ST*835"), "SE*34*0001", "SE*34"),
        "ig-element-missing st-missing-id",
        "ST02 empty",
    )
    # -- D. element level (SNIP 1-2) --------------------------------------------------------
    add(
        "d01-unknown-segment",
        "835",
        lambda t: se_fix(sub(t, "LX*1~\n", "LX*1~\nZZZ*1*2~\n"), 1),
        "ig-segment-unrecognized",
        "D29",
    )
    add(
        "d02-date-20230231",
        "835",
        lambda t: sub(t, "DTM*405*20260115", "DTM*405*20230231"),
        "ig-element-invalid-date",
        "D30 February 31st",
    )
    add(
        "d03-non-numeric-amount",
        "835",
        lambda t: sub(t, "AMT*B6*180.00", "AMT*B6*1O0.00"),
        "ig-element-invalid-character",
        "D30 letter O in an amount",
    )
    add(
        "d04-repetition-separator-misuse",
        "835",
        lambda t: sub(t, "REF*TJ*371234567", "REF*TJ^EV*371234567"),
        "ig-segment-unrecognized",
        "a repetition separator in an element that does not repeat",
    )
    add(
        "d05-too-many-elements",
        "835",
        lambda t: sub(t, "LX*1~", "LX*1*2*3*4~"),
        "ig-segment-element-errors",
        "D30",
    )
    # -- F. 835 balancing -------------------------------------------------------------------
    add(
        "f01-line-unbalanced",
        "835",
        lambda t: sub(t, "SVC*HC:99214*200.00*150.00", "SVC*HC:99214*200.00*140.00"),
        "835-line-unbalanced",
        "F35 SVC02 - CAS != SVC03",
    )
    add(
        "f02-claim-unbalanced",
        "835",
        lambda t: sub(
            sub(t, "CLP*PCN0002*1*125.00*125.00", "CLP*PCN0002*1*125.00*124.00"),
            "BPR*I*275.00",
            "BPR*I*274.00",
        ),
        "835-claim-unbalanced",
        "F36 CLP03 - CAS != CLP04 (BPR follows CLP04)",
    )
    add(
        "f03-transaction-unbalanced",
        "835",
        lambda t: sub(t, "BPR*I*275.00", "BPR*I*276.00"),
        "835-transaction-unbalanced",
        "F37 sum CLP04 - PLB != BPR02",
    )
    add(
        "f04-negative-payment",
        "835",
        lambda t: sub(t, "BPR*I*275.00", "BPR*I*-275.00"),
        "835-negative-payment 835-transaction-unbalanced",
        "F37 negative BPR02 (RFI 222)",
    )
    add(
        "f05-absurd-amount",
        "835",
        lambda t: sub(
            sub(t, "CLP*PCN0002*1*125.00*125.00", "CLP*PCN0002*1*125.00*99999999999999.00"),
            "BPR*I*275.00",
            "BPR*I*99999999999999.00",
        ),
        "835-claim-unbalanced 835-transaction-unbalanced",
        "a 14-digit amount fits R 1/18; balancing catches it",
    )
    add(
        "f06-negative-line-payment",
        "835",
        lambda t: sub(t, "SVC*HC:99213:25*125.00*125.00", "SVC*HC:99213:25*125.00*-125.00"),
        "835-line-unbalanced",
        "negative SVC03 on an ordinary claim",
    )
    add(
        "f07-adjustment-both-levels",
        "835",
        lambda t: se_fix(
            sub(
                t,
                "CLP*PCN0001*1*200.00*150.00*30.00*12*ACME2026000001*11*1~\n",
                "CLP*PCN0001*1*200.00*150.00*30.00*12*ACME2026000001*11*1~\nCAS*CO*45*0.00~\n",
            ),
            1,
        ),
        "835-adjustment-both-levels",
        "F36 same adjustment at claim and line level (RFI 689)",
    )
    add(
        "f08-reversal-not-negated",
        "835",
        lambda t: sub(t, "CLP*PCN0002*1*", "CLP*PCN0002*22*"),
        "835-reversal-not-negated",
        "F38 CLP02 = 22 with positive amounts",
    )
    # -- E. 837 semantics -------------------------------------------------------------------
    add(
        "e01-hl-parent-nowhere",
        "837P",
        lambda t: sub(t, "HL*2*1*22*0", "HL*2*9*22*0"),
        "hl-parent-unknown",
        "E31 HL02 names no earlier HL",
    )
    add(
        "e02-hl-not-sequential",
        "837P",
        lambda t: sub(t, "HL*3*1*22*0", "HL*5*1*22*0"),
        "hl-not-sequential",
        "E31 HL01 skips",
    )
    add(
        "e03-hl-wrong-level",
        "837P",
        lambda t: sub(t, "HL*2*1*22*0", "HL*2*1*23*0"),
        "hl-parent-level ig-segment-unrecognized",
        "E31 a patient (23) under a billing provider (20)",
    )
    add(
        "e04-hl-child-flag",
        "837P",
        lambda t: sub(t, "HL*3*1*22*0", "HL*3*1*22*1"),
        "hl-child-flag",
        "E31 HL04 = 1 with no child",
    )
    add(
        "e05-clm02-not-sum",
        "837P",
        lambda t: sub(t, "CLM*RFM-1001*75.00", "CLM*RFM-1001*76.00"),
        "claim-charge-mismatch",
        "E32 CLM02 != sum SV102",
    )
    add(
        "e06-frequency-invalid",
        "837P",
        lambda t: sub(t, "CLM*RFM-1001*75.00***11:B:1", "CLM*RFM-1001*75.00***11:B:9"),
        "claim-frequency-invalid",
        "E33 CLM05-3 = 9",
    )
    add(
        "e07-negative-line-charge",
        "837P",
        lambda t: sub(
            sub(t, "SV1*HC:99202*75.00", "SV1*HC:99202*-75.00"),
            "CLM*RFM-1001*75.00",
            "CLM*RFM-1001*-75.00",
        ),
        "line-charge-negative",
        "E33 negative charges (RFI 2499)",
    )
    add(
        "e08-duplicate-6r",
        "837P",
        lambda t: sub(t, "REF*6R*RFM-1002-2", "REF*6R*RFM-1002-1"),
        "line-control-duplicate",
        "E34",
    )
    add(
        "e09-diagnosis-pointer",
        "837P",
        lambda t: sub(t, "SV1*HC:20610:RT*120.00*UN*1***3", "SV1*HC:20610:RT*120.00*UN*1***9"),
        "diagnosis-pointer-invalid",
        "pointer past the claim's diagnoses",
    )
    add(
        "e10-icd10-unknown",
        "837P",
        lambda t: sub(t, "HI*ABK:J069", "HI*ABK:Z999"),
        "icd10-unknown",
        "SNIP 5",
    )
    add(
        "e11-service-date-20230231",
        "837P",
        lambda t: first(t, "DTP*472*D8*20260302", "DTP*472*D8*20230231"),
        "ig-element-invalid-date",
        "a service date that does not exist",
    )
    add(
        "e12-dental-clm02-not-sum",
        "837D",
        lambda t: sub(t, "CLM*BSD-7002*180.00", "CLM*BSD-7002*181.00"),
        "claim-charge-mismatch",
        "E32 for 837D (SV302)",
    )
    return c


def _two_sets(t: str, st02: str) -> str:
    body = t[t.index("ST*835") : t.index("GE*1*")]
    return sub(t.replace(body, body + body.replace("0001", st02)), "GE*1*101", "GE*2*101")


def _two_groups(t: str) -> str:
    grp = t[t.index("GS*") : t.index("IEA*")]
    return sub(t.replace(grp, grp + grp), "IEA*1*", "IEA*2*")


CASES = _cases()


def render() -> dict[str, bytes]:
    """Every catalogue file's name and bytes, as this script writes them."""
    bases = {"835": _835(), "837P": _837("professional"), "837D": _837("dental"), "": ""}
    out: dict[str, bytes] = {}
    for case in CASES:
        data = case.make(bases[case.base])
        out[case.name + ".x12"] = data if isinstance(data, bytes) else data.encode("latin-1")
    return out


def manifest_text() -> str:
    lines = ["file\tlevel\texpect\txfail\tnote"]
    for case in CASES:
        lines.append(f"{case.name}.x12\t{case.level}\t{case.expect}\t{case.xfail}\t{case.note}")
    return "\n".join(lines) + "\n"


def main() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    files = render()
    for old in FILES.glob("*.x12"):
        if old.name not in files or len(files[old.name]) > MAX_ON_DISK:
            old.unlink()
    for name, data in files.items():
        if len(data) <= MAX_ON_DISK:
            (FILES / name).write_bytes(data)
    MANIFEST.write_text(manifest_text(), encoding="utf-8")
    print(f"{len(files)} files in {FILES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
