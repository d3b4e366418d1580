"""Matching rules, as pure functions.

Claim level (835 loop 2100 -> 837 loop 2300): CLP01 must equal CLM01 (the patient control
number); among the claims carrying it, the payer (TRN03 / N1*PR / REF*2U against the
837's NM1*PR), the service dates (CLP/DTM*232-233 or 2110 DTM*472 within the claim's
dates) and the charge (CLP03 = CLM02) confirm the choice. A secondary or tertiary
posting (CLP02 2/3/20/21) or a claim listing the payer in 2320/2330B matches the claim
whose payer differs.

Line level (2110 -> 2400): REF*6R = the line item control number when the payer returns
it; otherwise procedure + modifiers + service date + charge, trying SVC06 (the procedure
as submitted) when the payer changed the code in SVC01; then procedure + date alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from claimhouse.reconcile._model import PaidLine, Posting, SubmittedClaim, SubmittedLine

SECONDARY_STATUSES = frozenset({"2", "3", "20", "21"})


@dataclass(slots=True)
class Decision:
    """One match decision: its level (claim, line, reversal, plb, state), outcome, rule
    and reason in words (never element content beyond codes and amounts)."""

    level: str
    decision: str
    rule: str
    reason: str
    posting: int | None = None
    claim: int | None = None
    paid_line: int | None = None
    line: int | None = None


@lru_cache(maxsize=4096)
def _upper(ids: frozenset[str]) -> frozenset[str]:
    """The ids upper-cased (a remittance's payer ids are shared by all its postings)."""
    return frozenset(i.upper() for i in ids)


def _payer_matches(posting: Posting, claim: SubmittedClaim) -> bool:
    ids = _upper(posting.payer_ids)
    return claim.payer_id.upper() in ids or bool(
        claim.payer_name and claim.payer_name.upper() in ids)


def _dates_match(posting: Posting, claim: SubmittedClaim) -> bool | None:
    dates = posting.dates()
    if not dates or claim.service_from is None:
        return None
    end = claim.service_to or claim.service_from
    return all(claim.service_from <= d <= end for d in dates)


def _is_secondary_for(posting: Posting, claim: SubmittedClaim) -> bool:
    return posting.status_code in SECONDARY_STATUSES or bool(
        claim.other_payer_ids and _upper(posting.payer_ids) & _upper(claim.other_payer_ids))


def choose_claim(posting: Posting, candidates: Sequence[SubmittedClaim]) -> Decision:
    """Which submitted claim a claim payment pays (``claim`` None: unmatched remit)."""
    pcn = posting.patient_control_number
    same = [c for c in candidates if c.patient_control_number == pcn]
    if not same:
        return Decision("claim", "unmatched", "no-claim-with-pcn",
                        "no submitted claim carries this CLP01 patient control number",
                        posting=posting.key)
    scored = []
    for claim in same:
        payer = _payer_matches(posting, claim)
        secondary = not payer and _is_secondary_for(posting, claim)
        dates = _dates_match(posting, claim)
        charge = posting.total_charge == claim.total_charge or (
            posting.status_code == "22" and -posting.total_charge == claim.total_charge)
        score = (4 if payer else 3 if secondary else 0) + (2 if dates else 0) + (
            1 if charge else 0)
        scored.append((score, -claim.key, claim, payer, secondary, dates, charge))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    _score, _neg, claim, payer, secondary, dates, charge = scored[0]
    parts = ["pcn"]
    notes = []
    if payer:
        parts.append("payer")
    elif secondary:
        parts.append("secondary")
        notes.append("paid by another payer as secondary/tertiary (CLP02 "
                     f"{posting.status_code or '-'})")
    else:
        notes.append("payer differs from the claim's payer")
    if dates:
        parts.append("dates")
    elif dates is False:
        notes.append("service dates outside the claim's")
    if charge:
        parts.append("charge")
    else:
        notes.append(f"CLP03 {posting.total_charge} differs from CLM02 {claim.total_charge}"
                     " (split or partial claim)")
    if len(same) > 1:
        notes.append(f"chosen among {len(same)} claims with this patient control number")
    reason = "; ".join(notes) if notes else "patient control number, payer, dates and charge"
    return Decision("claim", "matched", "+".join(parts), reason, posting=posting.key,
                    claim=claim.key)


def _same_mods(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b:
        return True
    return sorted(m for m in a if m) == sorted(m for m in b if m)


def _code_fits(paid: PaidLine, line: SubmittedLine, original: bool) -> bool:
    code = paid.original_procedure_code if original else paid.procedure_code
    mods = paid.original_modifiers if original else paid.modifiers
    if original and not code:
        return False
    if code and line.procedure_code:
        return code == line.procedure_code and _same_mods(mods, line.modifiers)
    return bool(paid.revenue_code and paid.revenue_code == line.revenue_code) or (
        bool(code) and code == line.revenue_code)


LIC_RULE = "line-item-control-number"
NO_LINE = "no-line-fits"
PASSES = (
    ("procedure+modifiers+date+charge",
     "SVC01 procedure, modifiers, service date and charge equal the line's"),
    ("original-procedure+modifiers+date+charge",
     "the payer changed the code; SVC06 (as submitted), date and charge equal the line's"),
    ("procedure+modifiers+date", "procedure, modifiers and date equal; charge differs"),
    ("original-procedure+modifiers+date", "SVC06 procedure and date equal; charge differs"),
)
"""The line passes, strongest first: (rule, reason). REF*6R comes before all of them."""


def fit_lines(posting: Posting, claim: SubmittedClaim
              ) -> list[tuple[PaidLine, SubmittedLine | None, int]]:
    """For each 2110 of ``posting``: the 2400 line it pays (or None) and how it was found
    (-1 REF*6R, 0-3 the index in :data:`PASSES`, 4 no line fits). Each submitted line is
    paid at most once per posting; within a pass the first free line in order wins."""
    free = list(claim.lines)
    out: list[tuple[PaidLine, SubmittedLine | None, int]] = []
    for paid in posting.lines:
        found: SubmittedLine | None = None
        how = 4
        lic = paid.line_item_control_number
        if lic:
            for ln in free:
                if ln.line_item_control_number == lic:
                    found, how = ln, -1
                    break
        if found is None:
            charge = abs(paid.charge)
            for ln in free:
                if not (paid.service_date is None or ln.service_date is None
                        or paid.service_date == ln.service_date):
                    continue
                same_charge = ln.charge == charge
                current = _code_fits(paid, ln, False)
                if current and same_charge:
                    k = 0
                else:
                    original = _code_fits(paid, ln, True)
                    if original and same_charge:
                        k = 1
                    elif current or original:
                        k = 2 if current else 3
                    else:
                        continue
                if k < how:
                    found, how = ln, k
                    if k == 0:
                        break
        if found is not None:
            free.remove(found)
        out.append((paid, found, how))
    return out


def line_rule(how: int) -> str:
    """The rule name of a :func:`fit_lines` outcome."""
    return LIC_RULE if how < 0 else PASSES[how][0] if how < len(PASSES) else NO_LINE


def match_lines(posting: Posting, claim: SubmittedClaim) -> list[Decision]:
    """A decision per 2110 service payment of ``posting``: the 2400 line it pays, or none.
    Each submitted line is paid at most once per posting."""
    out = []
    for paid, found, how in fit_lines(posting, claim):
        if found is None:
            out.append(Decision("line", "unmatched", NO_LINE,
                                "no remaining submitted line has this procedure and date",
                                posting=posting.key, claim=claim.key, paid_line=paid.key))
            continue
        reason = "REF*6R equals the line's REF*6R" if how < 0 else PASSES[how][1]
        out.append(Decision("line", "matched", line_rule(how),
                            f"{reason} (line {found.position})", posting=posting.key,
                            claim=claim.key, paid_line=paid.key, line=found.key))
    return out
