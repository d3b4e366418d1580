"""Generate ``docs/findings.md``: every finding code of the project on one page.

Run ``python -m claimhouse.validate._docs > docs/findings.md``; a test fails when the
committed page differs from what this renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from claimhouse.validate._codes import VALIDATION_CODES
from claimhouse.x12 import ENVELOPE_CODES, FindingCode


def _table(codes: Iterable[FindingCode]) -> list[str]:
    rows = ["| code | severity | SNIP | 999 / TA1 | what it means | how to fix |",
            "|---|---|---|---|---|---|"]
    for c in codes:
        acks = ", ".join(f"{k} {v}" for k, v in (("TA105", c.ta1), ("AK905", c.ak9),
                                                 ("IK502", c.ik5), ("IK304", c.ik3),
                                                 ("IK403", c.ik4)) if v)
        rows.append(f"| `{c.code}` | {c.severity.value} | {c.snip_level} | {acks or '—'} | "
                    f"{c.summary} | {c.fix or '—'} |")
    return rows


def extra_sections() -> list[tuple[str, dict[str, FindingCode]]]:
    """Finding-code tables of other layers (the 835 balancing module when present)."""
    sections: list[tuple[str, dict[str, FindingCode]]] = []
    try:
        from claimhouse.transactions import balancing
    except ImportError:
        return sections
    codes = getattr(balancing, "BALANCING_CODES", None)
    if isinstance(codes, dict):
        sections.append(("835 balancing (SNIP 3)", codes))
    return sections


def render() -> str:
    lines = ["# Finding codes", "",
             "Every finding claimhouse reports, generated from the code "
             "(`python -m claimhouse.validate._docs`). Messages never quote element "
             "content. SNIP is the WEDI SNIP level; the last columns give the 999/TA1 "
             "codes a finding is acknowledged with.", ""]
    sections = [("Envelope and syntax (SNIP 1, `claimhouse.x12`)", ENVELOPE_CODES),
                *extra_sections()]
    by_level: dict[int, list[FindingCode]] = {}
    for c in VALIDATION_CODES.values():
        by_level.setdefault(c.snip_level, []).append(c)
    names = {1: "characters and envelope extras", 2: "implementation guide (pyx12)",
             3: "balancing", 4: "inter-segment rules", 5: "external code sets"}
    for level in sorted(by_level):
        sections.append((f"Validation SNIP {level}: {names[level]} (`claimhouse.validate`)",
                         {c.code: c for c in by_level[level]}))
    for title, codes in sections:
        lines += [f"## {title}", "", *_table(codes.values()), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
