"""Files claimhouse writes are 0600 and folders it creates 0700, whatever the umask (the
tests run under umask 022, the usual default that would otherwise give 0644/0755)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse import _fs
from claimhouse.cli import cli
from claimhouse.testing._workload import CASES, generate_workload
from claimhouse.testing._workload_files import write_workload
from tests.batch_build import make_drop, valid_837
from tests.conftest import FIXTURES

AT = "2026-03-20T10:30:00"


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def assert_private_tree(root: Path) -> list[str]:
    """Every file under ``root`` 0600 and every folder 0700; returns what was checked."""
    seen = []
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            p = Path(dirpath) / d
            assert mode(p) == 0o700, f"{p}: {oct(mode(p))}"
            seen.append(str(p.relative_to(root)) + "/")
        for f in filenames:
            p = Path(dirpath) / f
            if p.is_symlink():
                continue
            assert mode(p) == 0o600, f"{p}: {oct(mode(p))}"
            seen.append(str(p.relative_to(root)))
    return seen


def test_helpers_are_umask_independent(tmp_path: Path) -> None:
    os.umask(0)
    d = _fs.private_dir(tmp_path / "a" / "b")
    _fs.write_private(d / "f", b"x")
    with _fs.open_private(d / "t", "w") as fh:
        fh.write("x")
    existing = tmp_path / "loose"
    existing.write_bytes(b"old")
    existing.chmod(0o644)
    _fs.write_private(existing, b"new")
    _fs.create_private(d / "db")
    assert [mode(p) for p in (tmp_path / "a", d, d / "f", d / "t", existing, d / "db")] == [
        0o700, 0o700, 0o600, 0o600, 0o600, 0o600]


def test_canary_plain_open_is_caught(tmp_path: Path) -> None:
    """The check can fail: a file written with plain open() under umask 022 is 0644."""
    p = tmp_path / "plain"
    p.write_bytes(b"x")
    with pytest.raises(AssertionError):
        assert_private_tree(tmp_path)


def test_cli_outputs_are_private(tmp_path: Path) -> None:
    out = tmp_path / "out"  # created by the first writer that needs it
    # generate 837 (with the control-number state file in a new folder)
    run("generate", "837", str(FIXTURES / "json" / "claims-professional.json"),
        "-o", str(tmp_path / "gen.837"), "--at", AT,
        "--control-file", str(out / "state" / "control"))
    # parse -o, validate --ack-dir, load --db, reconcile, report -o
    run("parse", str(tmp_path / "gen.837"), "--format", "json", "-o", str(tmp_path / "p.json"))
    run("validate", str(tmp_path / "gen.837"), "--ack-dir", str(out / "acks" / "deep"))
    work = generate_workload(len(CASES))
    files = write_workload(work, tmp_path / "x12")
    db = out / "db" / "claims.db"
    run("load", *map(str, files.claims + files.remittances), "--db", str(db))
    run("reconcile", "--db", str(db))
    run("report", "summary", "-o", str(out / "summary.txt"), "--db", str(db))
    run("report", "claims", "--format", "html", "-o", str(out / "dash.html"), "--db", str(db))
    run("parse", str(files.remittances[0]), "--format", "json", "-o", str(out / "r.json"))
    run("generate", "835", str(out / "r.json"), "-o", str(out / "gen.835"), "--at", AT)
    run("era", str(files.remittances[0]), "--format", "html", "-o", str(out / "era.html"))
    for f in ("gen.837", "p.json"):
        assert mode(tmp_path / f) == 0o600, f
    checked = assert_private_tree(out)
    assert {"state/", "acks/", "acks/deep/", "db/", "summary.txt", "dash.html", "gen.835",
            "db/claims.db", "state/control", "era.html"} <= set(checked)
    assert any(c.startswith("acks/deep/") and not c.endswith("/") for c in checked)


def test_report_overwrites_a_loose_file_as_private(tmp_path: Path) -> None:
    target = tmp_path / "old-report.txt"
    target.write_text("old")
    target.chmod(0o644)
    run("report", "summary", "-o", str(target), "--db", str(tmp_path / "d.db"))
    assert mode(target) == 0o600


def test_batch_outputs_are_private(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop", "[drop]\nstable_seconds = 0\nvalidation_level = 2\n"
                     "load = true\n[emit]\nacks = [\"999\", \"ta1\"]\nextracts = [\"json\"]\n"
                     "report = true\n")
    (drop / "inbox" / "good.837").write_bytes(valid_837(5001))
    (drop / "inbox" / "junk.837").write_bytes(b"not x12 at all\n")
    # what the operator and the sender made is theirs (set private here); what we write
    # (work/, archive/, rejected/, outbox/, the database, the lock) must be private itself
    for p in (drop, drop / "inbox"):
        p.chmod(0o700)
    for f in [drop / "claimhouse.toml", *(drop / "inbox").iterdir()]:
        f.chmod(0o600)
    run("batch", "run", str(drop), "--log-json")
    checked = assert_private_tree(drop)
    assert "claimhouse.db" in checked
    assert any(c.startswith("outbox/") and ".999" in c for c in checked), checked
    assert any(c.startswith("archive/") and not c.endswith("/") for c in checked), checked
    assert any(c.startswith("rejected/") and c.endswith(".reason") for c in checked), checked
