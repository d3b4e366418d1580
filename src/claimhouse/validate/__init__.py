"""Validation at the WEDI SNIP levels a clearinghouse runs on intake (1–5).

``validate_file(path, level=5)`` returns a :class:`ValidationReport` shaped like the
interchange (interchange > group > transaction set), each level holding its findings;
``report.valid`` is False when any finding has error severity. Every finding code is
listed in :data:`VALIDATION_CODES` (and the envelope codes in ``claimhouse.x12``).
"""

from claimhouse.validate._codes import VALIDATION_CODES
from claimhouse.validate._engine import ACK_SET_IDS, validate_file
from claimhouse.validate._report import (
    GroupReport,
    InterchangeReport,
    SetReport,
    ValidationReport,
)

__all__ = [
    "ACK_SET_IDS",
    "VALIDATION_CODES",
    "GroupReport",
    "InterchangeReport",
    "SetReport",
    "ValidationReport",
    "validate_file",
]
