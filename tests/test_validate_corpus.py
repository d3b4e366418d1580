"""Levels 1-2 on the public corpus: our verdict agrees with pyx12's, except where pyx12
is shown wrong (one test each below), and every file broken on purpose is rejected with
a finding naming its defect."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import pyx12.params
import pyx12.x12n_document

from claimhouse.validate import ValidationReport, validate_file
from claimhouse.validate._pyx12 import _quiet_pyx12, _text_stream, merged_map_path
from tests.conftest import CORPUS, corpus_params

pytestmark = pytest.mark.corpus

PYX12_WRONG = {
    # pyx12 mis-validates a bare TA1 interchange (azoner/pyx12#160).
    "oopfactory-x12parser/Acknowledgments/TechnicalAcknowledgment_SampleFromJeffN825.txt": "",
    "oopfactory-x12parser/Acknowledgments/TechnicalAcknowledgment_Sample1.txt": "",
    # pyx12 cannot read an ISA12 other than 00401/00501 and returns False with no error.
    "oopfactory-x12parser/INS/_275/_4050/FromImplementationGuide_1.txt": "ig-guide-not-checked",
}


@functools.cache
def level2(path: Path) -> ValidationReport:
    """Each corpus file is validated once per session, whatever the tests asking."""
    return validate_file(path, 2)


def pyx12_verdict(path: Path, *, installed: bool = False) -> bool | None:
    """pyx12's own verdict on the file (None when it raises instead of answering), with
    our maps and corrections, or with its ``installed`` maps only."""
    with _quiet_pyx12():
        try:
            return bool(pyx12.x12n_document.x12n_document(
                pyx12.params.params(), _text_stream(path.read_bytes()), None, None, None,
                None, map_path=None if installed else merged_map_path()))
        except Exception:
            return None


@pytest.mark.parametrize("row", corpus_params(lambda r: r["local_path"] not in PYX12_WRONG))
def test_level2_verdict_agrees_with_pyx12(row: dict[str, str]) -> None:
    path = CORPUS / row["local_path"]
    report = level2(path)
    theirs = report.pyx12_valid  # pyx12's own return value in the same run
    codes = report.codes(None)
    if theirs is None:
        # pyx12 gave no verdict: we still answer, and say level 2 was not (fully) checked
        # unless level 1 already rejects the file.
        assert (not report.valid) or "ig-guide-not-checked" in codes \
            or "ig-engine-failure" in codes
        return
    assert report.valid == theirs, sorted(set(codes))


@pytest.mark.parametrize("path", sorted(PYX12_WRONG))
def test_where_pyx12_is_wrong(corpus: Path, path: str) -> None:
    expected = PYX12_WRONG[path]
    report = level2(corpus / path)
    if expected == "ig-guide-not-checked":
        assert pyx12_verdict(corpus / path) is False
        assert report.valid and "ig-guide-not-checked" in report.codes(None)
    else:
        assert pyx12_verdict(corpus / path) is not True
        assert report.valid and "ack-not-acknowledged" in report.codes(None)


BROKEN = {
    "bad_2010AA_bug.txt": "ig-segment-missing",
    "bad_elements.txt": "ig-element-too-long",
    "blank1.txt": "ig-element-missing",
    "ele.txt": "ig-element-too-long",
    "explicit_missing.txt": "se-missing",
    "fail_no_IEA.txt": "iea-missing",
    "loop_counting.txt": "ig-loop-over-max",
    "mult_isa.txt": "ig-segment-missing",
    "mult_trn.txt": "ig-segment-missing",
    "trailer_errors.txt": "iea-control-mismatch",
    "trailing_terms.txt": "ig-element-missing",
    "x12_bad_first_line.txt": "isa-field-width",
    "x12_loop_errors1_exceeds_max_1_parent.txt": "ig-loop-over-max",
    "x12_loop_errors2_exceeds_max_repeats_multiple_parents.txt": "ig-loop-over-max",
    "x12_loop_errors3_missing_loops.txt": "ig-segment-missing",
    "x12_missing_elements.txt": "ig-element-missing",
    "x12_missing_required_loop_in_one_repeat.txt": "ig-segment-missing",
    "x12_missing_required_loops_mult_repeats.txt": "ig-segment-missing",
    "x12_no_isa_line.txt": "not-x12",
    "x12_segments_out_of_order.txt": "ig-segment-unrecognized",
    "MissingEntityCode.txt": "ig-segment-unrecognized",
    "bad-header.edi": "isa-field-width",
}


def _broken(row: dict[str, str]) -> bool:
    return row["valid_hint"].startswith("INVALID") and row["transaction"] != "271"


@pytest.mark.parametrize("row", corpus_params(_broken))
def test_broken_on_purpose_is_rejected_naming_its_defect(row: dict[str, str]) -> None:
    report = level2(CORPUS / row["local_path"])
    assert not report.valid
    assert BROKEN[Path(row["local_path"]).name] in report.codes()


@pytest.mark.parametrize("row", corpus_params(lambda r: r["valid_hint"].startswith("INVALID")
                                              and r["transaction"] == "271"))
def test_271_application_errors_are_out_of_scope(row: dict[str, str]) -> None:
    """The OopFactory 271 files break 271 business rules (AAA/benefit content); no 5010
    271 map exists in pyx12 and claimhouse validates claims, not eligibility: level 2
    says so instead of claiming the file valid."""
    report = level2(CORPUS / row["local_path"])
    assert "ig-guide-not-checked" in report.codes(None)


def test_reported_pyx12_verdict_is_pyx12s(corpus: Path) -> None:
    """The verdict the agreement test relies on is the one pyx12 gives when run alone."""
    for path in ("imsweb-x12-parser/837_5010/x12_missing_elements.txt",
                 "linuxforhealth-x12/837_005010X223A3/institutional-claim.837i",
                 "pyx12/tests/835_mult_loops.txt", "silvenga-vscode-edi-x12/docs/complete.edi"):
        assert level2(corpus / path).pyx12_valid == pyx12_verdict(corpus / path)


def test_findings_carry_no_element_content(corpus: Path) -> None:
    path = corpus / "imsweb-x12-parser/837_5010/x12_missing_elements.txt"
    report = validate_file(path, 5)
    text = path.read_text("latin-1")
    values = {v for seg in text.split("~") for v in seg.strip().split("*")[1:] if len(v) >= 4}
    for f in report.all_findings():
        for v in values:
            assert v not in f.message, (f.code, "message quotes element content")


def test_pyx12_output_is_silenced(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    validate_file(corpus / "imsweb-x12-parser/837_5010/x12_missing_elements.txt", 2)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_pyx12_crash_is_a_finding_not_a_traceback(corpus: Path) -> None:
    """pyx12 raises IndexError on this 835 (wrong SE01): we report it as ig-engine-failure
    (a warning, as level 1 already rejects the file) beside the defect."""
    path = corpus / "edi-835-parser-affect-fork/sample_835.txt"
    assert pyx12_verdict(path) is None
    report = level2(path)
    assert "ig-engine-failure" in report.codes(None)
    assert "se-count-mismatch" in report.codes()
    assert "st-version-missing" not in report.codes(None)  # ST03 is Not Used in the 835
