"""SNIP levels 3–5 over the segments of one 837 transaction set (837P/837I/837D).

Works on segments, streaming: only the current claim is held. Loops tracked:
2000A/B/C (HL billing provider 20, subscriber 22, patient 23), 2300 claim (CLM, HI,
REF*F8), 2320/2330B other payer (SBR, NM1*PR, AMT*D, CAS), 2400 service line (LX,
SV1/SV2/SV3, REF*6R), 2410 drug (LIN*N4) and 2430 line adjudication (SVD, CAS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from claimhouse.validate import _codesets as cs
from claimhouse.validate._context import SetContext
from claimhouse.x12 import Segment

_PARENT_LEVEL = {"20": frozenset({""}), "22": frozenset({"20"}), "23": frozenset({"22"})}
"""HL03 level -> the parent levels it may sit under ('' = no parent)."""
_FREQUENCY_PD = frozenset({"1", "7", "8"})
_CAS_AMOUNTS = (3, 6, 9, 12, 15, 18)
_POINTED_DIAGNOSES = frozenset({"ABK", "ABF", "BK", "BF"})
"""HI qualifiers of the diagnoses that service-line pointers count (ICD-10 and ICD-9)."""


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts e.g. a Latin-1 superscript that int()
    refuses (a fuzzer's crash: SV107 '\xb3' raised ValueError out of validate_file)."""
    return text.isascii() and text.isdigit()


def _dec(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass(slots=True)
class _Line:
    """A 2400 service line."""

    seg: Segment
    charge: Decimal | None = None
    procedure: str = ""
    ndc: bool = False
    paid: list[tuple[str, Decimal, Decimal, Segment]] = field(default_factory=list)
    """2430 SVD: (other payer id, paid amount, CAS total, SVD segment)."""


@dataclass(slots=True)
class _Claim:
    """A 2300 claim and what its checks need."""

    seg: Segment
    charge: Decimal | None
    diagnoses: int = 0
    frequency: str = ""
    has_f8: bool = False
    lines: list[_Line] = field(default_factory=list)
    line_controls: set[str] = field(default_factory=set)
    payer: str = ""
    cob_paid: dict[str, tuple[Decimal, Segment]] = field(default_factory=dict)
    cob_cas: dict[str, Decimal] = field(default_factory=dict)


class Check837:
    """Feed every body segment of one 837 set to :meth:`segment`, then call :meth:`finish`."""

    def __init__(self, ctx: SetContext, level: int) -> None:
        self.ctx = ctx
        self.level = level
        guide = ctx.version[6:10]
        self.kind = {"X222": "P", "X098": "P", "X223": "I", "X096": "I", "X224": "D",
                     "X097": "D"}.get(guide, "")
        self.hl_levels: dict[str, str] = {}
        self.hl_child_flag: dict[str, tuple[str, Segment]] = {}
        self.hl_has_child: set[str] = set()
        self.hl_expected = 1
        self.subscriber: tuple[str, str, Segment] | None = None
        self.subscriber_has_patient = False
        self.claim: _Claim | None = None
        self.line: _Line | None = None
        self.in_svd: tuple[str, Decimal, Segment] | None = None
        self._current_hl = ""
        self._current_hl_level = ""
        self.svd_cas = Decimal(0)

    # -- dispatch --------------------------------------------------------------------------
    def segment(self, seg: Segment) -> None:
        tag = seg.elements[0]
        if tag == "HL":
            self._end_claim()
            if self.level >= 4:
                self._hl(seg)
        elif tag == "CLM":
            self._end_claim()
            self.claim = _Claim(seg, _dec(seg.get(2)))
            fac = self.ctx.split(seg.get(5))
            self.claim.frequency = fac[2] if len(fac) > 2 else ""
            if self.level >= 5 and self.kind in ("P", "D") and fac[0] and len(fac) > 1 \
                    and fac[1] == "B" and not cs.pos_ok(fac[0]):
                self.ctx.add("pos-unknown", seg, element=5, component=1, loop="2300")
        elif self.claim is None:
            if tag == "SBR" and self.subscriber is None and self.level >= 4 \
                    and self._current_hl_level == "22":
                self.subscriber = (self._current_hl, seg.get(2), seg)
        else:
            self._claim_segment(tag, seg, self.claim)

    def _claim_segment(self, tag: str, seg: Segment, claim: _Claim) -> None:
        line = self.line
        if tag == "LX":
            self._end_svd()
            self.line = _Line(seg)
            claim.lines.append(self.line)
        elif line is None:
            self._claim_level(tag, seg, claim)
        elif tag in ("SV1", "SV2", "SV3"):
            self._service(tag, seg, claim, line)
        elif tag == "REF" and seg.get(1) == "6R":
            if seg.get(2) in claim.line_controls and self.level >= 4:
                self.ctx.add("line-control-duplicate", seg, element=2, loop="2400")
            claim.line_controls.add(seg.get(2))
        elif tag == "LIN" and seg.get(2) == "N4":
            line.ndc = True
            if self.level >= 5 and not cs.ndc_ok(seg.get(3)):
                self.ctx.add("ndc-format", seg, element=3, loop="2410")
        elif tag == "SVD":
            self._end_svd()
            paid = _dec(seg.get(2))
            if paid is not None:
                self.in_svd = (seg.get(1), paid, seg)
                self.svd_cas = Decimal(0)
        elif tag == "CAS" and self.in_svd is not None:
            self.svd_cas += self._cas_total(seg)

    def _claim_level(self, tag: str, seg: Segment, claim: _Claim) -> None:
        if tag == "HI":
            for value in seg.elements[1:]:
                comps = self.ctx.split(value)
                if comps[0] in _POINTED_DIAGNOSES:
                    claim.diagnoses += 1
                if comps[0] in cs.ICD10_DIAGNOSIS_QUALIFIERS and self.level >= 5 \
                        and len(comps) > 1 and comps[1]:
                    status = cs.icd10_status(comps[1])
                    if status:
                        pos = seg.elements.index(value)
                        self.ctx.add(status, seg, element=pos, component=2, loop="2300")
        elif tag == "REF" and seg.get(1) == "F8":
            claim.has_f8 = True
        elif tag == "SBR":
            claim.payer = f"#{len(claim.cob_paid) + len(claim.cob_cas) + 1}"
        elif tag == "NM1" and seg.get(1) == "PR" and claim.payer:
            claim.payer = seg.get(9) or claim.payer
        elif tag == "AMT" and seg.get(1) == "D" and claim.payer:
            amount = _dec(seg.get(2))
            if amount is not None:
                claim.cob_paid[claim.payer] = (amount, seg)
        elif tag == "CAS" and claim.payer:
            claim.cob_cas[claim.payer] = claim.cob_cas.get(claim.payer, Decimal(0)) + \
                self._cas_total(seg)

    def _service(self, tag: str, seg: Segment, claim: _Claim, line: _Line) -> None:
        proc_el, charge_el, pointer_el = {"SV1": (1, 2, 7), "SV2": (2, 3, 0),
                                          "SV3": (1, 2, 11)}[tag]
        line.charge = _dec(seg.get(charge_el))
        if self.level >= 3 and line.charge is not None and line.charge < 0:
            self.ctx.add("line-charge-negative", seg, element=charge_el, loop="2400")
        comps = self.ctx.split(seg.get(proc_el))
        if len(comps) > 1 and comps[0] == "HC":
            line.procedure = comps[1]
            if self.level >= 5:
                status = cs.procedure_status(comps[1])
                if status:
                    self.ctx.add(status, seg, element=proc_el, component=2, loop="2400")
                for i, mod in enumerate(comps[2:6], start=3):
                    if mod and not cs.modifier_ok(mod):
                        self.ctx.add("modifier-format", seg, element=proc_el, component=i,
                                     loop="2400")
        pos_el = {"SV1": 5, "SV3": 3}.get(tag, 0)  # SV105 / SV303 place of service
        if pos_el and self.level >= 5 and seg.get(pos_el) and not cs.pos_ok(seg.get(pos_el)):
            self.ctx.add("pos-unknown", seg, element=pos_el, loop="2400")
        if pointer_el and self.level >= 4 and seg.get(pointer_el):
            for i, ptr in enumerate(self.ctx.split(seg.get(pointer_el)), start=1):
                if ptr and (not _digits(ptr) or not 1 <= int(ptr) <= claim.diagnoses):
                    self.ctx.add("diagnosis-pointer-invalid", seg, element=pointer_el,
                                 component=i, loop="2400")

    def _cas_total(self, seg: Segment) -> Decimal:
        total = Decimal(0)
        for i in _CAS_AMOUNTS:
            amount = _dec(seg.get(i))
            if amount is not None:
                total += amount
        return total

    def _end_svd(self) -> None:
        if self.in_svd is not None and self.line is not None:
            payer, paid, seg = self.in_svd
            self.line.paid.append((payer, paid, self.svd_cas, seg))
        self.in_svd = None
        self.svd_cas = Decimal(0)

    # -- HL hierarchy (level 4) ------------------------------------------------------------
    def _hl(self, seg: Segment) -> None:
        hl_id, parent, level, child = seg.get(1), seg.get(2), seg.get(3), seg.get(4)
        if not _digits(hl_id) or int(hl_id) != self.hl_expected or hl_id in self.hl_levels:
            self.ctx.add("hl-not-sequential", seg, element=1)
        self.hl_expected = (int(hl_id) if _digits(hl_id) else self.hl_expected) + 1
        if parent and parent not in self.hl_levels:
            self.ctx.add("hl-parent-unknown", seg, element=2)
        elif level in _PARENT_LEVEL and self.hl_levels.get(parent, "") not in \
                _PARENT_LEVEL[level]:
            self.ctx.add("hl-parent-level", seg, element=3)
        if parent:
            self.hl_has_child.add(parent)
        self.hl_levels[hl_id] = level
        self.hl_child_flag[hl_id] = (child, seg)
        if level in ("20", "22"):
            self._end_subscriber()
        if level == "23" and self.subscriber is not None and parent == self.subscriber[0]:
            self.subscriber_has_patient = True
            if self.subscriber[1] == "18":
                self.ctx.add("patient-loop-with-self", seg, loop="2000C")
        self._current_hl, self._current_hl_level = hl_id, level

    def _end_subscriber(self) -> None:
        sub = self.subscriber
        if sub is not None and sub[1] == "" and not self.subscriber_has_patient:
            self.ctx.add("patient-loop-missing", sub[2], element=2, loop="2000B")
        self.subscriber = None
        self.subscriber_has_patient = False

    # -- end of a claim: balancing (3), frequency and NDC (4, 5) ---------------------------
    def _end_claim(self) -> None:
        self._end_svd()
        claim, self.claim, self.line = self.claim, None, None
        if claim is None:
            return
        seg = claim.seg
        if self.level >= 3 and claim.charge is not None and claim.lines \
                and all(ln.charge is not None for ln in claim.lines):
            total = sum((ln.charge or Decimal(0) for ln in claim.lines), Decimal(0))
            if total != claim.charge:
                self.ctx.add("claim-charge-mismatch", seg, f"CLM02 differs from the sum of "
                             f"the {len(claim.lines)} line charge(s)", element=2, loop="2300")
        if self.level >= 3:
            self._cob(claim)
        if self.level >= 4 and claim.frequency and self.kind in ("P", "D") \
                and claim.frequency not in _FREQUENCY_PD:
            self.ctx.add("claim-frequency-invalid", seg, element=5, component=3, loop="2300")
        if self.level >= 4 and claim.frequency in ("7", "8") and not claim.has_f8:
            self.ctx.add("claim-frequency-reference-missing", seg, element=5, component=3,
                         loop="2300")
        if self.level >= 5:
            for ln in claim.lines:
                if cs.is_j_code(ln.procedure) and not ln.ndc:
                    self.ctx.add("ndc-missing", ln.seg, loop="2400")

    def _cob(self, claim: _Claim) -> None:
        line_paid: dict[str, Decimal] = {}
        for ln in claim.lines:
            for payer, paid, _cas, svd in ln.paid:
                line_paid[payer] = line_paid.get(payer, Decimal(0)) + paid
                if ln.charge is not None and paid > ln.charge:
                    self.ctx.add("cob-paid-exceeds-charge", svd, element=2, loop="2430")
        for payer, (paid, amt) in claim.cob_paid.items():
            if claim.charge is not None and paid > claim.charge:
                self.ctx.add("cob-paid-exceeds-charge", amt, element=2, loop="2320")
            if payer in line_paid and \
                    line_paid[payer] - claim.cob_cas.get(payer, Decimal(0)) != paid:
                self.ctx.add("cob-line-paid-mismatch", amt, element=2, loop="2320")

    def finish(self) -> None:
        self._end_claim()
        if self.level < 4:
            return
        self._end_subscriber()
        for hl_id, (flag, seg) in self.hl_child_flag.items():
            has = hl_id in self.hl_has_child
            if (flag == "1" and not has) or (flag == "0" and has):
                self.ctx.add("hl-child-flag", seg, element=4)
