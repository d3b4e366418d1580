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

from claimhouse.transactions._engine_def import ElementDef

Extractor = Callable[[list[str], str], dict[str, Any]]


def _convert_lines(kind: str, src: str, target: str, lenient: bool) -> list[str]:
    """Statements that set ``target`` from the non-empty string ``src``."""
    if kind in ("str", "strlist"):
        return [f"{target} = {src}"]
    if kind == "dec":
        body = [f"_d = _D({src})", "if not _d.is_finite(): raise ValueError", f"{target} = _d"]
    elif kind == "date":
        body = [f"if len({src}) != 8 or not {src}.isdigit(): raise ValueError",
                f"{target} = _date(int({src}[:4]), int({src}[4:6]), int({src}[6:]))"]
    else:  # int
        body = [f"{target} = int({src})"]
    if not lenient:
        return body
    return ["try:", *("    " + b for b in body), "except (ValueError, ArithmeticError):",
            "    pass"]


def _source(elements: list[ElementDef], base: int, lenient: bool) -> str:
    top = max([(e.to if e.comp is None and e.to is not None else e.pos) + base
               for e in elements] or [0]) + 1
    lines = ["def extract(els, sep):", "    n = len(els)",
             f"    if n < {top}:", f"        els = els + _PAD[n - {top}:]" if top else "",
             "    kw = {}"]
    comps: dict[int, list[ElementDef]] = {}
    for e in elements:
        p = e.pos + base
        if e.comp is not None:
            comps.setdefault(p, []).append(e)
        elif e.to is not None:
            lines += [f"    _r = [x for x in els[{p}:{e.to + base + 1}] if x]",
                      f"    if _r: kw[{e.field!r}] = _r"]
        else:
            lines += [f"    v = els[{p}]", "    if v:"]
            lines += ["        " + s for s in _convert_lines(e.kind, "v", f"kw[{e.field!r}]",
                                                             lenient)]
    for p, specs in comps.items():
        width = max((s.to if s.to is not None else s.comp or 0) for s in specs) + 1
        lines += [f"    v = els[{p}]", "    if v:", "        c = v.split(sep)",
                  f"        if len(c) < {width}:",
                  f"            c = c + _PAD[len(c) - {width}:]"]
        for s in specs:
            ci = s.comp or 0
            if s.to is not None:
                lines += [f"        _r = [x for x in c[{ci}:{s.to + 1}] if x]",
                          f"        if _r: kw[{s.field!r}] = _r"]
            else:
                lines += [f"        x = c[{ci}]", "        if x:"]
                lines += ["            " + t for t in _convert_lines(
                    s.kind, "x", f"kw[{s.field!r}]", lenient)]
    lines.append("    return kw")
    return "\n".join(line for line in lines if line)


def compile_extractor(elements: list[ElementDef], base: int = 0
                      ) -> tuple[Extractor, Extractor]:
    """Two functions ``(elements, component separator) -> {field: value}`` (empty
    elements skipped): a strict one that raises ``ValueError``/``ArithmeticError`` when a
    value does not convert, and a lenient one that leaves such a value out."""
    out: list[Extractor] = []
    for lenient in (False, True):
        src = _source(elements, base, lenient)
        namespace: dict[str, Any] = {"_D": Decimal, "_date": date, "_PAD": [""] * 256}
        exec(compile(src, "<map-extractor>", "exec"), namespace)
        out.append(namespace["extract"])
    return out[0], out[1]
