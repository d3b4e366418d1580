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

import atexit
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimhouse.testing._postgres import PostgresServer, postgres_bin_dir

_shared: list[PostgresServer] = []
"""The one cluster of this test process: every module importing the fixture shares it."""


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL cluster (skipped where absent, a failure under CI)."""
    if not _shared:
        bindir = postgres_bin_dir()
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
        atexit.register(server.stop)  # also when the session ends without teardown
        _shared.append(server)
    yield _shared[0]
    if _shared:  # session teardown: every test is done; the first finalizer stops it
        _shared.pop().stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "claimhouse.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()
