"""What a claim batch must satisfy to be written as its guide's 837 (checked before any
byte is written). Each problem names the claim (index and CLM01) and the field; none
quotes a diagnosis, name or member id."""

from __future__ import annotations

from claimhouse.models import Claim, ClaimBatch, ClaimKind
from claimhouse.transactions._claims837_codes import (
    CLAIM_PROVIDER_SLOTS,
    HI_GROUPS,
    LINE_PROVIDER_SLOTS,
    LIST_SLOTS,
)

MAX_LINES = {ClaimKind.PROFESSIONAL: 50, ClaimKind.INSTITUTIONAL: 999, ClaimKind.DENTAL: 50}
FACILITY_QUALIFIER = {ClaimKind.PROFESSIONAL: "B", ClaimKind.INSTITUTIONAL: "A",
                      ClaimKind.DENTAL: "B"}


def _roles(providers: list[str], slots: tuple[tuple[str, str], ...], where: str,
           problems: list[str]) -> None:
    if not providers:
        return
    seen: dict[str, int] = {}
    for j, role in enumerate(providers):
        attr = next((a for roles, a in slots if role in roles.split()), None)
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


def _claim_problems(c: Claim, kind: ClaimKind, where: str = _WHERE) -> list[str]:
    problems: list[str] = []
    if c.facility_code_qualifier != FACILITY_QUALIFIER[kind]:
        problems.append(f"{where}.facility_code_qualifier: must be "
                        f"{FACILITY_QUALIFIER[kind]!r} for {kind.value} claims")
    if kind is not ClaimKind.INSTITUTIONAL and c.frequency_code not in ("1", "7", "8"):
        problems.append(f"{where}.frequency_code: must be 1 (original), 7 (replacement) or "
                        "8 (void)")
    if c.frequency_code in ("7", "8") and not c.payer_claim_control_number:
        problems.append(f"{where}.payer_claim_control_number: a replacement or void names "
                        "the payer's claim control number (REF*F8)")
    controls = [ln.line_item_control_number for ln in c.service_lines
                if ln.line_item_control_number]
    if len(controls) != len(set(controls)):
        problems.append(f"{where}.service_lines: line item control numbers (REF*6R) must be "
                        "unique within the claim")
    if len(c.service_lines) > MAX_LINES[kind]:
        problems.append(f"{where}.service_lines: at most {MAX_LINES[kind]} lines")
    if kind is not ClaimKind.DENTAL and not c.diagnoses:
        problems.append(f"{where}.diagnoses: a principal diagnosis is required")
    if kind is ClaimKind.INSTITUTIONAL and c.statement_from is None:
        problems.append(f"{where}.statement_from: required for institutional claims")
    if kind is ClaimKind.INSTITUTIONAL and not (c.admission_type or c.patient_status):
        problems.append(f"{where}.patient_status: CL1 is required for institutional claims")
    quals = [d.qualifier for d in c.diagnoses] + [p.qualifier for p in c.procedures]
    quals += ["BI"] * len(c.occurrence_spans) + ["BH"] * len(c.occurrence_codes)
    quals += ["BE"] * len(c.value_codes) + ["BG"] * len(c.condition_codes)
    groups = HI_GROUPS[kind]
    for q in set(quals):
        if not any(q in g.qualifiers for g in groups):
            problems.append(f"{where}: health code qualifier {q!r} is not used in this guide")
    for g in groups:
        n = sum(1 for q in quals if q in g.qualifiers)
        if n > g.per_segment * g.segments:
            problems.append(f"{where}: at most {g.per_segment * g.segments} codes with "
                            f"qualifier(s) {'/'.join(sorted(g.qualifiers))}")
    if c.diagnoses and c.diagnoses[0].qualifier not in ("ABK", "BK"):
        problems.append(f"{where}.diagnoses[0].qualifier: the principal diagnosis (ABK) "
                        "comes first")
    _roles([p.role for p in c.providers], CLAIM_PROVIDER_SLOTS[kind], where, problems)
    n_dx = sum(1 for d in c.diagnoses if d.qualifier in ("ABK", "ABF", "BK", "BF"))
    institutional = kind is ClaimKind.INSTITUTIONAL
    line_slots = LINE_PROVIDER_SLOTS[kind]
    for j, line in enumerate(c.service_lines):
        lw = f"{where}.service_lines[{j}]"
        if institutional and not line.revenue_code:
            problems.append(f"{lw}.revenue_code: required on institutional lines")
        if not institutional and line.procedure is None:
            problems.append(f"{lw}.procedure: required on {kind.value} lines")
        if len(line.diagnosis_pointers) > 4:
            problems.append(f"{lw}.diagnosis_pointers: at most four")
        if not institutional and any(p < 1 or p > max(n_dx, 1)
                                     for p in line.diagnosis_pointers):
            problems.append(f"{lw}.diagnosis_pointers: must point at one of the claim's "
                            f"{n_dx} diagnoses")
        if line.units is not None and line.units < 0:
            problems.append(f"{lw}.units: negative")
        if line.providers:
            _roles([p.role for p in line.providers], line_slots, lw, problems)
    return problems


def guide_problems(batch: ClaimBatch) -> list[str]:
    """Problems that keep ``batch`` from being a valid 837 of its kind."""
    problems: list[str] = []
    if not batch.claims:
        problems.append("claims: an 837 needs at least one claim")
    for i, c in enumerate(batch.claims):
        found = _claim_problems(c, batch.kind)
        if found:
            where = f"claims[{i}] (patient_control_number {c.patient_control_number!r})"
            problems += [p.replace(_WHERE, where) for p in found]
    return problems
