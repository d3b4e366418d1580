"""Fuzz target: the validator entry (validate_file at SNIP level 5 without pyx12, which is
slow and third-party) and the 999/TA1 built from its report."""

from __future__ import annotations

from datetime import datetime

from claimhouse.acks import build_acks
from claimhouse.validate import validate_file
from claimhouse.x12 import SequentialControlNumbers, fixed_clock
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12

NAME = "validate"
_CLOCK = fixed_clock(datetime(2026, 1, 2, 3, 4))


def _run(data: bytes) -> None:
    report = validate_file(data, level=5, name="fuzz", use_pyx12=False)
    report.to_dict()
    build_acks(report, clock=_CLOCK, control_numbers=SequentialControlNumbers(1))


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return list(all_x12())


if __name__ == "__main__":
    main(NAME, one_input, seeds)
