"""A throwaway PostgreSQL cluster from the machine's packages, for tests and benchmarks.

Found under ``/usr/lib/postgresql/*/bin`` (Debian/Ubuntu) or on PATH; run as the
``postgres`` OS user when the caller is root (PostgreSQL refuses root), in a temp dir it
owns, on a free loopback port with its socket in that dir; fsync off (data is disposable).
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
from pathlib import Path

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


def postgres_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are, or None when PostgreSQL is not installed."""
    return _bin_dir()


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
        import psycopg  # the PostgreSQL driver; only needed when a cluster runs

        name = f"t{os.getpid()}_{next(_counter)}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
