"""A throwaway PostgreSQL cluster for the store tests, and a ``db_url`` fixture over both
backends (a SQLite file and a fresh PostgreSQL database per test).

The cluster is started from the machine's Debian packages (``/usr/lib/postgresql/*/bin``)
once per session, as the ``postgres`` OS user when running as root (PostgreSQL refuses
root), in a temp dir on a free loopback port, and stopped at the end. Where PostgreSQL is
not installed the PostgreSQL half is skipped locally and FAILS under ``CI=true``.

Test modules use it with ``from tests.conftest_pg import db_url as db_url, postgres as
postgres``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_counter = itertools.count()


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-c", " ".join(cmd)]


class PostgresServer:
    """A running throwaway cluster: ``url(dbname)`` and ``create_database()``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="claimhouse-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.sock.mkdir()
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
            self.root.chmod(0o755)

    def start(self) -> None:
        def run(cmd: list[str]) -> None:
            proc = subprocess.run(_as_owner(cmd), capture_output=True, text=True, timeout=120,
                                  check=False)
            if proc.returncode != 0:
                raise RuntimeError(f"{Path(cmd[0]).name} failed: {proc.stderr[-2000:]}")

        run([str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
             "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
        opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
             str(self.root / "log"), "-w", "-t", "60", "start"])

    def stop(self) -> None:
        subprocess.run(_as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                                  "immediate", "-w", "stop"]), capture_output=True,
                       timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(_counter)}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL cluster (skipped where absent, a failure under CI)."""
    bindir = _bin_dir()
    if bindir is None:
        message = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.stop()
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot start PostgreSQL: {exc}")
        pytest.skip(f"cannot start PostgreSQL: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "claimhouse.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()
