"""CARC (claim adjustment reason) and RARC (remittance advice remark) descriptions.

The lists ship as package data (``claimhouse/data/carc.tsv``, ``rarc.tsv``; their headers
name the source, the X12 external code lists published by X12/WPC). They hold the codes
that could be verified, not every code: a code that is not listed is described as
:data:`UNKNOWN`, never an error, so the lists must not be used to reject codes.
"""

from __future__ import annotations

from claimhouse.codes._tables import _file as _load

UNKNOWN = "unknown"
"""The description of a code that is not in the shipped list."""


def carc_description(code: str | None) -> str:
    """The description of a claim adjustment reason code (CAS02/05/...), or "unknown"."""
    return _load("carc.tsv").get((code or "").strip(), UNKNOWN)


def rarc_description(code: str | None) -> str:
    """The description of a remittance advice remark code (LQ02, MOA03-07, MIA05/20-23),
    or "unknown"."""
    return _load("rarc.tsv").get((code or "").strip().upper(), UNKNOWN)


def known_carc_codes() -> frozenset[str]:
    """The CARCs the shipped list describes (a subset of the code list)."""
    return frozenset(_load("carc.tsv"))


def known_rarc_codes() -> frozenset[str]:
    """The RARCs the shipped list describes (a subset of the code list)."""
    return frozenset(_load("rarc.tsv"))
