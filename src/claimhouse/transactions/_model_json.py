"""A compiled JSON encoder for model dataclasses, for the hot jsonl path.

Same output as :func:`claimhouse.models.to_json` (field order, ``None`` and empty lists
left out, Decimal as a string, dates ISO 8601), but one generated function per model class
instead of a generic walk: about four times faster on big 835s. Field types come from the
type hints; anything it does not know goes through the generic ``to_json``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Union

from claimhouse.models import to_json
from claimhouse.models._json import LazyEncoder

Encoder = Callable[[Any], dict[str, Any]]


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


_COMPILING: set[type] = set()


def _nested(cls: type) -> Callable[[Any], dict[str, Any]]:
    """A nested class's encoder: compiled now, so the generated code calls it directly, or
    resolved on first use when ``cls`` is being compiled (classes referring to each other)."""
    if cls in _COMPILING:
        return LazyEncoder(cls, json_encoder_for)
    return json_encoder_for(cls)


@cache
def json_encoder_for(cls: type) -> Encoder:
    """The encoder of model class ``cls`` (compiled once per class)."""
    _COMPILING.add(cls)
    try:
        return _compile(cls)
    finally:
        _COMPILING.discard(cls)


def _compile(cls: type) -> Encoder:
    hints = typing.get_type_hints(cls)
    ns: dict[str, Any] = {"_generic": to_json}
    lines = ["def encode(o):", "    d = {}"]
    for i, f in enumerate(dataclasses.fields(cls)):
        tp = _strip_optional(hints[f.name])
        key = repr(f.name)
        lines += [f"    v = o.{f.name}"]
        origin = typing.get_origin(tp)
        if origin is list:
            item = typing.get_args(tp)[0]
            if item is str:
                expr = "list(v)"
            elif _is_model(item):
                ns[f"_e{i}"] = _nested(item)
                expr = f"[_e{i}(x) for x in v]"
            elif typing.get_origin(item) is list and typing.get_args(item)[0] is str:
                expr = "[list(x) for x in v]"
            else:
                expr = "_generic(v)"
            lines += ["    if v:", f"        d[{key}] = {expr}"]
            continue
        if tp is str or tp is int:
            expr = "v"
        elif tp is Decimal:
            expr = "str(v)"
        elif tp is date:
            expr = "v.isoformat()"
        elif _is_model(tp):
            ns[f"_e{i}"] = _nested(tp)
            expr = f"_e{i}(v)"
        else:
            lines += ["    if v is not None and not (isinstance(v, (list, tuple, dict)) "
                      "and not v):", f"        d[{key}] = _generic(v)"]
            continue
        lines += ["    if v is not None:", f"        d[{key}] = {expr}"]
    lines.append("    return d")
    exec(compile("\n".join(lines), f"<json-encoder {cls.__name__}>", "exec"), ns)
    encoder: Encoder = ns["encode"]
    return encoder

