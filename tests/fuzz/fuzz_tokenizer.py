"""Fuzz target: the streaming tokenizer (claimhouse.x12.Tokenizer).

The first input byte picks the chunk size (1 byte to 256 KiB), so chunk boundaries fall
everywhere: inside the ISA, a terminator's CR/LF, or an IEA followed by another ISA."""

from __future__ import annotations

from claimhouse.x12 import Tokenizer
from tests.fuzz._runner import guarded, main
from tests.fuzz._seeds import all_x12

NAME = "tokenizer"
_CHUNKS = (1, 2, 3, 7, 64, 105, 106, 107, 4096, 1 << 18)


def _run(data: bytes) -> None:
    chunk = _CHUNKS[data[0] % len(_CHUNKS)] if data else 1 << 18
    tok = Tokenizer(data, chunk_size=chunk)
    offset = -1
    for seg in tok:
        assert seg.offset > offset, "segment offsets must increase"
        offset = seg.offset
        assert isinstance(seg.elements[0], str)


one_input = guarded(_run)


def seeds() -> list[bytes]:
    return list(all_x12())


if __name__ == "__main__":
    main(NAME, one_input, seeds)
