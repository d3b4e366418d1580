"""Fuzz target: `claimhouse parse` end to end - the registry picks each set's reader
(835, 837P/I/D, 999, 277CA) and the sets are written as JSON, jsonl (streamed) and CSV."""

from __future__ import annotations

import io

from claimhouse.parse import ParseOutcome, iter_parsed, write_csv, write_json, write_jsonl
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12

NAME = "parse"


def _run(data: bytes) -> None:
    outcome = ParseOutcome()
    mode = data[-1] % 3 if data else 0
    parsed = iter_parsed(data, outcome, name="fuzz", stream_jsonl=mode == 1)
    out = io.StringIO()
    if mode == 0:
        write_json(list(parsed), out)
    elif mode == 1:
        write_jsonl(parsed, out)
    else:
        write_csv(parsed, out)


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return list(all_x12())


if __name__ == "__main__":
    main(NAME, one_input, seeds)
