"""Small value objects shared by the remittance models (and reusable by other transactions).

They mirror one X12 segment each (NM1, N3/N4, REF, PER, AMT, QTY, LQ, RDM) without any
X12 knowledge: which qualifier a segment carries is the transaction definition's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(slots=True)
class EntityName:
    """A person or organisation (NM1): NM102 type, NM103-NM107 name parts, NM108/NM109 id."""

    entity_type: str | None = None
    last_name: str | None = None
    """Last name of a person, or the organisation's name."""
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    id_qualifier: str | None = None
    identifier: str | None = None


@dataclass(slots=True)
class PostalAddress:
    """N3 (address lines) and N4 (city, state, postal code, country, subdivision)."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    country_subdivision: str | None = None


@dataclass(slots=True)
class ReferenceId:
    """A reference identification (REF01 qualifier, REF02 value)."""

    qualifier: str | None = None
    value: str | None = None


@dataclass(slots=True)
class ContactInfo:
    """A contact (PER): name and up to three communication numbers with their qualifiers."""

    name: str | None = None
    qualifier_1: str | None = None
    number_1: str | None = None
    qualifier_2: str | None = None
    number_2: str | None = None
    qualifier_3: str | None = None
    number_3: str | None = None


@dataclass(slots=True)
class SupplementalAmount:
    """An AMT segment: qualifier (e.g. AU coverage, I interest, B6 allowed) and amount."""

    qualifier: str | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class SupplementalQuantity:
    """A QTY segment: qualifier and quantity."""

    qualifier: str | None = None
    quantity: Decimal | None = None


@dataclass(slots=True)
class RemarkCode:
    """An LQ segment: code list qualifier (HE = RARC, RX = NCPDP reject) and the code."""

    qualifier: str | None = None
    code: str | None = None


@dataclass(slots=True)
class DeliveryMethod:
    """RDM: how the remittance reaches the payee (BM, EM, FT, OL), name, address/number."""

    method: str | None = None
    name: str | None = None
    communication_number: str | None = None


RawSegments = list[list[str]]
"""Segments a definition does not map, kept verbatim so that parse -> write loses nothing:
each is ``[segment id, element 01, element 02, ...]`` with composites joined by ``:``."""


def raw_segments() -> RawSegments:
    return []


__all__ = [
    "ContactInfo",
    "DeliveryMethod",
    "EntityName",
    "PostalAddress",
    "RawSegments",
    "ReferenceId",
    "RemarkCode",
    "SupplementalAmount",
    "SupplementalQuantity",
    "raw_segments",
]
