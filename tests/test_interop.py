"""Interoperability matrix (docs/interop.md): files claimhouse writes are read by other
maintained readers with the same totals, and public corpus files read by claimhouse give
the totals those readers give.

Readers (tests/interop_readers.py): oxedi (835) and x12sdk (837P, 837I, 835), from PyPI
(the ``test`` extra). pyx12 validates what we write in test_fixtures_valid.py and
test_835_fixtures.py; here its verdict is one more column of the matrix, through the same
helper (tests/_pyx12_check.py).

Totals compared: the number of claims, each claim's CLM01/CLM02 (837) or CLP01/CLP04
(835), and each 835's BPR02. A reader that rejects a file is skipped for that file with
its reason, and counted; the corpus tests assert how many files each pair agrees on, so
a reader silently rejecting everything cannot pass.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from tests._pyx12_check import pyx12_errors
from tests.conftest import CORPUS, FIXTURES, corpus_rows
from tests.interop_readers import (
    Rejected,
    Totals,
    claimhouse_totals,
    oxedi_totals,
    x12sdk_totals,
)

pytest.importorskip("oxedi", reason="oxedi not installed (pip install -e '.[test]')")
pytest.importorskip("x12sdk", reason="x12sdk not installed (pip install -e '.[test]')")

AT = "2026-03-20T10:30:00"
KINDS = {"professional": "837P", "institutional": "837I", "dental": "837D"}


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _json_claims(path: Path) -> Totals:
    """The truth: CLM01/CLM02 of the claim JSON we wrote the 837 from."""
    doc = json.loads(path.read_text())
    return Totals([(c["patient_control_number"], Decimal(c["total_charge"]))
                   for c in doc["claims"]])


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Totals | None]]:
    """name -> (a file written by claimhouse, the totals it was written from)."""
    d = tmp_path_factory.mktemp("ours")
    out: dict[str, tuple[Path, Totals | None]] = {}
    for kind, label in KINDS.items():
        src = FIXTURES / "json" / f"claims-{kind}.json"
        path = d / f"{label}.837"
        _cli("generate", "837", str(src), "-o", str(path), "--at", AT)
        out[f"generate 837 ({label}, fixtures/json)"] = (path, _json_claims(src))
    for src in sorted((FIXTURES / "x12").glob("835-*.x12")):
        doc = d / f"{src.stem}.json"
        doc.write_text(_cli("parse", str(src), "--format", "json"))
        path = d / f"{src.stem}.835"
        _cli("generate", "835", str(doc), "-o", str(path), "--at", AT)
        out[f"generate 835 ({src.name} via parse json)"] = (path, claimhouse_totals(src))
    return out


def _readers(name: str) -> list[str]:
    if "837D" in name:
        return []  # x12sdk has no X224 (dental) models; oxedi reads 835 only
    return ["oxedi", "x12sdk"] if "835" in name else ["x12sdk"]


READ = {"oxedi": oxedi_totals, "x12sdk": x12sdk_totals}


def test_our_files_read_the_same_by_other_readers(
        ours: dict[str, tuple[Path, Totals | None]]) -> None:
    matrix: list[str] = []
    compared = Counter[str]()
    for name, (path, truth) in ours.items():
        mine = claimhouse_totals(path)
        if truth is not None:
            assert mine.key()[:2] == truth.key()[:2] and sorted(mine.claims) == sorted(
                truth.claims), name
        ok, errors = pyx12_errors(path.read_bytes())
        if "837D" not in name:  # pyx12 has no X224 map (our own map validates 837D)
            assert ok, (name, errors[:5])
        row = [name, f"claimhouse {mine.count} claims {mine.amount}",
               f"pyx12 {'valid' if ok else ok}"]
        for reader in _readers(name):
            theirs = READ[reader](path)  # must not reject a file we wrote
            assert sorted(theirs.claims) == sorted(mine.claims), (name, reader)
            assert theirs.bpr02 == mine.bpr02, (name, reader)
            compared[reader] += 1
            row.append(f"{reader} same")
        matrix.append(" | ".join(row))
    assert compared["x12sdk"] == len(ours) - 1 and compared["oxedi"] == len(ours) - 3, compared
    print("\n".join(matrix))


def test_x12sdk_has_no_837d_reader(ours: dict[str, tuple[Path, Totals | None]]) -> None:
    """Documented gap: x12sdk 2.2 has no 005010X224A2 (dental) models."""
    path = next(p for n, (p, _) in ours.items() if "837D" in n)
    with pytest.raises(Rejected, match="X224A2"):
        x12sdk_totals(path)


def test_workload_files_read_the_same_by_other_readers(tmp_path: Path) -> None:
    """The synthetic workload as ``make demo`` writes it (837Ps, voids, 835s): every reader
    reads what claimhouse reads, and that is what the files were written from. Documented
    gap: x12sdk 2.2 models one PLB per 835 (``footer.plb_segment``), so it refuses the
    835s with two (the guide repeats PLB; 6 adjustments fit in one)."""
    from claimhouse.demo import write_demo_files

    work, files = write_demo_files(tmp_path)
    compared = Counter[str]()
    for path in files.claims:
        mine = claimhouse_totals(path)
        theirs = x12sdk_totals(path)
        assert sorted(theirs.claims) == sorted(mine.claims), path.name
        compared["x12sdk"] += 1
    assert sum(claimhouse_totals(p).count for p in files.claims) == len(work.all_claims())
    for path, remit in zip(files.remittances, work.remittances, strict=True):
        mine = claimhouse_totals(path)
        assert sorted(mine.claims) == sorted((c.patient_control_number, c.paid_amount)
                                             for c in remit.claims()), path.name
        assert remit.payment is not None and mine.bpr02 == [remit.payment.amount]
        for reader in ("oxedi", "x12sdk"):
            if reader == "x12sdk" and len(remit.provider_adjustments) > 1:
                with pytest.raises(Rejected, match="ValidationError") as refused:
                    x12sdk_totals(path)
                assert "footer.plb_segment" in str(refused.value.__cause__), path.name
                compared["x12sdk refuses 2 PLB"] += 1
                continue
            theirs = READ[reader](path)
            assert sorted(theirs.claims) == sorted(mine.claims), (path.name, reader)
            assert theirs.bpr02 == mine.bpr02, (path.name, reader)
            compared[reader] += 1
    assert compared["oxedi"] == len(files.remittances), compared
    assert compared["x12sdk"] + compared["x12sdk refuses 2 PLB"] == len(files.claims) + len(
        files.remittances) and compared["x12sdk refuses 2 PLB"] > 0, compared


# --- the public corpus ---------------------------------------------------------------------

def _corpus(prefix: str) -> list[Path]:
    rows = [r for r in corpus_rows() if r["transaction"].startswith(prefix)]
    if not rows:
        pytest.skip(f"x12 corpus not found at {CORPUS} (set CLAIMHOUSE_CORPUS)")
    return [CORPUS / r["local_path"] for r in rows]


def _compare(files: list[Path], readers: list[str]) -> tuple[Counter[str], list[str]]:
    """Per reader: files agreed on with claimhouse, files either side rejected."""
    counts = Counter[str]()
    disagreements = []
    for path in files:
        try:
            mine = claimhouse_totals(path)
        except Rejected:
            mine = None
            counts["claimhouse rejected"] += 1
        for reader in readers:
            try:
                theirs = READ[reader](path)
            except Rejected:
                counts[f"{reader} rejected"] += 1
                continue
            if mine is None:
                continue
            if (sorted(theirs.claims), theirs.bpr02) == (sorted(mine.claims), mine.bpr02):
                counts[f"{reader} agreed"] += 1
            else:
                disagreements.append(f"{path.relative_to(CORPUS)}: claimhouse "
                                     f"{mine.key()[:3]} {reader} {theirs.key()[:3]}")
    return counts, disagreements


@pytest.mark.corpus
def test_corpus_835_same_totals_as_oxedi_and_x12sdk() -> None:
    counts, disagreements = _compare(_corpus("835"), ["oxedi", "x12sdk"])
    print(dict(counts))
    assert disagreements == []
    # 2026-11 corpus: 15 files agreed with oxedi, 8 with x12sdk (docs/interop.md)
    assert counts["oxedi agreed"] >= 15 and counts["x12sdk agreed"] >= 8, counts


@pytest.mark.corpus
def test_corpus_837_same_totals_as_x12sdk() -> None:
    counts, disagreements = _compare(_corpus("837"), ["x12sdk"])
    print(dict(counts))
    assert disagreements == []
    assert counts["x12sdk agreed"] >= 23, counts


# --- corpus files rewritten by claimhouse → other readers ------------------------------------

def _rewrite_835(path: Path, out: Path) -> Path | None:
    """parse --format json, then generate 835: the corpus 835 as our writer writes it
    (None when generate refuses it: a source element that did not convert leaves a
    field empty that the writer needs)."""
    doc = out / f"{path.stem}.json"
    parsed = CliRunner().invoke(cli, ["parse", str(path), "--format", "json"])
    if not parsed.stdout.strip():
        return None
    doc.write_text(parsed.stdout)  # exit 1 = findings in the source; its JSON is still out
    target = out / f"{path.stem}.835"
    result = CliRunner().invoke(cli, ["generate", "835", str(doc), "-o", str(target),
                                      "--at", AT])
    return target if result.exit_code == 0 else None


def _read_or_none(reader: str, path: Path) -> Totals | None:
    try:
        return READ[reader](path)
    except Rejected:
        return None


@pytest.mark.corpus
def test_corpus_835_rewritten_by_claimhouse_reads_the_same(tmp_path: Path) -> None:
    """Every corpus 835 claimhouse reads, written again by `generate 835`: where oxedi or
    x12sdk reads the original, it must read our file, with the original's totals."""
    counts = Counter[str]()
    for i, path in enumerate(_corpus("835")):
        try:
            truth = claimhouse_totals(path)
        except Rejected:
            continue
        (tmp_path / str(i)).mkdir()
        ours_file = _rewrite_835(path, tmp_path / str(i))
        if ours_file is None:
            counts["source has findings: not rewritten"] += 1
            continue
        assert claimhouse_totals(ours_file).key() == truth.key(), path
        for reader in ("oxedi", "x12sdk"):
            if _read_or_none(reader, path) is None:
                counts[f"{reader} rejects the original"] += 1
                continue
            theirs = READ[reader](ours_file)  # read the original: must read ours
            assert (sorted(theirs.claims), theirs.bpr02) == (sorted(truth.claims),
                                                             truth.bpr02), (path, reader)
            counts[f"{reader} agreed"] += 1
    print(dict(counts))
    assert counts["oxedi agreed"] >= 15 and counts["x12sdk agreed"] >= 8, counts


@pytest.mark.corpus
def test_corpus_837_rewritten_by_claimhouse_reads_the_same(tmp_path: Path) -> None:
    """Every valid corpus 5010 837P/I, read into our models and written by our 837
    writer (as test_837_lossless does): where x12sdk reads the original it reads ours,
    with the same CLM01/CLM02, except sources test_837_lossless lists as malformed."""
    from tests.test_837_corpus import _batches, _valid_5010, _write
    from tests.test_837_lossless import _KNOWN

    rows = [r for r in corpus_rows() if _valid_5010(r)]
    if not rows:
        pytest.skip(f"x12 corpus not found at {CORPUS} (set CLAIMHOUSE_CORPUS)")
    counts = Counter[str]()
    for n, row in enumerate(rows):
        path = CORPUS / row["local_path"]
        if _read_or_none("x12sdk", path) is None:
            counts["x12sdk rejects the original"] += 1
            continue
        for k, (_, batch) in enumerate(_batches(path)):
            ours_file = tmp_path / f"{n}-{k}.837"
            ours_file.write_bytes(_write(batch))
            truth = sorted((c.patient_control_number, c.total_charge) for c in batch.claims)
            theirs = _read_or_none("x12sdk", ours_file)
            if theirs is None and row["local_path"] in _KNOWN:
                counts["known malformed source"] += 1
                continue
            assert theirs is not None, row["local_path"]
            assert sorted(theirs.claims) == truth, row["local_path"]
            counts["x12sdk agreed"] += 1
    print(dict(counts))
    assert counts["x12sdk agreed"] >= 21, counts
