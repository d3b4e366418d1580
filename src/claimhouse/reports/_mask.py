"""Masking of patient identity in reports sent to support (``--mask``).

What is masked: what identifies a person — patient and insured names, member and
subscriber ids, dates of birth, postal addresses (and free text that may carry any of
them). What is NOT masked: the patient control number (CLP01, the biller's own claim
number, needed to find the claim; it is not an identifier the patient carries), the
payer's claim control number, amounts, codes, service dates, procedure codes, payer and
payee names and ids (organisations, not patients).

Tokens are stable: the same value gives the same token within a run and across runs for
the same salt — ``KIND-`` + the first 6 hex digits (upper case) of HMAC-SHA256(salt,
kind + NUL + normalised value), e.g. ``PATIENT-3F9A1C``. Names are normalised (case,
surrounding and repeated blanks) so that "DOE, JANE" and "doe,  jane" mask alike. The
default salt is fixed (reproducible output); pass a per-report salt so that tokens from
two reports cannot be joined. Six hex digits collide rarely enough for reading a report
(a token is a label, not a key).

API::

    m = Masker(enabled=True, salt=b"...")    # Masker(False) passes values through
    m.name("DOE, JANE")        -> "PATIENT-3F9A1C"
    m.member_id("W123456789")  -> "MEMBER-0B12CD"
    m.birth_date(date(...))    -> "DOB-7A2E90"   (dob() is the same; str or date)
    m.address("1 MAIN ST")     -> "ADDRESS-55E1A0"
    m.text("free text")        -> "TEXT-91C3D2"

``None`` and empty values pass through unchanged (there is nothing to hide). With
``enabled=False`` every method returns its value (dates as ISO 8601), so callers can
always route PHI through a Masker.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import overload

DEFAULT_SALT = b"claimhouse-mask-v1"
"""The fixed salt used when none is given (tokens reproducible across runs)."""


def _normal(value: str) -> str:
    return " ".join(value.split()).upper()


class Masker:
    """Replace patient-identifying values by stable tokens (see the module docstring)."""

    __slots__ = ("_cache", "_salt", "enabled")

    def __init__(self, enabled: bool = True, salt: bytes = DEFAULT_SALT) -> None:
        self.enabled = enabled
        self._salt = salt
        self._cache: dict[tuple[str, str], str] = {}

    def token(self, kind: str, value: str) -> str:
        """``KIND-XXXXXX`` for ``value`` (normalised); the building block of the others."""
        key = (kind, _normal(value))
        hit = self._cache.get(key)
        if hit is None:
            digest = hmac.new(self._salt, f"{key[0]}\0{key[1]}".encode(), hashlib.sha256)
            hit = f"{kind}-{digest.hexdigest()[:6].upper()}"
            self._cache[key] = hit
        return hit

    @overload
    def _apply(self, kind: str, value: None) -> None: ...
    @overload
    def _apply(self, kind: str, value: str) -> str: ...

    def _apply(self, kind: str, value: str | None) -> str | None:
        if value is None or not self.enabled or not value.strip():
            return value
        return self.token(kind, value)

    def name(self, value: str) -> str:
        """A person's name (any form: "LAST, FIRST", "FIRST M LAST")."""
        return self._apply("PATIENT", value)

    def member_id(self, value: str) -> str:
        """A member, subscriber or insured id (NM109 of QC/IL, REF*1W/SY ...)."""
        return self._apply("MEMBER", value)

    def birth_date(self, value: date | str) -> str:
        """A date of birth (a ``date`` or its text)."""
        text = value.isoformat() if isinstance(value, date) else value
        return self._apply("DOB", text)

    dob = birth_date

    def address(self, value: str) -> str:
        """A street address line, or a whole address."""
        return self._apply("ADDRESS", value)

    def text(self, value: str) -> str:
        """Free text that may carry PHI (a contact name, a note)."""
        return self._apply("TEXT", value)
