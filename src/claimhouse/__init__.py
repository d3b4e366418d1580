"""claimhouse: an EDI X12 (HIPAA 5010) interchange processor for the revenue cycle."""

from claimhouse.errors import ClaimhouseError

__version__ = "0.1.0"
__all__ = ["ClaimhouseError", "__version__"]
