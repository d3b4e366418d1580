"""A short run of every fuzz target (tests/fuzz/): each replays its seeds, every crash
ever found (tests/fuzz/crashes/<target>/) and a few hundred deterministic mutations, each
input under a time limit. The long, coverage-guided runs are `make fuzz` (atheris)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from tests.fuzz._runner import replay_inputs, run_bounded
from tests.fuzz._seeds import crash_inputs

TARGETS = ("tokenizer", "envelope", "835", "837", "acks", "json", "validate", "parse")
MUTATIONS = int(os.environ.get("FUZZ_SMOKE_INPUTS", "250"))
PER_INPUT_SECONDS = 10.0  # generous: the machine is shared; a hang runs forever


def _target(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"tests.fuzz.fuzz_{name}")


@pytest.mark.parametrize("name", TARGETS)
def test_fuzz_target_replay(name: str) -> None:
    mod = _target(name)
    assert name == mod.NAME
    seeds = mod.seeds()
    assert seeds, "a target needs seeds"
    for i, data in enumerate(replay_inputs(seeds, MUTATIONS)):
        try:
            run_bounded(mod.one_input, data, PER_INPUT_SECONDS)
        except Exception as exc:
            pytest.fail(f"input {i} ({len(data)} bytes) escaped the contract: "
                        f"{type(exc).__name__}: {exc}")


def _crashes() -> list[tuple[str, Path]]:
    return [(name, p) for name in TARGETS for p in crash_inputs(name)]


@pytest.mark.parametrize(("name", "path"), _crashes() or [pytest.param(
    "", Path(), marks=pytest.mark.skip(reason="no saved crash inputs"))],
    ids=lambda v: v.name if isinstance(v, Path) else v)
def test_fuzz_crash_regression(name: str, path: Path) -> None:
    """Every input that once crashed a target now keeps the contract (findings or a
    ClaimhouseError), under the time limit."""
    run_bounded(_target(name).one_input, path.read_bytes(), PER_INPUT_SECONDS)
