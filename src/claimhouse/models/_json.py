"""JSON in and out for the domain models (plain dataclasses).

Amounts (``Decimal``) travel as strings, dates as ISO 8601, enums by value, nested
dataclasses as objects, lists as arrays; ``None`` fields are omitted on output. Reading
collects every problem with its path (``claims[3].service_lines[0].charge: ...``) and
raises one :class:`~claimhouse.errors.ModelError` listing them all.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

from claimhouse.errors import ModelError

T = TypeVar("T")


def to_json(obj: Any) -> Any:
    """A JSON-ready value for a model (or any nesting of models, lists, dicts)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None or (isinstance(value, list | tuple | dict) and not value):
                continue
            out[f.name] = to_json(value)
        return out
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, list | tuple):
        return [to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    return obj


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_optional(tp: Any) -> tuple[bool, Any]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return True, args[0]
    return False, tp


def _convert(tp: Any, value: Any, path: str, problems: list[str]) -> Any:
    optional, tp = _is_optional(tp)
    if value is None:
        if not optional:
            problems.append(f"{path}: required")
        return None
    origin = get_origin(tp)
    if origin in (list, tuple):
        args = get_args(tp)
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return []
        item_tp = args[0] if args else Any
        items = [_convert(item_tp, v, f"{path}[{i}]", problems) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object")
            return {}
        _, vt = get_args(tp) or (str, Any)
        return {str(k): _convert(vt, v, f"{path}.{k}", problems) for k, v in value.items()}
    if tp is Any:
        return value
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _from_dict(tp, value, path, problems)
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            problems.append(f"{path}: expected an amount as a string, e.g. \"125.00\"")
            return None
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            problems.append(f"{path}: not a decimal amount")
            return None
        if not d.is_finite():
            problems.append(f"{path}: not a finite amount")
            return None
        return d
    if tp is date:
        if not isinstance(value, str):
            problems.append(f"{path}: expected an ISO 8601 date string (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.append(f"{path}: not an ISO 8601 date (YYYY-MM-DD)")
            return None
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            problems.append(f"{path}: not one of {allowed}")
            return None
    if tp is bool:
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer")
        return value
    if tp is str:
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string")
            return str(value)
        return value
    return value


def _from_dict(cls: type[T], data: Any, path: str, problems: list[str]) -> T | None:
    if not isinstance(data, dict):
        problems.append(f"{path or cls.__name__}: expected an object")
        return None
    hints = _hints(cls)  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    names = set()
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        names.add(f.name)
        sub = f"{path}.{f.name}" if path else f.name
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], sub, problems)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            problems.append(f"{sub}: required")
    for key in data:
        if key not in names:
            problems.append(f"{path + '.' if path else ''}{key}: unknown field")
    try:
        return cls(**kwargs)
    except TypeError:
        return None  # a required field is missing: already reported above
    except ValueError as exc:
        problems.append(f"{path or cls.__name__}: {exc}")
        return None


def from_json(cls: type[T], data: Any, *, path: str = "") -> T:
    """Build a ``cls`` model from parsed JSON, raising one ``ModelError`` with every problem."""
    problems: list[str] = []
    obj = _from_dict(cls, data, path, problems)
    if problems or obj is None:
        raise ModelError(problems or [f"{path or cls.__name__}: invalid"])
    return obj


class LazyEncoder:
    """An encoder of model class ``cls`` that asks ``resolve`` for the real one on its first
    call: how a generated encoder refers to a class whose own encoder is still being
    generated (models that contain each other, or themselves)."""

    __slots__ = ("cls", "fn", "resolve")

    def __init__(self, cls: type, resolve: Callable[[type], Callable[[Any], Any]]) -> None:
        self.cls = cls
        self.resolve = resolve
        self.fn: Callable[[Any], Any] | None = None

    def __call__(self, obj: Any) -> Any:
        fn = self.fn
        if fn is None:
            fn = self.fn = self.resolve(self.cls)
        return fn(obj)

