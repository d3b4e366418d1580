"""The explicit registry: (ST01, implementation guide) -> the binding that reads/writes it.

No dispatch by building module names from strings: every binding is imported and listed
in :data:`BINDINGS` below by hand. A guide key is release + guide without addenda
(``005010X221``), so X222A1 and X222A2 files find the same binding.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from claimhouse.x12 import Finding, ImplementationVersion, Segment, TransactionSet

JsonRecord = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Binding:
    """How one transaction is read into models and rendered for `claimhouse parse`.

    ``read`` turns one transaction set into a model; ``to_json`` renders a model as a JSON
    object (one element of ``json_key``'s list); ``jsonl_records`` yields one record per
    claim-level item with its context repeated; ``csv_rows`` one flat row per service line.
    ``sniff`` (optional) refines the choice when a file's GS08 names the wrong guide (see
    :func:`resolve`).
    """

    name: str
    set_id: str
    guides: frozenset[str]
    json_key: str
    read: Callable[[TransactionSet], Any]
    to_json: Callable[[Any], JsonRecord]
    jsonl_records: Callable[[Any], Iterator[JsonRecord]]
    csv_rows: Callable[[Any], Iterator[JsonRecord]]
    csv_columns: tuple[str, ...] = field(default=())
    sniff: Callable[[Segment], str | None] | None = None
    """Called on the body segments, in order, until it returns a binding name (or
    :data:`SNIFF_LIMIT` segments have passed): the name of the binding the content calls
    for, e.g. "837I" when a GS08 says professional but the lines are SV2."""
    json_items: Callable[[Any], Iterator[JsonRecord]] | None = None
    """When one transaction set holds many ``json_key`` items (an 837 holds many claims):
    the items of a model; default ``[to_json(model)]``."""
    jsonl_stream: Callable[[TransactionSet], Iterator[JsonRecord]] | None = None
    """Optional: the ``jsonl_records`` of a set read straight from its segments, one item at
    a time, without building the whole model (constant memory on huge sets)."""
    read_checked: Callable[[TransactionSet, list[Finding]], Any] | None = None
    """Optional: ``read`` that also appends the map engine's findings (``map-bad-value``:
    an element that does not convert) to the list, for `claimhouse parse` to report."""
    jsonl_stream_checked: Callable[[TransactionSet, list[Finding]],
                                   Iterator[JsonRecord]] | None = None
    """Optional: ``jsonl_stream`` that also appends the map engine's findings."""


BINDINGS: list[Binding] = []
"""Filled by :func:`_load` from the transaction modules, in a fixed, explicit order."""


def _x221() -> list[Binding]:
    from claimhouse.transactions import x221
    return x221.BINDINGS


def _claims837() -> list[Binding]:
    from claimhouse.transactions import claims837
    return claims837.BINDINGS


def _acks999() -> list[Binding]:
    from claimhouse.acks import _read as acks_read
    return acks_read.BINDINGS


def _acks277() -> list[Binding]:
    from claimhouse.acks import _read277 as acks_read277
    return acks_read277.BINDINGS


# Each transaction module exposes BINDINGS; they are listed here explicitly, one line each,
# with the ST01 values they bind, so that reading an 835 imports the 835 module alone (the
# 837 and acknowledgment modules cost more start-up time than a small file's whole parse).
# (Imported in functions, not at module top, because those modules import this one.)
_MODULES: tuple[tuple[str, Callable[[], list[Binding]]], ...] = (
    ("835", _x221),
    ("837", _claims837),
    ("999", _acks999),
    ("277", _acks277),
)
_LOADED: dict[str, list[Binding]] = {}


def _for_set(set_id: str) -> list[Binding]:
    """The bindings of ST01 ``set_id`` (its module imported on first use), in the order
    :data:`BINDINGS` lists them."""
    found = _LOADED.get(set_id)
    if found is None:
        found = []
        for sid, load in _MODULES:
            if sid == set_id:
                found += [b for b in load() if b.set_id == set_id]
        _LOADED[set_id] = found
    return found


def _load() -> list[Binding]:
    if not BINDINGS:
        for _sid, load in _MODULES:
            BINDINGS.extend(load())
    return BINDINGS


def lookup(set_id: str, version: str | None) -> Binding | None:
    """The binding for a transaction set id and a GS08/ST03 version (addenda ignored);
    falls back to the only binding for ``set_id`` when the version names no guide (e.g.
    "5010"), but not when it names another one (an 004010 file is not read as 005010)."""
    parsed = ImplementationVersion.parse(version or "")
    key = parsed.key
    same_id = _for_set(set_id)
    for b in same_id:
        if key in b.guides:
            return b
    if parsed.guide is not None:
        return None
    return same_id[0] if len(same_id) == 1 else None


SNIFF_LIMIT = 5000
"""Body segments a binding's ``sniff`` may look at before its own name is kept."""


def resolve(ts: TransactionSet) -> tuple[Binding | None, TransactionSet]:
    """The binding for ``ts`` by ST01 and GS08/ST03, refined by the binding's ``sniff``
    (which sees the first body segments; they are buffered and handed back unconsumed)."""
    binding = lookup(ts.info.id, ts.info.version or ts.group.version)
    if binding is None or binding.sniff is None:
        return binding, ts
    head: list[Segment] = []
    name: str | None = None
    for seg in ts.segments:
        head.append(seg)
        name = binding.sniff(seg)
        if name is not None or len(head) >= SNIFF_LIMIT:
            break
    ts = dataclasses.replace(ts, segments=itertools.chain(head, ts.segments))
    if name is not None and name != binding.name:
        same = [b for b in _for_set(binding.set_id) if b.name == name]
        binding = same[0] if same else next((b for b in _load() if b.name == name), binding)
    return binding, ts


def bindings() -> list[Binding]:
    return list(_load())
