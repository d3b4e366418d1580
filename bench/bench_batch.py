"""`batch run` throughput over 1,000 mixed files: files/s and claims/s with 1, 2 and 4
worker processes on PostgreSQL (a throwaway cluster from the Debian package, started here),
and 1 worker on SQLite.

Baselines, measured in the same run over the same files: copying each file into a folder
and renaming it (the floor for any file mover), and reading each file's envelopes with
``EnvelopeReader`` in one process (the default pipeline's own work, without claiming,
hashing, journal commits, fsyncs or moves). Ratios say what the batch machinery costs and
how it scales with workers.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.batch_build import DROP_BASICS, mixed_batch  # noqa: E402

from claimhouse.batch._workers import run_workers  # noqa: E402
from claimhouse.x12 import EnvelopeReader  # noqa: E402

FILES = 1000


def _drop(base: Path, source: Path, url: str) -> Path:
    drop = base / f"drop-{time.monotonic_ns()}"
    (drop / "inbox").mkdir(parents=True)
    (drop / "claimhouse.toml").write_text(
        f"[drop]\n{DROP_BASICS}[database]\nurl = '{url}'\n")
    for f in source.iterdir():
        shutil.copyfile(f, drop / "inbox" / f.name)
    return drop


def _copy_baseline(source: Path, base: Path) -> float:
    out = base / "copy-baseline"
    out.mkdir()
    t = time.perf_counter()
    for f in sorted(source.iterdir()):
        tmp = out / (f.name + ".tmp")
        shutil.copyfile(f, tmp)
        os.replace(tmp, out / f.name)
    return time.perf_counter() - t


def _envelope_baseline(source: Path) -> float:
    t = time.perf_counter()
    for f in sorted(source.iterdir()):
        reader = EnvelopeReader(f)
        for ts in reader.transaction_sets():
            for _ in ts.segments:
                pass
    return time.perf_counter() - t


def run() -> dict[str, Any]:
    from claimhouse.testing._postgres import PostgresServer, postgres_bin_dir

    base = Path(tempfile.mkdtemp(prefix="claimhouse-bench-batch-"))
    source = base / "source"
    source.mkdir()
    kinds = mixed_batch(source, FILES, seed=11)
    copy_s = _copy_baseline(source, base)
    envelope_s = _envelope_baseline(source)
    result: dict[str, Any] = {
        "files": FILES, "good_files": sum(k == "good" for k in kinds.values()),
        "baseline_copy_files_per_s": round(FILES / copy_s, 1),
        "baseline_envelope_files_per_s": round(FILES / envelope_s, 1),
    }
    runs: dict[str, tuple[float, int, int]] = {}
    summary = run_workers(_drop(base, source, f"sqlite:///{base / 'bench.db'}"), 1)
    runs["sqlite_1"] = (summary.seconds, summary.files, summary.claims)
    bindir = postgres_bin_dir()
    server = PostgresServer(bindir) if bindir else None
    try:
        if server is not None:
            server.start()
            for workers in (1, 2, 4):
                url = server.create_database()
                t = time.perf_counter()
                summary = run_workers(_drop(base, source, url), workers)
                runs[f"postgresql_{workers}"] = (time.perf_counter() - t, summary.files,
                                                 summary.claims)
        else:
            result["postgresql"] = "skipped: PostgreSQL not installed"
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
    for name, (seconds, files, claims) in runs.items():
        assert files == FILES, (name, files)
        result[f"{name}_files_per_s"] = round(files / seconds, 1)
        result[f"{name}_claims_per_s"] = round(claims / seconds, 1)
        result[f"{name}_vs_envelope_baseline"] = round(envelope_s / seconds, 3)
        result[f"{name}_vs_copy_baseline"] = round(copy_s / seconds, 3)
    if "postgresql_1" in runs:
        one = runs["postgresql_1"][0]
        for workers in (2, 4):
            result[f"postgresql_speedup_{workers}_workers"] = round(
                one / runs[f"postgresql_{workers}"][0], 2)
    for key, value in result.items():
        print(f"  {key}: {value}")
    return result


if __name__ == "__main__":
    run()
