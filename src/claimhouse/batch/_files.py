"""The drop folder on disk: its layout, safe names, durable writes and atomic moves.

Layout of a drop ``ROOT``::

    ROOT/claimhouse.toml          settings (optional)
    ROOT/inbox/                   files arrive (``*.part``, ``*.tmp`` and dot-files ignored)
    ROOT/work/<job>.<name>        a claimed file while it is processed
    ROOT/work/.<job>.<try>.out/   its outputs, staged until the job commits
    ROOT/archive/YYYY-MM-DD/      accepted files, by claim date
    ROOT/rejected/                rejected files, each with ``<name>.reason`` beside it
    ROOT/outbox/                  999/TA1 acks, extracts and per-file reports

Every file the batch writes is created with mode 0600, written to a temporary name,
fsynced, renamed into place, and its directory fsynced: a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimhouse._fs import private_fd
from claimhouse.batch._faults import step

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
_IGNORED_SUFFIXES = (".part", ".tmp")
_CHUNK = 1 << 20


def safe_name(name: str, *, limit: int = 120) -> str:
    """A name safe to use in any drop folder: no separators, no ``..``, no control bytes.

    The original name is kept in the journal; files written by the batch use this one.
    """
    cleaned = _UNSAFE.sub("_", name).lstrip(".-_")
    cleaned = cleaned.replace("..", "_")
    return (cleaned[-limit:] if len(cleaned) > limit else cleaned) or "file"


HARD_LINK_REASON = ("a hard link: the file has {links} names, so it may be another file "
                    "reached from outside the inbox; refused unread")


def lone_file(st: os.stat_result) -> bool:
    """Whether ``st`` (an ``lstat``) is a regular file whose only name is the one in the
    drop. A hard link's other name may be outside the drop: processing it would read that
    file, and the runner's chmod to 0600 would change it."""
    return stat.S_ISREG(st.st_mode) and st.st_nlink == 1


def is_candidate(name: str) -> bool:
    """Whether an inbox entry may be taken (temporary and hidden files are left alone)."""
    return not (name.startswith(".") or name.endswith(_IGNORED_SUFFIXES))


@dataclass(frozen=True, slots=True)
class DropLayout:
    """Paths of one drop folder (see the module docstring)."""

    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def rejected(self) -> Path:
        return self.root / "rejected"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def ensure(self) -> None:
        for d in (self.inbox, self.work, self.archive, self.rejected, self.outbox):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)

    def work_file(self, job_id: int, name: str) -> Path:
        return self.work / f"{job_id}.{safe_name(name)}"

    def staging(self, job_id: int, attempt: int) -> Path:
        """Where one attempt at a job stages its outputs (one folder per attempt, so a
        worker that lost its lease can never touch the outputs of the one that took over)."""
        return self.work / f".{job_id}.{attempt}.out"

    def all_staging(self, job_id: int) -> list[Path]:
        return list(self.work.glob(f".{job_id}.*.out"))

    def inside(self, path: Path) -> bool:
        """Whether ``path`` resolves inside the drop (no write ever goes elsewhere)."""
        try:
            path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return True


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_synced(path: Path, chunks: bytes | Iterator[bytes]) -> None:
    """Write ``path`` (mode 0600) and fsync it; the caller fsyncs the folder.

    For private folders (a job's staging folder) where no reader can see a partial file.
    """
    fd = private_fd(path, nofollow=True)
    with os.fdopen(fd, "wb") as fh:
        for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
            fh.write(chunk)
        fh.flush()
        step("write-before-fsync")
        os.fsync(fh.fileno())


def write_atomic(path: Path, chunks: bytes | Iterator[bytes]) -> None:
    """Write ``path`` (mode 0600) through a temporary name, fsync, rename, fsync its folder."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write_synced(tmp, chunks)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.replace(tmp, path)
    fsync_dir(path.parent)


def move_durable(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` (same file system) and fsync both folders."""
    os.replace(src, dst)
    fsync_dir(dst.parent)
    if src.parent != dst.parent:
        fsync_dir(src.parent)


def sha256_file(path: Path) -> tuple[str, int]:
    """The sha256 hex digest and size of a file, read in 1 MB blocks (constant memory)."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def remove_tree(path: Path) -> None:
    """Remove a folder tree; a symlink in its place is removed itself, never followed (a
    staging folder replaced by a link would otherwise send outputs outside the drop)."""
    if path.is_symlink():
        path.unlink()
        return
    shutil.rmtree(path, ignore_errors=True)


def free_destination(folder: Path, name: str, job_id: int) -> Path:
    """``folder/name``, or ``folder/<job>.name`` when a different file already has it."""
    target = folder / name
    return folder / f"{job_id}.{name}" if target.exists() else target


def place_file(src: Path, dest: Path, job_id: int) -> Path:
    """Move ``src`` to ``dest`` without ever replacing another file; return where it went.

    A hard link then an unlink: if ``dest`` already holds a different file (another worker
    took the name), the file goes to ``<job>.<name>`` beside it instead. Re-running after
    a crash between link and unlink finds the same inode and just removes ``src``.
    """
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for target in (dest, dest.with_name(f"{job_id}.{dest.name}")):
        try:
            os.link(src, target, follow_symlinks=False)
        except FileExistsError:
            if not os.path.samestat(os.lstat(src), os.lstat(target)):
                continue
        fsync_dir(target.parent)
        os.unlink(src)  # not fsynced: after a power cut it can only reappear as a 2nd link
        return target
    raise FileExistsError(errno.EEXIST, "no free destination name", str(dest))


def starts_like_x12(path: Path) -> bool:
    """Whether the file opens with ``ISA`` (after an optional UTF-8 BOM and blank lines)."""
    with path.open("rb") as fh:
        head = fh.read(64)
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n\t ").startswith(b"ISA")
