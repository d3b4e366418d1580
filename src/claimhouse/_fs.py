"""Files claimhouse writes are private: mode 0600 for files, 0700 for folders it creates.

Everything the tool writes may hold PHI (837/835 files, acks, reports, parse output,
databases, batch outputs, the control-number state), so every writer opens its file
through :func:`open_private` / :func:`private_fd` and creates folders with
:func:`private_dir`. The modes are set explicitly (``fchmod``/``chmod``), so the result
does not depend on the process umask. Folders that already exist are left as they are
(``-o /tmp/x.837`` must not chmod ``/tmp``); an existing regular file being overwritten
is tightened to 0600. This module imports nothing of claimhouse, so any layer above
``x12/`` may use it (``x12/`` imports only ``errors``; its one writer, the control-number
state file, opens 0600 itself).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "create_private",
    "open_private",
    "private_dir",
    "private_fd",
    "write_private",
]

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | Path) -> Path:
    """Create ``path`` and any missing parents with mode 0700 (existing ones untouched)."""
    path = Path(path)
    missing: list[Path] = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)
    return path


def private_fd(path: str | Path, *, append: bool = False, truncate: bool = True,
               exclusive: bool = False, nofollow: bool = False) -> int:
    """A write descriptor on ``path``, created 0600 (a regular file tightened to 0600).
    ``nofollow``: refuse a symlink at ``path`` (ELOOP) - for folders the tool owns; not for
    a user's ``-o`` target, which may rightly be a link (``/dev/stdout``)."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    if nofollow:
        flags |= os.O_NOFOLLOW
    if append:
        flags |= os.O_APPEND
    elif truncate:
        flags |= os.O_TRUNC
    if exclusive:
        flags |= os.O_EXCL
    fd = os.open(path, flags, FILE_MODE)
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


@overload
def open_private(path: str | Path, mode: Literal["wb", "ab"] = ...) -> BinaryIO: ...
@overload
def open_private(path: str | Path, mode: Literal["w", "a"], *, encoding: str = ...,
                 newline: str | None = ...) -> TextIO: ...
def open_private(path: str | Path, mode: str = "wb", *, encoding: str = "utf-8",
                 newline: str | None = None) -> IO[Any]:
    """``open(path, mode)`` for writing ("w", "wb", "a", "ab"), the file private (0600)."""
    if mode not in ("w", "wb", "a", "ab"):
        raise ValueError(f"open_private: unsupported mode {mode!r}")
    fd = private_fd(path, append=mode.startswith("a"))
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding=encoding, newline=newline)


def write_private(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (0600)."""
    with open_private(path, "wb") as fh:
        fh.write(data)


def create_private(path: str | Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (a database file before
    SQLite opens it: SQLite then gives its -wal/-shm/-journal files the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
