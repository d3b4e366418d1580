"""Compact claim documents: the claim model as JSON without the fields that hold their
default (``None`` where the default is ``None``, ``[]`` where it is an empty list), which
:func:`~claimhouse.models.from_json` restores. A claim row shrinks about threefold (a
synthetic 837P claim: 4.4 kB -> 1.5 kB), which is most of what SQLite writes when it
stores, and later updates, 100,000 claims.

One encoder function per dataclass is generated from its fields and type hints on first
use (plain attribute reads and ``is not None`` tests; nested dataclasses and lists of
them call their own encoders); anything else goes to orjson as it is.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson

from claimhouse.models._json import LazyEncoder

Encoder = Callable[[Any], dict[str, Any]]
_ENCODERS: dict[type, Encoder] = {}
_BUILDING: set[type] = set()


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(type(obj).__name__)


def _dataclass_in(tp: Any) -> type | None:
    """The dataclass ``tp`` is, or is ``X | None`` of; else None."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        found = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(found) == 1:
            return _dataclass_in(found[0])
    return None


def _list_of_dataclass(tp: Any) -> type | None:
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (None,)
        return _dataclass_in(item)
    return None


def encoder(cls: type) -> Encoder:
    """The compact ``dict`` encoder of dataclass ``cls`` (generated once)."""
    found = _ENCODERS.get(cls)
    if found is not None:
        return found
    if cls in _BUILDING:  # a model that contains itself: resolved on first call
        return LazyEncoder(cls, encoder)
    _BUILDING.add(cls)
    try:
        made = _generate(cls)
    finally:
        _BUILDING.discard(cls)
    _ENCODERS[cls] = made
    return made


def _is_decimal(tp: Any) -> bool:
    """``Decimal`` or ``Decimal | None``: written as ``str(value)`` by the encoder itself
    (cheaper than orjson calling back into Python for each amount)."""
    if tp is Decimal:
        return True
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)] == [Decimal]
    return False


def _generate(cls: type) -> Encoder:
    hints = typing.get_type_hints(cls)
    env: dict[str, Any] = {"str": str, "map": map, "list": list}
    head: list[str] = []  # the leading fields always written: one dict display
    body: list[str] = []
    for i, f in enumerate(dataclasses.fields(cls)):
        key = repr(f.name)
        tp = hints.get(f.name)
        nested, items = _dataclass_in(tp), _list_of_dataclass(tp)
        if nested is not None:
            env[f"e{i}"] = encoder(nested)
            value = f"e{i}(v)"
            always = f"(None if (v := o.{f.name}) is None else e{i}(v))"
        elif items is not None:
            env[f"e{i}"] = encoder(items)
            value = f"list(map(e{i}, v))"
            always = f"list(map(e{i}, o.{f.name}))"
        elif _is_decimal(tp):
            value = "str(v)"
            always = f"(None if (v := o.{f.name}) is None else str(v))"
        else:
            value = "v"
            always = f"o.{f.name}"
        if f.default is None:
            body.append(f"    if (v := o.{f.name}) is not None: d[{key}] = {value}")
        elif f.default_factory is list:
            body.append(f"    if (v := o.{f.name}): d[{key}] = {value}")
        elif body:
            body.append(f"    d[{key}] = {always}")
        else:
            head.append(f"{key}: {always}")
    lines = ["def enc(o):", f"    d = {{{', '.join(head)}}}", *body, "    return d"]
    exec("\n".join(lines), env)  # our own field names and generated helpers only
    made: Encoder = env["enc"]
    return made



def compact_json(obj: Any) -> str:
    """``obj`` (a dataclass model) as compact JSON text: defaults left out, amounts as
    strings, dates ISO 8601."""
    return orjson.dumps(encoder(type(obj))(obj), default=_default).decode()
