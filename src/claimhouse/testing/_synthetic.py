"""Synthetic X12 byte streams of any size, generated on the fly in constant memory."""

from __future__ import annotations

import io
from collections.abc import Iterator

from claimhouse.x12 import Delimiters

_BODY = (
    "NM1{e}QC{e}1{e}DOE{e}JANE{e}{e}{e}{e}MI{e}A{n:08d}",
    "CLP{e}PCN{n:08d}{e}1{e}150.00{e}120.00{e}10.00{e}12{e}PAYER{n:09d}{e}11{e}1",
    "CAS{e}CO{e}45{e}20.00",
    "DTM{e}232{e}20260101",
    "SVC{e}HC{c}99213{c}25{e}150.00{e}120.00{e}{e}1",
    "REF{e}6R{e}L{n:08d}",
)


def _isa(d: Delimiters, control: int) -> str:
    e = d.element
    return (f"ISA{e}00{e}{'':10}{e}00{e}{'':10}{e}ZZ{e}{'SENDER':15}{e}ZZ{e}{'RECEIVER':15}"
            f"{e}260101{e}1200{e}{d.repetition or 'U'}{e}00501{e}{control:09d}{e}0{e}T{e}"
            f"{d.component}{d.segment}")


def synthetic_interchange(target_bytes: int, *, delimiters: Delimiters | None = None,
                          newline: bool = False, segments_per_set: int = 600) -> Iterator[bytes]:
    """Yield blocks of one well-formed interchange of about ``target_bytes`` bytes.

    The body segments are shaped like remittance data but the envelope is all that is
    guaranteed correct (counts and control numbers); content is fictional.
    """
    d = delimiters or Delimiters()
    t = d.segment + ("\n" if newline else "")
    e, c = d.element, d.component
    out: list[str] = [_isa(d, 1) + ("\n" if newline else "")]
    out.append(f"GS{e}HP{e}SENDER{e}RECEIVER{e}20260101{e}1200{e}1{e}X{e}005010X221A1{t}")
    written = sum(len(x) for x in out)
    yield "".join(out).encode("latin-1")
    n = 0
    sets = 0
    while written < target_bytes:
        sets += 1
        block = [f"ST{e}835{e}{sets:04d}{e}005010X221A1{t}"]
        count = 1
        for _ in range(segments_per_set // len(_BODY)):
            n += 1
            for tpl in _BODY:
                block.append(tpl.format(e=e, c=c, n=n) + t)
                count += 1
        block.append(f"SE{e}{count + 1}{e}{sets:04d}{t}")
        text = "".join(block)
        written += len(text)
        yield text.encode("latin-1")
    yield f"GE{e}{sets}{e}1{t}IEA{e}1{e}000000001{t}".encode("latin-1")


class GeneratedStream(io.RawIOBase):
    """A read-only binary stream over a generator of blocks, for files that should never
    exist on disk (e.g. a 500 MB interchange in a memory test)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buf:
            nxt = next(self._blocks, None)
            if nxt is None:
                return 0
            self._buf = nxt
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n
