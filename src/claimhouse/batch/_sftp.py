"""SFTP transfers between a partner's folder and a drop, with paramiko.

- Host keys are always checked against the ``known_hosts`` file named in the config
  (unknown or changed keys are refused); there is no switch to turn this off.
- Secrets come from a key file, an environment variable holding the private key text,
  or a password from the environment or a file: never from the command line.
- :func:`pull` downloads each remote file to ``inbox/NAME.part`` (resuming a partial
  one), fsyncs it, renames it to ``inbox/NAME``, and only then removes the remote file
  (or moves it to ``remote_done``). The runner ignores ``*.part`` files.
- :func:`push` uploads each ``outbox/`` file to ``REMOTE/NAME.part`` (resuming a partial
  upload), renames it to ``REMOTE/NAME`` when complete, then moves the local file to
  ``outbox/sent/``.
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import paramiko

from claimhouse.batch._config import DropConfig, SftpConfig
from claimhouse.batch._faults import step as fault_point
from claimhouse.batch._files import DropLayout, fsync_dir, is_candidate, move_durable, safe_name
from claimhouse.errors import ConfigError, TransferError

_CHUNK = 1 << 17
_KEY_TYPES: tuple[type[paramiko.PKey], ...] = (
    paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey)


@dataclass(frozen=True, slots=True)
class Transfer:
    """One file moved: its name and how many bytes crossed the wire this time."""

    name: str
    size: int
    sent: int


def _key_from_text(text: str, source: str) -> paramiko.PKey:
    for kind in _KEY_TYPES:
        try:
            return kind.from_private_key(io.StringIO(text))
        except (paramiko.SSHException, ValueError):
            continue
    raise TransferError(f"{source}: not a usable private key (ed25519, ecdsa or rsa, "
                        "without passphrase)")


def _credentials(cfg: SftpConfig) -> tuple[paramiko.PKey | None, str | None]:
    env = os.environ
    key: paramiko.PKey | None = None
    password: str | None = None
    if cfg.key_env:
        if cfg.key_env not in env:
            raise ConfigError(f"[sftp].key_env names {cfg.key_env}, which is not set")
        key = _key_from_text(env[cfg.key_env], f"${cfg.key_env}")
    elif cfg.key_file:
        try:
            text = cfg.key_file.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg.key_file}: cannot be read ({type(exc).__name__})") from None
        key = _key_from_text(text, str(cfg.key_file))
    if cfg.password_env:
        if cfg.password_env not in env:
            raise ConfigError(f"[sftp].password_env names {cfg.password_env}, which is not set")
        password = env[cfg.password_env]
    elif cfg.password_file:
        try:
            password = cfg.password_file.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg.password_file}: cannot be read "
                              f"({type(exc).__name__})") from None
    return key, password


@contextmanager
def sftp_session(cfg: SftpConfig) -> Iterator[paramiko.SFTPClient]:
    """An SFTP session with the host key checked; every failure is a TransferError."""
    where = f"{cfg.user}@{cfg.host}:{cfg.port}"
    client = paramiko.SSHClient()
    try:
        client.load_host_keys(str(cfg.known_hosts))
    except (OSError, paramiko.SSHException) as exc:
        raise ConfigError(f"{cfg.known_hosts}: known_hosts cannot be read "
                          f"({type(exc).__name__})") from None
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    key, password = _credentials(cfg)
    try:
        client.connect(cfg.host, port=cfg.port, username=cfg.user, pkey=key,
                       password=password, timeout=cfg.timeout_seconds,
                       banner_timeout=cfg.timeout_seconds, auth_timeout=cfg.timeout_seconds,
                       allow_agent=False, look_for_keys=False)
        sftp = client.open_sftp()
    except paramiko.BadHostKeyException:
        client.close()
        raise TransferError(f"{where}: the server's host key does not match "
                            f"{cfg.known_hosts}; refusing to connect") from None
    except paramiko.AuthenticationException:
        client.close()
        raise TransferError(f"{where}: authentication failed") from None
    except (paramiko.SSHException, OSError) as exc:
        client.close()
        # paramiko says "not found in known_hosts" for unknown hosts (RejectPolicy)
        raise TransferError(f"{where}: {type(exc).__name__}: {exc}") from None
    try:
        yield sftp
    except (paramiko.SSHException, OSError) as exc:
        raise TransferError(f"{where}: transfer failed: {type(exc).__name__}: "
                            f"{getattr(exc, 'strerror', None) or exc}") from None
    finally:
        sftp.close()
        client.close()


def _need_sftp(config: DropConfig) -> SftpConfig:
    if config.sftp is None:
        raise ConfigError(f"{config.root}: claimhouse.toml has no [sftp] table")
    return config.sftp


def _download(sftp: paramiko.SFTPClient, remote: str, part: os.PathLike[str],
              size: int) -> int:
    """Append the missing tail of ``remote`` to ``part``; return bytes received."""
    have = os.path.getsize(part) if os.path.exists(part) else 0
    if have > size:
        have = 0
    received = 0
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if have else os.O_TRUNC), 0o600)
    with os.fdopen(fd, "ab" if have else "wb") as out, sftp.open(remote, "rb") as src:
        src.seek(have)
        src.prefetch(size)  # pipelined reads from the resume offset
        while block := src.read(_CHUNK):
            out.write(block)
            received += len(block)
            fault_point("pull-chunk")
        out.flush()
        os.fsync(out.fileno())
    return received


def pull(config: DropConfig, *, now: float | None = None) -> list[Transfer]:
    """Fetch every stable remote file into the inbox; see the module docstring."""
    cfg = _need_sftp(config)
    layout = DropLayout(config.root)
    layout.ensure()
    done: list[Transfer] = []
    with sftp_session(cfg) as sftp:
        now = time.time() if now is None else now
        for attr in sorted(sftp.listdir_attr(cfg.remote_inbox), key=lambda a: a.filename):
            name = attr.filename
            if (attr.st_mode is None or not stat.S_ISREG(attr.st_mode)
                    or not is_candidate(name) or "/" in name or "\0" in name):
                continue
            if now - (attr.st_mtime or 0) < config.stable_seconds:
                continue  # the partner may still be writing it
            size = attr.st_size or 0
            remote = posixpath.join(cfg.remote_inbox, name)
            local = layout.inbox / safe_name(name)
            part = local.with_name(local.name + ".part")
            sent = 0
            if not (local.exists() and local.stat().st_size == size):
                sent = _download(sftp, remote, part, size)
                if part.stat().st_size != size:
                    raise TransferError(f"{remote}: size changed during download; will retry")
                fault_point("pull-downloaded")
                if attr.st_mtime:
                    os.utime(part, (attr.st_atime or attr.st_mtime, attr.st_mtime))
                move_durable(part, local)
                fault_point("pull-renamed")
            if cfg.remote_done:
                sftp.posix_rename(remote, posixpath.join(cfg.remote_done, name))
            else:
                sftp.remove(remote)
            done.append(Transfer(local.name, size, sent))
    return done


def _upload(sftp: paramiko.SFTPClient, local: os.PathLike[str], tmp: str, size: int) -> int:
    try:
        have = sftp.stat(tmp).st_size or 0
    except FileNotFoundError:
        have = 0
    if have > size:
        have = 0
    sent = 0
    with open(local, "rb") as src, sftp.open(tmp, "r+b" if have else "wb") as out:
        out.seek(have)
        out.set_pipelined(True)
        src.seek(have)
        while block := src.read(_CHUNK):
            out.write(block)
            sent += len(block)
            fault_point("push-chunk")
    return sent


def push(config: DropConfig) -> list[Transfer]:
    """Upload every outbox file; see the module docstring."""
    cfg = _need_sftp(config)
    layout = DropLayout(config.root)
    layout.ensure()
    sent_dir = layout.outbox / "sent"
    sent_dir.mkdir(mode=0o700, exist_ok=True)
    done: list[Transfer] = []
    with sftp_session(cfg) as sftp:
        for path in sorted(layout.outbox.iterdir()):
            if not path.is_file() or path.is_symlink() or not is_candidate(path.name):
                continue
            size = path.stat().st_size
            final = posixpath.join(cfg.remote_outbox, path.name)
            tmp = final + ".part"
            sent = _upload(sftp, path, tmp, size)
            if (sftp.stat(tmp).st_size or 0) != size:
                raise TransferError(f"{tmp}: incomplete upload; will retry")
            fault_point("push-uploaded")
            sftp.posix_rename(tmp, final)
            fault_point("push-renamed")
            move_durable(path, sent_dir / path.name)
            done.append(Transfer(path.name, size, sent))
    fsync_dir(layout.outbox)
    return done
