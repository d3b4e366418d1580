"""Control numbers and the clock, passed in by callers so output is reproducible."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from claimhouse.errors import ControlNumberError

Clock = Callable[[], datetime]
"""A callable returning the current time; tests pass a fixed one."""


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always returns ``moment``."""
    return lambda: moment


def system_clock() -> datetime:
    """The wall clock (local time), for production use."""
    return datetime.now()


class ControlNumbers(Protocol):
    """Issues interchange (ISA13), group (GS06) and transaction set (ST02) numbers."""

    def next_interchange(self) -> int: ...
    def next_group(self) -> int: ...


class SequentialControlNumbers:
    """In-memory sequence starting at ``start``: the same inputs give the same numbers."""

    def __init__(self, start: int = 1) -> None:
        self._interchange = start
        self._group = start

    def next_interchange(self) -> int:
        n = self._interchange
        if n > 999_999_999:
            raise ControlNumberError("interchange control numbers exhausted (ISA13 > 999999999)")
        self._interchange += 1
        return n

    def next_group(self) -> int:
        n = self._group
        self._group += 1
        return n


class FileControlNumbers:
    """Control numbers persisted in a small state file, locked while updated, so no ISA13
    is ever issued twice across runs or processes sharing the file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def _bump(self, index: int) -> int:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.read(fd, 100).decode("ascii", "replace").split()
            try:
                values = [int(raw[0]), int(raw[1])] if len(raw) >= 2 else [0, 0]
            except ValueError:
                raise ControlNumberError(f"{self.path}: unreadable control-number state") from None
            values[index] += 1
            if values[0] > 999_999_999:
                raise ControlNumberError(f"{self.path}: interchange control numbers exhausted")
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, f"{values[0]} {values[1]}\n".encode("ascii"))
            os.fsync(fd)
            return values[index]
        finally:
            os.close(fd)

    def next_interchange(self) -> int:
        return self._bump(0)

    def next_group(self) -> int:
        return self._bump(1)
