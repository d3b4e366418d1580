"""Totals of an 837 or 835 as claimhouse and as other maintained readers see them.

Each reader returns :class:`Totals`: the claims as (CLM01, CLM02) for an 837 or
(CLP01, CLP04) for an 835, and the BPR02 of every 835 transaction set. A reader that
cannot read a file raises :class:`Rejected` with its reason (the test counts those).

- claimhouse: ``claimhouse.parse.iter_parsed`` (our models).
- oxedi (PyPI ``oxedi``, Rust 835 reader): its ``claims`` and ``payments`` tables, read
  from ``Table.render()`` (the Arrow exports need pyarrow/polars, which we do not install).
- x12sdk (PyPI ``x12sdk``, pydantic models derived from LinuxForHealth x12): its
  ``claims()`` accessors and the 835 BPR segment; 837P (X222A2 models) and 837I (X223A3)
  and 835 (X221A1); no 837D.
"""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


class Rejected(Exception):
    """The reader could not read the file (the message says why)."""


@dataclass(slots=True)
class Totals:
    claims: list[tuple[str, Decimal]] = field(default_factory=list)
    bpr02: list[Decimal] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.claims)

    @property
    def amount(self) -> Decimal:
        return sum((a for _, a in self.claims), Decimal(0))

    def key(self) -> tuple[int, Decimal, Decimal, list[tuple[str, Decimal]]]:
        return (self.count, self.amount, sum(self.bpr02, Decimal(0)), sorted(self.claims))


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).normalize() + Decimal("0.00")
    except (InvalidOperation, ValueError) as exc:
        raise Rejected(f"not an amount: {value!r}") from exc


def claimhouse_totals(path: Path) -> Totals:
    from claimhouse.errors import ClaimhouseError
    from claimhouse.parse import ParseOutcome, iter_parsed

    out = Totals()
    outcome = ParseOutcome()
    try:
        for parsed in iter_parsed(path, outcome, name=path.name):
            model = parsed.model
            if parsed.binding.set_id == "835":
                if model.payment is None or model.payment.amount is None:
                    raise Rejected("claimhouse: BPR02 missing")
                out.bpr02.append(_dec(model.payment.amount))
                out.claims += [(c.patient_control_number, _dec(c.paid_amount))
                               for c in model.claims()]
            elif parsed.binding.set_id == "837":
                out.claims += [(c.patient_control_number, _dec(c.total_charge))
                               for c in model.claims]
    except ClaimhouseError as exc:
        raise Rejected(f"claimhouse: {type(exc).__name__}") from exc
    if outcome.unsupported and not out.claims:
        raise Rejected("claimhouse: unsupported " + ", ".join(
            f"{u.set_id}/{u.version}" for u in outcome.unsupported))
    return out


def oxedi_totals(path: Path) -> Totals:
    import oxedi

    try:
        result = oxedi.parse_file(path)
    except (ValueError, oxedi.ParseError) as exc:
        raise Rejected(f"oxedi: {type(exc).__name__}: {str(exc)[:120]}") from exc
    errors = [d for d in result.diagnostics if d.level >= 2] if result.diagnostics else []
    out = Totals()
    for row in _rows(result.tables["payments"]):
        if row["total_payment_amount"] == "\u2205":  # rendered null
            raise Rejected("oxedi: BPR02 missing")
        out.bpr02.append(_dec(row["total_payment_amount"]))
    for row in _rows(result.tables["claims"]):
        out.claims.append((row["claim_id"], _dec(row["payment_amount"])))
    if not out.claims and errors:
        raise Rejected(f"oxedi: {errors[0].kind} {errors[0].rule}")
    return out


def _rows(table: Any) -> list[dict[str, str]]:
    """A table's rows from its text rendering: a title, a typed header, rows of ' | '."""
    columns = table.columns
    lines = table.render().splitlines()
    rows = []
    for line in lines[2:]:
        if not line.strip():
            continue
        cells = line.split(" | ")
        if len(cells) != len(columns):
            raise Rejected(f"oxedi: a {table.name} row does not split into its columns")
        rows.append(dict(zip(columns, cells, strict=True)))
    if len(rows) != len(table):
        raise Rejected(f"oxedi: {table.name} rendered {len(rows)} of {len(table)} rows")
    return rows


@contextlib.contextmanager
def _quiet() -> Any:
    logger = logging.getLogger("x12sdk")
    saved = logger.disabled
    logger.disabled = True
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(
                io.StringIO()):
            yield
    finally:
        logger.disabled = saved


def x12sdk_totals(path: Path) -> Totals:
    from x12sdk.io import X12ModelReader

    out = Totals()
    models = 0
    try:
        with _quiet(), X12ModelReader(str(path)) as reader:
            for model in reader.models():
                models += 1
                bpr = getattr(getattr(model, "header", None), "bpr_segment", None)
                if bpr is not None:
                    out.bpr02.append(_dec(bpr.total_actual_provider_payment_amount))
                    out.claims += [(c.patient_control_number, _dec(c.paid))
                                   for c in model.claims()]
                else:
                    out.claims += [(c.patient_control_number, _dec(c.charge))
                                   for c in model.claims()]
    except Exception as exc:  # pydantic ValidationError, KeyError (no guide), ValueError
        raise Rejected(f"x12sdk: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                       ) from exc
    if models == 0:
        raise Rejected("x12sdk: no transaction set read (4010, or delimiters it misreads)")
    return out


READERS = {"claimhouse": claimhouse_totals, "oxedi": oxedi_totals, "x12sdk": x12sdk_totals}
