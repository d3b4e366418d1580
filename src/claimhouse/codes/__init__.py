"""Code lists shipped as data: CARC and RARC descriptions for reports."""

from claimhouse.codes.carc_rarc import (
    UNKNOWN,
    carc_description,
    known_carc_codes,
    known_rarc_codes,
    rarc_description,
)

__all__ = ["UNKNOWN", "carc_description", "known_carc_codes", "known_rarc_codes",
           "rarc_description"]
