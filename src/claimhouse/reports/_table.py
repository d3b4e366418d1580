"""A report is a list of sections, each a titled table of rows; rendered as an aligned
text table, CSV or JSON (amounts as strings, dates ISO 8601)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json")


@dataclass(slots=True)
class Section:
    """One table: a title, its column names and rows (dicts keyed by column)."""

    title: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return _text(value)
    return value


def render(sections: Sequence[Section], fmt: str = "table") -> str:
    """``sections`` as ``table``, ``csv`` (sections one after the other, a blank line
    between) or ``json`` (an object keyed by section title, or the rows of the only one)."""
    if fmt == "json":
        data = {s.title: [{c: _json(r.get(c)) for c in s.columns} for r in s.rows]
                for s in sections}
        payload: Any = next(iter(data.values())) if len(data) == 1 else data
        return json.dumps(payload, indent=2) + "\n"
    out = io.StringIO()
    for n, s in enumerate(sections):
        if n:
            out.write("\n")
        if fmt == "csv":
            w = csv.writer(out, lineterminator="\n")
            if len(sections) > 1:
                w.writerow([f"# {s.title}"])
            w.writerow(s.columns)
            for r in s.rows:
                w.writerow([_text(r.get(c)) for c in s.columns])
            continue
        cells = [[_text(r.get(c)) for c in s.columns] for r in s.rows]
        widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(s.columns)]
        numeric = [all(_is_number(row[i]) for row in cells if row[i]) and bool(cells)
                   for i in range(len(s.columns))]
        out.write(f"{s.title}\n")
        out.write(_line(list(s.columns), widths, numeric) + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for row in cells:
            out.write(_line(row, widths, numeric) + "\n")
        if not cells:
            out.write("(none)\n")
    return out.getvalue()


def _line(values: list[str], widths: list[int], numeric: list[bool]) -> str:
    return "  ".join(v.rjust(w) if num else v.ljust(w)
                     for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
