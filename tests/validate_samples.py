"""Generated, fictional X12 files for validation tests and benchmarks.

``sample_837p(claims)`` writes a 005010X222A1 837P that is valid at SNIP levels 1-5
(pyx12 included); ``sample_835(payments)`` a 005010X221A1 835. Mutation tests edit
these bytes one defect at a time. Nothing here is real patient data.
"""

from __future__ import annotations

import io
from datetime import datetime

from claimhouse.x12 import EnvelopeWriter, InterchangeHeader, SequentialControlNumbers, fixed_clock

CLOCK = fixed_clock(datetime(2026, 1, 2, 3, 4))


def _writer(out: io.BytesIO, functional_id: str, version: str) -> EnvelopeWriter:
    header = InterchangeHeader(sender_id="SUBMITTER01", receiver_id="RECEIVER01",
                               functional_id=functional_id, gs_version=version, usage="T")
    return EnvelopeWriter(out, header, clock=CLOCK, control_numbers=SequentialControlNumbers(),
                          newline=True)


def sample_837p(claims: int = 2, sets: int = 1) -> bytes:
    out = io.BytesIO()
    ew = _writer(out, "HC", "005010X222A1")
    ew.begin()
    for _ in range(sets):
        ew.begin_set("837", "005010X222A1")
        w = ew.w
        w.write("BHT", "0019", "00", "0123", "20260101", "1200", "CH")
        w.write("NM1", "41", "2", "ACME BILLING", None, None, None, None, "46", "TGJ23")
        w.write("PER", "IC", "JANE", "TE", "5555552222")
        w.write("NM1", "40", "2", "PAYER CO", None, None, None, None, "46", "66783JJT")
        w.write("HL", "1", None, "20", "1")
        w.write("NM1", "85", "2", "GOOD CLINIC", None, None, None, None, "XX", "1234567893")
        w.write("N3", "1 MAIN ST")
        w.write("N4", "MIAMI", "FL", "33111")
        w.write("REF", "EI", "587654321")
        hl = 1
        for c in range(claims):
            hl += 1
            w.write("HL", str(hl), "1", "22", "0")
            w.write("SBR", "P", "18", None, None, None, None, None, None, "CI")
            w.write("NM1", "IL", "1", "DOE", "JOHN", None, None, None, "MI", f"M{c:08d}")
            w.write("N3", "2 ELM ST")
            w.write("N4", "MIAMI", "FL", "33111")
            w.write("DMG", "D8", "19700101", "M")
            w.write("NM1", "PR", "2", "PAYER CO", None, None, None, None, "PI", "12345")
            w.write("CLM", f"C{c:06d}", "100", None, None, ("11", "B", "1"), "Y", "A", "Y", "Y")
            w.write("HI", ("ABK", "E119"), ("ABF", "I10"))
            w.write("LX", "1")
            w.write("SV1", ("HC", "99213", "25"), "60", "UN", "1", None, None, ("1", "2"))
            w.write("DTP", "472", "D8", "20260101")
            w.write("REF", "6R", "L1")
            w.write("LX", "2")
            w.write("SV1", ("HC", "J1100"), "40", "UN", "1", None, None, ("1",))
            w.write("DTP", "472", "D8", "20260101")
            w.write("REF", "6R", "L2")
            w.write("LIN", None, "N4", "00409123401")
            w.write("CTP", None, None, None, "1", "UN")
        ew.end_set()
    ew.end()
    return out.getvalue()


def sample_835(payments: int = 2) -> bytes:
    out = io.BytesIO()
    ew = _writer(out, "HP", "005010X221A1")
    ew.begin()
    ew.begin_set("835")  # ST03 is Not Used in the 835 (X221A1)
    w = ew.w
    total = 80 * payments
    w.write("BPR", "I", f"{total}", "C", "ACH", "CCP", "01", "999999992", "DA", "123456",
            "1512345678", None, "01", "999988880", "DA", "98765", "20260110")
    w.write("TRN", "1", "12345", "1512345678")
    w.write("DTM", "405", "20260109")
    w.write("N1", "PR", "PAYER CO")
    w.write("N3", "1 PAYER WAY")
    w.write("N4", "DALLAS", "TX", "75201")
    w.write("PER", "BL", "CLAIMS", "TE", "8005551212")
    w.write("N1", "PE", "GOOD CLINIC", "XX", "1234567893")
    w.write("LX", "1")
    for c in range(payments):
        w.write("CLP", f"C{c:06d}", "1", "100", "80", "20", "12", "PAYER-REF", "11", "1")
        w.write("NM1", "QC", "1", "DOE", "JOHN", None, None, None, "MI", f"M{c:08d}")
        w.write("SVC", ("HC", "99213"), "100", "80", None, "1")
        w.write("DTM", "472", "20260101")
        w.write("CAS", "PR", "1", "20")
    ew.end_set()
    ew.end()
    return out.getvalue()
