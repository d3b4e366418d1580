"""The streaming tokenizer: delimiters, line ends, offsets and ordinals, sources."""

from __future__ import annotations

import io

import pytest

from claimhouse.errors import ClaimhouseError, DelimiterError, NotX12Error
from claimhouse.x12 import Delimiters, detect_delimiters, tokenize
from tests.x12_build import build


def ids(data: bytes) -> list[str]:
    return [s.id for s in tokenize(data)]


def test_default_delimiters_detected() -> None:
    data = build(1)
    d, length = detect_delimiters(data.decode("latin-1"))
    assert d == Delimiters("*", ":", "~", "^")
    assert length == 106


def test_segments_offsets_and_ordinals_point_at_the_bytes() -> None:
    data = build(2, newline=True)
    segs = list(tokenize(data))
    assert [s.ordinal for s in segs] == list(range(1, len(segs) + 1))
    for s in segs:
        assert data[s.offset : s.offset + len(s.id)].decode() == s.id
    assert segs[0].id == "ISA" and segs[-1].id == "IEA"
    assert ids(data) == ["ISA", "GS", "ST", "BHT", "NM1", "REF", "SE",
                         "ST", "BHT", "NM1", "REF", "SE", "GE", "IEA"]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_line_ends_after_terminators_are_tolerated(ending: bytes) -> None:
    data = build(1)
    assert ids(data.replace(b"~", b"~" + ending)) == ids(data)


def test_one_segment_per_line_with_newline_terminator() -> None:
    data = build(1, delimiters=Delimiters("*", ":", "\n", "^"))
    assert ids(data) == ids(build(1))
    crlf = data.replace(b"\n", b"\r\n")
    assert [s.elements for s in tokenize(crlf)] == [s.elements for s in tokenize(data)]


def test_newline_before_each_terminator() -> None:
    data = build(1)
    odd = data.replace(b"~", b"\n~")
    assert [s.elements for s in tokenize(odd)] == [s.elements for s in tokenize(data)]


def test_leading_bom_and_blank_lines_are_skipped() -> None:
    data = build(1)
    segs = list(tokenize(b"\xef\xbb\xbf\r\n" + data))
    assert segs[0].id == "ISA" and segs[0].offset == 5


@pytest.mark.parametrize("source_kind", ["bytes", "stream", "path"])
def test_sources(source_kind: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = build(3)
    src: object
    if source_kind == "bytes":
        src = data
    elif source_kind == "stream":
        src = io.BytesIO(data)
    else:
        p = tmp_path / "f.x12"
        p.write_bytes(data)
        src = p
    assert ids(data) == [s.id for s in tokenize(src)]  # type: ignore[arg-type]


def test_small_chunks_give_identical_segments() -> None:
    from claimhouse.x12 import Tokenizer
    data = build(5, newline=True)
    big = [(s.elements, s.offset) for s in Tokenizer(data)]
    for size in (1, 7, 64, 105, 106, 107):
        assert [(s.elements, s.offset) for s in Tokenizer(data, chunk_size=size)] == big


def test_concatenated_interchanges_with_different_delimiters() -> None:
    a = build(1)
    b = build(1, delimiters=Delimiters("|", "!", "\x1d", "^"))
    segs = list(tokenize(a + b"\n" + b))
    assert [s.id for s in segs].count("ISA") == 2
    assert [s.elements for s in segs[len(ids(a)):]] == [s.elements for s in tokenize(b)]


def test_isa_text_inside_data_does_not_start_an_interchange() -> None:
    data = build(1, body=[("NM1", "IL", "1", "ISAAC", "ISA")])
    assert ids(data).count("ISA") == 1


@pytest.mark.parametrize("data,error", [
    (b"", NotX12Error),
    (b"   \r\n", NotX12Error),
    (b"%PDF-1.4 binary junk", NotX12Error),
    (b"GS*HC*X~", NotX12Error),
    (b"ISA*00*", DelimiterError),
    (b"ISA000000", DelimiterError),
])
def test_unreadable_input_raises_typed_errors(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        list(tokenize(data))
    assert isinstance(info.value, ClaimhouseError)


def test_colliding_delimiters_are_rejected() -> None:
    data = bytearray(build(1))
    data[104] = ord("~")  # component separator = segment terminator
    with pytest.raises(DelimiterError):
        list(tokenize(bytes(data)))


def test_errors_never_echo_content() -> None:
    secret = b"ISA*00*SECRETNAME"
    with pytest.raises(ClaimhouseError) as info:
        list(tokenize(secret))
    assert "SECRETNAME" not in str(info.value)
