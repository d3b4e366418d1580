"""Code texts for what a biller reads on a remittance: one lookup, :func:`describe`.

Every list ships as a tab-separated file under ``claimhouse/data/`` whose ``#`` header names
its source and date. The lists hold codes that could be checked against public copies of the
code lists, not necessarily every code: :func:`describe` answers ``None`` for a code it does
not know and :func:`label` says :data:`UNKNOWN_CODE` — an unknown code is never an error.

Kinds (:data:`KINDS`): ``carc`` (CAS reason), ``rarc`` (LQ/MOA/MIA remarks), ``claim_status``
(CLP02), ``group`` (CAS01), ``plb`` (PLB03-1 provider adjustment reason), ``handling``
(BPR01), ``credit_debit`` (BPR03), ``payment_method`` (BPR04), ``payment_format`` (BPR05),
``claim_filing`` (CLP06), ``pos`` (place of service).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

UNKNOWN_CODE = "unknown code"
"""What :func:`label` says for a code that is not in the shipped list."""

_FILES: dict[str, tuple[str, str | None]] = {
    # kind: (file, key prefix inside a shared file)
    "carc": ("carc.tsv", None),
    "rarc": ("rarc.tsv", None),
    "claim_status": ("claim_status.tsv", None),
    "group": ("adjustment_group.tsv", None),
    "plb": ("plb_reason.tsv", None),
    "claim_filing": ("claim_filing.tsv", None),
    "pos": ("place_of_service.tsv", None),
    "handling": ("remit_payment.tsv", "handling"),
    "credit_debit": ("remit_payment.tsv", "credit_debit"),
    "payment_method": ("remit_payment.tsv", "payment_method"),
    "payment_format": ("remit_payment.tsv", "payment_format"),
}
KINDS = tuple(_FILES)


@cache
def _file(name: str) -> dict[str, str]:
    text = resources.files("claimhouse").joinpath("data", name).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, description = line.partition("\t")
        table[code.strip()] = description.strip()
    return table


@cache
def table(kind: str) -> dict[str, str]:
    """The whole list of ``kind`` (code -> text); raises KeyError for an unknown kind."""
    name, prefix = _FILES[kind]
    rows = _file(name)
    if prefix is None:
        return dict(rows)
    lead = prefix + ":"
    return {k[len(lead):]: v for k, v in rows.items() if k.startswith(lead)}


def describe(kind: str, code: str | None) -> str | None:
    """The text of ``code`` in the ``kind`` list, or None when the list does not have it
    (an unknown ``kind`` is a programming error: KeyError)."""
    if code is None:
        return None
    c = code.strip()
    if kind == "rarc":
        c = c.upper()
    return table(kind).get(c)


def label(kind: str, code: str | None) -> str:
    """The text of ``code``, or :data:`UNKNOWN_CODE` ("unknown code")."""
    return describe(kind, code) or UNKNOWN_CODE
