"""Property tests: write then tokenize round-trips; nothing but ClaimhouseError escapes."""

from __future__ import annotations

import contextlib
import io
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimhouse.errors import ClaimhouseError
from claimhouse.x12 import Delimiters, EnvelopeReader, SegmentWriter, tokenize
from tests.conftest import CORPUS, corpus_rows
from tests.x12_build import build

_DELIM_CHARS = "*|~^:!>\\{}+\x1d\x1c\x1e\x1f#@$%&"


@st.composite
def delimiter_sets(draw: st.DrawFn) -> Delimiters:
    chars = draw(st.lists(st.sampled_from(_DELIM_CHARS), min_size=4, max_size=4, unique=True))
    return Delimiters(chars[0], chars[1], chars[2], chars[3])


@st.composite
def segment_lists(draw: st.DrawFn, d: Delimiters) -> list[list[str]]:
    forbidden = set(d.all) | {"\r", "\n"}
    alphabet = st.characters(min_codepoint=32, max_codepoint=126,
                             exclude_characters="".join(forbidden))
    value = st.text(alphabet=alphabet, max_size=12)
    seg_id = st.from_regex(r"\A[A-Z][A-Z0-9]{1,2}\Z").filter(
        lambda s: s not in {"ISA", "IEA", "GS", "GE", "ST", "SE"})
    segs = draw(st.lists(st.tuples(seg_id, st.lists(value, max_size=8)), min_size=1,
                         max_size=30))
    out = []
    for sid, els in segs:
        while els and els[-1] == "":
            els.pop()
        out.append([sid, *els])
    return out


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_write_then_tokenize_gives_the_same_segments(data: st.DataObject) -> None:
    d = data.draw(delimiter_sets())
    segs = data.draw(segment_lists(d))
    newline = data.draw(st.booleans())
    buf = io.BytesIO()
    isa = build(0, delimiters=d).split(d.segment.encode("latin-1"))[0]
    buf.write(isa + d.segment.encode("latin-1") + (b"\n" if newline else b""))
    w = SegmentWriter(buf, d, newline=newline)
    for s in segs:
        w.write(s[0], *s[1:])
    got = [s.elements for s in tokenize(buf.getvalue())][1:]
    assert got == segs


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_claimhouse_errors(blob: bytes) -> None:
    with contextlib.suppress(ClaimhouseError):
        list(tokenize(blob))
    EnvelopeReader(blob).run()  # never raises: findings only


@settings(max_examples=200)
@given(st.binary(min_size=0, max_size=300))
def test_random_bytes_after_a_valid_isa(blob: bytes) -> None:
    data = build(1)[:106] + blob
    with contextlib.suppress(ClaimhouseError):
        list(tokenize(data))
    EnvelopeReader(data).run()


def _corpus_samples() -> list[bytes]:
    rows = corpus_rows()
    rng = random.Random(7)
    picked = rng.sample(rows, min(len(rows), 40)) if rows else []
    return [(CORPUS / r["local_path"]).read_bytes() for r in picked]


_SAMPLES = _corpus_samples() or [build(2)]


@settings(max_examples=400, deadline=None)
@given(idx=st.integers(0, len(_SAMPLES) - 1), ops=st.lists(
    st.tuples(st.sampled_from(["flip", "delete", "insert", "truncate", "dup"]),
              st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=5))
def test_mutated_corpus_files_never_raise_anything_but_claimhouse_errors(
        idx: int, ops: list[tuple[str, int, int]]) -> None:
    data = bytearray(_SAMPLES[idx])
    for op, pos, byte in ops:
        if not data:
            break
        i = pos % len(data)
        if op == "flip":
            data[i] = byte
        elif op == "delete":
            del data[i : i + 1 + byte % 20]
        elif op == "insert":
            data[i:i] = bytes([byte])
        elif op == "truncate":
            del data[i:]
        else:
            data[i:i] = data[i : i + 1 + byte]
    with contextlib.suppress(ClaimhouseError):
        list(tokenize(bytes(data)))
    reader = EnvelopeReader(bytes(data))
    for ts in reader.transaction_sets():
        for _ in ts.segments:
            pass
