"""Bindings between domain models and X12 transactions (835, 837P/I/D, 999, TA1, 277CA).

Each transaction is driven by one declarative definition under ``maps/``; the registry maps
(ST01, guide) to the binding that reads and writes it.
"""

from claimhouse.transactions._registry import Binding, bindings, lookup, resolve

__all__ = ["Binding", "bindings", "lookup", "resolve"]
