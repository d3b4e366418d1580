"""837 claim-level codes and kept segments, from loop models to claim models: the HI
composites (diagnoses, procedures, occurrences, values, conditions, DRG), the 2300 dates,
and what no field holds (unreadable dates, other amounts and dates, unknown HI
composites) turned back into raw segments for ``extra_segments``."""

from __future__ import annotations

from claimhouse.models import (
    Claim,
    ClaimDate,
    ClaimKind,
    Diagnosis,
    OccurrenceCode,
    OccurrenceSpan,
    ProcedureCode,
    ValueCode,
)
from claimhouse.transactions._claims837_codes import (
    DATE_RANK,
    DIAGNOSIS_QUALIFIERS,
    PROCEDURE_QUALIFIERS,
    parse_d8,
    parse_period,
)
from claimhouse.transactions._claims837_doc import DAmount, DClaim, DHiCode, DName


def raw(seg_id: str, *values: str | None) -> list[str]:
    """A mapped segment whose values no model field can hold, as an extra segment."""
    out = [seg_id, *(v or "" for v in values)]
    while len(out) > 1 and not out[-1]:
        out.pop()
    return out


def raw_amounts(ds: list[DAmount], named: tuple[str, ...]) -> list[list[str]]:
    """AMTs no field holds (other qualifiers, repeats), as extra segments."""
    out, seen = [], set()
    for a in ds:
        if a.qualifier in named and a.qualifier not in seen and a.amount is not None:
            seen.add(a.qualifier)
            continue
        out.append(raw("AMT", a.qualifier, None if a.amount is None else format(a.amount, "f")))
    return out


def raw_dates(d: DName, named: tuple[str, ...]) -> list[list[str]]:
    """DTPs of a name loop no field holds, as extra segments."""
    out, seen = [], set()
    for x in d.dates:
        if x.qualifier in named and x.qualifier not in seen:
            seen.add(x.qualifier)
            continue
        out.append(raw("DTP", x.qualifier, x.format, x.value))
    return out


def _hiraw(c: DHiCode) -> list[str]:
    """An HI composite no claim field holds, as a one-composite extra HI segment."""
    comps = [c.qualifier or "", c.code or "", c.date_format or "", c.date_value or "",
             "" if c.amount is None else format(c.amount, "f"),
             "" if c.quantity is None else format(c.quantity, "f"), "", "", c.poa or ""]
    while comps and not comps[-1]:
        comps.pop()
    return ["HI", ":".join(comps)]


def health_codes(claim: Claim, d: DClaim) -> None:
    """Sort each HI composite into diagnoses, procedures, occurrences, values, conditions,
    the DRG; any other composite (treatment codes, unreadable dates) is kept as an extra."""
    for seg in d.hi:
        for c in seg.codes:
            q, code = c.qualifier or "", c.code or ""
            if q in DIAGNOSIS_QUALIFIERS and not (c.date_value or c.amount or c.quantity):
                claim.diagnoses.append(Diagnosis(code, q, c.poa))
                continue
            if q in PROCEDURE_QUALIFIERS and not (c.amount or c.quantity or c.poa):
                when = parse_d8(c.date_value)
                if when is not None or not c.date_value:
                    claim.procedures.append(ProcedureCode(code, q, when))
                    continue
            elif q == "BI" and c.date_format == "RD8":
                start, end, _ = parse_period("RD8", c.date_value)
                if start and end:
                    claim.occurrence_spans.append(OccurrenceSpan(code, start, end))
                    continue
            elif q == "BH" and c.date_format == "D8":
                when = parse_d8(c.date_value)
                if when:
                    claim.occurrence_codes.append(OccurrenceCode(code, when))
                    continue
            elif q == "BE" and c.amount is not None and not c.date_value:
                claim.value_codes.append(ValueCode(code, c.amount))
                continue
            elif q == "BG" and not (c.date_value or c.amount or c.quantity or c.poa):
                claim.condition_codes.append(code)
                continue
            elif q == "DR" and claim.drg_code is None and not (c.date_value or c.amount):
                claim.drg_code = code
                continue
            claim.extra_segments.append(_hiraw(c))


def claim_dates(claim: Claim, d: DClaim, kind: ClaimKind) -> None:
    for x in d.dates:
        start, end, time = parse_period(x.format, x.value)
        q = x.qualifier or ""
        if q == "096" and x.format == "TM":
            claim.discharge_time = time
        elif start is None:  # unreadable: kept as it came
            claim.extra_segments.append(raw("DTP", x.qualifier, x.format, x.value))
        elif q == "434":
            claim.statement_from, claim.statement_to = start, end or start
        elif q == "435" and end is None:
            claim.admission_date, claim.admission_time = start, time
        elif q == "096" and end is None and time is None:
            claim.discharge_date = start
        elif q == "431" and end is None and time is None:
            claim.onset_date = start
        elif q == "439" and end is None and time is None:
            claim.accident_date = start
        else:
            claim.other_dates.append(ClaimDate(q, start, end, time))
    rank = DATE_RANK[kind]
    claim.other_dates.sort(key=lambda c: rank.get(c.qualifier, 99))
