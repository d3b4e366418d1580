"""SNIP levels 3 and 5 over the segments of one 835 transaction set.

Level 5: CAS adjustment reason codes (2100/2110 CAS02/05/08/11/14/17) are CARCs; MIA/MOA
remark codes and 2110 LQ*HE are RARCs. Level 3 (BPR/CLP/SVC balancing) belongs to the
835 layer: the set is read into a Remittance with the 835 binding and
``claimhouse.transactions.balancing`` checks it; its findings are placed in this set.
"""

from __future__ import annotations

from dataclasses import replace

from claimhouse.validate import _codesets as cs
from claimhouse.validate._context import SetContext
from claimhouse.x12 import Finding, Location, Segment

_CAS_REASONS = (2, 5, 8, 11, 14, 17)
_MIA_REMARKS = (5, 20, 21, 22, 23)
_MOA_REMARKS = (3, 4, 5, 6, 7)


def _balance(segments: list[Segment], ctx: SetContext) -> list[Finding]:
    """Read the set into a Remittance with the 835 binding and run its balancing checks;
    findings are placed in this set."""
    from claimhouse.transactions.balancing import check_remittance
    from claimhouse.transactions.x221 import remittance_map

    model = remittance_map().read(iter(segments), component=ctx.component, findings=[],
                                  location=Location(file=ctx.file))
    out: list[Finding] = []
    for f in check_remittance(model, file=ctx.file, transaction_set=ctx.transaction_set):
        loc = replace(f.location, file=ctx.file, interchange=ctx.interchange,
                      group=ctx.group, transaction_set=ctx.transaction_set)
        out.append(Finding(f.code, f.message, loc, f.severity, f.snip_level))
    return out


class Check835:
    """Feed every body segment of one 835 set to :meth:`segment`, then :meth:`finish`."""

    def __init__(self, ctx: SetContext, level: int) -> None:
        self.ctx = ctx
        self.level = level
        self.balance = level >= 3
        self.segments: list[Segment] = []
        """The set's body, kept for the 835 reader (its model is held whole anyway)."""

    def segment(self, seg: Segment) -> None:
        if self.balance:
            self.segments.append(seg)
        if self.level < 5:
            return
        tag = seg.elements[0]
        if tag == "CAS":
            for i in _CAS_REASONS:
                code = seg.get(i)
                if code and not cs.carc_ok(code):
                    self.ctx.add("carc-unknown", seg, element=i)
        elif tag in ("MIA", "MOA"):
            for i in _MIA_REMARKS if tag == "MIA" else _MOA_REMARKS:
                code = seg.get(i)
                if code and not cs.rarc_ok(code):
                    self.ctx.add("rarc-unknown", seg, element=i)
        elif tag == "LQ" and seg.get(1) == "HE" and seg.get(2) and not cs.rarc_ok(seg.get(2)):
            self.ctx.add("rarc-unknown", seg, element=2, loop="2110")

    def finish(self) -> None:
        if self.balance:
            self.ctx.findings.extend(_balance(self.segments, self.ctx))
        self.segments = []
