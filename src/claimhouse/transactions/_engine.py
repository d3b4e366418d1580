"""The generic, declarative map engine shared by every transaction binding (835, 837...).

A transaction definition (``maps/<set>.<version>.xml``, format in docs/maps.md) names the
loops, segments, qualifiers and which element or component feeds which model field. It is
loaded once into a :class:`TransactionMap`, which both reads (:meth:`~TransactionMap.read`,
or :meth:`~TransactionMap.stream` one streaming-unit loop at a time, in constant memory)
and writes (:meth:`~TransactionMap.write`), so a reader and its writer cannot drift apart.

The engine knows nothing of any particular transaction. Segments a valid file carries
that the definition does not map (or that repeat where the definition allows one) are kept
in the owning loop model's ``extra_segments`` and written back, so parse -> write loses
nothing.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from claimhouse.errors import DefinitionError
from claimhouse.transactions._engine_def import (
    EXTRA_FIELD,
    Definition,
    ElementDef,
    LoopDef,
    RepeatDef,
    SegmentDef,
    load_definition,
)
from claimhouse.transactions._engine_read import (
    CompiledLoop,
    Streamed,
    compile_reader,
    run_reader,
)
from claimhouse.x12 import Finding, Location, Segment, SegmentWriter

MAPS_DIR = Path(__file__).resolve().parent.parent / "maps"
"""The shipped definitions (``claimhouse/maps``; the repository's top-level ``maps/``)."""


class TransactionMap:
    """One compiled transaction definition bound to its root model class."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self._root: CompiledLoop = compile_reader(definition)

    @classmethod
    def load(cls, path: str | Path, root: type) -> TransactionMap:
        """Load and compile the definition at ``path`` (a file name alone is looked up in
        :data:`MAPS_DIR`) against the root model class ``root``."""
        p = Path(path)
        if not p.is_absolute() and not p.exists():
            p = MAPS_DIR / p
        return cls(load_definition(p, root))

    @property
    def set_id(self) -> str:
        """ST01 of the transaction (e.g. ``835``)."""
        return self.definition.set_id

    @property
    def version(self) -> str:
        """ST03/GS08 implementation convention reference (e.g. ``005010X221A1``)."""
        return self.definition.version

    def read(self, segments: Iterable[Segment], *, component: str = ":",
             findings: list[Finding] | None = None, location: Location | None = None
             ) -> Any:
        """Read a transaction set's body segments (after ST, before SE) into the root model.

        ``component`` is the interchange's component separator (ISA16). Elements that do
        not convert to their field's type leave their segment unmapped (kept as an extra)
        and add a ``map-bad-value`` finding to ``findings``.

        The cyclic garbage collector is paused while the set is read: models form no
        reference cycles (reference counting frees them), and with a whole set's models
        alive every collection re-traversed them all - about a third of the read time on
        big 835s. It is switched back on (if it was on) before this returns or raises."""
        was_on = gc.isenabled()
        gc.disable()
        try:
            tail = deque(run_reader(self._root, segments, component, stream=False,
                                    findings=findings, location=location), maxlen=1)
        finally:
            if was_on:
                gc.enable()
        return tail[0].item

    def stream(self, segments: Iterable[Segment], *, component: str = ":",
               findings: list[Finding] | None = None, location: Location | None = None
               ) -> Iterator[Streamed]:
        """Like :meth:`read`, but yield each loop marked ``stream="true"`` as soon as it
        closes (not kept in its parent), then a final :class:`Streamed` whose ``item`` is
        the root model (without the streamed items) and whose ``frames`` is empty."""
        return run_reader(self._root, segments, component, stream=True, findings=findings,
                          location=location)

    def write(self, model: Any, writer: SegmentWriter) -> None:
        """Write ``model``'s body segments (no ST/SE) in definition order."""
        if not isinstance(model, self.definition.root.cls):
            raise DefinitionError(f"the {self.set_id} definition writes "
                                  f"{self.definition.root.cls.__name__} models, not "
                                  f"{type(model).__name__}")
        from claimhouse.transactions._engine_write import write_loop  # not needed to read

        write_loop(writer, self.definition.root, model)


@cache
def load_map(name: str, root: type) -> TransactionMap:
    """The shipped definition ``maps/<name>`` compiled for ``root`` (cached)."""
    return TransactionMap.load(MAPS_DIR / name, root)


__all__ = [
    "EXTRA_FIELD",
    "MAPS_DIR",
    "Definition",
    "ElementDef",
    "LoopDef",
    "RepeatDef",
    "SegmentDef",
    "Streamed",
    "TransactionMap",
    "load_map",
]
