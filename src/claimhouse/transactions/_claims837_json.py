"""Generated JSON encoders for the 837 claim models: the hot path of `claimhouse parse`.

One straight-line function per model class (compiled once per process, on first use) gives
exactly what :func:`claimhouse.transactions._claims837_render.model_json` gives: each field
is checked against the type its annotation declares (``type(v) is Decimal``...) and takes a
fast expression when it matches; any other value goes through the generic rules
(:func:`slow_field`), so a model holding an unexpected type still renders byte for byte
as before. Only the source's field names (identifiers of a dataclass) and integers go into
the generated code.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Union

from claimhouse.models._json import LazyEncoder

Encoder = Callable[..., dict[str, Any]]


def _optional_of(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        return None  # a real union: no fast path
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _fast(tp: Any, var: str, ns: dict[str, Any], n: int) -> tuple[str, str] | None:
    """(type check, expression) for a value ``var`` of declared type ``tp``, or None."""
    if tp is str or tp is int or tp is bool:
        ns[f"_t{n}"] = tp
        return f"type({var}) is _t{n}", var
    if tp is Decimal:
        return f"type({var}) is _Dec", f"str({var})"
    if tp is date:
        return f"type({var}) is _date", f"{var}.isoformat()"
    if isinstance(tp, type) and issubclass(tp, Enum):
        ns[f"_t{n}"] = tp
        return f"type({var}) is _t{n}", f"{var}.value"
    if _is_model(tp):
        ns[f"_t{n}"] = tp
        ns[f"_e{n}"] = _nested(tp)
        return f"type({var}) is _t{n}", f"_e{n}({var})"
    return None


def _nested(tp: type) -> Callable[[Any], dict[str, Any]]:
    """The encoder of a nested model class: compiled now (a direct call in the generated
    code), or resolved on first use when ``tp`` is being compiled (a cycle)."""
    if tp in _COMPILING:
        return LazyEncoder(tp, encoder_for)
    return encoder_for(tp)


def compile_encoder(cls: type, value: Callable[[Any], Any], slow: Callable[..., None],
                    party_fields: frozenset[str] = frozenset()) -> Encoder:
    """The encoder ``(obj, parties=None) -> dict`` of model class ``cls``. ``value`` and
    ``slow`` are the generic rules for one value and for one field (``slow(d, name, v,
    parties=None)``); a model field named in ``party_fields`` goes through
    ``parties.party`` when ``parties`` is given."""
    hints = typing.get_type_hints(cls)
    ns: dict[str, Any] = {"_Dec": Decimal, "_date": date, "_value": value, "_slow": slow,
                          "_list": list}
    lines = ["def encode(o, parties=None):", "    d = {}"]
    for i, f in enumerate(dataclasses.fields(cls)):
        name, key = f.name, repr(f.name)
        lines += [f"    v = o.{name}", "    if v is not None:"]
        tp = _optional_of(hints[name])
        if name in party_fields and _is_model(tp):
            ns[f"_t{i}"] = tp
            ns[f"_e{i}"] = _nested(tp)
            lines += [f"        if type(v) is _t{i}:",
                      f"            d[{key}] = _e{i}(v) if parties is None else parties.party(v)",
                      "        else:", f"            _slow(d, {key}, v, parties)"]
            continue
        if typing.get_origin(tp) is list:
            item = typing.get_args(tp)[0] if typing.get_args(tp) else None
            fast = _fast(item, "x", ns, i) if item is not None else None
            expr = "_value(x)" if fast is None else f"{fast[1]} if {fast[0]} else _value(x)"
            lines += ["        if type(v) is _list:", "            if v:",
                      f"                d[{key}] = [{expr} for x in v]",
                      "        else:", f"            _slow(d, {key}, v)"]
            continue
        fast = _fast(tp, "v", ns, i) if tp is not None else None
        if fast is None:
            lines += [f"        _slow(d, {key}, v)"]
            continue
        lines += [f"        if {fast[0]}:", f"            d[{key}] = {fast[1]}",
                  "        else:", f"            _slow(d, {key}, v)"]
    lines.append("    return d")
    exec(compile("\n".join(lines), f"<json-837 {cls.__name__}>", "exec"), ns)
    encoder: Encoder = ns["encode"]
    return encoder


_ENCODERS: dict[type, Encoder] = {}
_FACTORY: list[Callable[[type], Encoder]] = []
_COMPILING: set[type] = set()


def encoder_for(cls: type) -> Encoder:
    """The encoder of ``cls`` (compiled on first use, through the factory the renderer
    registered with :func:`set_factory`)."""
    enc = _ENCODERS.get(cls)
    if enc is None:
        _COMPILING.add(cls)
        try:
            enc = _ENCODERS[cls] = _FACTORY[0](cls)
        finally:
            _COMPILING.discard(cls)
    return enc


def set_factory(factory: Callable[[type], Encoder]) -> None:
    _FACTORY[:] = [factory]

