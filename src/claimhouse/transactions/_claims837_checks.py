"""What a claim batch must satisfy to be written as its guide's 837 (checked before any
byte is written). Each problem names the claim (index and CLM01) and the field; none
quotes a diagnosis, name or member id."""

from __future__ import annotations

from functools import cache

from claimhouse.models import Claim, ClaimBatch, ClaimKind
from claimhouse.transactions._claims837_codes import (
    CLAIM_PROVIDER_SLOTS,
    HI_GROUPS,
    LINE_PROVIDER_SLOTS,
    LIST_SLOTS,
    HiGroup,
)

MAX_LINES = {ClaimKind.PROFESSIONAL: 50, ClaimKind.INSTITUTIONAL: 999, ClaimKind.DENTAL: 50}
FACILITY_QUALIFIER = {ClaimKind.PROFESSIONAL: "B", ClaimKind.INSTITUTIONAL: "A",
                      ClaimKind.DENTAL: "B"}


@cache
def _by_role(slots: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for roles, attr in slots:
        for role in roles.split():
            out.setdefault(role, attr)
    return out


@cache
def _all_quals(groups: tuple[HiGroup, ...]) -> frozenset[str]:
    return frozenset().union(*(g.qualifiers for g in groups))


def _roles(providers: list[str], slots: tuple[tuple[str, str], ...], where: str,
           problems: list[str]) -> None:
    if not providers:
        return
    seen: dict[str, int] = {}
    by_role = _by_role(slots)
    for j, role in enumerate(providers):
        attr = by_role.get(role)
        if attr is None:
            problems.append(f"{where}.providers[{j}].role: {role!r} has no loop in this guide")
            continue
        seen[attr] = seen.get(attr, 0) + 1
        limit = 2 if attr in LIST_SLOTS else 1
        if seen[attr] > limit:
            problems.append(f"{where}.providers[{j}].role: at most {limit} {attr} provider(s)")


_WHERE = "\x00"
"""Stands for the claim's label in problem texts until one is found (labels cost more
than the checks of a good claim)."""
_LINE = _WHERE + ".service_lines[{}]"


class _Rules:
    """One guide's rules, looked up once per batch (not once per claim)."""

    def __init__(self, kind: ClaimKind) -> None:
        self.kind = kind
        self.institutional = kind is ClaimKind.INSTITUTIONAL
        self.dental = kind is ClaimKind.DENTAL
        self.facility = FACILITY_QUALIFIER[kind]
        self.max_lines = MAX_LINES[kind]
        self.groups = HI_GROUPS[kind]
        self.allowed = _all_quals(self.groups)
        self.claim_slots = CLAIM_PROVIDER_SLOTS[kind]
        self.line_slots = LINE_PROVIDER_SLOTS[kind]


def _claim_problems(c: Claim, r: _Rules, where: str = _WHERE) -> list[str]:
    problems: list[str] = []
    kind, institutional = r.kind, r.institutional
    if c.facility_code_qualifier != r.facility:
        problems.append(f"{where}.facility_code_qualifier: must be "
                        f"{r.facility!r} for {kind.value} claims")
    if not institutional and c.frequency_code not in ("1", "7", "8"):
        problems.append(f"{where}.frequency_code: must be 1 (original), 7 (replacement) or "
                        "8 (void)")
    if c.frequency_code in ("7", "8") and not c.payer_claim_control_number:
        problems.append(f"{where}.payer_claim_control_number: a replacement or void names "
                        "the payer's claim control number (REF*F8)")
    lines = c.service_lines
    controls = [ln.line_item_control_number for ln in lines if ln.line_item_control_number]
    if len(controls) != len(set(controls)):
        problems.append(f"{where}.service_lines: line item control numbers (REF*6R) must be "
                        "unique within the claim")
    if len(lines) > r.max_lines:
        problems.append(f"{where}.service_lines: at most {r.max_lines} lines")
    if not r.dental and not c.diagnoses:
        problems.append(f"{where}.diagnoses: a principal diagnosis is required")
    if institutional and c.statement_from is None:
        problems.append(f"{where}.statement_from: required for institutional claims")
    if institutional and not (c.admission_type or c.patient_status):
        problems.append(f"{where}.patient_status: CL1 is required for institutional claims")
    counts: dict[str, int] = {}
    for d in c.diagnoses:
        counts[d.qualifier] = counts.get(d.qualifier, 0) + 1
    for p in c.procedures:
        counts[p.qualifier] = counts.get(p.qualifier, 0) + 1
    for q, many in (("BI", c.occurrence_spans), ("BH", c.occurrence_codes),
                    ("BE", c.value_codes), ("BG", c.condition_codes)):
        if many:
            counts[q] = counts.get(q, 0) + len(many)
    if c.drg_code:
        counts["DR"] = counts.get("DR", 0) + 1
    if counts:
        for q in counts:
            if q not in r.allowed:
                problems.append(f"{where}: health code qualifier {q!r} is not used in this "
                                "guide")
        for g in r.groups:
            n = 0
            for q in g.qualifiers:
                n += counts.get(q, 0)
            if n > g.per_segment * g.segments:
                problems.append(f"{where}: at most {g.per_segment * g.segments} codes with "
                                f"qualifier(s) {'/'.join(sorted(g.qualifiers))}")
    if c.diagnoses and c.diagnoses[0].qualifier not in ("ABK", "BK"):
        problems.append(f"{where}.diagnoses[0].qualifier: the principal diagnosis (ABK) "
                        "comes first")
    if c.providers:
        _roles([p.role for p in c.providers], r.claim_slots, where, problems)
    n_dx = (counts.get("ABK", 0) + counts.get("ABF", 0) + counts.get("BK", 0)
            + counts.get("BF", 0))
    top = max(n_dx, 1)
    for j, line in enumerate(lines):
        if institutional and not line.revenue_code:
            problems.append(f"{_LINE.format(j)}.revenue_code: required on institutional lines")
        if not institutional and line.procedure is None:
            problems.append(f"{_LINE.format(j)}.procedure: required on {kind.value} lines")
        ptrs = line.diagnosis_pointers
        if ptrs:
            if len(ptrs) > 4:
                problems.append(f"{_LINE.format(j)}.diagnosis_pointers: at most four")
            if not institutional and (min(ptrs) < 1 or max(ptrs) > top):
                problems.append(f"{_LINE.format(j)}.diagnosis_pointers: must point at one of "
                                f"the claim's {n_dx} diagnoses")
        if line.units is not None and line.units < 0:
            problems.append(f"{_LINE.format(j)}.units: negative")
        if line.providers:
            _roles([p.role for p in line.providers], r.line_slots, _LINE.format(j), problems)
    return [x.replace(_WHERE, where) for x in problems] if where != _WHERE else problems


def guide_problems(batch: ClaimBatch) -> list[str]:
    """Problems that keep ``batch`` from being a valid 837 of its kind."""
    problems: list[str] = []
    if not batch.claims:
        problems.append("claims: an 837 needs at least one claim")
    rules = _Rules(batch.kind)
    for i, c in enumerate(batch.claims):
        found = _claim_problems(c, rules)
        if found:
            where = f"claims[{i}] (patient_control_number {c.patient_control_number!r})"
            problems += [p.replace(_WHERE, where) for p in found]
    return problems
