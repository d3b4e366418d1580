"""Compiling one segment's element mapping into a specialised Python function.

The generated source only ever contains integers from the definition, field names that
were checked to be fields of the model dataclass (so identifiers) and ``repr`` strings;
it is compiled once per definition. A straight-line function per segment is several times
faster than interpreting the mapping for each of the millions of segments of a big file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from claimhouse.transactions._engine_def import ElementDef, RepeatDef, SegmentDef

Extractor = Callable[[list[str], str], dict[str, Any]]
Handler = Callable[[list[Any], list[str], str], None]


class Partial(Exception):
    """Some element of a single segment did not convert; the others were mapped."""


class Duplicate(Exception):
    """A segment that may occur once in its loop occurred again: kept as an extra."""


def _convert_lines(kind: str, src: str, target: str, lenient: bool) -> list[str]:
    """Statements that set ``target`` from the non-empty string ``src``."""
    if kind in ("str", "strlist"):
        return [f"{target} = {src}"]
    if kind == "dec":
        # Amounts repeat too (charges, fee schedules, zero): a hit is one dict lookup; a
        # Decimal is immutable, so models may share one.
        body = [f"_d = _DECS.get({src})", "if _d is None:", f"    _d = _D({src})",
                "    if not _d.is_finite(): raise ValueError",
                "    if len(_DECS) >= 4096: _DECS.clear()", f"    _DECS[{src}] = _d",
                f"{target} = _d"]
    elif kind == "date":
        # Dates repeat heavily (service and claim dates): a cache hit is one dict lookup.
        body = [f"_t = _DATES.get({src})", f"{target} = _t if _t is not None else "
                f"_parse_date({src})"]
    else:  # int
        body = [f"{target} = int({src})"]
    if not lenient:
        return body
    return ["try:", *("    " + b for b in body), "except (ValueError, ArithmeticError):",
            "    pass"]


_DATES: dict[str, date] = {}
_DATES_MAX = 4096
_DECS: dict[str, Decimal] = {}
"""Amount text -> its Decimal (bounded like ``_DATES``; only finite values are kept)."""


def _parse_date(text: str) -> date:
    """CCYYMMDD to a date (``ValueError`` when it is not one), remembered in ``_DATES``."""
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(_DATES) >= _DATES_MAX:  # bounded: a file of ever-new dates stays flat in memory
        _DATES.clear()
    _DATES[text] = value
    return value


def _top(elements: list[ElementDef], base: int) -> int:
    """One more than the highest element position read (the padded length)."""
    return max([(e.to if e.comp is None and e.to is not None else e.pos) + base
                for e in elements] or [0]) + 1


def _body(elements: list[ElementDef], base: int, lenient: bool, dst: str = "kw"
          ) -> list[str]:
    """Statements (indent 0) filling dict ``dst`` from the padded list ``els``."""
    lines: list[str] = []
    comps: dict[int, list[ElementDef]] = {}
    for e in elements:
        p = e.pos + base
        if e.comp is not None:
            comps.setdefault(p, []).append(e)
        elif e.to is not None:
            lines += [f"_r = [x for x in els[{p}:{e.to + base + 1}] if x]",
                      f"if _r: {dst}[{e.field!r}] = _r"]
        else:
            lines += [f"v = els[{p}]", "if v:"]
            lines += ["    " + s for s in _convert_lines(e.kind, "v", f"{dst}[{e.field!r}]",
                                                         lenient)]
    for p, specs in comps.items():
        width = max((s.to if s.to is not None else s.comp or 0) for s in specs) + 1
        lines += [f"v = els[{p}]", "if v:", "    c = v.split(sep)",
                  f"    if len(c) < {width}:", f"        c = c + _PAD[len(c) - {width}:]"]
        for s in specs:
            ci = s.comp or 0
            if s.to is not None:
                lines += [f"    _r = [x for x in c[{ci}:{s.to + 1}] if x]",
                          f"    if _r: {dst}[{s.field!r}] = _r"]
            else:
                lines += [f"    x = c[{ci}]", "    if x:"]
                lines += ["        " + t for t in _convert_lines(
                    s.kind, "x", f"{dst}[{s.field!r}]", lenient)]
    return lines


def _indent(lines: list[str], n: int) -> list[str]:
    return [" " * n + line for line in lines]


def _pad(top: int) -> list[str]:
    return ["n = len(els)", f"if n < {top}:", f"    els = els + _PAD[n - {top}:]"]


def _exec(lines: list[str], name: str, extra: dict[str, Any] | None = None) -> Any:
    namespace: dict[str, Any] = {"_D": Decimal, "_DATES": _DATES, "_parse_date": _parse_date,
                                 "_DECS": _DECS,
                                 "_PAD": [""] * 256,
                                 "_BAD": (ValueError, ArithmeticError),
                                 "_Partial": Partial, "_Duplicate": Duplicate}
    namespace.update(extra or {})
    exec(compile("\n".join(lines), f"<map-{name}>", "exec"), namespace)
    return namespace[name]


def compile_extractor(elements: list[ElementDef], base: int = 0
                      ) -> tuple[Extractor, Extractor]:
    """Two functions ``(elements, component separator) -> {field: value}`` (empty
    elements skipped): a strict one that raises ``ValueError``/``ArithmeticError`` when a
    value does not convert, and a lenient one that leaves such a value out."""
    top = _top(elements, base)
    out: list[Extractor] = []
    for lenient in (False, True):
        lines = ["def extract(els, sep):", *_indent(_pad(top), 4), "    kw = {}",
                 *_indent(_body(elements, base, lenient), 4), "    return kw"]
        out.append(_exec(lines, "extract"))
    return out[0], out[1]


def compile_single_handler(elements: list[ElementDef], index: int, attr: str | None
                           ) -> Callable[[list[Any], list[str], str], None]:
    """The handler of a segment that occurs once per loop and feeds the loop model
    (``attr`` None) or its nested object ``attr``: values go straight into the frame's
    keyword arguments; raises ``Duplicate`` on a second occurrence and ``Partial`` (after
    mapping what converts) on a value that does not convert."""
    top = _top(elements, 0)
    if attr is None:
        target = ["kw = frame[1]"]
    else:
        target = ["objs = frame[2]", f"kw = objs.get({attr!r})", "if kw is None:",
                  f"    kw = objs[{attr!r}] = {{}}"]
    lines = ["def handler(frame, els, sep):", "    seen = frame[3]",
             f"    if {index} in seen:", "        raise _Duplicate", f"    seen.add({index})",
             *_indent(target, 4), *_indent(_pad(top), 4), "    try:",
             *_indent(_body(elements, 0, False), 8), "    except _BAD:",
             *_indent(_body(elements, 0, True), 8), "        raise _Partial from None"]
    fn: Callable[[list[Any], list[str], str], None] = _exec(lines, "handler")
    return fn


def compile_item_handler(elements: list[ElementDef], attr: str, cls: type
                         ) -> Callable[[list[Any], list[str], str], None]:
    """The handler of a segment that adds one item to the list field ``attr``; a value
    that does not convert raises ``ValueError`` (the segment is then kept as an extra)."""
    top = _top(elements, 0)
    lines = ["def handler(frame, els, sep):", *_indent(_pad(top), 4), "    kw = {}",
             *_indent(_body(elements, 0, False), 4), "    item = _cls(**kw)",
             f"    lst = frame[1].get({attr!r})", "    if lst is None:",
             f"        frame[1][{attr!r}] = [item]", "    else:", "        lst.append(item)"]
    fn: Callable[[list[Any], list[str], str], None] = _exec(lines, "handler", {"_cls": cls})
    return fn


def compile_repeat_handler(elements: list[ElementDef], rep: RepeatDef, attr: str,
                           cls: type) -> Callable[[list[Any], list[str], str], None]:
    """The handler of a list segment with a ``<repeat>``: the segment's own elements
    (``elements``) and each element group that is present, unrolled into one function.

    Without ``rep.list_attr`` (flattening) each non-empty group adds an item of ``cls``
    carrying the shared elements too; with it, one item of ``cls`` gets a list of
    ``rep.item_cls``, one per non-empty group. A value that does not convert raises
    ``ValueError`` (nothing is added; the segment is then kept as an extra)."""
    tops = [_top(elements, 0)] + [_top(rep.elements, rep.start - 1 + k * rep.size)
                                  for k in range(rep.max)]
    first, step = rep.start, rep.size
    lines = ["def handler(frame, els, sep):",
             # groups present: as many as the segment's length reaches into
             f"    groups = (len(els) - {first} + {step} - 1) // {step}",
             *_indent(_pad(max(tops)), 4), "    kw = {}",
             *_indent(_body(elements, 0, False), 4)]
    if rep.list_attr is None:
        # as a slice groups[:n] of the group list would: a negative n counts from the end
        lines += ["    if groups < 0:", f"        groups = max(0, {rep.max} + groups)",
                  "    items = []"]
        for k in range(rep.max):
            lines += [f"    if groups > {k}:", "        g = kw.copy()",
                      *_indent(_body(rep.elements, first - 1 + k * step, False, "g"), 8),
                      "        if len(g) > len(kw): items.append(_cls(**g))"]
        lines += [f"    lst = frame[1].get({attr!r})", "    if lst is None:",
                  f"        frame[1][{attr!r}] = items", "    else:",
                  "        lst.extend(items)"]
    else:
        lines += ["    subs = []"]
        for k in range(rep.max):
            lines += [f"    if groups > {k}:", "        g = {}",
                      *_indent(_body(rep.elements, first - 1 + k * step, False, "g"), 8),
                      "        if g: subs.append(_sub(**g))"]
        lines += ["    if subs:", f"        kw[{rep.list_attr!r}] = subs", "    item = _cls(**kw)",
                  f"    lst = frame[1].get({attr!r})", "    if lst is None:",
                  f"        frame[1][{attr!r}] = [item]", "    else:", "        lst.append(item)"]
    fn: Callable[[list[Any], list[str], str], None] = _exec(
        lines, "handler", {"_cls": cls, "_sub": rep.item_cls})
    return fn


def segment_handler(seg: SegmentDef) -> Handler:
    """The compiled handler of one segment definition."""
    if seg.target == "self":
        return compile_single_handler(seg.elements, seg.index, None)
    if seg.target == "object":
        return compile_single_handler(seg.elements, seg.index, seg.attr or "")
    if seg.repeat is None:
        return compile_item_handler(seg.elements, seg.attr or "", seg.cls)
    own = {e.field for e in seg.elements}
    if seg.repeat.list_attr is not None or not own & {e.field for e in seg.repeat.elements}:
        return compile_repeat_handler(seg.elements, seg.repeat, seg.attr or "", seg.cls)
    return _list_handler(seg, compile_extractor(seg.elements)[0])


def _list_handler(seg: SegmentDef, outer: Callable[[list[str], str], dict[str, Any]]
                  ) -> Handler:
    """A flattening repeat whose groups reuse a field name of the segment's own elements
    (no shipped map does): each group's item gets the shared values, then its own, as
    keyword arguments (a clash raises ``TypeError``, as it always did)."""
    rep, attr, cls = seg.repeat, seg.attr or "", seg.cls
    assert rep is not None
    groups = [compile_extractor(rep.elements, rep.start - 1 + k * rep.size)[0]
              for k in range(rep.max)]
    start, size = rep.start, rep.size

    def on_flat(frame: list[Any], els: list[str], sep: str) -> None:
        shared = outer(els, sep)
        items = []
        for ex in groups[:(len(els) - start + size - 1) // size]:
            g = ex(els, sep)
            if g:
                items.append(cls(**shared, **g))
        lst = frame[1].get(attr)
        if lst is None:
            frame[1][attr] = items
        else:
            lst.extend(items)
    return on_flat
