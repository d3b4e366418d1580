"""Acknowledgments: building 999 and TA1 from a validation report, and reading them.

``build_acks(report, clock=..., control_numbers=...)`` gives the TA1s and 999s to send
back for a validated file; ``build_277ca(source, report, ...)`` the 277CA claim
acknowledgments for its accepted 837 sets. Acknowledgments are never acknowledged.
"""

from claimhouse.acks._277ca import build_277ca
from claimhouse.acks._build import (
    ACK_FUNCTIONAL_IDS,
    Acknowledgment,
    build_acks,
    is_acknowledgment,
    set_status,
    ta1_note,
)

__all__ = [
    "ACK_FUNCTIONAL_IDS",
    "Acknowledgment",
    "build_277ca",
    "build_acks",
    "is_acknowledgment",
    "set_status",
    "ta1_note",
]
