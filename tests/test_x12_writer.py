"""The writer: counts, fixed-width ISA, delimiter refusal, reproducibility, control numbers."""

from __future__ import annotations

import io
import multiprocessing
from datetime import datetime

import pytest

from claimhouse.errors import DelimiterError, WriteError
from claimhouse.x12 import (
    Delimiters,
    EnvelopeWriter,
    FileControlNumbers,
    InterchangeHeader,
    SegmentWriter,
    SequentialControlNumbers,
    fixed_clock,
    read_envelopes,
)
from tests.x12_build import build


def test_written_interchange_is_clean_and_isa_is_106() -> None:
    data = build(3)
    assert data.index(b"~") == 105
    assert read_envelopes(data).findings == []


def test_output_is_byte_reproducible() -> None:
    assert build(2) == build(2)


def test_trailing_empty_elements_and_components_are_dropped() -> None:
    w = SegmentWriter(io.BytesIO())
    assert w.format("NM1", ["IL", "1", None, None]) == "NM1*IL*1~"
    assert w.format("SV1", [("HC", "99213", "25", "", ""), "100"]) == "SV1*HC:99213:25*100~"
    assert w.format("X", [None, "A"]) == "X**A~"


@pytest.mark.parametrize("value", ["A*B", "A~B", "A:B", "A^B", "A\nB"])
def test_values_containing_a_delimiter_are_refused(value: str) -> None:
    w = SegmentWriter(io.BytesIO())
    with pytest.raises(WriteError) as info:
        w.write("NM1", "IL", value)
    assert value not in str(info.value)
    assert "NM102" in str(info.value)


def test_invalid_delimiter_sets_are_refused() -> None:
    with pytest.raises(DelimiterError):
        Delimiters("*", "*", "~", "^")
    with pytest.raises(DelimiterError):
        Delimiters("A", ":", "~", "^")


def test_isa_fields_too_long_are_refused() -> None:
    ew = EnvelopeWriter(io.BytesIO(), InterchangeHeader("X" * 16, "R"),
                        clock=fixed_clock(datetime(2026, 1, 1)),
                        control_numbers=SequentialControlNumbers())
    with pytest.raises(WriteError):
        ew.begin()


def test_end_set_counts_segments_itself() -> None:
    text = build(1).decode()
    assert "SE*5*0001~" in text and "GE*1*7~" in text and "IEA*1*000000007~" in text


def _take(path: str, n: int) -> list[int]:
    src = FileControlNumbers(path)
    return [src.next_interchange() for _ in range(n)]


def test_file_control_numbers_never_repeat_across_runs_and_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "state" / "control")
    first = _take(path, 5)
    assert first == [1, 2, 3, 4, 5]
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(_take, [(path, 20)] * 3)
    issued = first + [n for r in results for n in r]
    assert len(issued) == len(set(issued)) == 65
    assert _take(path, 1) == [66]


def test_characters_outside_latin1_are_a_write_error_not_a_crash() -> None:
    w = SegmentWriter(io.BytesIO())
    with pytest.raises(WriteError) as info:
        w.write("NM1", "IL", "ZOË\u2603")
    assert "NM1" in str(info.value) and "\u2603" not in str(info.value)
