"""SNIP levels 3 and 5 over the segments of one 835 transaction set.

Level 5: CAS adjustment reason codes (2100/2110 CAS02/05/08/11/14/17) are CARCs; MIA/MOA
remark codes and 2110 LQ*HE are RARCs. Level 3 (BPR/CLP/SVC balancing) belongs to the
835 layer's balancing module: when it is installed, the set's segments are handed to it
and its findings are added here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from claimhouse.validate import _codesets as cs
from claimhouse.validate._context import SetContext
from claimhouse.x12 import Finding, Segment

_CAS_REASONS = (2, 5, 8, 11, 14, 17)
_MIA_REMARKS = (5, 20, 21, 22, 23)
_MOA_REMARKS = (3, 4, 5, 6, 7)


@cache
def _balancer() -> Callable[..., Any] | None:
    """The 835 layer's segment balancing function, when it exists."""
    try:
        from claimhouse.transactions import balancing
    except ImportError:
        return None
    fn = getattr(balancing, "check_segments", None)
    return fn if callable(fn) else None


class Check835:
    """Feed every body segment of one 835 set to :meth:`segment`, then :meth:`finish`."""

    def __init__(self, ctx: SetContext, level: int) -> None:
        self.ctx = ctx
        self.level = level
        self.balance = _balancer() if level >= 3 else None
        self.segments: list[Segment] = []

    def segment(self, seg: Segment) -> None:
        if self.balance is not None:
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
        if self.balance is None:
            return
        found = self.balance(self.segments, self.ctx)
        for f in found or ():
            if isinstance(f, Finding):
                self.ctx.findings.append(f)
