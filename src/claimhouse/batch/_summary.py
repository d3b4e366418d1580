"""What a run reports: one :class:`Event` per file state reached, a :class:`Summary` at the
end. Neither carries PHI: job ids, safe file names, counts and PHI-free reasons only."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened to a file, for logs (no PHI: ids, safe names, counts)."""

    kind: str
    job: int
    name: str
    detail: str = ""
    claims: int = 0


@dataclass(slots=True)
class Summary:
    """Totals of a run."""

    files: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    vanished: int = 0
    errors: int = 0
    claims: int = 0
    reconciled: int = 0
    seconds: float = 0.0
    error_messages: list[str] = field(default_factory=list)

    def add(self, other: Summary) -> None:
        for name in ("files", "accepted", "rejected", "duplicates", "vanished", "errors",
                     "claims", "reconciled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.error_messages.extend(other.error_messages)
