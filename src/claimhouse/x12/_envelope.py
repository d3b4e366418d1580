"""Envelopes: Interchange (ISA/IEA) > FunctionalGroup (GS/GE) > TransactionSet (ST/SE).

:class:`EnvelopeReader` walks a tokenized file once, in constant memory per segment,
checks every envelope rule as the segments pass and collects findings. Transaction readers
consume :meth:`EnvelopeReader.transaction_sets`, which hands out each set's body segments
lazily, so a 1 GB file with one huge transaction set still streams.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

from claimhouse.errors import X12Error
from claimhouse.x12._codes import ENVELOPE_CODES
from claimhouse.x12._delimiters import ISA_WIDTHS
from claimhouse.x12._envelope_types import (
    GroupInfo,
    ImplementationVersion,
    InterchangeInfo,
    TransactionSet,
    TransactionSetInfo,
)
from claimhouse.x12._findings import Finding, Location
from claimhouse.x12._tokenizer import Segment, Source, Tokenizer

_ENVELOPE_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE", ""})


def _parse_date6(text: str) -> bool:
    try:
        date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return False
    return len(text) == 6 and text.isdigit()


def _parse_time4(text: str) -> bool:
    try:
        time(int(text[:2]), int(text[2:4]))
    except ValueError:
        return False
    return len(text) == 4 and text.isdigit()


class EnvelopeReader:
    """Read a file's envelopes, checking them as the segments pass.

    Iterate :meth:`segments` (every segment) or :meth:`transaction_sets`; afterwards
    ``interchanges`` summarises the envelopes and ``findings`` lists every defect.
    """

    def __init__(self, source: Source, *, name: str | None = None) -> None:
        self.tokenizer = Tokenizer(source, name=name)
        self.name = self.tokenizer.name
        self.interchanges: list[InterchangeInfo] = []
        self.findings: list[Finding] = []
        self.segment_total = 0
        self._interchange: InterchangeInfo | None = None
        self._group: GroupInfo | None = None
        self._set: TransactionSetInfo | None = None
        self._seen_isa: set[tuple[str, str, str]] = set()
        self._seen_gs: set[str] = set()
        self._seen_st: set[str] = set()
        self._pending: Segment | None = None
        self._failed = False

    # -- findings -------------------------------------------------------------------------
    def _add(self, code: str, seg: Segment | None, message: str | None = None, *,
             element: int | None = None, offset: int | None = None) -> None:
        spec = ENVELOPE_CODES[code]
        loc = Location(
            file=self.name,
            segment=seg.ordinal if seg else None,
            offset=offset if offset is not None else (seg.offset if seg else None),
            segment_id=(seg.elements[0] or None) if seg else None,
            element=element,
            interchange=self._interchange.control_number if self._interchange else None,
            group=self._group.control_number if self._group else None,
            transaction_set=self._set.control_number if self._set else None,
            set_segment=(self._set.segment_count if self._set else None),
        )
        self.findings.append(Finding(code, message or spec.summary, loc, spec.severity,
                                     spec.snip_level))

    # -- the walk ------------------------------------------------------------------------
    # Both walks keep the same books: a segment inside an open transaction set that is not
    # an envelope segment is a body segment (counted in a local, flushed into the set and
    # ``segment_total`` whenever an envelope segment passes); anything else goes through
    # :meth:`_other`. ``transaction_sets`` hands bodies out straight from the tokenizer,
    # with no generator layer in between (the hot path of every transaction reader).
    def segments(self) -> Iterator[Segment]:
        """Yield every segment of the file; envelope checks run as they pass.

        A file that cannot be tokenized at all yields nothing and records one finding
        (``not-x12`` or ``isa-unreadable``) instead of raising.
        """
        body = 0
        in_set = False
        envelope_ids = _ENVELOPE_IDS
        try:
            for seg in self.tokenizer:
                if in_set and seg[0][0] not in envelope_ids:
                    body += 1
                    yield seg
                    continue
                if body:
                    self._flush(body)
                    body = 0
                self._other(seg)
                in_set = self._set is not None
                yield seg
        except X12Error as exc:
            self._fail(exc)
            return
        finally:
            if body:
                self._flush(body)
        self._end()

    def transaction_sets(self) -> Iterator[TransactionSet]:
        """Yield each transaction set with a lazy iterator over its body segments."""
        tok = iter(self.tokenizer)
        envelope_ids = _ENVELOPE_IDS
        self._failed = False
        body = 0
        try:
            while not self._failed:
                seg = self._pending
                self._pending = None
                if seg is None:  # else: already checked by the body iterator that met it
                    seg = next(tok, None)
                    if seg is None:
                        break
                    if self._set is not None and seg[0][0] not in envelope_ids:
                        body += 1  # the rest of a body its reader abandoned, or not read
                        continue
                    if body:
                        self._flush(body)
                        body = 0
                    self._other(seg)
                if seg[0][0] != "ST" or self._set is None or self._group is None:
                    continue  # a set outside a group is reported (st-outside-group), not read
                info = self._set
                if self._interchange is None:
                    continue
                yield TransactionSet(seg, info, self._group, self._interchange,
                                     self._interchange.delimiters, self._body(tok, info))
        except X12Error as exc:
            self._fail(exc)
            return
        finally:
            if body:
                self._flush(body)
        if not self._failed:
            self._end()

    def _body(self, tok: Iterator[Segment], info: TransactionSetInfo) -> Iterator[Segment]:
        envelope_ids = _ENVELOPE_IDS
        body = 0
        try:
            for seg in tok:
                tag = seg[0][0]
                if tag not in envelope_ids:
                    body += 1
                    yield seg
                    continue
                if body:
                    self._flush(body)
                    body = 0
                self._other(seg)
                if tag == "SE" or info.closed or self._set is not info:
                    if tag != "SE":
                        self._pending = seg
                    return
                if tag != "":
                    yield seg
        except X12Error as exc:
            self._fail(exc)
        finally:
            if body:
                self._flush(body)

    def _flush(self, body: int) -> None:
        if self._set is not None:
            self._set.segment_count += body
        self.segment_total += body

    def _other(self, seg: Segment) -> None:
        """A segment that is not a body segment of an open set: envelope segments, and
        segments outside any set."""
        tag = seg[0][0]
        self.segment_total += 1
        if tag in _ENVELOPE_IDS:
            self._envelope_segment(seg)
        elif tag == "TA1" and self._interchange is not None and self._group is None:
            pass  # an interchange ack sits directly under ISA
        else:
            self._add("data-after-trailer" if self._interchange is None
                      and self.interchanges else "segment-outside-set", seg)

    def _fail(self, exc: X12Error) -> None:
        """The tokenizer gave up (not X12, unreadable ISA, a segment too long)."""
        self._failed = True
        code = {"NotX12Error": "not-x12", "SegmentTooLongError": "segment-too-long"}.get(
            type(exc).__name__, "isa-unreadable")
        self._add(code, None, exc.reason, offset=exc.offset)

    def _end(self) -> None:
        self._finish(None)
        if self.tokenizer.unterminated_offset is not None:
            self._add("unterminated-segment", None, offset=self.tokenizer.unterminated_offset)

    def run(self) -> EnvelopeReader:
        """Walk the whole file (for inspection); returns self."""
        for _ in self.segments():
            pass
        return self

    # -- envelope segments ---------------------------------------------------------------
    def _envelope_segment(self, seg: Segment) -> None:
        tag = seg.elements[0]
        if tag == "ST":
            self._on_st(seg)
        elif tag == "SE":
            self._on_se(seg)
        elif tag == "GS":
            self._on_gs(seg)
        elif tag == "GE":
            self._on_ge(seg)
        elif tag == "ISA":
            self._on_isa(seg)
        elif tag == "IEA":
            self._on_iea(seg)
        else:
            if self._set is not None:
                self._set.segment_count += 1
            self._add("empty-segment", seg)

    def _finish(self, seg: Segment | None, level: str = "ISA") -> None:
        """Close what is still open at ``seg`` (or at end of file) down to ``level``."""
        end = None if seg else self.tokenizer.end_offset  # at end of file: locate there
        if self._set is not None and not self._set.closed:
            self._add("se-missing", seg, offset=end)
            self._set.closed = True
            self._set = None
        if level in ("GS", "ISA") and self._group is not None and not self._group.closed:
            self._add("ge-missing", seg, offset=end)
            self._group.closed = True
            self._group = None
        if level == "ISA" and self._interchange is not None and not self._interchange.closed:
            self._add("iea-missing", seg, offset=end)
            self._interchange.closed = True
            self._interchange = None

    def _on_isa(self, seg: Segment) -> None:
        self._finish(seg, "ISA")
        els = seg.elements
        delims = self.tokenizer.delimiters
        assert delims is not None
        f = [*els[1:17], *[""] * max(0, 17 - len(els))]
        self._interchange = InterchangeInfo(
            sender_qualifier=f[4], sender=f[5].rstrip(), receiver_qualifier=f[6],
            receiver=f[7].rstrip(), date=f[8], time=f[9], version=f[11],
            control_number=f[12], ack_requested=f[13], usage=f[14], delimiters=delims,
            start_segment=seg.ordinal, start_offset=seg.offset)
        self.interchanges.append(self._interchange)
        self._seen_gs = set()
        for i, width in enumerate(ISA_WIDTHS, start=1):
            if i < len(els) and len(els[i]) != width and i != 16:
                self._add("isa-field-width", seg, f"ISA{i:02d} is not {width} characters wide",
                          element=i)
        checks = (
            (9, _parse_date6(f[8]), "ISA09 is not a valid YYMMDD date"),
            (10, _parse_time4(f[9]), "ISA10 is not a valid HHMM time"),
            (13, f[12].isdigit() and len(f[12]) == 9, "ISA13 is not a nine-digit number"),
            (14, f[13] in ("0", "1"), "ISA14 must be 0 or 1"),
            (15, f[14] in ("P", "T"), "ISA15 must be P or T"),
        )
        for element, ok, message in checks:
            if not ok:
                self._add("isa-invalid-value", seg, message, element=element)
        if f[11][:5].isdigit() and f[11][:5] >= "00402" and f[10] in (
                delims.element, delims.component, delims.segment):
            self._add("isa-invalid-value", seg, "ISA11 (repetition separator) is another "
                      "delimiter", element=11)
        key = (f[4], f[5].rstrip(), f[12])
        if key in self._seen_isa:
            self._add("isa-duplicate-control", seg, element=13)
        self._seen_isa.add(key)

    def _on_iea(self, seg: Segment) -> None:
        icx = self._interchange
        if icx is None:
            self._add("data-after-trailer" if self.interchanges else "segment-outside-set", seg)
            return
        self._finish(seg, "GS")
        icx.declared_count = seg.get(1)
        if seg.get(2) != icx.control_number:
            self._add("iea-control-mismatch", seg, element=2)
        if seg.get(1) != str(len(icx.groups)):
            self._add("iea-count-mismatch", seg, f"IEA01 declares {seg.get(1) or 'nothing'} "
                      f"group(s); the interchange has {len(icx.groups)}", element=1)
        icx.closed = True
        self._interchange = None

    def _on_gs(self, seg: Segment) -> None:
        if self._interchange is None:
            self._add("gs-outside-interchange", seg)
            return
        self._finish(seg, "GS")
        f = [*seg.elements[1:9], *[""] * max(0, 9 - len(seg.elements))]
        self._group = GroupInfo(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], seg.ordinal)
        delims = self._interchange.delimiters
        if delims.segment in "\r\n" and seg.elements[-1].endswith(delims.component):
            # "...*P*~" + line end: ISA16 is missing, so the real terminator was read as
            # ISA16 and the line end as the terminator; every segment ends in that "~".
            self._add("isa-unreadable", seg, "ISA16 (component separator) is missing: the "
                      "segment terminator was read in its place", element=8)
        self._interchange.groups.append(self._group)
        if f[5] in self._seen_gs:
            self._add("gs-duplicate-control", seg, element=6)
        self._seen_gs.add(f[5])
        self._seen_st = set()

    def _on_ge(self, seg: Segment) -> None:
        grp = self._group
        if grp is None:
            self._add("gs-outside-interchange", seg, "GE without a matching GS")
            return
        self._finish(seg, "ST")
        grp.declared_count = seg.get(1)
        if seg.get(2) != grp.control_number:
            self._add("ge-control-mismatch", seg, element=2)
        if seg.get(1) != str(len(grp.transaction_sets)):
            self._add("ge-count-mismatch", seg, f"GE01 declares {seg.get(1) or 'nothing'} "
                      f"set(s); the group has {len(grp.transaction_sets)}", element=1)
        grp.closed = True
        self._group = None

    def _on_st(self, seg: Segment) -> None:
        if self._group is None:
            self._finish(seg, "ST")
            self._add("st-outside-group", seg)
            # Still track the set so its body and trailer are checked.
        else:
            self._finish(seg, "ST")
        ts = TransactionSetInfo(seg.get(1), seg.get(2), seg.get(3) or None, seg.ordinal,
                                seg.offset, segment_count=1)
        self._set = ts
        if self._group is not None:
            self._group.transaction_sets.append(ts)
        if not ts.id or not ts.control_number:
            self._add("st-missing-id", seg, element=1 if not ts.id else 2)
        if ts.control_number in self._seen_st:
            self._add("st-duplicate-control", seg, element=2)
        self._seen_st.add(ts.control_number)
        if ts.version and self._group is not None and self._group.version:
            st_v = ImplementationVersion.parse(ts.version)
            gs_v = self._group.implementation
            if not st_v.same_guide(gs_v):
                self._add("st-version-mismatch", seg, element=3)
            elif st_v.raw.strip() != gs_v.raw.strip():
                self._add("st-version-addenda", seg, element=3)

    def _on_se(self, seg: Segment) -> None:
        ts = self._set
        if ts is None:
            self._add("segment-outside-set", seg, "SE without a matching ST")
            return
        ts.segment_count += 1
        ts.declared_count = seg.get(1)
        if ts.segment_count == 2:
            self._add("st-empty", seg)
        if seg.get(2) != ts.control_number:
            self._add("se-control-mismatch", seg, element=2)
        if seg.get(1) != str(ts.segment_count):
            self._add("se-count-mismatch", seg, f"SE01 declares {seg.get(1) or 'nothing'} "
                      f"segment(s); the set has {ts.segment_count}", element=1)
        ts.closed = True
        self._set = None


def read_envelopes(source: Source, *, name: str | None = None) -> EnvelopeReader:
    """Walk ``source`` completely and return the reader with its summary and findings."""
    return EnvelopeReader(source, name=name).run()


__all__ = [
    "EnvelopeReader",
    "GroupInfo",
    "ImplementationVersion",
    "InterchangeInfo",
    "TransactionSet",
    "TransactionSetInfo",
    "read_envelopes",
]
