"""The reading half of the map engine: segments in, models out, in one streaming pass.

A definition is compiled once into, per loop, a dispatch table ``segment id -> candidates``
that already folds in the walk up the enclosing loops (innermost first), and, per segment,
an extractor closure that turns elements into keyword arguments. Loop models are built
when their loop closes, from the keyword arguments gathered so far, so models may have
required fields. A loop marked ``stream="true"`` is handed out as soon as it closes
instead of being kept in its parent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from claimhouse.errors import X12Error
from claimhouse.transactions._engine_def import (
    EXTRA_FIELD,
    STAND_IN,
    Definition,
    ElementDef,
    LoopDef,
    SegmentDef,
)
from claimhouse.x12 import Finding, Location, Segment, Severity

Extractor = Callable[[list[str], str], dict[str, Any]]


def _decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("not a finite number")
    return value


def _date8(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError("not a CCYYMMDD date")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


_CONVERT: dict[str, Callable[[str], Any] | None] = {
    "str": None, "dec": _decimal, "date": _date8, "int": int, "strlist": None,
}


def _extractor(elements: list[ElementDef], base: int = 0) -> Extractor:
    """A closure turning a segment's elements into ``{field: value}`` (empty ones skipped)."""
    simple = tuple((e.pos + base, e.field, _CONVERT[e.kind]) for e in elements
                   if e.comp is None and e.to is None)
    ranges = tuple((e.pos + base, e.to + base, e.field) for e in elements
                   if e.comp is None and e.to is not None)
    comps: dict[int, list[tuple[int, int | None, str, Callable[[str], Any] | None]]] = {}
    for e in elements:
        if e.comp is not None:
            comps.setdefault(e.pos + base, []).append((e.comp, e.to, e.field, _CONVERT[e.kind]))
    comp_items = tuple((p, tuple(v)) for p, v in comps.items())

    def extract(els: list[str], sep: str) -> dict[str, Any]:
        try:
            return fast(els, sep, False)
        except (ValueError, ArithmeticError):
            kw = fast(els, sep, True)
            raise _Partial(kw) from None

    def fast(els: list[str], sep: str, lenient: bool) -> dict[str, Any]:
        n = len(els)
        kw: dict[str, Any] = {}
        for p, name, conv in simple:
            if p < n:
                v = els[p]
                if v:
                    if lenient and conv is not None:
                        _lenient(kw, name, conv, v)
                    else:
                        kw[name] = v if conv is None else conv(v)
        for p, to, name in ranges:
            vals = [v for v in els[p:to + 1] if v]
            if vals:
                kw[name] = vals
        for p, specs in comp_items:
            if p < n and els[p]:
                parts = els[p].split(sep)
                m = len(parts)
                for ci, cto, name, conv in specs:
                    if cto is not None:
                        vals = [v for v in parts[ci:cto + 1] if v]
                        if vals:
                            kw[name] = vals
                    elif ci < m and parts[ci]:
                        v = parts[ci]
                        if lenient and conv is not None:
                            _lenient(kw, name, conv, v)
                        else:
                            kw[name] = v if conv is None else conv(v)
        return kw

    return extract


def _lenient(kw: dict[str, Any], name: str, conv: Callable[[str], Any], v: str) -> None:
    with contextlib.suppress(ValueError, ArithmeticError):
        kw[name] = conv(v)


class _Partial(Exception):
    """Some element of a segment did not convert; ``kw`` holds the ones that did."""

    def __init__(self, kw: dict[str, Any]) -> None:
        super().__init__()
        self.kw = kw


Handler = Callable[[list[Any], list[str], str], None]
"""(frame, elements, component separator) -> None; raises ValueError/ArithmeticError on a
value that does not convert."""


def _handler(seg: SegmentDef) -> Handler:
    outer = _extractor(seg.elements)
    idx, attr = seg.index, seg.attr or ""
    if seg.target == "self":
        def on_self(frame: list[Any], els: list[str], sep: str) -> None:
            seen = frame[3]
            if idx in seen:
                raise _Duplicate
            seen.add(idx)
            try:
                frame[1].update(outer(els, sep))
            except _Partial as part:
                frame[1].update(part.kw)
                raise
        return on_self
    if seg.target == "object":
        def on_object(frame: list[Any], els: list[str], sep: str) -> None:
            seen = frame[3]
            if idx in seen:
                raise _Duplicate
            seen.add(idx)
            objs = frame[2]
            try:
                kw = outer(els, sep)
            except _Partial as part:
                objs.setdefault(attr, {}).update(part.kw)
                raise
            if attr in objs:
                objs[attr].update(kw)
            else:
                objs[attr] = kw
        return on_object
    handler = _list_handler(seg, outer)

    def on_list(frame: list[Any], els: list[str], sep: str) -> None:
        try:
            handler(frame, els, sep)
        except _Partial:  # a list item is kept whole or not at all
            raise ValueError("unconvertible element") from None
    return on_list


def _list_handler(seg: SegmentDef, outer: Extractor) -> Handler:
    rep, attr, cls = seg.repeat, seg.attr or "", seg.cls
    if rep is None:
        def on_item(frame: list[Any], els: list[str], sep: str) -> None:
            item = cls(**outer(els, sep))
            lst = frame[1].get(attr)
            if lst is None:
                frame[1][attr] = [item]
            else:
                lst.append(item)
        return on_item
    groups = [_extractor(rep.elements, rep.start - 1 + k * rep.size) for k in range(rep.max)]
    if rep.list_attr is None:
        def on_flat(frame: list[Any], els: list[str], sep: str) -> None:
            shared = outer(els, sep)
            items = [cls(**shared, **g) for g in (ex(els, sep) for ex in groups) if g]
            lst = frame[1].get(attr)
            if lst is None:
                frame[1][attr] = items
            else:
                lst.extend(items)
        return on_flat
    sub_attr, sub_cls = rep.list_attr, rep.item_cls
    assert sub_cls is not None

    def on_nested(frame: list[Any], els: list[str], sep: str) -> None:
        kw = outer(els, sep)
        subs = [sub_cls(**g) for g in (ex(els, sep) for ex in groups) if g]
        if subs:
            kw[sub_attr] = subs
        item = cls(**kw)
        lst = frame[1].get(attr)
        if lst is None:
            frame[1][attr] = [item]
        else:
            lst.append(item)
    return on_nested


class _Duplicate(Exception):
    """A segment that may occur once in its loop occurred again: kept as an extra."""


@dataclass(slots=True)
class _Candidate:
    up: int
    match_pos: int | None
    match_values: frozenset[str] | None
    handler: Handler | None
    opens: CompiledLoop | None


class CompiledLoop:
    """A loop definition with its dispatch table and the object classes of its parts."""

    __slots__ = ("depth", "ldef", "object_classes", "table")

    def __init__(self, ldef: LoopDef, depth: int) -> None:
        self.ldef = ldef
        self.depth = depth
        self.table: dict[str, tuple[_Candidate, ...]] = {}
        self.object_classes = {s.attr: s.cls for s in ldef.segments()
                               if s.target == "object" and s.attr}


def compile_reader(defn: Definition) -> CompiledLoop:
    """Compile every loop of ``defn``; returns the root."""
    compiled: dict[int, CompiledLoop] = {}
    handlers: dict[int, Handler] = {}

    def build(ldef: LoopDef, depth: int) -> CompiledLoop:
        cl = CompiledLoop(ldef, depth)
        compiled[id(ldef)] = cl
        for seg in ldef.segments():
            handlers[id(seg)] = _handler(seg)
        for sub in ldef.loops():
            build(sub, depth + 1)
        return cl

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
                table.setdefault(seg.seg_id, []).append(_Candidate(
                    up, seg.match_pos, seg.match_values, handlers[id(seg)], None))
            for sub in node.loops():
                trig = sub.trigger
                table.setdefault(trig.seg_id, []).append(_Candidate(
                    up, trig.match_pos, trig.match_values, handlers[id(trig)],
                    compiled[id(sub)]))
            node, up = node.parent, up + 1
        cl.table = {k: tuple(v) for k, v in table.items()}
    return root


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


def run_reader(root: CompiledLoop, segments: Iterable[Segment], sep: str, *,
               stream: bool, findings: list[Finding] | None = None,
               location: Location | None = None) -> Iterator[Streamed]:
    """Read ``segments``; yields streamed items (when ``stream``), then a final ``Streamed``
    whose ``item`` is the root model."""
    stack: list[list[Any]] = [[root, {}, {}, set()]]
    frame = stack[0]
    cl = root
    last = "(start)"

    def close_to(depth: int) -> Iterator[Streamed]:
        while len(stack) > depth + 1:
            top = stack.pop()
            tcl: CompiledLoop = top[0]
            obj = build_model(tcl, top[1], top[2], last)
            if stream and tcl.ldef.stream:
                yield Streamed(obj, tuple(stack))
                continue
            parent_kw = stack[-1][1]
            attr = tcl.ldef.attr or ""
            if tcl.ldef.is_list:
                lst = parent_kw.get(attr)
                if lst is None:
                    parent_kw[attr] = [obj]
                else:
                    lst.append(obj)
            else:
                parent_kw[attr] = obj

    for seg in segments:
        els = seg.elements
        cands = cl.table.get(els[0])
        chosen = None
        if cands is not None:
            for c in cands:
                if c.match_values is None or (
                        c.match_pos is not None and c.match_pos < len(els)
                        and els[c.match_pos] in c.match_values):
                    chosen = c
                    break
        if chosen is None:
            _extra(frame, els, sep)
            continue
        if chosen.up:
            last = f"at segment {seg.ordinal}"
            yield from close_to(cl.depth - chosen.up)
            frame = stack[-1]
            cl = frame[0]
        if chosen.opens is not None:
            frame = [chosen.opens, {}, {}, set()]
            stack.append(frame)
            cl = chosen.opens
        try:
            chosen.handler(frame, els, sep)  # type: ignore[misc]
        except _Duplicate:
            _extra(frame, els, sep)
        except _Partial:
            # mapped as far as it converts; the raw segment stands in for it when written
            _extra(frame, [STAND_IN + els[0], *els[1:]], sep)
            if findings is not None:
                findings.append(_bad_value(seg, location))
        except (ValueError, ArithmeticError):
            _extra(frame, els, sep)
            if findings is not None:
                findings.append(_bad_value(seg, location))
    last = "at the end of the transaction set"
    yield from close_to(0)
    yield Streamed(build_model(root, stack[0][1], stack[0][2], last), ())


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
