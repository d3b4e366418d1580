"""Code lists shipped as data: CARC, RARC, claim status, group, PLB reason, payment and
place-of-service texts for reports (``describe(kind, code)``)."""

from claimhouse.codes._tables import KINDS, UNKNOWN_CODE, describe, label, table
from claimhouse.codes.carc_rarc import (
    UNKNOWN,
    carc_description,
    known_carc_codes,
    known_rarc_codes,
    rarc_description,
)

__all__ = ["KINDS", "UNKNOWN", "UNKNOWN_CODE", "carc_description", "describe",
           "known_carc_codes", "known_rarc_codes", "label", "rarc_description", "table"]
