"""Plain, typed domain objects. Models know nothing of X12 or SQL.

Money is ``Decimal``, dates are ``date``; JSON in and out carries amounts as strings and
dates as ISO 8601.
"""

__all__: list[str] = []
