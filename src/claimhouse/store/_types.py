"""Column types: exact money on every backend.

:class:`Money` is ``NUMERIC(18, 2)`` on PostgreSQL. SQLite has no exact decimal type (its
NUMERIC affinity stores 12.34 as a binary float), so there the same column holds integer
cents: sums computed in SQL stay exact and come back as ``Decimal``. Python code only ever
sees ``Decimal`` with two places.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """An amount of money: ``NUMERIC(18, 2)``, integer cents on SQLite; never a float."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(CENT)
        if dialect.name == "sqlite":
            return int(amount * 100)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if type(value) is int:
            return Decimal(value).scaleb(-2)
        if type(value) is Decimal and value.as_tuple().exponent == -2:
            return value
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-2)
        return Decimal(value).quantize(CENT)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal
