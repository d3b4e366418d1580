"""Generators of synthetic X12 for tests and benchmarks (no PHI: every value is made up)."""

from claimhouse.testing._synthetic import GeneratedStream, synthetic_interchange

__all__ = ["GeneratedStream", "synthetic_interchange"]
