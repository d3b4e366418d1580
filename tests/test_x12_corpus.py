"""Every corpus file tokenizes; envelope counts match the manifest; findings match a golden
record (reviewed by hand: each is a real defect of the file), never a traceback.

Regenerate the golden file after a reviewed change with CLAIMHOUSE_REGEN_GOLDEN=1.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from claimhouse.x12 import read_envelopes
from tests.conftest import CORPUS, corpus_params, corpus_rows

GOLDEN = Path(__file__).parent / "golden" / "corpus-envelope-findings.json"


def _findings(path: Path) -> list[list[object]]:
    r = read_envelopes(path)
    return [[f.code, f.location.segment, f.location.element] for f in r.findings]


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params())
def test_corpus_file_envelope_counts_match_manifest(row: dict[str, str]) -> None:
    r = read_envelopes(CORPUS / row["local_path"])
    expected = row["envelope"]
    if expected.startswith("no ISA"):
        assert [f.code for f in r.findings] == ["not-x12"]
        return
    m = re.match(r"ISA=(\d+) GS=(\d+) ST=(\d+)", expected)
    assert m, expected
    isa, gs, st = (int(x) for x in m.groups())
    groups = [g for i in r.interchanges for g in i.groups]
    # Sets outside a group (st-outside-group) are counted by the manifest, not by us.
    outside = sum(1 for f in r.findings if f.code == "st-outside-group")
    outside_gs = sum(1 for f in r.findings if f.code == "gs-outside-interchange"
                     and f.location.segment_id == "GS")
    assert (len(r.interchanges), len(groups) + outside_gs,
            sum(len(g.transaction_sets) for g in groups) + outside) == (isa, gs, st)
    if "IEA=" in expected and "mismatch" in expected:
        assert {"iea-missing", "iea-count-mismatch", "iea-control-mismatch"} & {
            f.code for f in r.findings}
    for f in r.findings:  # never the content of an element
        assert f.location.segment is not None or f.location.offset is not None


@pytest.mark.corpus
def test_corpus_findings_match_golden_record(corpus: Path) -> None:
    got = {row["local_path"]: _findings(corpus / row["local_path"]) for row in corpus_rows()}
    got = {k: v for k, v in got.items() if v}
    if os.environ.get("CLAIMHOUSE_REGEN_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert got == expected


@pytest.mark.corpus
def test_files_broken_on_purpose_at_envelope_level_are_flagged(corpus: Path) -> None:
    expected = {
        "pyx12/test/files/trailer_errors.txt": {"ge-control-mismatch", "iea-control-mismatch",
                                                "iea-count-mismatch", "se-count-mismatch"},
        "pyx12/test/files/fail_no_IEA.txt": {"iea-missing", "se-count-mismatch"},
        "pyx12/test/files/explicit_missing.txt": {"se-missing", "ge-missing", "iea-missing"},
        "imsweb-x12-parser/837_5010/x12_no_isa_line.txt": {"not-x12"},
        "imsweb-x12-parser/837_5010/x12_bad_first_line.txt": {"isa-field-width"},
        "silvenga-vscode-edi-x12/docs/bad-header.edi": {"isa-field-width", "isa-invalid-value"},
    }
    for path, codes in expected.items():
        got = {f[0] for f in _findings(corpus / path)}
        assert codes <= got, (path, got)
