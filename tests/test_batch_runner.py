"""The batch runner on SQLite: layout, duplicates, reasons, modes, odd names, the journal."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from claimhouse.batch import Runner, load_config, safe_name
from claimhouse.batch._tables import audit, jobs, sets
from claimhouse.cli import cli
from claimhouse.errors import ConfigError
from tests.batch_build import DROP_BASICS, interchange, make_drop

SENTINEL = "SENTINELPHIZZ"


def _tree(root: Path, sub: str) -> set[str]:
    base = root / sub
    return {str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()}


def _run(root: Path) -> object:
    with Runner(load_config(root)) as runner:
        return runner.run_once()


def test_each_file_ends_archived_or_rejected_with_a_reason(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    inbox = drop / "inbox"
    good = interchange(101, claims=3)
    (inbox / "a-good.x12").write_bytes(good)
    (inbox / "b-same-bytes.x12").write_bytes(good)
    (inbox / "c-same-isa13.x12").write_bytes(interchange(101, claims=1))
    (inbox / "d-junk.bin").write_bytes(b"%PDF-1.4\x00\xff" * 20)
    (inbox / "e-empty.x12").write_bytes(b"")
    (inbox / "f-truncated.x12").write_bytes(interchange(102)[:-30])
    (inbox / "g-good.x12").write_bytes(interchange(103, claims=2))

    summary = _run(drop)

    day = time.strftime("%Y-%m-%d", time.gmtime())
    assert _tree(drop, "archive") == {f"{day}/a-good.x12", f"{day}/g-good.x12"}
    rejected = _tree(drop, "rejected")
    names = ["b-same-bytes.x12", "c-same-isa13.x12", "d-junk.bin", "e-empty.x12",
             "f-truncated.x12"]
    assert rejected == set(names) | {n + ".reason" for n in names}
    reasons = {n: (drop / "rejected" / f"{n}.reason").read_text() for n in names}
    assert reasons["b-same-bytes.x12"].startswith("duplicate: same bytes as job 1")
    assert "duplicate interchange: ISA13 000000101" in reasons["c-same-isa13.x12"]
    assert reasons["d-junk.bin"].startswith("not-x12")
    assert reasons["e-empty.x12"].startswith("empty file")
    assert re.match(r"(se|ge|iea)-[a-z-]+: .* at f-truncated.x12, segment \d+",
                    reasons["f-truncated.x12"])
    assert not list((drop / "inbox").iterdir())
    assert not [p for p in (drop / "work").iterdir()]
    assert summary.files == 7 and summary.accepted == 2 and summary.rejected == 5  # type: ignore[attr-defined]
    assert summary.duplicates == 2 and summary.claims == 5  # type: ignore[attr-defined]
    assert sorted(p.name for p in (drop / "outbox").iterdir()) == [
        "a-good.x12.1.report.json", "g-good.x12.7.report.json"]
    report = json.loads((drop / "outbox" / "a-good.x12.1.report.json").read_text())
    assert report["claims"] == 3 and report["sets"][0]["interchange"] == "000000101"
    for path in [*(drop / "outbox").iterdir(), *(drop / "rejected").iterdir(),
                 *(drop / "archive" / day).iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    engine = create_engine(load_config(drop).database_url)
    with engine.connect() as conn:
        states = dict(conn.execute(select(jobs.c.name, jobs.c.state)).all())
        trail = conn.execute(select(audit.c.job_id, audit.c.to_state)
                             .order_by(audit.c.id)).all()
        loaded = conn.execute(select(sets.c.job_id, sets.c.claims)).all()
    engine.dispose()
    assert states["a-good.x12"] == "archived" and states["e-empty.x12"] == "rejected"
    assert [s for j, s in trail if j == 1] == ["pending", "claimed", "done", "archived"]
    assert sorted(loaded) == [(1, 3), (7, 2)]


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    (drop / "inbox" / "a.x12").write_bytes(interchange(5))
    _run(drop)
    before = _tree(drop, "archive") | _tree(drop, "outbox")
    summary = _run(drop)
    assert summary.files == 0  # type: ignore[attr-defined]
    assert _tree(drop, "archive") | _tree(drop, "outbox") == before


def test_files_being_written_are_left_alone(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop",
                     "[drop]\nvalidation_level = 0\nload = false\nstable_seconds = 3600\n")
    inbox = drop / "inbox"
    for name in ("upload.x12.part", "upload.x12.tmp", ".hidden.x12", "fresh.x12"):
        (inbox / name).write_bytes(interchange(9))
    old = inbox / "old.x12"
    old.write_bytes(interchange(10))
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    summary = _run(drop)
    assert summary.files == 1  # type: ignore[attr-defined]
    assert sorted(p.name for p in inbox.iterdir()) == [
        ".hidden.x12", "fresh.x12", "upload.x12.part", "upload.x12.tmp"]


def test_odd_names_stay_inside_the_drop(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    drop = make_drop(outer / "drop")
    odd = ["with space;$(x).x12", "new\nline.x12", "ünïcode.x12", "-dash.x12",
           "dots..x12", "a" * 240]
    for n, name in enumerate(odd):
        (drop / "inbox" / name).write_bytes(interchange(200 + n))
    before = {p for p in outer.rglob("*") if not p.is_relative_to(drop)}
    summary = _run(drop)
    assert summary.accepted == len(odd)  # type: ignore[attr-defined]
    written = [p for p in drop.rglob("*") if p.is_file()]
    for path in written:
        assert "\n" not in path.name and not path.name.startswith("-")
        assert len(path.name) < 200
    assert {p for p in outer.rglob("*") if not p.is_relative_to(drop)} == before
    assert not list((drop / "inbox").iterdir())


def test_a_symlink_is_rejected_and_its_target_untouched(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    target = tmp_path / "secret.x12"
    target.write_bytes(interchange(300))
    (drop / "inbox" / "link.x12").symlink_to(target)
    (drop / "inbox" / "ok.x12").write_bytes(interchange(301))
    summary = _run(drop)
    assert summary.accepted == 1 and summary.rejected == 1  # type: ignore[attr-defined]
    assert (drop / "rejected" / "link.x12").is_symlink()
    assert (drop / "rejected" / "link.x12.reason").read_text().startswith("not a regular")
    assert target.read_bytes() == interchange(300)


def test_a_file_that_disappears_is_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    (drop / "inbox" / "gone.x12").write_bytes(interchange(400))
    (drop / "inbox" / "stays.x12").write_bytes(interchange(401))
    with Runner(load_config(drop)) as runner:
        assert runner.discover() == 2
        (drop / "inbox" / "gone.x12").unlink()
        summary = runner.run_once()
    assert summary.vanished == 1 and summary.accepted == 1


def test_a_huge_sparse_file_is_streamed_and_rejected(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    big = drop / "inbox" / "huge.x12"
    with big.open("wb") as fh:  # 2 GB, sparse: costs no disk and no memory
        fh.truncate(2 * 1024**3)
    (drop / "inbox" / "small.x12").write_bytes(interchange(500))
    summary = _run(drop)
    assert summary.accepted == 1 and summary.rejected == 1  # type: ignore[attr-defined]
    assert (drop / "rejected" / "huge.x12").stat().st_size == 2 * 1024**3
    assert (drop / "rejected" / "huge.x12.reason").read_text().startswith("not-x12")


def test_phi_never_reaches_logs_reasons_or_journal(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    bad = interchange(600).replace(b"BHT*", f"NM1*IL*1*{SENTINEL}*JANE~BHT*".encode())
    (drop / "inbox" / "phi.x12").write_bytes(bad[:-25])
    result = CliRunner().invoke(cli, ["batch", "run", str(drop), "--log-json"])
    assert result.exit_code == 1, result.output
    lines = [json.loads(x) for x in result.stderr.splitlines() if x.startswith("{")]
    assert [x["event"] for x in lines] == ["rejected", "summary"]
    assert lines[-1]["rejected"] == 1
    assert SENTINEL not in result.output
    assert SENTINEL not in (drop / "rejected" / "phi.x12.reason").read_text()
    for db_file in drop.glob("claimhouse.db*"):  # the database and any WAL beside it
        assert SENTINEL.encode() not in db_file.read_bytes()


def test_cli_exit_codes(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    (drop / "inbox" / "a.x12").write_bytes(interchange(700))
    ok = CliRunner().invoke(cli, ["batch", "run", str(drop)])
    assert ok.exit_code == 0 and "1 file(s), 2 claim(s), 0 rejected" in ok.stderr
    (drop / "claimhouse.toml").write_text("[drop]\nstable_secnds = 1\n")
    bad = CliRunner().invoke(cli, ["batch", "run", str(drop)])
    assert bad.exit_code == 2 and "unknown key(s) in [drop]: stable_secnds" in bad.stderr
    sqlite_many = make_drop(tmp_path / "d2")
    many = CliRunner().invoke(cli, ["batch", "run", str(sqlite_many), "--workers", "2"])
    assert many.exit_code == 2 and "PostgreSQL" in many.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("[drop\n", "not valid TOML"),
    ("[drop]\nstable_seconds = -1\n", "[drop].stable_seconds must be a number >= 0"),
    ("[drop]\nvalidation_level = 9\n", "[drop].validation_level must be an integer from 0 to 5"),
    ("[emit]\nacks = ['997']\n", "[emit].acks must be a list drawn from"),
    ("[sftp]\nhost = 'h'\nuser = 'u'\nkey_file = 'k'\n", "known_hosts is required"),
    ("[sftp]\nhost = 'h'\nuser = 'u'\nknown_hosts = 'kh'\n", "needs one of key_file"),
    ("[database]\nurl_env = 'NOT_SET_ANYWHERE_XYZ'\n", "not set in the environment"),
    ("[other]\n", "unknown table(s): other"),
])
def test_config_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "claimhouse.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in str(info.value)


def test_config_values_and_relative_sqlite(tmp_path: Path) -> None:
    (tmp_path / "claimhouse.toml").write_text(
        "[drop]\naccept = ['835']\nstable_seconds = 1.5\n[emit]\nacks = ['999']\n"
        "[database]\nurl = 'sqlite:///state/j.db'\n")
    cfg = load_config(tmp_path)
    assert cfg.accept == frozenset({"835"}) and cfg.stable_seconds == 1.5
    assert cfg.acks == frozenset({"999"})
    assert cfg.database_url == f"sqlite:///{(tmp_path / 'state' / 'j.db').resolve()}"


def test_transaction_sets_the_drop_does_not_accept_are_rejected(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop", f"[drop]\n{DROP_BASICS}accept = ['835']\n")
    (drop / "inbox" / "claims.x12").write_bytes(interchange(800))
    _run(drop)
    reason = (drop / "rejected" / "claims.x12.reason").read_text()
    assert reason.startswith("transaction set(s) not accepted by this drop: 837")


def test_sqlite_allows_one_worker(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    with Runner(load_config(drop)), pytest.raises(ConfigError, match="another batch worker"):
        Runner(load_config(drop))


def test_watch_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop", f"[drop]\n{DROP_BASICS}poll_seconds = 0.1\n")
    command = [sys.executable, "-c", "from claimhouse.cli import main; main()"]
    log = tmp_path / "watch.log"  # a file, not a pipe: the watch never blocks on its log
    with log.open("wb") as sink:
        proc = subprocess.Popen([*command, "batch", "watch", str(drop), "--log-json"],
                                stdout=subprocess.DEVNULL, stderr=sink)
    try:
        # the file appears whole (stable_seconds = 0: a half-written one could be taken)
        (drop / "inbox" / "late.x12.part").write_bytes(interchange(900))
        os.rename(drop / "inbox" / "late.x12.part", drop / "inbox" / "late.x12")
        deadline = time.monotonic() + 120  # bounds a hang only
        while not list((drop / "archive").rglob("late.x12")):
            assert time.monotonic() < deadline and proc.poll() is None, \
                f"watch did not pick the file up: {log.read_text()[-2000:]}"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = log.read_text()
    assert proc.returncode == 0, err
    records = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    # the signal may land while the file is still being finished: it is finished first
    assert sorted(r["event"] for r in records) == ["archived", "stopping", "summary"]
    assert records[-1]["event"] == "summary" and records[-1]["files"] == 1


@pytest.fixture
def small_tmpfs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 1 MB tmpfs (a full disk on demand); skipped where mounting is not allowed."""
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path,
                                                        small_tmpfs: Path) -> None:
    db = tmp_path / "journal.db"
    drop = make_drop(small_tmpfs / "drop",
                     f"[drop]\n{DROP_BASICS}[database]\nurl = 'sqlite:///{db}'\n")
    for n in range(3):
        (drop / "inbox" / f"f{n}.x12").write_bytes(interchange(1000 + n))
    filler = small_tmpfs / "filler"
    with filler.open("wb", buffering=0) as fh, pytest.raises(OSError):
        while True:  # fill the disk to the last byte
            fh.write(b"\0" * 4096)
    summary = _run(drop)
    assert summary.errors == 3 and summary.files == 0  # type: ignore[attr-defined]
    assert all("No space left on device" in m
               for m in summary.error_messages)  # type: ignore[attr-defined]
    assert len([p for p in (drop / "work").iterdir() if p.is_file()]) == 3  # kept, not lost
    filler.unlink()
    summary = _run(drop)
    assert summary.accepted == 3 and summary.errors == 0  # type: ignore[attr-defined]
    assert len(list((drop / "archive").rglob("*.x12"))) == 3


def test_safe_names_confine_every_path() -> None:
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("..") == "file" and safe_name("") == "file"
    assert safe_name("a/../b\x00c\nd.x12") == "a___b_c_d.x12"
    assert "/" not in safe_name("/abs/path") and not safe_name("-rf").startswith("-")


class _FailingPipeline:
    """Every read fails like a broken disk would."""

    def process(self, path: Path, job: object) -> object:
        raise OSError(5, "Input/output error")

    def load(self, conn: object, outcome: object, job: object) -> None:
        raise AssertionError("never loaded")


def test_a_file_that_keeps_failing_is_rejected_after_max_attempts(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop", f"[drop]\n{DROP_BASICS}".replace(
        "max_attempts = 100", "max_attempts = 2"))
    (drop / "inbox" / "bad-disk.x12").write_bytes(interchange(950))
    for attempt in (1, 2):
        with Runner(load_config(drop), pipeline=_FailingPipeline()) as runner:  # type: ignore[arg-type]
            summary = runner.run_once()
        assert summary.errors == 1 and summary.error_messages == [
            "job 1: Input/output error"], attempt
    assert (drop / "rejected" / "bad-disk.x12.reason").read_text() == (
        "gave up after 2 attempts: Input/output error\n")
    assert not list((drop / "work").iterdir())
