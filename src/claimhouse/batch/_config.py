"""A drop folder's configuration: ``claimhouse.toml`` parsed into typed, frozen settings.

Example (every key optional; shown with its default)::

    [drop]
    accept = ["835", "837", "999", "277"]   # ST01 values accepted; others are rejected
    validation_level = 2                    # SNIP level 1-5 (999/TA1); 0 = envelope only
    load = true                             # load accepted 837/835 into the store, reconcile
    stable_seconds = 5.0                    # a file must be untouched this long to be taken
    poll_seconds = 10.0                     # `batch watch` polling interval
    lease_seconds = 300.0                   # a claimed job's lease (other workers wait)
    max_attempts = 3                        # I/O failures retried, then the file is rejected

    [emit]
    acks = ["999", "ta1"]                   # acknowledgments written to outbox/
    extracts = ["json"]                     # 835/837 extracts (json, jsonl, csv)
    report = true                           # a small JSON report per file

    [database]
    url = "sqlite:///claimhouse.db"         # relative SQLite paths are inside the drop
    # url_env = "CLAIMHOUSE_DATABASE_URL"   # or read the URL (with its password) from env

    [sftp]                                  # only for `claimhouse batch pull|push`
    host = "sftp.example.org"
    port = 22
    user = "claims"
    remote_inbox = "/out"                   # pulled from
    remote_outbox = "/in"                   # pushed to
    remote_done = ""                        # move pulled files here; empty = delete them
    known_hosts = "known_hosts"             # required: host keys are always checked
    key_file = "id_ed25519"                 # or key_env / password_env / password_file

Secrets are never taken from the command line: they come from a file or the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimhouse.errors import ConfigError

CONFIG_NAME = "claimhouse.toml"
_ACKS = frozenset({"999", "ta1", "277ca"})
_EXTRACTS = frozenset({"json", "jsonl", "csv"})
_DEFAULT_ACCEPT = frozenset({"835", "837", "999", "277"})
_DEFAULT_ACKS = frozenset({"999", "ta1"})
_DEFAULT_EXTRACTS = frozenset({"json"})


@dataclass(frozen=True, slots=True)
class SftpConfig:
    """Where and how to reach a partner's SFTP folder (host keys always checked)."""

    host: str
    user: str
    known_hosts: Path
    port: int = 22
    remote_inbox: str = "."
    remote_outbox: str = "."
    remote_done: str = ""
    key_file: Path | None = None
    key_env: str = ""
    password_env: str = ""
    password_file: Path | None = None
    timeout_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class DropConfig:
    """The settings of one drop folder."""

    root: Path
    accept: frozenset[str] = _DEFAULT_ACCEPT
    validation_level: int = 2
    load: bool = True
    stable_seconds: float = 5.0
    poll_seconds: float = 10.0
    lease_seconds: float = 300.0
    max_attempts: int = 3
    acks: frozenset[str] = _DEFAULT_ACKS
    extracts: frozenset[str] = _DEFAULT_EXTRACTS
    report: bool = True
    database_url: str = "sqlite:///claimhouse.db"
    sftp: SftpConfig | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class _Section:
    """Reads one TOML table, naming the file and key in every error."""

    def __init__(self, source: str, name: str, table: object) -> None:
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{name}] must be a table")
        self.source, self.name, self.table = source, name, dict(table)

    def _fail(self, key: str, want: str) -> ConfigError:
        return ConfigError(f"{self.source}: [{self.name}].{key} must be {want}")

    def number(self, key: str, default: float, *, minimum: float = 0.0) -> float:
        value = self.table.pop(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self._fail(key, f"a number >= {minimum:g}")
        return float(value)

    def integer(self, key: str, default: int, *, lo: int, hi: int) -> int:
        value = self.table.pop(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self._fail(key, f"an integer from {lo} to {hi}")
        return value

    def text(self, key: str, default: str) -> str:
        value = self.table.pop(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.pop(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def choices(self, key: str, default: frozenset[str], allowed: frozenset[str] | None
                ) -> frozenset[str]:
        value = self.table.pop(key, sorted(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of strings")
        got = frozenset(v.strip().lower() for v in value)
        if allowed is not None and not got <= allowed:
            raise self._fail(key, "a list drawn from " + ", ".join(sorted(allowed)))
        return got

    def path(self, key: str, root: Path) -> Path | None:
        value = self.text(key, "")
        return (root / value).resolve() if value else None

    def done(self) -> None:
        if self.table:
            unknown = ", ".join(sorted(self.table))
            raise ConfigError(f"{self.source}: unknown key(s) in [{self.name}]: {unknown}")


def _database_url(sec: _Section, root: Path, env: dict[str, str]) -> str:
    url = sec.text("url", "sqlite:///claimhouse.db")
    url_env = sec.text("url_env", "")
    sec.done()
    if url_env:
        if url_env not in env:
            raise ConfigError(f"{sec.source}: [database].url_env names {url_env}, "
                              "which is not set in the environment")
        url = env[url_env]
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix and not url.startswith(prefix + "/"):
        rest = url[len(prefix):]
        if rest != ":memory:":
            url = prefix + str((root / rest).resolve())
    return url


def _sftp(sec: _Section, root: Path) -> SftpConfig:
    host = sec.text("host", "")
    user = sec.text("user", "")
    known = sec.path("known_hosts", root)
    if not host or not user:
        raise ConfigError(f"{sec.source}: [sftp] needs host and user")
    if known is None:
        raise ConfigError(f"{sec.source}: [sftp].known_hosts is required (host keys are "
                          "always checked)")
    cfg = SftpConfig(
        host=host, user=user, known_hosts=known,
        port=sec.integer("port", 22, lo=1, hi=65535),
        remote_inbox=sec.text("remote_inbox", "."),
        remote_outbox=sec.text("remote_outbox", "."),
        remote_done=sec.text("remote_done", ""),
        key_file=sec.path("key_file", root),
        key_env=sec.text("key_env", ""),
        password_env=sec.text("password_env", ""),
        password_file=sec.path("password_file", root),
        timeout_seconds=sec.number("timeout_seconds", 30.0, minimum=1.0),
    )
    sec.done()
    if not (cfg.key_file or cfg.key_env or cfg.password_env or cfg.password_file):
        raise ConfigError(f"{sec.source}: [sftp] needs one of key_file, key_env, "
                          "password_env, password_file")
    return cfg


def parse_config(text: str, root: Path, *, source: str = CONFIG_NAME,
                 env: dict[str, str] | None = None) -> DropConfig:
    """Parse the TOML ``text`` of the drop at ``root``; raise :class:`ConfigError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    env = dict(os.environ) if env is None else env
    root = root.resolve()
    unknown = set(data) - {"drop", "emit", "database", "sftp"}
    if unknown:
        raise ConfigError(f"{source}: unknown table(s): {', '.join(sorted(unknown))}")
    drop = _Section(source, "drop", data.get("drop", {}))
    emit = _Section(source, "emit", data.get("emit", {}))
    kw: dict[str, Any] = {
        "accept": drop.choices("accept", _DEFAULT_ACCEPT, None),
        "validation_level": drop.integer("validation_level", 2, lo=0, hi=5),
        "load": drop.flag("load", True),
        "stable_seconds": drop.number("stable_seconds", 5.0),
        "poll_seconds": drop.number("poll_seconds", 10.0, minimum=0.01),
        "lease_seconds": drop.number("lease_seconds", 300.0, minimum=1.0),
        "max_attempts": drop.integer("max_attempts", 3, lo=1, hi=100),
        "acks": emit.choices("acks", _DEFAULT_ACKS, _ACKS),
        "extracts": emit.choices("extracts", _DEFAULT_EXTRACTS, _EXTRACTS),
        "report": emit.flag("report", True),
    }
    drop.done()
    emit.done()
    kw["database_url"] = _database_url(
        _Section(source, "database", data.get("database", {})), root, env)
    if "sftp" in data:
        kw["sftp"] = _sftp(_Section(source, "sftp", data["sftp"]), root)
    return DropConfig(root=root, **kw)


def load_config(root: Path | str) -> DropConfig:
    """Read ``ROOT/claimhouse.toml`` (defaults when the file is absent)."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"drop folder not found: {root}")
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    return parse_config(text, root, source=str(path))
