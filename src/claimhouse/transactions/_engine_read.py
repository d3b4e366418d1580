"""The reading half of the map engine: segments in, models out, in one streaming pass.

A definition is compiled once into, per loop, a dispatch table ``segment id -> candidates``
that already folds in the walk up the enclosing loops (innermost first), with qualifier
values looked up in a dict, and, per segment, generated extractor functions that turn
elements into keyword arguments. Loop models are built when their loop closes, from the
keyword arguments gathered so far, so models may have required fields. A loop marked
``stream="true"`` is handed out as soon as it closes instead of being kept in its parent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from claimhouse.errors import UnitTooLongError, X12Error
from claimhouse.transactions._engine_codegen import Duplicate, Partial
from claimhouse.transactions._engine_codegen import segment_handler as _handler
from claimhouse.transactions._engine_def import (
    EXTRA_FIELD,
    STAND_IN,
    Definition,
    LoopDef,
    SegmentDef,
)
from claimhouse.x12 import Finding, Location, Segment, Severity

Handler = Callable[[list[Any], list[str], str], None]
"""(frame, elements, component separator) -> None. Raises :class:`Partial` when some value
did not convert but the rest was mapped, ``ValueError`` when nothing was mapped."""


_BAD = (ValueError, ArithmeticError)


@dataclass(slots=True)
class _Candidate:
    up: int
    match_pos: int | None
    match_values: frozenset[str] | None
    handler: Handler
    opens: CompiledLoop | None


Dispatch = tuple[int, dict[str, _Candidate], _Candidate | None, tuple[_Candidate, ...]]
"""(qualifier position or -1, qualifier value -> candidate, fallback, all candidates)."""


class CompiledLoop:
    """A loop definition with its dispatch table and the object classes of its parts."""

    __slots__ = ("attr", "cls", "depth", "is_list", "ldef", "object_classes", "stream",
                 "table")

    def __init__(self, ldef: LoopDef, depth: int) -> None:
        self.ldef = ldef
        self.depth = depth
        self.stream = ldef.stream
        self.cls = ldef.cls
        self.attr = ldef.attr or ""
        self.is_list = ldef.is_list
        self.table: dict[str, Dispatch] = {}
        self.object_classes = {s.attr: s.cls for s in ldef.segments()
                               if s.target == "object" and s.attr}


def _dispatch(cands: list[_Candidate]) -> Dispatch:
    """Precompute the choice among candidates: the first whose qualifier matches wins."""
    positions = {c.match_pos for c in cands if c.match_values is not None}
    if len(positions) > 1:
        return (-2, {}, None, tuple(cands))  # mixed positions: scan in order
    pos = positions.pop() if positions else -1
    by_value: dict[str, _Candidate] = {}
    fallback = None
    for c in cands:
        if c.match_values is None:
            if fallback is None:
                fallback = c
            continue
        if fallback is None:  # a qualified candidate after the fallback never wins
            for v in c.match_values:
                by_value.setdefault(v, c)
    return (pos if pos is not None else -1, by_value, fallback, tuple(cands))


def _lazy(seg: SegmentDef, users: list[_Candidate]) -> Handler:
    """A stand-in handler that compiles ``seg``'s real one on its first call and puts it in
    place in every candidate that uses it: a run compiles only the segments it meets (a
    small file meets few), and each segment's code is compiled once per process."""
    def first_call(frame: list[Any], els: list[str], sep: str) -> None:
        real = _handler(seg)
        for c in users:
            c.handler = real
        real(frame, els, sep)
    return first_call


def compile_reader(defn: Definition) -> CompiledLoop:
    """Compile every loop of ``defn``; returns the root."""
    compiled: dict[int, CompiledLoop] = {}
    users: dict[int, list[_Candidate]] = {}
    handlers: dict[int, Handler] = {}

    def build(ldef: LoopDef, depth: int) -> CompiledLoop:
        cl = CompiledLoop(ldef, depth)
        compiled[id(ldef)] = cl
        for seg in ldef.segments():
            users[id(seg)] = []
            handlers[id(seg)] = _lazy(seg, users[id(seg)])
        for sub in ldef.loops():
            build(sub, depth + 1)
        return cl

    def candidate(up: int, seg: SegmentDef, opens: CompiledLoop | None) -> _Candidate:
        c = _Candidate(up, seg.match_pos, seg.match_values, handlers[id(seg)], opens)
        users[id(seg)].append(c)
        return c

    root = build(defn.root, 0)
    for cl in compiled.values():
        table: dict[str, list[_Candidate]] = {}
        node: LoopDef | None = cl.ldef
        up = 0
        while node is not None:
            segs = node.segments()
            if node.parent is not None:
                segs = segs[1:]  # the trigger opens the loop; it is found from the parent
            for seg in segs:
                table.setdefault(seg.seg_id, []).append(candidate(up, seg, None))
            for sub in node.loops():
                trig = sub.trigger
                table.setdefault(trig.seg_id, []).append(
                    candidate(up, trig, compiled[id(sub)]))
            node, up = node.parent, up + 1
        cl.table = {k: _dispatch(v) for k, v in table.items()}
    return root


def _choose(d: Dispatch, els: list[str]) -> _Candidate | None:
    pos, by_value, fallback, cands = d
    if pos >= 0:
        return by_value.get(els[pos], fallback) if pos < len(els) else fallback
    if pos == -1:
        return fallback
    for c in cands:
        mp = c.match_pos
        if c.match_values is None or (mp is not None and mp < len(els)
                                      and els[mp] in c.match_values):
            return c
    return None


def _raw(els: list[str], sep: str) -> list[str]:
    return list(els) if sep == ":" else [e.replace(sep, ":") for e in els]


def build_model(cl: CompiledLoop, kw: dict[str, Any], objs: dict[str, dict[str, Any]],
                where: str) -> Any:
    """The model of one loop from what its segments gave."""
    if objs:
        kw = dict(kw)
        for attr, okw in objs.items():
            kw[attr] = cl.object_classes[attr](**okw)
    try:
        return cl.ldef.cls(**kw)
    except TypeError as exc:
        raise X12Error(f"loop {cl.ldef.loop_id} ending {where}: the "
                       f"{cl.ldef.cls.__name__} model cannot be built ({exc})") from None


@dataclass(slots=True)
class Streamed:
    """A closed streaming-unit loop (``item``), with what enclosing loops held so far."""

    item: Any
    frames: tuple[list[Any], ...]
    """The open enclosing loops, outermost first (engine-internal)."""

    def partial(self, level: int = 0) -> Any:
        """The model of an enclosing loop (0 = the transaction root) built from what was read
        before this item; streamed items are not in it."""
        frame = self.frames[level]
        return build_model(frame[0], dict(frame[1]), dict(frame[2]), "(partial)")

    @property
    def root_token(self) -> int:
        """Identifies the transaction set being read (same value for all its items)."""
        return id(self.frames[0])


def _close(stack: list[list[Any]], stream: bool, where: Segment | None) -> Streamed | None:
    """Close the innermost open loop: build its model and attach it to its parent, or
    return it (a streaming unit, when ``stream``). A plain function, not a generator: it
    runs for every loop that closes."""
    top = stack.pop()
    tcl: CompiledLoop = top[0]
    kw = top[1]
    if top[2]:
        obj = build_model(tcl, kw, top[2], _where(where))
    else:
        try:
            obj = tcl.cls(**kw)
        except TypeError:
            obj = build_model(tcl, kw, {}, _where(where))  # raises, saying where
    if stream and tcl.stream:
        return Streamed(obj, tuple(stack))
    parent_kw = stack[-1][1]
    if tcl.is_list:
        lst = parent_kw.get(tcl.attr)
        if lst is None:
            parent_kw[tcl.attr] = [obj]
        else:
            lst.append(obj)
    else:
        parent_kw[tcl.attr] = obj
    return None


def _where(seg: Segment | None) -> str:
    return "at the end of the transaction set" if seg is None else f"at segment {seg[1]}"


def run_reader(root: CompiledLoop, segments: Iterable[Segment], sep: str, *,
               stream: bool, findings: list[Finding] | None = None,
               location: Location | None = None) -> Iterator[Streamed]:
    """Read ``segments``; yields streamed items (when ``stream``), then a final ``Streamed``
    whose ``item`` is the root model."""
    stack: list[list[Any]] = [[root, {}, {}, set()]]
    frame = stack[0]
    table = root.table
    count = 0  # segments since the last streaming unit opened (or since the start)
    unit: tuple[str, int] = ("the transaction set", 0)
    for seg in segments:
        count += 1
        if count > MAX_UNIT_SEGMENTS:
            _too_long(seg, unit, location)
        els = seg[0]
        d = table.get(els[0])
        if d is None:
            _extra(frame, els, sep)
            continue
        pos = d[0]
        if pos >= 0:
            chosen = d[1].get(els[pos], d[2]) if pos < len(els) else d[2]
        elif pos == -1:
            chosen = d[2]
        else:
            chosen = _choose(d, els)
        if chosen is None:
            _extra(frame, els, sep)
            continue
        up = chosen.up
        if up:
            for _ in range(up):  # close the loops this segment ends
                closed = _close(stack, stream, seg)
                if closed is not None:
                    yield closed
            frame = stack[-1]
            table = frame[0].table
        opens = chosen.opens
        if opens is not None:
            if opens.stream:
                count = 1
                unit = (f"loop {opens.ldef.loop_id}", seg[1])
            table = opens.table
            frame = [opens, {}, {}, set()]
            stack.append(frame)
        try:
            chosen.handler(frame, els, sep)
        except Duplicate:
            _extra(frame, els, sep)
        except Partial:
            # mapped as far as it converts; the raw segment stands in for it when written
            _extra(frame, [STAND_IN + els[0], *els[1:]], sep)
            if findings is not None:
                findings.append(_bad_value(seg, location))
        except _BAD:
            _extra(frame, els, sep)
            if findings is not None:
                findings.append(_bad_value(seg, location))
    while len(stack) > 1:
        closed = _close(stack, stream, None)
        if closed is not None:
            yield closed
    yield Streamed(build_model(root, stack[0][1], stack[0][2], _where(None)), ())


MAX_UNIT_SEGMENTS = 250_000
"""Segments one streaming unit (an 835 claim payment with its service lines, an 837 claim
or HL level) may have; counted from the segment that opens it (before the first one, from
the start of the set). The guides bound a claim far below this (999 service lines in an
835 2100, 50 or 999 in an 837 2300); a hostile file of a million segments in one claim
stops here instead of holding them all in memory."""


def _too_long(seg: Segment, unit: tuple[str, int], location: Location | None) -> None:
    start = f" (opened at segment {unit[1]})" if unit[1] else ""
    raise UnitTooLongError(f"segment {seg[1]}: {unit[0]}{start} has more than "
                           f"{MAX_UNIT_SEGMENTS} segments; the transaction set is not read "
                           "past it", source=location.file if location else None,
                           offset=seg[2])


def _extra(frame: list[Any], els: list[str], sep: str) -> None:
    """Keep a segment in the loop's extras: plain ones first, then stand-ins, each in file
    order (the order the writer gives them back, so a round trip keeps models equal)."""
    lst = frame[1].get(EXTRA_FIELD)
    raw = _raw(els, sep)
    if lst is None:
        frame[1][EXTRA_FIELD] = [raw]
        return
    if not raw[0].startswith(STAND_IN):
        for i, other in enumerate(lst):
            if other[0].startswith(STAND_IN):
                lst.insert(i, raw)
                return
    lst.append(raw)


def _bad_value(seg: Segment, where: Location | None) -> Finding:
    base = where or Location()
    loc = Location(base.file, seg.ordinal, seg.offset, seg.id, None, None, base.interchange,
                   base.group, base.transaction_set, None, None)
    return Finding("map-bad-value", "An element does not convert to its field's type "
                   "(amount, date or number); the segment was kept unmapped.", loc,
                   Severity.ERROR, 2)
