"""`claimhouse load` in two real processes at once, on SQLite and PostgreSQL: the same
files loaded concurrently into a fresh database end up once, with no error in either
process, and the workload still reconciles to its truth."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claimhouse.reconcile import reconcile
from claimhouse.store import open_store
from claimhouse.store._tables import ClaimRow, FileRow, RemittanceRow
from claimhouse.testing._workload import CASES, Workload, generate_workload
from claimhouse.testing._workload_files import WorkloadFiles, write_workload
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres
from tests.test_reconcile_store import assert_truth

LOADER = ("import sys; from claimhouse.cli import main; "
          "sys.argv = ['claimhouse', *sys.argv[1:]]; main()")


@pytest.fixture(scope="module")
def work() -> Workload:
    return generate_workload(len(CASES) * 6)


@pytest.fixture(scope="module")
def files(work: Workload, tmp_path_factory: pytest.TempPathFactory) -> WorkloadFiles:
    return write_workload(work, tmp_path_factory.mktemp("x12"), claims_per_file=10)


def _at_once(commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Run ``commands`` as processes at once; their exit codes and output. The output goes
    to files, not pipes: a process blocked on a full pipe that the test reads only after
    the other one ends could hold a database lock the other one waits for."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with tempfile.TemporaryDirectory() as tmp:
        logs = [(Path(tmp) / f"{i}.out", Path(tmp) / f"{i}.err") for i in range(len(commands))]
        procs = []
        for args, (out, err) in zip(commands, logs, strict=True):
            with out.open("wb") as o, err.open("wb") as e:
                procs.append(subprocess.Popen(args, stdout=o, stderr=e, env=env))
        for proc in procs:
            proc.wait(timeout=600)  # bounds a hang only
        return [(proc.returncode, out.read_text(), err.read_text())
                for proc, (out, err) in zip(procs, logs, strict=True)]


def _loaders(paths: list[Path], db: str, n: int = 2) -> list[tuple[int, str, str]]:
    """Start ``n`` processes loading ``paths`` into ``db`` at once; their exit codes and
    output."""
    args = [sys.executable, "-c", LOADER, "load", *map(str, paths), "--db", db]
    return _at_once([args] * n)


def test_same_files_loaded_by_two_processes_at_once(db_url: str, work: Workload,
                                                    files: WorkloadFiles) -> None:
    paths = files.claims + files.remittances
    # interleave claims and 835s so both processes write claims and payments throughout
    results = _loaders(paths, db_url)
    for code, _stdout, stderr in results:
        assert code == 0, stderr[-2000:]
        assert "Traceback" not in stderr and "error" not in stderr.lower(), stderr[-2000:]
    for path in paths:  # each file loaded by exactly one process, a duplicate for the other
        said = [line for _, stdout, _ in results for line in stdout.splitlines()
                if line.startswith(f"{path.name}:")]
        assert len(said) == 2, said
        assert sum(": loaded (" in line for line in said) == 1, said
        assert sum(": duplicate:" in line for line in said) == 1, said
    store = open_store(db_url)
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(FileRow)).scalar_one() == len(paths)
        assert s.execute(select(func.count()).select_from(ClaimRow)).scalar_one() == \
            len(work.claims)
        assert s.execute(select(func.count()).select_from(RemittanceRow)).scalar_one() == \
            len(work.posted_remittances())
    reconcile(store)
    assert_truth(store, work)
    store.close()


def test_overlapping_files_loaded_at_once(db_url: str, work: Workload,
                                          files: WorkloadFiles) -> None:
    """Two processes loading different files that hold the same claims (each loads all
    the 837s, in opposite orders): every claim stored once, no error."""
    store = open_store(db_url)  # migrated first: this test is about the claims
    store.close()
    forward = [sys.executable, "-c", LOADER, "load", *map(str, files.claims), "--db", db_url]
    backward = [sys.executable, "-c", LOADER, "load", *map(str, files.claims[::-1]),
                "--db", db_url]
    for code, _stdout, stderr in _at_once([forward, backward]):
        assert code == 0, stderr[-2000:]
    store = open_store(db_url)
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(ClaimRow)).scalar_one() == \
            len(work.claims)
        assert s.execute(select(func.count()).select_from(FileRow)).scalar_one() == \
            len(files.claims)
    store.close()
