"""Shared fixtures: the public corpus (skipped where absent) and project fixtures."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check behaviour, never speed: no per-example wall-clock deadline (200 ms by
# default) and no too-slow health check, which a loaded CI machine would trip at random.
settings.register_profile("claimhouse", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("claimhouse")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CORPUS = Path(os.environ.get("CLAIMHOUSE_CORPUS", ROOT.parent / "shared" / "x12-corpus"))


def corpus_rows() -> list[dict[str, str]]:
    """The corpus MANIFEST rows, or [] where the corpus is absent."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def corpus_params(predicate=lambda row: True):  # type: ignore[no-untyped-def]
    """pytest params over corpus files matching ``predicate``; one skipping param if absent."""
    rows = [r for r in corpus_rows() if predicate(r)]
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"x12 corpus not found at {CORPUS} (set CLAIMHOUSE_CORPUS)"))]
    return [pytest.param(r, id=r["local_path"]) for r in rows]


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"x12 corpus not found at {CORPUS} (set CLAIMHOUSE_CORPUS)")
    return CORPUS
