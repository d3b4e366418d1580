"""The writing half of the map engine: a model back to segments, in definition order.

Per loop, segments and child loops are written in the order the definition lists them;
segments a model keeps in ``extra_segments`` are written before the loop's first child
loop. A nested ``object`` is written when it is present (a segment of it whose fields are
all empty is left out unless it is the object's only trace); ``list`` items one segment
each; a flattening ``<repeat>`` packs consecutive items with equal shared fields into one
segment, ``max`` groups at a time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from claimhouse.errors import WriteError
from claimhouse.transactions._engine_def import (
    EXTRA_FIELD,
    STAND_IN,
    ElementDef,
    LoopDef,
    SegmentDef,
)
from claimhouse.transactions._engine_writegen import compile_writer
from claimhouse.x12 import SegmentWriter

Slot = str | list[str] | None


def format_value(value: Any) -> str:
    """X12 text of a field value: Decimal without exponent, date as CCYYMMDD."""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if isinstance(value, bool):
        raise WriteError("a boolean cannot be written as an X12 element")
    if isinstance(value, int):
        return str(value)
    raise WriteError(f"a {type(value).__name__} value cannot be written as an X12 element")


def _put(slots: list[Slot], pos: int) -> None:
    while len(slots) <= pos:
        slots.append(None)


def _fill(slots: list[Slot], elements: Sequence[ElementDef], obj: Any, base: int,
          seg_id: str) -> bool:
    """Place ``obj``'s mapped values into ``slots``; True when any value was placed."""
    placed = False
    for e in elements:
        value = getattr(obj, e.field)
        if value is None or (isinstance(value, list) and not value):
            continue
        pos = e.pos + base
        _put(slots, pos)
        placed = True
        if e.comp is None:
            if e.to is None:
                slots[pos] = format_value(value)
                continue
            end = e.to + base
            if pos + len(value) - 1 > end:
                raise WriteError(f"{seg_id}{pos:02d}: more values than the "
                                 f"{end - pos + 1} positions the definition allows")
            _put(slots, end)
            for k, v in enumerate(value):
                slots[pos + k] = format_value(v)
            continue
        comps = slots[pos]
        if not isinstance(comps, list):
            comps = []
            slots[pos] = comps
        if e.to is None:
            while len(comps) <= e.comp:
                comps.append("")
            comps[e.comp] = format_value(value)
            continue
        if len(value) > e.to - e.comp + 1:
            raise WriteError(f"{seg_id}{pos:02d}: more components than the definition allows")
        while len(comps) <= e.to:
            comps.append("")
        for k, v in enumerate(value):
            comps[e.comp + k] = format_value(v)
    return placed


def _emit(w: SegmentWriter, seg: SegmentDef, slots: list[Slot]) -> None:
    if seg.constant is not None and seg.match_pos is not None:
        _put(slots, seg.match_pos)
        if slots[seg.match_pos] is None:
            slots[seg.match_pos] = seg.constant
    w.write(seg.seg_id, *slots[1:])


def _stand_in(owner: Any, seg: SegmentDef) -> list[str] | None:
    """The raw segment kept for ``seg`` because some of its values did not convert."""
    tag = STAND_IN + seg.seg_id
    for raw in getattr(owner, EXTRA_FIELD, ()):
        if raw and raw[0] == tag and (
                seg.match_values is None or seg.match_pos is None
                or (seg.match_pos < len(raw) and raw[seg.match_pos] in seg.match_values)):
            return list(raw)
    return None


def _write_raw(w: SegmentWriter, raw: list[str]) -> None:
    w.write(raw[0], *[e.split(":") if ":" in e else e for e in raw[1:]])


def _write_segment(w: SegmentWriter, seg: SegmentDef, owner: Any, *, force: bool,
                   object_written: set[str], stand_ins: bool) -> None:
    if stand_ins and seg.target != "list":
        raw = _stand_in(owner, seg)
        if raw is not None:
            _write_raw(w, [seg.seg_id, *raw[1:]])
            if seg.target == "object":
                object_written.add(seg.attr or "")
            return
    if seg.target == "self":
        slots: list[Slot] = [None]
        if _fill(slots, seg.elements, owner, 0, seg.seg_id) or force:
            _emit(w, seg, slots)
        return
    value = getattr(owner, seg.attr or "")
    if seg.target == "object":
        if value is None:
            return
        slots = [None]
        if _fill(slots, seg.elements, value, 0, seg.seg_id) or force:
            _emit(w, seg, slots)
            object_written.add(seg.attr or "")
        return
    rep = seg.repeat
    if rep is None:
        for item in value:
            slots = [None]
            _fill(slots, seg.elements, item, 0, seg.seg_id)
            _emit(w, seg, slots)
    elif rep.list_attr is not None:
        for item in value:
            slots = [None]
            _fill(slots, seg.elements, item, 0, seg.seg_id)
            subs = getattr(item, rep.list_attr)
            if len(subs) > rep.max:
                raise WriteError(f"{seg.seg_id}: more than {rep.max} repeated groups in "
                                 "one segment")
            for k, sub in enumerate(subs):
                _fill(slots, rep.elements, sub, rep.start - 1 + k * rep.size, seg.seg_id)
            _emit(w, seg, slots)
    else:
        _write_flat(w, seg, value)


def _write_flat(w: SegmentWriter, seg: SegmentDef, items: list[Any]) -> None:
    rep = seg.repeat
    assert rep is not None
    shared = [e.field for e in seg.elements]
    i, n = 0, len(items)
    while i < n:
        key = [getattr(items[i], f) for f in shared]
        j = i + 1
        while j < n and j - i < rep.max and [getattr(items[j], f) for f in shared] == key:
            j += 1
        slots: list[Slot] = [None]
        _fill(slots, seg.elements, items[i], 0, seg.seg_id)
        for k in range(i, j):
            _fill(slots, rep.elements, items[k], rep.start - 1 + (k - i) * rep.size,
                  seg.seg_id)
        _emit(w, seg, slots)
        i = j


def _write_extras(w: SegmentWriter, obj: Any, only: frozenset[str] | None = None,
                  placed: frozenset[str] = frozenset()) -> None:
    """The kept segments of ``obj``: those with an id in ``only`` (a ``<raw>`` slot), or,
    without ``only``, all but the stand-ins and those ``placed`` by a slot."""
    for raw in getattr(obj, EXTRA_FIELD):
        if not raw or not raw[0]:
            raise WriteError("an extra segment has no segment id")
        if only is not None:
            if raw[0] in only:
                _write_raw(w, raw)
        elif not raw[0].startswith(STAND_IN) and raw[0] not in placed:
            _write_raw(w, raw)


_COMPILED: dict[int, tuple[LoopDef, Any]] = {}


def _too_many(seg_id: str, pos: int, end: int) -> None:
    raise WriteError(f"{seg_id}{pos:02d}: more values than the {end - pos + 1} positions the "
                     "definition allows")


def _too_many_groups(seg_id: str, most: int) -> None:
    raise WriteError(f"{seg_id}: more than {most} repeated groups in one segment")


def _too_many_comps(seg_id: str, pos: int) -> None:
    raise WriteError(f"{seg_id}{pos:02d}: more components than the definition allows")


class _Collect:
    """A SegmentWriter look-alike for the generic code called from generated writers: it
    appends segment texts to the chunk being built instead of writing them."""

    __slots__ = ("out", "vals", "w")

    def __init__(self, w: SegmentWriter, out: list[str], vals: list[str]) -> None:
        self.w, self.out, self.vals = w, out, vals

    def write(self, seg_id: str, *elements: Any) -> None:
        self.out.append(self.w.body(seg_id, elements))  # checked there, per segment

    def flush(self) -> None:
        if not self.w.write_bodies(self.out, self.vals):
            raise _BadChunk
        self.out.clear()
        self.vals.clear()


class _BadChunk(Exception):
    """A chunk holds a value with a delimiter, a line break or a non-Latin-1 character."""


class UnlocatedWriteError(WriteError):
    """A bad value the generic writer could not locate again (the model was a one-pass
    stream): the caller may write a rebuilt model with :func:`locate_bad_value`."""


def locate_bad_value(w: SegmentWriter, ldef: LoopDef, obj: Any) -> None:
    """Write ``obj`` with the per-segment checks (to a throwaway stream): raises the
    :class:`WriteError` naming the segment and element of the first bad value."""
    _write_loop_generic(SegmentWriter(io.BytesIO(), w.d), ldef, obj)


def _generic(cx: _Collect, ldef: LoopDef, obj: Any) -> None:
    _write_loop_generic(cx, ldef, obj)  # type: ignore[arg-type]


def _generic_segment(cx: _Collect, seg: SegmentDef, obj: Any) -> None:
    _write_segment(cx, seg, obj, force=False, object_written=set(),  # type: ignore[arg-type]
                   stand_ins=False)


def _extras(cx: _Collect, extras: list[list[str]], only: frozenset[str] | None,
            placed: frozenset[str]) -> None:
    _write_extras(cx, _Extras(extras), only, placed)  # type: ignore[arg-type]


class _Extras:
    __slots__ = ("extra_segments",)

    def __init__(self, extras: list[list[str]]) -> None:
        self.extra_segments = extras


def write_loop(w: SegmentWriter, ldef: LoopDef, obj: Any) -> None:
    """Write loop ``ldef`` from its model ``obj`` (the root writes no trigger): the root
    through the definition's generated writers (:mod:`._engine_writegen`), in chunks."""
    if ldef.parent is not None or not isinstance(w, SegmentWriter):
        _write_loop_generic(w, ldef, obj)
        return
    hit = _COMPILED.get(id(ldef))
    if hit is None or hit[0] is not ldef:
        helpers = {"_fmt": format_value, "_generic": _generic,
                   "_generic_segment": _generic_segment, "_extras": _extras,
                   "_too_many": _too_many, "_too_many_comps": _too_many_comps,
                   "_too_many_groups": _too_many_groups}
        hit = _COMPILED[id(ldef)] = (ldef, compile_writer(ldef, helpers))
    fn = hit[1].bind(w.d.element, w.d.component)
    cx = _Collect(w, [], [])
    try:
        fn(obj, cx.out, cx.vals, cx)
        cx.flush()
    except _BadChunk:
        # find the bad value with the per-segment checks, which name the element
        locate_bad_value(w, ldef, obj)
        raise UnlocatedWriteError("a value contains a delimiter, a line break or a "
                                  "character outside Latin-1") from None


def _write_loop_generic(w: SegmentWriter, ldef: LoopDef, obj: Any) -> None:
    """Write loop ``ldef`` from its model ``obj``, interpreting the definition."""
    extras_done = False
    object_written: set[str] = set()
    stand_ins = any(r and r[0].startswith(STAND_IN) for r in getattr(obj, EXTRA_FIELD))
    segs = ldef.segments()
    trigger = segs[0] if ldef.parent is not None else None
    last_of_object: dict[str, SegmentDef] = {s.attr or "": s for s in segs
                                             if s.target == "object"}
    extras = getattr(obj, EXTRA_FIELD)
    slots = ldef.raw_slots if extras else []
    placed = frozenset().union(*(ids for _, ids in slots))
    for i, child in enumerate(ldef.children):
        for at, ids in slots:
            if at == i:
                _write_extras(w, obj, ids)
        if isinstance(child, LoopDef):
            if not extras_done:
                _write_extras(w, obj, None, placed)
                extras_done = True
            value = getattr(obj, child.attr or "")
            if child.is_list:
                for item in value:
                    _write_loop_generic(w, child, item)
            elif value is not None:
                _write_loop_generic(w, child, value)
            continue
        force = child is trigger or (
            child.target == "object" and last_of_object.get(child.attr or "") is child
            and (child.attr or "") not in object_written)
        _write_segment(w, child, obj, force=force, object_written=object_written,
                       stand_ins=stand_ins)
    if not extras_done:
        _write_extras(w, obj, None, placed)
    n = len(ldef.children)
    for at, ids in slots:
        if at == n:
            _write_extras(w, obj, ids)
