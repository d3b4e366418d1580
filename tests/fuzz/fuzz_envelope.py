"""Fuzz target: the envelope reader (ISA/GS/ST nesting, control numbers and counts).

Reads every transaction set, consuming some bodies whole, some partly and some not at
all (as a transaction reader that gives up would), then checks the findings are
well-formed: known codes, located, and never quoting element content."""

from __future__ import annotations

from claimhouse.x12 import ENVELOPE_CODES, EnvelopeReader
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12

NAME = "envelope"


def _run(data: bytes) -> None:
    reader = EnvelopeReader(data, name="fuzz")
    for i, ts in enumerate(reader.transaction_sets()):
        if i % 3 == 0:
            for _ in ts.segments:
                pass
        elif i % 3 == 1:
            next(ts.segments, None)
    for f in reader.findings:
        assert f.code in ENVELOPE_CODES, f.code
        assert f.location.file == "fuzz"
        str(f)
        f.to_dict()
    for icx in reader.interchanges:
        for grp in icx.groups:
            for st in grp.transaction_sets:
                assert st.segment_count >= 1


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return list(all_x12())


if __name__ == "__main__":
    main(NAME, one_input, seeds)
