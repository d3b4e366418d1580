"""Plain, typed domain objects. Models know nothing of X12 or SQL.

Money is ``Decimal``, dates are ``date``; JSON in and out carries amounts as strings and
dates as ISO 8601.
"""

from claimhouse.models._json import from_json, to_json

__all__: list[str] = ["from_json", "to_json"]
