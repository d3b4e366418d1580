"""Drop-folder file names and file types cannot make the batch read or write outside the
drop: symlinks (to files and folders), FIFOs, hostile names, and SFTP remote names such as
``../../etc/x``. (Odd but harmless names and a plain file symlink are also covered in
test_batch_runner.py.)"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest

from claimhouse.batch import _sftp
from claimhouse.batch._config import load_config
from claimhouse.batch._files import safe_name
from tests.batch_build import interchange, make_drop
from tests.test_batch_sftp import SshServer, _drop
from tests.test_batch_sftp import sshd as sshd

ROOT = Path(__file__).resolve().parents[1]
SECRET = b"OUTSIDE-THE-DROP-SECRET-51c9"
SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-")


def _run_batch(drop: Path) -> subprocess.CompletedProcess[bytes]:
    """`claimhouse batch run` as a process with a timeout: a file that blocks a reader
    (a FIFO) must fail the test, not hang it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", "from claimhouse.cli import main; main()",
                           "batch", "run", str(drop)], capture_output=True, env=env,
                          timeout=120, check=False)


def _everything_inside(drop: Path, shared: frozenset[int] = frozenset()) -> list[Path]:
    """Every path under the drop (not following symlinks), each resolving inside it,
    and every regular file free of the secret (but for hard links to the ``shared``
    outside inodes, which the sender placed in the inbox and the batch moved aside)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(drop):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            out.append(p)
            if p.is_symlink():
                continue  # a link the sender placed, moved aside but never followed
            if p.lstat().st_ino in shared:
                assert p.parent.name == "rejected", p
                continue
            assert p.resolve().is_relative_to(drop.resolve()), p
            if p.is_file():
                assert SECRET not in p.read_bytes(), p
    return out


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    d = tmp_path / "outside"
    d.mkdir()
    (d / "secret.x12").write_bytes(interchange(7777) + SECRET)
    return d


def test_symlinks_and_fifos_are_rejected_unread(tmp_path: Path, outside: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    inbox = drop / "inbox"
    (inbox / "file-link.x12").symlink_to(outside / "secret.x12")
    (inbox / "dir-link").symlink_to(outside)
    (inbox / "abs-link.x12").symlink_to("/etc/passwd")
    (inbox / "dangling.x12").symlink_to(tmp_path / "nowhere")
    os.mkfifo(inbox / "pipe.x12")
    (inbox / "good.x12").write_bytes(interchange(1234))
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    proc = _run_batch(drop)
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]
    rejected = drop / "rejected"
    for name in ("file-link.x12", "dir-link", "abs-link.x12", "dangling.x12", "pipe.x12"):
        reason = rejected / f"{name}.reason"
        assert reason.read_text().startswith("not a regular file"), name
    assert any((drop / "archive").rglob("good.x12"))
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drop", "outside"]
    _everything_inside(drop)


def test_hard_links_are_rejected_unread(tmp_path: Path, outside: Path) -> None:
    """A hard link in the inbox is a second name of a file that may live outside the drop
    (another drop's archived claims, the batch database). It is moved to rejected/ with
    a reason, never read, and the file's mode is left alone (the runner makes the files
    it takes 0600: a chmod through the link would change the outside file)."""
    drop = make_drop(tmp_path / "drop")
    inbox = drop / "inbox"
    secret = outside / "secret.x12"
    valid = outside / "valid.x12"  # would be accepted and acknowledged if it were read
    valid.write_bytes(interchange(7778))
    for f in (secret, valid):
        f.chmod(0o644)
    os.link(secret, inbox / "linked-secret.x12")
    os.link(valid, inbox / "linked-valid.x12")
    (inbox / "good.x12").write_bytes(interchange(1235))
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    proc = _run_batch(drop)
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]
    for name in ("linked-secret.x12", "linked-valid.x12"):
        reason = (drop / "rejected" / f"{name}.reason").read_text()
        assert reason.startswith("a hard link: the file has 2 names"), (name, reason)
        assert os.path.samefile(drop / "rejected" / name, outside / name.split("-")[1])
    for f in (secret, valid):
        assert stat.S_IMODE(f.stat().st_mode) == 0o644, f
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert any((drop / "archive").rglob("good.x12"))
    outbox = sorted(p.name for p in (drop / "outbox").iterdir())
    assert not [n for n in outbox if "linked" in n], outbox  # no ack, no report: unread
    _everything_inside(drop, frozenset({secret.stat().st_ino, valid.stat().st_ino}))


def test_hostile_names_stay_inside_the_drop(tmp_path: Path, outside: Path) -> None:
    drop = make_drop(tmp_path / "drop")
    names = ["a\nb.x12", "..x12", "...x12", "..\\..\\outside\\x.x12", "%2e%2e%2fx.x12",
             "-rf.x12", " .x12", "x" * 250 + ".x12", "\u202eevil.x12", "tab\there.x12",
             "semi;rm -rf ~.x12"]
    for i, name in enumerate(names):
        (drop / "inbox" / name).write_bytes(interchange(2000 + i))
    _run_batch(drop)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drop", "outside"]
    assert sorted(p.name for p in outside.iterdir()) == ["secret.x12"]
    for p in _everything_inside(drop):
        if p.parent.name in ("inbox",) or p.name == "claimhouse.toml":
            continue
        assert set(p.name) <= SAFE, repr(p.name)


@pytest.mark.parametrize("name", ["../../etc/x", "..", "/abs/path.x12", "a/b.x12", "x\0y.x12",
                                  ".hidden.x12", "ok.part"])
def test_safe_name_and_candidate_filters(name: str) -> None:
    from claimhouse.batch._files import is_candidate

    cleaned = safe_name(name)
    assert "/" not in cleaned and "\0" not in cleaned and ".." not in cleaned
    assert not cleaned.startswith(".")
    if name in ("..", ".hidden.x12", "ok.part"):
        assert not is_candidate(name)


# --- SFTP pull ---------------------------------------------------------------------------

def test_sftp_pull_skips_links_folders_and_cleans_names(tmp_path: Path, sshd: SshServer,
                                                        outside: Path) -> None:
    """A real sshd: the remote inbox holds a symlink to a file outside it, a folder, a
    dot-file and a name with a newline; only regular files arrive, under safe names."""
    drop, remote_in, _ = _drop(tmp_path, sshd)
    (remote_in / "link.x12").symlink_to(outside / "secret.x12")
    (remote_in / "folder").mkdir()
    (remote_in / "folder" / "inner.x12").write_bytes(interchange(3001))
    (remote_in / ".dot.x12").write_bytes(interchange(3002))
    (remote_in / "new\nline.x12").write_bytes(interchange(3003))
    done = _sftp.pull(load_config(drop))
    assert [t.name for t in done] == ["new_line.x12"]
    assert sorted(p.name for p in (drop / "inbox").iterdir()) == ["new_line.x12"]
    assert (outside / "secret.x12").read_bytes().endswith(SECRET)
    _everything_inside(drop)


class _FakeFile(io.BytesIO):
    def prefetch(self, size: int) -> None:
        pass


class _FakeSftp:
    """A listing no POSIX server can produce (names with '/', '..', NUL), to prove pull
    filters names itself rather than relying on the server."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.opened: list[str] = []
        self.removed: list[str] = []

    def listdir_attr(self, path: str) -> list[paramiko.SFTPAttributes]:
        out = []
        for name in self.names:
            a = paramiko.SFTPAttributes()
            a.filename, a.st_mode, a.st_size, a.st_mtime = name, stat.S_IFREG | 0o644, 4, 1
            out.append(a)
        return out

    def open(self, path: str, mode: str) -> _FakeFile:
        self.opened.append(path)
        return _FakeFile(b"ISA*")

    def remove(self, path: str) -> None:
        self.removed.append(path)


def test_sftp_pull_refuses_names_that_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             sshd: SshServer) -> None:
    drop, _, _ = _drop(tmp_path, sshd)
    fake = _FakeSftp(["../../etc/x", "..", "/abs/x.x12", "sub/../../x.x12", "a\0b.x12",
                      "..\\..\\x.x12", "ok.x12"])

    @contextlib.contextmanager
    def session(_cfg: Any) -> Iterator[_FakeSftp]:
        yield fake

    monkeypatch.setattr(_sftp, "sftp_session", session)
    done = _sftp.pull(load_config(drop))
    remote = load_config(drop).sftp
    assert remote is not None
    fetched = sorted(t.name for t in done)
    assert fetched == ["ok.x12"]
    assert all(not name.startswith(("..", "/")) for name in fetched)
    assert all("/" not in p[len(remote.remote_inbox) + 1:] for p in fake.opened), fake.opened
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drop", "remote-in", "remote-out"]
    for p in (drop / "inbox").iterdir():
        assert p.resolve().parent == (drop / "inbox").resolve()
    assert not Path("/etc/x").exists()


def test_links_planted_in_work_are_not_followed(tmp_path: Path, outside: Path) -> None:
    """A link where the runner stages a job's outputs (work/.<job>.<try>.out) or where
    it writes a file is replaced, never written through."""
    from claimhouse.batch._files import remove_tree, write_synced

    drop = make_drop(tmp_path / "drop", "[drop]\nstable_seconds = 0\nvalidation_level = 0\n"
                     "load = false\n[emit]\nacks = [\"999\", \"ta1\"]\nreport = true\n")
    (drop / "work").mkdir(mode=0o700)
    for job in range(1, 4):
        for attempt in range(0, 4):
            (drop / "work" / f".{job}.{attempt}.out").symlink_to(outside)
    (drop / "inbox" / "good.x12").write_bytes(interchange(4321))
    proc = _run_batch(drop)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert sorted(p.name for p in outside.iterdir()) == ["secret.x12"]
    assert any("report.json" in p.name for p in (drop / "outbox").iterdir())
    # the helpers themselves
    link = tmp_path / "link"
    link.symlink_to(outside)
    remove_tree(link)
    assert not link.exists() and (outside / "secret.x12").exists()
    (tmp_path / "flink").symlink_to(outside / "secret.x12")
    with pytest.raises(OSError):
        write_synced(tmp_path / "flink", b"overwritten")
    assert (outside / "secret.x12").read_bytes().endswith(SECRET)
