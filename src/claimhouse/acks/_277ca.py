"""The 277CA claim acknowledgment (005010X214) for each 837 set the 999 accepted.

Per claim, accepted into adjudication (STC A2:20) or rejected for invalid information
(STC A7 with a claim status code) according to the SNIP 3–5 findings located in the
claim (from its HL, or its CLM when several claims share one HL, to the next claim).
Loops written: 2000A information source (us, as the 837's receiver), 2000B information
receiver (the 837's submitter) with totals, 2000C billing provider, 2000D patient/claim.
The 837 is re-read segment by segment (streaming); only names and ids needed for the
response are kept, one claim at a time.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from claimhouse.acks._build import Acknowledgment
from claimhouse.validate import SetReport, ValidationReport
from claimhouse.x12 import (
    Clock,
    ControlNumbers,
    EnvelopeReader,
    EnvelopeWriter,
    Finding,
    InterchangeHeader,
    Segment,
    Severity,
    Source,
)

CLAIM_STATUS_CODE = {
    "claim-charge-mismatch": "400", "cob-paid-exceeds-charge": "400",
    "cob-line-paid-mismatch": "400", "icd10-unknown": "255", "icd10-not-billable": "255",
    "diagnosis-pointer-invalid": "255", "cpt-format": "454", "hcpcs-format": "454",
    "modifier-format": "453", "pos-unknown": "249",
}
"""Finding code -> claim status code (X12 external code 508) for STC01-2; others 21
(missing or invalid information)."""


@dataclass(slots=True)
class _Party:
    entity_type: str = "2"
    last: str = ""
    first: str = ""
    qualifier: str = ""
    id: str = ""


@dataclass(slots=True)
class _Claim:
    id: str
    charge: Decimal
    start: int
    end: int = 0
    dates: list[str] = field(default_factory=list)
    patient: _Party = field(default_factory=_Party)
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Provider:
    name: _Party
    claims: list[_Claim] = field(default_factory=list)


@dataclass(slots=True)
class _Batch:
    """What a 277CA needs from one 837 set."""

    control_number: str
    reference: str = ""
    submitter: _Party = field(default_factory=_Party)
    receiver: _Party = field(default_factory=_Party)
    providers: list[_Provider] = field(default_factory=list)


def _party(seg: Segment) -> _Party:
    return _Party(seg.get(2) or "2", seg.get(3), seg.get(4), seg.get(8), seg.get(9))


def _money(text: str) -> Decimal:
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        return Decimal(0)


def _read_set(control: str, segments: Iterator[Segment], component: str) -> _Batch:
    batch = _Batch(control)
    provider: _Provider | None = None
    subscriber = _Party()
    patient: _Party | None = None
    claim: _Claim | None = None
    hl_start = 0
    for seg in segments:
        tag = seg.elements[0]
        if tag in ("HL", "CLM") and claim is not None:
            claim.end = seg.ordinal
            claim = None
        if tag == "BHT":
            batch.reference = seg.get(3)
        elif tag == "HL":
            hl_start = seg.ordinal
            if seg.get(3) == "20":
                provider = None
            elif seg.get(3) == "22":
                patient = None
        elif tag == "NM1":
            who = seg.get(1)
            if who == "41":
                batch.submitter = _party(seg)
            elif who == "40":
                batch.receiver = _party(seg)
            elif who == "85" and provider is None:
                provider = _Provider(_party(seg))
                batch.providers.append(provider)
            elif who == "IL":
                subscriber = _party(seg)
            elif who == "QC":
                patient = _party(seg)
        elif tag == "CLM" and provider is not None:
            who_p = patient or subscriber
            claim = _Claim(seg.get(1), _money(seg.get(2)), hl_start or seg.ordinal,
                           patient=_Party("1", who_p.last, who_p.first, "MI",
                                          subscriber.id or who_p.id))
            hl_start = 0
            provider.claims.append(claim)
        elif tag == "DTP" and claim is not None and seg.get(1) in ("472", "434"):
            claim.dates.extend(d for d in seg.get(3).split("-") if d)
    if claim is not None:
        claim.end = 1 << 62
    return batch


def _claim_reasons(batch: _Batch, findings: list[Finding], levels: frozenset[int]) -> None:
    errors = [f for f in findings if f.severity is Severity.ERROR and f.snip_level in levels
              and f.location.segment is not None]
    for prov in batch.providers:
        for c in prov.claims:
            for f in errors:
                assert f.location.segment is not None
                if c.start <= f.location.segment < c.end:
                    code = CLAIM_STATUS_CODE.get(f.code, "21")
                    if code not in c.reasons:
                        c.reasons.append(code)


def _name(w: EnvelopeWriter, entity: str, p: _Party, qualifier: str, person: bool) -> None:
    first = p.first if person and p.entity_type == "1" else None
    etype = "1" if person and p.entity_type == "1" else "2"
    if entity == "QC":
        etype, first = "1", p.first or None
    w.w.write("NM1", entity, etype, p.last or "UNKNOWN", first, None, None, None,
              qualifier, p.id or "UNKNOWN")


def _write_277(w: EnvelopeWriter, batch: _Batch, clock: Clock, trace: str) -> None:
    now = clock()
    today = now.strftime("%Y%m%d")
    s = w.w
    w.begin_set("277", "005010X214")
    s.write("BHT", "0085", "08", batch.reference or trace, today, now.strftime("%H%M"), "TH")
    s.write("HL", "1", None, "20", "1")
    _name(w, "PR", batch.receiver, "46", False)
    s.write("TRN", "1", trace)
    s.write("DTP", "050", "D8", today)
    s.write("DTP", "009", "D8", today)
    claims = [c for p in batch.providers for c in p.claims]
    s.write("HL", "2", "1", "21", "1" if claims else "0")
    _name(w, "41", batch.submitter, "46", True)
    s.write("TRN", "2", batch.reference or trace)
    s.write("STC", ("A1", "20"), today, "WQ", _amount(sum((c.charge for c in claims),
                                                          Decimal(0))))
    _totals(w, claims, ("90", "AA"))
    hl = 2
    for prov in batch.providers:
        hl += 1
        parent = hl
        s.write("HL", str(hl), "2", "19", "1" if prov.claims else "0")
        _name(w, "85", prov.name, prov.name.qualifier if prov.name.qualifier in
              ("FI", "SV", "XX") else "XX", True)
        s.write("TRN", "1", "0")
        s.write("STC", ("A1", "20"), None, "WQ",  # 2200C STC02 is not used
                _amount(sum((c.charge for c in prov.claims), Decimal(0))))
        _totals(w, prov.claims, ("QA", "QC"))
        for c in prov.claims:
            hl += 1
            s.write("HL", str(hl), str(parent), "PT")
            _name(w, "QC", c.patient, "MI", True)
            s.write("TRN", "2", c.id or "UNKNOWN")
            if c.reasons:
                s.write("STC", ("A7", c.reasons[0]), today, "U", _amount(c.charge), None,
                        None, None, None, None,
                        ("A7", c.reasons[1]) if len(c.reasons) > 1 else None)
            else:
                s.write("STC", ("A2", "20"), today, "WQ", _amount(c.charge))
            dates = sorted(c.dates) or [today]
            if dates[0] == dates[-1]:
                s.write("DTP", "472", "D8", dates[0])
            else:
                s.write("DTP", "472", "RD8", f"{dates[0]}-{dates[-1]}")
    w.end_set()


def _amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _totals(w: EnvelopeWriter, claims: list[_Claim], quantities: tuple[str, str]) -> None:
    ok = [c for c in claims if not c.reasons]
    bad = [c for c in claims if c.reasons]
    if ok:
        w.w.write("QTY", quantities[0], str(len(ok)))
    if bad:
        w.w.write("QTY", quantities[1], str(len(bad)))
    if ok:
        w.w.write("AMT", "YU", _amount(sum((c.charge for c in ok), Decimal(0))))
    if bad:
        w.w.write("AMT", "YY", _amount(sum((c.charge for c in bad), Decimal(0))))


def _accepted_sets(report: ValidationReport) -> dict[tuple[str, str, str], SetReport]:
    out: dict[tuple[str, str, str], SetReport] = {}
    for icx in report.interchanges:
        if not icx.envelope_valid:
            continue
        for grp in icx.groups:
            for ts in grp.sets:
                syntax_errors = [f for f in ts.findings if f.snip_level <= 2
                                 and f.severity is Severity.ERROR]
                if ts.id == "837" and not syntax_errors:
                    out[(icx.control_number, grp.control_number, ts.control_number)] = ts
    return out


def build_277ca(source: Source, report: ValidationReport, *, clock: Clock,
                control_numbers: ControlNumbers,
                levels: Iterable[int] = (3, 4, 5)) -> list[Acknowledgment]:
    """One 277CA interchange per interchange of ``source`` with 837 sets that pass SNIP
    1–2, one 277 set per such 837 set; claims with SNIP ``levels`` errors are rejected."""
    accepted = _accepted_sets(report)
    chosen = frozenset(levels)
    acks: list[Acknowledgment] = []
    current: tuple[str, EnvelopeWriter, io.BytesIO, bool] | None = None

    def close() -> None:
        if current is not None:
            icn, ew, out, ok = current
            ew.end()
            acks.append(Acknowledgment("277CA", icn, ok, out.getvalue()))

    for ts in EnvelopeReader(source).transaction_sets():
        key = (ts.interchange.control_number, ts.group.control_number, ts.info.control_number)
        if key not in accepted:
            continue
        batch = _read_set(ts.info.control_number, ts.segments, ts.delimiters.component)
        _claim_reasons(batch, accepted[key].findings, chosen)
        if current is None or current[0] != key[0]:
            close()
            icx = ts.interchange
            header = InterchangeHeader(
                sender_id=icx.receiver, receiver_id=icx.sender,
                sender_qualifier=icx.receiver_qualifier, receiver_qualifier=icx.sender_qualifier,
                usage=icx.usage if icx.usage in ("P", "T") else "P",
                functional_id="HN", gs_version="005010X214")
            out = io.BytesIO()
            ew = EnvelopeWriter(out, header, clock=clock, control_numbers=control_numbers)
            ew.begin()
            current = (key[0], ew, out, True)
        ok = all(not c.reasons for p in batch.providers for c in p.claims)
        _write_277(current[1], batch, clock, f"{key[0]}{key[2]}")
        current = (current[0], current[1], current[2], current[3] and ok)
    close()
    return acks
