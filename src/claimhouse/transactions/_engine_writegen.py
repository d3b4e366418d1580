"""Compiling a definition's loops into specialised writer functions (the writer's hot path).

:func:`compile_writer` turns each loop of a definition into one generated Python function
``w(obj, out, vals, cx)`` that appends the loop's segments, as text without the
terminator, to ``out``, and every value it placed to ``vals``; the caller joins ``out`` in
large chunks and checks ``vals`` for delimiters and line breaks in one search per chunk
(:meth:`claimhouse.x12.SegmentWriter.write_bodies`). The output is byte for byte what the
generic writer (:mod:`._engine_write`) gives, whose rules it follows:

- segments in definition order; a loop's kept segments at their ``<raw>`` slots, the rest
  before its first child loop; a loop holding stand-ins (``!SEG``) is written generically;
- a ``self``/``object`` segment when any of its fields is set (``None`` and ``[]`` are
  unset), the trigger always, an object's last segment when nothing else of it was;
- list items one segment each, nested-list ``<repeat>`` groups (HI, PER) in place; a
  flattening ``<repeat>`` (CAS) through the generic code;
- a constant qualifier where its position has no value; trailing empty elements and
  components dropped.

The generated source holds only integers and ``repr`` strings from the definition and
field names checked against the models (identifiers).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from claimhouse.transactions._engine_def import (
    EXTRA_FIELD,
    STAND_IN,
    ElementDef,
    LoopDef,
    SegmentDef,
)

LoopWriter = Callable[[Any, list[str], list[str], Any], None]


def _dec(v: Decimal) -> str:
    return format(v, "f")


_D8: dict[date, str] = {}


def _d8(v: date) -> str:
    s = _D8.get(v)
    if s is None:
        if type(v) is not date:  # a datetime: not cached (equal dates, other times)
            return f"{v.year:04d}{v.month:02d}{v.day:02d}"
        if len(_D8) > 50_000:
            _D8.clear()
        s = _D8[v] = f"{v.year:04d}{v.month:02d}{v.day:02d}"
    return s


def _expr(kind: str, var: str) -> str:
    """Text of value ``var`` (not None) as the generic ``format_value`` gives it."""
    if kind == "dec":
        return f"(_dec({var}) if type({var}) is _Dec else _fmt({var}))"
    if kind == "date":
        return f"(_d8({var}) if type({var}) is _date else _fmt({var}))"
    if kind == "int":
        return f"(str({var}) if type({var}) is int else _fmt({var}))"
    return f"({var} if type({var}) is str else _fmt({var}))"


def _inline_expr(kind: str, var: str) -> str:
    """Text of value ``var``, or "" when it is None, as one expression."""
    other = f"('' if {var} is None else _fmt({var}))"
    if kind == "dec":
        return f"(_format({var}, 'f') if type({var}) is _Dec else {other})"
    if kind == "date":
        return f"(_d8({var}) if type({var}) is _date else {other})"
    if kind == "int":
        return f"(str({var}) if type({var}) is int else {other})"
    return f"({var} if type({var}) is str else {other})"


class _Gen:
    def __init__(self) -> None:
        self.n = 0

    def var(self) -> str:
        self.n += 1
        return f"v{self.n}"


def _segment_lines(seg: SegmentDef, src: str, force: str, g: _Gen, ind: str,
                   wrote: str | None) -> list[str]:
    """Statements writing ``seg`` from model expression ``src`` (already not None);
    ``force``: Python expression forcing the segment out even with no value set;
    ``wrote``: a flag variable set when the segment is written."""
    els = seg.elements
    top = max([(e.to if e.comp is None and e.to is not None else e.pos) for e in els]
              + [seg.match_pos or 0, 0])
    names: dict[str, str] = {}
    lines: list[str] = []
    for e in els:
        if e.field not in names:
            names[e.field] = g.var()
            lines.append(f"{names[e.field]} = {src}.{e.field}")
    conds = [f"{names[f]} is not None" if not _is_list(els, f) else f"{names[f]}"
             for f in names]
    cond = " or ".join(conds + ([force] if force != "False" else [])) or "False"
    # one list display holds every position a single plain element feeds (the common
    # case); ranges, composites and shared positions are filled by statements after it
    plain: dict[int, list[ElementDef]] = {}
    taken: set[int] = set()
    for e in els:
        if e.comp is None and e.to is None:
            plain.setdefault(e.pos, []).append(e)
        elif e.comp is None and e.to is not None:
            taken.update(range(e.pos, e.to + 1))
        else:
            taken.add(e.pos)
    inline = {pos: es_[0] for pos, es_ in plain.items() if len(es_) == 1 and pos not in taken}
    const_inline = (seg.constant is not None and seg.match_pos is not None
                    and seg.match_pos not in taken
                    and (seg.match_pos in inline or seg.match_pos not in plain))
    slots = []
    for pos in range(1, top + 1):
        e1 = inline.get(pos)
        if const_inline and pos == seg.match_pos:
            slots.append(repr(seg.constant) if e1 is None else
                         f"({seg.constant!r} if {names[e1.field]} is None else "
                         f"{_expr(e1.kind, names[e1.field])})")
        elif e1 is not None:
            slots.append(_inline_expr(e1.kind, names[e1.field]))
        else:
            slots.append('""')
    body: list[str] = [f"p = [{seg.seg_id!r}" + "".join(", " + x for x in slots) + "]"]
    comps: dict[int, list[ElementDef]] = {}
    for e in els:
        v = names[e.field]
        if e.comp is not None:
            comps.setdefault(e.pos, []).append(e)
        elif e.to is None:
            if e.pos not in inline:
                body += [f"if {v} is not None:", f"    p[{e.pos}] = {_expr(e.kind, v)}"]
        else:
            body += [f"if {v}:", f"    if len({v}) > {e.to - e.pos + 1}:",
                     f"        _too_many({seg.seg_id!r}, {e.pos}, {e.to})",
                     f"    for k, x in enumerate({v}):",
                     f"        p[{e.pos} + k] = {_expr('str', 'x')}"]
    if seg.constant is not None and seg.match_pos is not None and not const_inline:
        at = [names[e.field] for e in els if e.comp is None and e.to is None
              and e.pos == seg.match_pos]
        if at:
            body += [f"if {at[0]} is None:", f"    p[{seg.match_pos}] = {seg.constant!r}"]
        else:
            body.append(f"p[{seg.match_pos}] = {seg.constant!r}")
    body.append("vals += p")
    for pos, specs in comps.items():
        width = max((s.to if s.to is not None else s.comp or 0) for s in specs) + 1
        cvars = [names[s.field] for s in specs]
        set_cond = " or ".join(f"{v} is not None" if s.to is None else v
                               for v, s in zip(cvars, specs, strict=True))
        body += [f"if {set_cond}:", "    c = [" + ", ".join(['""'] * width) + "]"]
        for v, s in zip(cvars, specs, strict=True):
            ci = s.comp or 0
            if s.to is None:
                body += [f"    if {v} is not None:", f"        c[{ci}] = {_expr(s.kind, v)}"]
            else:
                body += [f"    if {v}:", f"        if len({v}) > {s.to - ci + 1}:",
                         f"            _too_many_comps({seg.seg_id!r}, {pos})",
                         f"        for k, x in enumerate({v}):",
                         f"            c[{ci} + k] = {_expr('str', 'x')}"]
        body += ["    vals += c", f"    p[{pos}] = cs.join(c).rstrip(cs)"]
    body.append("out.append(es.join(p).rstrip(es))")
    if wrote:
        body.append(f"{wrote} = True")
    if force == "True":
        lines += body
    else:
        lines.append(f"if {cond}:")
        lines += ["    " + b for b in body]
    return [ind + s for s in lines]


def _simple_nested(seg: SegmentDef) -> bool:
    """A nested-list ``<repeat>`` the generator handles: plain elements in the segment, no
    ranges, the qualifier before the groups."""
    rep = seg.repeat
    return (rep is not None and rep.list_attr is not None and seg.target == "list"
            and all(e.comp is None and e.to is None for e in seg.elements)
            and all(e.to is None for e in rep.elements)
            and (seg.match_pos is None or seg.match_pos < rep.start))


def _nested_repeat_lines(seg: SegmentDef, g: _Gen, ind: str) -> list[str]:
    """A list segment whose element groups feed a nested list (HI codes, PER numbers):
    plain elements only in the segment, plain or single components in the groups."""
    rep = seg.repeat
    assert rep is not None and rep.list_attr is not None
    top = max([e.pos for e in seg.elements] + [seg.match_pos or 0, 0])
    width = rep.start - 1 + rep.max * rep.size
    lines = [f"p = [{seg.seg_id!r}" + ', ""' * max(top, width) + "]"]
    for e in seg.elements:
        v = g.var()
        lines += [f"{v} = it.{e.field}", f"if {v} is not None:",
                  f"    p[{e.pos}] = {_expr(e.kind, v)}"]
    if seg.constant is not None and seg.match_pos is not None:
        at = [e.field for e in seg.elements if e.pos == seg.match_pos]
        if at:
            lines += [f"if it.{at[0]} is None:", f"    p[{seg.match_pos}] = {seg.constant!r}"]
        else:
            lines.append(f"p[{seg.match_pos}] = {seg.constant!r}")
    lines += [f"subs = it.{rep.list_attr}", f"if len(subs) > {rep.max}:",
              f"    _too_many_groups({seg.seg_id!r}, {rep.max})", "joined = []",
              f"b = {rep.start - 1}", "for sub in subs:"]
    comps: dict[int, list[ElementDef]] = {}
    for e in rep.elements:
        if e.comp is None:
            v = g.var()
            lines += [f"    {v} = sub.{e.field}", f"    if {v} is not None:",
                      f"        p[b + {e.pos}] = {_expr(e.kind, v)}"]
        else:
            comps.setdefault(e.pos, []).append(e)
    for pos, specs in comps.items():
        cw = max(s.comp or 0 for s in specs) + 1
        cvars = [g.var() for _ in specs]
        lines += [f"    {v} = sub.{sp.field}" for v, sp in zip(cvars, specs, strict=True)]
        lines += ["    if " + " or ".join(f"{v} is not None" for v in cvars) + ":",
                  "        c = [" + ", ".join(['""'] * cw) + "]"]
        for v, sp in zip(cvars, specs, strict=True):
            lines += [f"        if {v} is not None:",
                      f"            c[{sp.comp or 0}] = {_expr(sp.kind, v)}"]
        lines += ["        vals += c", f"        joined.append((b + {pos}, cs.join(c).rstrip(cs)))"]
    lines += [f"    b += {rep.size}", "vals += p", "for k, x in joined:", "    p[k] = x",
              "out.append(es.join(p).rstrip(es))"]
    return [ind + x for x in lines]


def _is_list(els: list[ElementDef], name: str) -> bool:
    return any(e.field == name and e.to is not None for e in els)


def _loop_source(ldef: LoopDef, name: str, child_names: dict[int, str],
                 generic: dict[str, Any]) -> list[str]:
    g = _Gen()
    lines = [f"def {name}(o, out, vals, cx):", f"    ex = o.{EXTRA_FIELD}",
             "    if ex and _has_stand_in(ex):",
             f"        _generic(cx, {name}_def, o)", "        return"]
    segs = ldef.segments()
    trigger = segs[0] if ldef.parent is not None else None
    last_of_object = {s.attr or "": s for s in segs if s.target == "object"}
    flags = {a: g.var() for a in last_of_object}
    lines += [f"    {f} = False" for f in flags.values()]
    slots = ldef.raw_slots
    placed = frozenset().union(*(ids for _, ids in slots))
    generic[f"{name}_placed"] = placed
    extras_done = False
    for i, child in enumerate(ldef.children):
        for k, (at, _ids) in enumerate(slots):
            if at == i:
                generic[f"{name}_slot{k}"] = _ids
                lines += ["    if ex:", f"        _extras(cx, ex, {name}_slot{k}, None)"]
        if isinstance(child, LoopDef):
            if not extras_done:
                lines += ["    if ex:", f"        _extras(cx, ex, None, {name}_placed)"]
                extras_done = True
            fn = child_names[id(child)]
            if child.is_list:
                lines += [f"    for it in o.{child.attr}:", f"        {fn}(it, out, vals, cx)"]
                if child.stream:
                    lines += ["        if len(out) > 4096:", "            cx.flush()"]
            else:
                lines += [f"    it = o.{child.attr}", "    if it is not None:",
                          f"        {fn}(it, out, vals, cx)"]
            continue
        seg = child
        if _simple_nested(seg):
            lines += [f"    for it in o.{seg.attr}:"]
            lines += _nested_repeat_lines(seg, g, "        ")
            continue
        if seg.repeat is not None:
            key = f"{name}_seg{i}"
            generic[key] = seg
            lines += [f"    _generic_segment(cx, {key}, o)"]
            continue
        if seg.target == "self":
            force = "True" if seg is trigger else "False"
            lines += _segment_lines(seg, "o", force, g, "    ", None)
        elif seg.target == "object":
            attr = seg.attr or ""
            last = last_of_object[attr] is seg
            force = f"not {flags[attr]}" if last else "False"
            lines += [f"    ob = o.{attr}", "    if ob is not None:"]
            lines += _segment_lines(seg, "ob", force, g, "        ", flags[attr])
        else:
            lines += [f"    for it in o.{seg.attr}:"]
            lines += _segment_lines(seg, "it", "True", g, "        ", None)
    if not extras_done:
        lines += ["    if ex:", f"        _extras(cx, ex, None, {name}_placed)"]
    for k, (at, _ids) in enumerate(slots):
        if at == len(ldef.children):
            generic[f"{name}_slot{k}"] = _ids
            lines += ["    if ex:", f"        _extras(cx, ex, {name}_slot{k}, None)"]
    return lines


def compile_writer(root: LoopDef, helpers: dict[str, Any]) -> CompiledWriter:
    """One generated writer per loop of the definition rooted at ``root``; the root's is
    returned, to be specialised per separator pair with ``bind(element, component)``.
    ``helpers`` supplies ``_fmt`` (generic value text), ``_generic(cx, loop, obj)`` and
    ``_generic_segment(cx, seg, obj)`` (the generic writer, into ``cx``), ``_extras(cx,
    extras, ids, placed)``, and ``_too_many``/``_too_many_comps`` (its errors)."""
    loops: list[LoopDef] = []

    def walk(ld: LoopDef) -> None:
        loops.append(ld)
        for c in ld.loops():
            walk(c)

    walk(root)
    names = {id(ld): f"w{i}_{ld.loop_id}" for i, ld in enumerate(loops)}
    namespace: dict[str, Any] = {"_Dec": Decimal, "_date": date, "_dec": _dec, "_d8": _d8,
                                 "_format": format,
                                 "_has_stand_in": _has_stand_in, **helpers}
    source: list[str] = []
    for ld in reversed(loops):
        namespace[f"{names[id(ld)]}_def"] = ld
        source += _loop_source(ld, names[id(ld)], names, namespace)
        source.append("")
    wrapper = ["def make(es, cs):", *("    " + s for s in source),
               f"    return {names[id(root)]}"]
    exec(compile("\n".join(wrapper), f"<writer-{root.loop_id}>", "exec"), namespace)
    make: Callable[[str, str], LoopWriter] = namespace["make"]
    return CompiledWriter(make)


class CompiledWriter:
    """The generated writers, specialised per (element, component) separator pair."""

    def __init__(self, make: Callable[[str, str], LoopWriter]) -> None:
        self._make = make
        self._bound: dict[tuple[str, str], LoopWriter] = {}

    def bind(self, es: str, cs: str) -> LoopWriter:
        fn = self._bound.get((es, cs))
        if fn is None:
            fn = self._bound[(es, cs)] = self._make(es, cs)
        return fn


def _has_stand_in(extras: list[list[str]]) -> bool:
    return any(r and r[0].startswith(STAND_IN) for r in extras)
