"""999/TA1 generation: pyx12 accepts our 999s, bytes are reproducible, acks are never
acknowledged; docs/findings.md is current; the validate command's exit codes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyx12.params
import pyx12.x12n_document
from click.testing import CliRunner
from lxml import etree

from claimhouse.acks import build_acks
from claimhouse.cli import cli
from claimhouse.validate import validate_file
from claimhouse.validate._docs import render
from claimhouse.validate._pyx12 import (
    _quiet_pyx12,
    is_pyx12_map,
    merged_map_path,
    pyx12_map_dir,
)
from claimhouse.x12 import SequentialControlNumbers
from tests.conftest import ROOT
from tests.validate_samples import CLOCK, sample_837p


def _acks(data: bytes, **kw: object) -> list:  # type: ignore[type-arg]
    report = validate_file(data, 5, **kw)  # type: ignore[arg-type]
    return build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers())


def _pyx12_valid(data: bytes) -> bool:
    with _quiet_pyx12():
        return bool(pyx12.x12n_document.x12n_document(
            pyx12.params.params(), io.StringIO(data.decode()), None, None, None, None))


def test_generated_999s_pass_pyx12() -> None:
    good = sample_837p(claims=2, sets=2)
    bad = good.replace(b"ABK:E119", b"ABK:Z9999", 1).replace(b"DTP*472*D8*20260101",
                                                           b"DTP*472*D8*20261301", 1)
    for data in (good, bad):
        acks = [a for a in _acks(data) if a.kind == "999"]
        assert len(acks) == 1
        assert _pyx12_valid(acks[0].content)
    assert b"AK9*A*2*2*2" in _acks(good)[0].content
    assert b"IK4*3**8" in _acks(bad)[0].content  # DTP03 invalid date
    assert re.search(rb"IK3\*DTP\*\d+\*2400\*8~", _acks(bad)[0].content)  # loop from pyx12


def test_acks_are_byte_reproducible() -> None:
    data = sample_837p(claims=2).replace(b"*000000001*0*T*", b"*000000001*1*T*")
    first, second = _acks(data), _acks(data)
    assert [a.content for a in first] == [a.content for a in second]
    assert [a.kind for a in first] == ["TA1", "999"]  # ISA14=1 asks for a TA1
    assert b"TA1*000000001*260102*0304*A*000~" in first[0].content


def test_an_acknowledgment_is_never_acknowledged() -> None:
    ack999 = _acks(sample_837p())[0].content
    report = validate_file(ack999, 5)
    assert report.valid and "ack-not-acknowledged" in report.codes(None)
    assert build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers()) == []
    ta1 = _acks(sample_837p(), seen_interchanges={("SUBMITTER01", "000000001")})[0].content
    assert build_acks(validate_file(ta1, 5), clock=CLOCK,
                      control_numbers=SequentialControlNumbers()) == []


def test_findings_doc_is_current() -> None:
    assert (ROOT / "docs" / "findings.md").read_text("utf-8") == render(), \
        "run: python -m claimhouse.validate._docs > docs/findings.md"


def test_pyx12_maps_in_use_validate_against_pyx12_xsd() -> None:
    schema = etree.XMLSchema(etree.parse(str(pyx12_map_dir() / "map.xsd")))
    merged = Path(merged_map_path())
    ours = [p for p in (ROOT / "maps").glob("*.xml") if is_pyx12_map(p)]
    corrected = [p for p in merged.glob("*.xml") if not p.is_symlink() and p.name != "maps.xml"]
    assert ours, "the project's 837D map (pyx12 format) should be under maps/"
    for p in ours + corrected:
        assert schema.validate(etree.parse(str(p))), (p.name, schema.error_log)


def test_validate_command(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.x12", tmp_path / "bad.x12"
    good.write_bytes(sample_837p())
    bad.write_bytes(sample_837p().replace(b"ABK:E119", b"ABK:Z9999"))
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(good), "--ack-dir", str(tmp_path / "acks")])
    assert ok.exit_code == 0, ok.output
    assert "VALID" in ok.output and list((tmp_path / "acks").glob("*.999.x12"))
    res = runner.invoke(cli, ["validate", "-v", str(bad)])
    assert res.exit_code == 1 and "icd10-unknown" in res.output and "fix:" in res.output
    assert "Z9999" not in res.output
    for fmt in ("json", "html"):
        assert runner.invoke(cli, ["validate", "--format", fmt, str(bad)]).exit_code == 1
    assert runner.invoke(cli, ["validate", "--level", "9", str(good)]).exit_code == 2


def test_missing_st03_gets_a_complete_999_where_pyx12_crashes() -> None:
    """pyx12 4.0 calls a set without ST03 valid and its 999 writer dies after AK1
    ("Cannot create AK2"); we reject the set and write a complete 999 that pyx12 accepts."""
    data = sample_837p().replace(b"*0001*005010X222A1~", b"*0001~")
    theirs = io.StringIO()
    with _quiet_pyx12():
        assert pyx12.x12n_document.x12n_document(pyx12.params.params(),
                                                 io.StringIO(data.decode()), theirs, None)
    assert "AK2" not in theirs.getvalue()
    report = validate_file(data, 5)
    assert report.codes() == ["st-version-missing"]
    [ack] = [a for a in build_acks(report, clock=CLOCK, control_numbers=SequentialControlNumbers())
             if a.kind == "999"]
    assert b"AK2*837*0001~" in ack.content and b"IK5*R*5~" in ack.content
    assert _pyx12_valid(ack.content)
