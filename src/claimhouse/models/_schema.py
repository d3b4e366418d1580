"""JSON Schema (draft 2020-12) generated from the dataclass models.

The schema describes exactly what :func:`claimhouse.models.from_json` accepts: snake_case
fields, amounts as strings, dates as ISO 8601 strings, enums by value, no unknown fields.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Union, get_args, get_origin

_AMOUNT = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
           "description": "an amount as a decimal string, e.g. \"125.00\""}
_DATE = {"type": "string", "format": "date", "description": "ISO 8601 date (YYYY-MM-DD)"}


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        inner = _type_schema(args[0], defs) if len(args) == 1 else {
            "anyOf": [_type_schema(a, defs) for a in args]}
        if len(args) == len(get_args(tp)):
            return inner
        # Optional: null is accepted and means "not given"
        if isinstance(inner.get("type"), str):
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin in (list, tuple):
        items = get_args(tp)
        return {"type": "array", "items": _type_schema(items[0], defs) if items else {}}
    if origin is dict:
        _, vt = get_args(tp) or (str, Any)
        return {"type": "object", "additionalProperties": _type_schema(vt, defs)}
    if tp is Decimal:
        return dict(_AMOUNT)
    if tp is date:
        return dict(_DATE)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is str:
        return {"type": "string"}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    return {}


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder: breaks recursion
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        props[f.name] = _type_schema(hints[f.name], defs)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
        elif f.default is not dataclasses.MISSING and f.default is not None:
            default = f.default.value if isinstance(f.default, Enum) else f.default
            props[f.name]["default"] = default
    body: dict[str, Any] = {"type": "object", "properties": props,
                            "additionalProperties": False}
    if required:
        body["required"] = required
    doc = (cls.__doc__ or "").strip()
    if doc:
        body["description"] = " ".join(doc.split())
    defs[cls.__name__] = body


def json_schema(cls: type, *, title: str | None = None) -> dict[str, Any]:
    """The JSON Schema of the dataclass ``cls`` (its nested models under ``$defs``)."""
    defs: dict[str, Any] = {}
    _define(cls, defs)
    root = dict(defs.pop(cls.__name__))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title or cls.__name__, **root, "$defs": defs}
