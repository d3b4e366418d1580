"""A finding's location names the segment id, i.e. the text before a segment's first element
separator. In text that is not X12 that "id" can be anything, a patient's name included:
no report, operator message or acknowledgment may echo it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.x12 import Location
from claimhouse.x12._findings import is_segment_id

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "x12" / "835-sample.x12"
PHI = "PATIENT SMITH JOHN 19310203"
SECRETS = ("SMITH", "19310203", "PATIENT")


@pytest.mark.parametrize("text,ok", [("CLP", True), ("N1", True), ("TS3", True),
                                     ("ISA", True), ("clp", False), ("C", False),
                                     ("CLPX", False), ("1AB", False), (PHI, False),
                                     ("", False), ("SM ", False)])
def test_is_segment_id(text: str, ok: bool) -> None:
    assert is_segment_id(text) is ok


def test_location_keeps_only_what_can_be_an_id() -> None:
    assert Location(segment=3, segment_id="CLP").segment_id == "CLP"
    loc = Location(segment=12, segment_id=PHI, element=2)
    assert loc.segment_id is None and "SMITH" not in loc.describe()
    assert loc.describe() == "segment 12"


def _variants(tmp_path: Path) -> list[Path]:
    text = SAMPLE.read_text(encoding="latin-1")
    term = text[105]
    after_iea = tmp_path / "after-iea.x12"
    after_iea.write_text(text.rstrip() + f"\n{PHI}{term}\n", encoding="latin-1")
    inside = tmp_path / "inside-set.x12"
    lx = text.index("LX*1")
    inside.write_text(text[:lx] + f"{PHI}*1{term}" + text[lx:], encoding="latin-1")
    return [after_iea, inside]


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_validate_and_acks_do_not_echo_a_non_x12_segment_id(tmp_path: Path, fmt: str) -> None:
    files = _variants(tmp_path)
    acks = tmp_path / "acks"
    acks.mkdir()
    result = CliRunner().invoke(cli, ["validate", "--format", fmt, "-v", "--ack-dir",
                                      str(acks), *map(str, files)])
    assert result.exit_code == 1, result.output  # both files have an error...
    assert "segment" in result.output  # ...located by segment number
    written = [p.read_bytes().decode("latin-1") for p in acks.iterdir()]
    assert written  # a 999 / TA1 was written
    for out in (result.output, *written):
        assert not any(s in out for s in SECRETS), out
