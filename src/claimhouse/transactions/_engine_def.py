"""Loading a transaction definition (``maps/*.xml``) into a typed, checked structure.

The XML says which loop, segment, element and component feeds which field of a model;
the Python types of those fields (``str``, ``Decimal``, ``date``, ``int``, ``list[str]``,
nested dataclasses, ``list[...]`` of dataclasses) come from the model classes themselves,
so the definition never repeats them. See docs/maps.md for the format.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Union

from claimhouse._xml import parse_xml
from claimhouse.errors import DefinitionError

EXTRA_FIELD = "extra_segments"
"""The field of a loop model that keeps the segments the definition does not map."""

STAND_IN = "!"
"""Prefix of an extra segment's id when the raw segment stands in for a mapped one whose
values did not all convert (``["!BPR", ...]``): the writer writes it in place of the
mapped segment, so the unreadable value is not lost."""

_KINDS: dict[Any, str] = {str: "str", Decimal: "dec", date: "date", int: "int"}


@dataclass(slots=True)
class ElementDef:
    """One ``<e>``: element ``pos`` (1-based; relative inside a ``<repeat>``), optional
    ``comp`` (1-based component), optional ``to`` (end of a range into a ``list[str]``)."""

    pos: int
    comp: int | None
    to: int | None
    field: str
    kind: str


@dataclass(slots=True)
class RepeatDef:
    """``<repeat start size max [list]>``: element groups repeated inside one segment."""

    start: int
    size: int
    max: int
    elements: list[ElementDef]
    list_attr: str | None = None
    item_cls: type | None = None


@dataclass(slots=True)
class SegmentDef:
    """One ``<segment>``: where its values go (the loop model itself, a nested ``object``
    or a new item of a ``list``) and which qualifier value(s) select it."""

    seg_id: str
    target: str  # "self" | "object" | "list"
    attr: str | None
    cls: type
    elements: list[ElementDef]
    match_pos: int | None = None
    match_values: frozenset[str] | None = None
    constant: str | None = None
    repeat: RepeatDef | None = None
    index: int = 0
    repeatable: bool = False


@dataclass(slots=True)
class LoopDef:
    """One ``<loop>`` (or the transaction root): its model class, where it attaches in its
    parent, whether it is the streaming unit, and its segments and child loops in order."""

    loop_id: str
    cls: type
    attr: str | None = None
    is_list: bool = False
    stream: bool = False
    children: list[SegmentDef | LoopDef] = field(default_factory=list)
    parent: LoopDef | None = None
    raw_slots: list[tuple[int, frozenset[str]]] = field(default_factory=list)
    """``<raw ids="PWK CN1"/>``: where the writer puts kept (unmapped) segments with those
    ids, as (index of the child they precede, ids); others go before the first child loop.
    Reading ignores them: such segments are unmapped and kept as extras."""

    @property
    def trigger(self) -> SegmentDef:
        first = self.children[0]
        assert isinstance(first, SegmentDef)
        return first

    def segments(self) -> list[SegmentDef]:
        return [c for c in self.children if isinstance(c, SegmentDef)]

    def loops(self) -> list[LoopDef]:
        return [c for c in self.children if isinstance(c, LoopDef)]


@dataclass(slots=True)
class Definition:
    set_id: str
    version: str
    root: LoopDef
    source: str


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved field types of a model (cached: resolving string annotations costs a
    compile per field, and definitions ask for the same few models many times)."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise DefinitionError(f"{cls!r} is not a dataclass model")
    return typing.get_type_hints(cls)


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _field_type(cls: type, name: str, where: str) -> Any:
    hints = _hints(cls)
    if name not in hints:
        raise DefinitionError(f"{where}: {cls.__name__} has no field {name!r}")
    return _strip_optional(hints[name])


def _list_item(tp: Any) -> Any:
    return typing.get_args(tp)[0] if typing.get_origin(tp) is list else None


def _model_of(cls: type, name: str, where: str, *, many: bool) -> type:
    tp = _field_type(cls, name, where)
    if many:
        tp = _list_item(tp)
        if tp is None:
            raise DefinitionError(f"{where}: {cls.__name__}.{name} is not a list")
    if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
        raise DefinitionError(f"{where}: {cls.__name__}.{name} is not a model (dataclass)")
    return tp


def _int(node: Any, attr: str, where: str, default: int | None = None) -> int | None:
    raw = node.get(attr)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DefinitionError(f"{where}: {attr}={raw!r} is not an integer") from None
    if value < 1:
        raise DefinitionError(f"{where}: {attr} must be 1 or more")
    return value


def _element(node: Any, cls: type, where: str) -> ElementDef:
    name = node.get("field")
    pos = _int(node, "pos", where)
    if not name or pos is None:
        raise DefinitionError(f"{where}: <e> needs pos and field")
    comp, to = _int(node, "comp", where), _int(node, "to", where)
    tp = _field_type(cls, name, where)
    if to is not None:
        if _list_item(tp) is not str:
            raise DefinitionError(f"{where}: a range needs a list[str] field, not {name!r}")
        kind = "strlist"
    else:
        kind = _KINDS.get(tp, "")
        if not kind:
            raise DefinitionError(f"{where}: {cls.__name__}.{name} has an unsupported type")
    return ElementDef(pos, None if comp is None else comp - 1,
                      None if to is None else to - (1 if comp is not None else 0), name, kind)


def _segment(node: Any, owner: type, where: str) -> SegmentDef:
    seg_id = node.get("id") or ""
    if not seg_id.isalnum():
        raise DefinitionError(f"{where}: a segment needs an id")
    where = f"{where}/{seg_id}"
    obj, lst = node.get("object"), node.get("list")
    if obj and lst:
        raise DefinitionError(f"{where}: object and list are exclusive")
    if obj:
        target, attr, cls = "object", obj, _model_of(owner, obj, where, many=False)
    elif lst:
        target, attr, cls = "list", lst, _model_of(owner, lst, where, many=True)
    else:
        target, attr, cls = "self", None, owner
    seg = SegmentDef(seg_id, target, attr, cls, [], repeatable=target == "list")
    match = node.get("match")
    if match:
        pos_text, _, values = match.partition(":")
        if not pos_text.isdigit() or not values:
            raise DefinitionError(f"{where}: match must look like '1:PR' or '1:A,B'")
        seg.match_pos = int(pos_text)
        vals = [v for v in values.split(",") if v]
        seg.match_values = frozenset(vals)
        seg.constant = vals[0] if len(vals) == 1 else None
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "e":
            seg.elements.append(_element(child, cls, where))
        elif child.tag == "repeat":
            seg.repeat = _repeat(child, seg, cls, where)
        else:
            raise DefinitionError(f"{where}: unexpected <{child.tag}>")
    mapped = {e.pos for e in seg.elements if e.comp is None}
    if seg.match_pos is not None and seg.constant is None and seg.match_pos not in mapped:
        raise DefinitionError(f"{where}: several match values need a field at the match "
                              "position so that the writer knows which one to write")
    return seg


def _repeat(node: Any, seg: SegmentDef, cls: type, where: str) -> RepeatDef:
    start, size, mx = (_int(node, "start", where), _int(node, "size", where),
                       _int(node, "max", where))
    if start is None or size is None or mx is None:
        raise DefinitionError(f"{where}: <repeat> needs start, size and max")
    lst = node.get("list")
    if lst:
        item = _model_of(cls, lst, where, many=True)
    elif seg.target != "list":
        raise DefinitionError(f"{where}: a flattening <repeat> needs a list segment")
    else:
        item = cls
    rep = RepeatDef(start, size, mx, [], lst, item if lst else None)
    for child in node:
        if isinstance(child.tag, str):
            if child.tag != "e":
                raise DefinitionError(f"{where}: unexpected <{child.tag}> in <repeat>")
            el = _element(child, item, where)
            if el.pos > size:
                raise DefinitionError(f"{where}: repeat element pos beyond size")
            rep.elements.append(el)
    return rep


def _loop(node: Any, loop: LoopDef, where: str) -> None:
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "segment":
            loop.children.append(_segment(child, loop.cls, where))
        elif child.tag == "raw":
            ids = frozenset((child.get("ids") or "").split())
            if not ids or not all(i.isalnum() for i in ids):
                raise DefinitionError(f"{where}: <raw> needs ids (segment ids)")
            loop.raw_slots.append((len(loop.children), ids))
        elif child.tag == "loop":
            lid = child.get("id") or "?"
            fld, lst = child.get("field"), child.get("list")
            if bool(fld) == bool(lst):
                raise DefinitionError(f"{where}/{lid}: a loop needs field or list")
            attr = fld or lst or ""
            cls = _model_of(loop.cls, attr, f"{where}/{lid}", many=bool(lst))
            sub = LoopDef(lid, cls, attr, bool(lst), child.get("stream") == "true",
                          parent=loop)
            _loop(child, sub, f"{where}/{lid}")
            if not sub.children or not isinstance(sub.children[0], SegmentDef):
                raise DefinitionError(f"{where}/{lid}: a loop must start with its trigger "
                                      "segment")
            loop.children.append(sub)
        else:
            raise DefinitionError(f"{where}: unexpected <{child.tag}>")
    if EXTRA_FIELD not in _hints(loop.cls):
        raise DefinitionError(f"{where}: loop model {loop.cls.__name__} needs a field "
                              f"{EXTRA_FIELD!r} (list[list[str]]) for unmapped segments")
    for i, seg in enumerate(loop.segments()):
        seg.index = i


def load_definition(path: str | Path, root: type) -> Definition:
    """Parse and check the definition at ``path`` against the model class ``root``."""
    tree = parse_xml(path, remove_comments=True)  # no entities, DTD or network (XXE)
    top = tree.getroot()
    if top.tag != "transaction" or not top.get("id") or not top.get("version"):
        raise DefinitionError(f"{path}: the root must be <transaction id=... version=...>")
    name = Path(path).name
    loop = LoopDef(top.get("id") or "", root)
    _loop(top, loop, name)
    return Definition(top.get("id") or "", top.get("version") or "", loop, name)
