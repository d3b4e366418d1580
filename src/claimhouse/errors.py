"""The one exception tree of claimhouse.

Findings are data, faults are exceptions: a bad file yields :class:`~claimhouse.x12.Finding`
objects; only engine and I/O failures raise, always under :class:`ClaimhouseError`::

    ClaimhouseError
    ├── X12Error                 the bytes cannot be read as X12 at all
    │   ├── NotX12Error          no ISA header where one must start (empty, binary, junk)
    │   ├── DelimiterError       ISA unusable: truncated, wrong width, colliding delimiters
    │   ├── SegmentTooLongError  a segment exceeds the reader's bound (no terminator in sight)
    │   └── UnitTooLongError     one claim (streaming unit) exceeds the map engine's bound
    ├── WriteError               a value cannot be written (contains a delimiter, too long...)
    ├── ModelError               a domain model or its JSON is invalid (lists every problem)
    ├── DefinitionError          a transaction definition under maps/ is malformed
    ├── ControlNumberError       the control-number source is exhausted or unusable
    ├── InputError               a file cannot be opened or read (I/O)
    ├── ConfigError              a configuration file (claimhouse.toml) is missing or invalid
    ├── TransferError            a remote (SFTP) transfer failed: connection, host key, auth
    └── StoreError               the claim store cannot be opened, migrated or written

Messages name *where* (file, byte offset, segment ordinal, element position) and never
quote element content, which may be PHI.
"""

from __future__ import annotations


class ClaimhouseError(Exception):
    """Root of every exception claimhouse raises on purpose."""


class X12Error(ClaimhouseError):
    """The input cannot be read as X12 at all (raised before any segment is produced)."""

    def __init__(self, message: str, *, source: str | None = None, offset: int | None = None):
        where = []
        if source:
            where.append(source)
        if offset is not None:
            where.append(f"byte {offset}")
        super().__init__(f"{': '.join([', '.join(where), message]) if where else message}")
        self.source = source
        self.offset = offset
        self.reason = message


class NotX12Error(X12Error):
    """The input does not start with an ISA segment (empty, binary junk, another format)."""


class DelimiterError(X12Error):
    """The ISA is truncated, has the wrong width, or its delimiters collide or are invalid."""


class SegmentTooLongError(X12Error):
    """A segment is longer than the tokenizer's bound: a missing segment terminator or an
    absurd element. Reading stops there, so memory stays bounded whatever the file."""


class UnitTooLongError(X12Error):
    """One streaming unit of a transaction set (an 835 claim payment, an 837 claim or HL
    level) has more segments than the map engine holds at once (far beyond what any guide
    allows): reading stops there, so memory stays bounded whatever the file."""


class WriteError(ClaimhouseError):
    """A value cannot be written as X12 (it contains a delimiter, or breaks a width rule)."""


class ModelError(ClaimhouseError):
    """A model or model JSON is invalid. ``problems`` lists every problem, each with its path."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s): " if len(self.problems) > 1 else ""
        super().__init__(head + "; ".join(self.problems))


class DefinitionError(ClaimhouseError):
    """A transaction definition (maps/) is malformed or references an unknown field."""


class ControlNumberError(ClaimhouseError):
    """The control-number source cannot issue a number (exhausted, unreadable state file)."""


class InputError(ClaimhouseError):
    """A file cannot be opened or read."""


class ConfigError(ClaimhouseError):
    """A configuration file (a drop's ``claimhouse.toml``) is missing or invalid."""


class TransferError(ClaimhouseError):
    """A remote transfer failed: connection, host-key mismatch, authentication or I/O."""


class StoreError(ClaimhouseError):
    """The claim store (database) cannot be opened, migrated or written."""
