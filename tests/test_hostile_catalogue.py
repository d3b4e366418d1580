"""The hostile-input catalogue (tests/hostile/): every broken file gives exactly the
finding codes its MANIFEST.tsv row names (errors and warnings, at the row's SNIP level),
`claimhouse parse` of it raises nothing but a ClaimhouseError, and no finding message
quotes the file's element content."""

from __future__ import annotations

import csv
from functools import cache

import pytest

from claimhouse.errors import ClaimhouseError
from claimhouse.parse import ParseOutcome, iter_parsed
from claimhouse.validate import validate_file
from claimhouse.x12 import Severity
from tests.hostile.make_catalogue import FILES, MANIFEST, MAX_ON_DISK, manifest_text, render


@cache
def _files() -> dict[str, bytes]:
    return render()


def _rows() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _params() -> list[object]:
    out = []
    for row in _rows():
        marks = [pytest.mark.xfail(reason=row["xfail"], strict=True)] if row["xfail"] else []
        out.append(pytest.param(row, id=row["file"].removesuffix(".x12"), marks=marks))
    return out


def test_catalogue_is_current_and_large_enough() -> None:
    files = _files()
    assert len(files) >= 40
    assert MANIFEST.read_text(encoding="utf-8") == manifest_text(), \
        "run: python -m tests.hostile.make_catalogue"
    for name, data in files.items():
        on_disk = FILES / name
        if len(data) <= MAX_ON_DISK:
            assert on_disk.read_bytes() == data, f"{name}: run the catalogue script"
        else:
            assert not on_disk.exists()


_SECRETS = ("SAMPLE", "ACME HEALTH", "371234567", "RFM-100", "LANE", "DOE")


@pytest.mark.parametrize("row", _params())
def test_hostile_file(row: dict[str, str]) -> None:
    data = _files()[row["file"]]
    expect = row["expect"]
    if expect.startswith("raise:"):
        with pytest.raises(ClaimhouseError) as info:
            validate_file(data, level=int(row["level"]), name=row["file"])
        assert type(info.value).__name__ == expect.removeprefix("raise:")
        return
    report = validate_file(data, level=int(row["level"]), name=row["file"])
    found = list(report.all_findings())
    codes = {f.code for f in found if f.severity in (Severity.ERROR, Severity.WARNING)}
    assert codes == set(expect.split()), [str(f) for f in found]
    for f in found:  # located, and never quoting element content
        for secret in _SECRETS:
            assert secret not in f.message, (f.code, f.message)
    try:
        for _ in iter_parsed(data, ParseOutcome(), name=row["file"]):
            pass
    except ClaimhouseError:
        pass
