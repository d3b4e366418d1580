"""`claimhouse batch pull|push` against a real OpenSSH sshd on loopback.

The fixture starts the machine's ``/usr/sbin/sshd`` (Debian ``openssh-server``) as root
with throwaway host and user keys, on a free port, serving ``internal-sftp``. It skips
locally where sshd is absent and FAILS under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse.batch import load_config
from claimhouse.batch._sftp import pull, push
from claimhouse.cli import cli
from claimhouse.errors import TransferError
from tests.batch_build import interchange

SSHD = Path("/usr/sbin/sshd")


@dataclass(frozen=True)
class SshServer:
    port: int
    home: Path
    user_key: Path
    known_hosts: Path
    other_host_key_pub: Path


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f",
                    str(path)], check=True, capture_output=True)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    if not SSHD.exists() or shutil.which("ssh-keygen") is None:
        _unavailable("OpenSSH server not installed (/usr/sbin/sshd; apt openssh-server)")
    if os.geteuid() != 0:
        _unavailable("the sshd fixture runs sshd as root")
    d = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "user_key", "other_host_key"):
        _keygen(d / name)
    (d / "authorized_keys").write_text((d / "user_key.pub").read_text())
    port = _free_port()
    config = d / "sshd_config"
    config.write_text("\n".join([
        "ListenAddress 127.0.0.1", f"Port {port}", f"HostKey {d / 'host_key'}",
        f"AuthorizedKeysFile {d / 'authorized_keys'}", f"PidFile {d / 'sshd.pid'}",
        "StrictModes no", "UsePAM no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password",
        "Subsystem sftp internal-sftp", "LogLevel ERROR", ""]))
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = (d / "sshd.log").open("wb")  # a file, not a pipe: sshd never blocks on its log
    proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)],
                            stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120  # bounds a hang only: sshd starts in well under 1 s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = (d / "sshd.log").read_text(errors="replace")
                _unavailable(f"sshd did not start: {err[-1000:]}")
            time.sleep(0.05)
    host_pub = (d / "host_key.pub").read_text().split()
    (d / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
    try:
        yield SshServer(port, d, d / "user_key", d / "known_hosts",
                        d / "other_host_key.pub")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _drop(tmp_path: Path, server: SshServer, *, known_hosts: Path | None = None,
          key: str | None = None) -> tuple[Path, Path, Path]:
    drop = tmp_path / "drop"
    drop.mkdir()
    remote_in, remote_out = tmp_path / "remote-out", tmp_path / "remote-in"
    remote_in.mkdir()
    remote_out.mkdir()
    credential = key or f"key_file = '{server.user_key}'"
    (drop / "claimhouse.toml").write_text(
        "[drop]\nstable_seconds = 0\n[sftp]\nhost = '127.0.0.1'\nuser = 'root'\n"
        f"port = {server.port}\nremote_inbox = '{remote_in}'\nremote_outbox = '{remote_out}'\n"
        f"known_hosts = '{known_hosts or server.known_hosts}'\n{credential}\n"
        "timeout_seconds = 120\n")  # bounds a hang only (the default 30 s, on a busy box)
    return drop, remote_in, remote_out


def test_pull_fetches_durably_then_removes_remote_files(tmp_path: Path,
                                                        sshd: SshServer) -> None:
    drop, remote_in, _ = _drop(tmp_path, sshd)
    files = {f"r{n}.x12": interchange(40 + n) for n in range(3)}
    for name, data in files.items():
        (remote_in / name).write_bytes(data)
    (remote_in / "still-uploading.x12.part").write_bytes(b"ISA")
    done = pull(load_config(drop))
    assert sorted(t.name for t in done) == sorted(files)
    for name, data in files.items():
        assert (drop / "inbox" / name).read_bytes() == data
        assert oct((drop / "inbox" / name).stat().st_mode & 0o777) == oct(0o600)
    assert [p.name for p in remote_in.iterdir()] == ["still-uploading.x12.part"]
    assert not list((drop / "inbox").glob("*.part"))


def test_pull_resumes_an_interrupted_download(tmp_path: Path, sshd: SshServer) -> None:
    drop, remote_in, _ = _drop(tmp_path, sshd)
    data = interchange(50, claims=400)
    (remote_in / "big.x12").write_bytes(data)
    (drop / "inbox").mkdir()
    half = len(data) // 2
    (drop / "inbox" / "big.x12.part").write_bytes(data[:half])  # a transfer cut mid-way
    [done] = pull(load_config(drop))
    assert done.sent == len(data) - half  # only the missing tail crossed the wire
    assert (drop / "inbox" / "big.x12").read_bytes() == data
    assert not (drop / "inbox" / "big.x12.part").exists()


def test_push_uploads_under_a_temporary_name_and_resumes(tmp_path: Path,
                                                         sshd: SshServer) -> None:
    drop, _, remote_out = _drop(tmp_path, sshd)
    outbox = drop / "outbox"
    outbox.mkdir()
    first, second = interchange(60, claims=300), b'{"report": true}\n'
    (outbox / "a.999.x12").write_bytes(first)
    (outbox / "b.report.json").write_bytes(second)
    (remote_out / "a.999.x12.part").write_bytes(first[:1000])  # an upload cut mid-way
    result = CliRunner().invoke(cli, ["batch", "push", str(drop)])
    assert result.exit_code == 0, result.output
    assert (remote_out / "a.999.x12").read_bytes() == first
    assert (remote_out / "b.report.json").read_bytes() == second
    assert sorted(p.name for p in remote_out.iterdir()) == ["a.999.x12", "b.report.json"]
    assert sorted(p.name for p in (outbox / "sent").iterdir()) == ["a.999.x12",
                                                                   "b.report.json"]
    (outbox / "c.x12").write_bytes(first)
    (remote_out / "c.x12.part").write_bytes(first[:777])
    [done] = push(load_config(drop))
    assert done.sent == len(first) - 777


def test_a_changed_host_key_is_refused(tmp_path: Path, sshd: SshServer) -> None:
    wrong = tmp_path / "known_hosts"
    kind, key = sshd.other_host_key_pub.read_text().split()[:2]
    wrong.write_text(f"[127.0.0.1]:{sshd.port} {kind} {key}\n")
    drop, remote_in, _ = _drop(tmp_path, sshd, known_hosts=wrong)
    (remote_in / "x.x12").write_bytes(interchange(70))
    with pytest.raises(TransferError, match="host key does not match"):
        pull(load_config(drop))
    assert (remote_in / "x.x12").exists()  # nothing moved
    result = CliRunner().invoke(cli, ["batch", "pull", str(drop)])
    assert result.exit_code == 2 and "refusing to connect" in result.stderr


def test_an_unknown_host_is_refused(tmp_path: Path, sshd: SshServer) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    drop, _, _ = _drop(tmp_path, sshd, known_hosts=empty)
    with pytest.raises(TransferError, match="not found in known_hosts"):
        pull(load_config(drop))


def test_key_from_the_environment(tmp_path: Path, sshd: SshServer,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMHOUSE_TEST_SFTP_KEY", sshd.user_key.read_text())
    drop, remote_in, _ = _drop(tmp_path, sshd, key="key_env = 'CLAIMHOUSE_TEST_SFTP_KEY'")
    (remote_in / "e.x12").write_bytes(interchange(80))
    assert [t.name for t in pull(load_config(drop))] == ["e.x12"]


def test_a_wrong_key_fails_authentication(tmp_path: Path, sshd: SshServer) -> None:
    other = tmp_path / "other_key"
    _keygen(other)
    drop, _, _ = _drop(tmp_path, sshd, key=f"key_file = '{other}'")
    with pytest.raises(TransferError, match="authentication failed"):
        pull(load_config(drop))


_CLI = [sys.executable, "-c", "from claimhouse.cli import main; main()", "batch"]


@pytest.mark.parametrize("kill_at", [2, 6])  # mid-stream; renamed, remote not yet removed
def test_pull_and_push_killed_mid_transfer_finish_on_the_next_run(
        tmp_path: Path, sshd: SshServer, kill_at: int) -> None:
    drop, remote_in, remote_out = _drop(tmp_path, sshd)
    data = interchange(90, claims=8000)  # four 128 KiB chunks
    assert len(data) > 3 * 128 * 1024
    (remote_in / "big.x12").write_bytes(data)
    env = {**os.environ, "CLAIMHOUSE_BATCH_KILL_AT_STEP": str(kill_at)}
    cut = subprocess.run([*_CLI, "pull", str(drop)], env=env, capture_output=True,
                         timeout=300, check=False)
    assert cut.returncode == -signal.SIGKILL
    assert subprocess.run([*_CLI, "pull", str(drop)], capture_output=True, timeout=300,
                          check=False).returncode == 0
    assert (drop / "inbox" / "big.x12").read_bytes() == data
    assert sorted(p.name for p in (drop / "inbox").iterdir()) == ["big.x12"]
    assert not list(remote_in.iterdir())

    (drop / "outbox" / "big.999.x12").write_bytes(data)
    cut = subprocess.run([*_CLI, "push", str(drop)], env=env, capture_output=True,
                         timeout=300, check=False)
    assert cut.returncode == -signal.SIGKILL
    assert subprocess.run([*_CLI, "push", str(drop)], capture_output=True, timeout=300,
                          check=False).returncode == 0
    assert [p.name for p in remote_out.iterdir()] == ["big.999.x12"]
    assert (remote_out / "big.999.x12").read_bytes() == data
    assert (drop / "outbox" / "sent" / "big.999.x12").exists()


def test_watch_with_sftp_pulls_processes_and_pushes(tmp_path: Path, sshd: SshServer) -> None:
    drop, remote_in, remote_out = _drop(tmp_path, sshd)
    toml = drop / "claimhouse.toml"
    toml.write_text(toml.read_text().replace(
        "[drop]\nstable_seconds = 0\n",
        "[drop]\nstable_seconds = 0\npoll_seconds = 0.1\nvalidation_level = 0\nload = false\n"))
    (remote_in / "partner.x12").write_bytes(interchange(95))
    log = tmp_path / "watch.log"  # a file, not a pipe: the watch never blocks on its log
    with log.open("wb") as sink:
        proc = subprocess.Popen([*_CLI, "watch", str(drop), "--sftp", "--log-json"],
                                stdout=subprocess.DEVNULL, stderr=sink)
    try:
        deadline = time.monotonic() + 120  # bounds a hang only
        while not list(remote_out.glob("partner.x12.*.report.json")):
            assert time.monotonic() < deadline and proc.poll() is None, \
                f"nothing pushed: {log.read_text()[-2000:]}"
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = log.read_text()
    assert proc.returncode == 0, err
    assert not list(remote_in.iterdir())
    assert list((drop / "archive").rglob("partner.x12"))
