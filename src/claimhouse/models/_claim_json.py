"""Claim JSON (what billing systems send to ``claimhouse generate 837``) to models.

Every problem is reported at once, each naming the claim by its index and patient control
number (CLM01, the biller's own key) and the field, e.g.
``claims[2] (patient_control_number 'PCN-1003').service_lines[0].charge: not a decimal amount``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from claimhouse.errors import ModelError
from claimhouse.models._claim import Claim, ClaimBatch
from claimhouse.models._json import from_json

_CLAIM_PATH = re.compile(r"^claims\[(\d+)\]")


def _claim_label(data: Any, index: int) -> str:
    claims = data.get("claims") if isinstance(data, dict) else None
    pcn = None
    if isinstance(claims, list) and index < len(claims) and isinstance(claims[index], dict):
        value = claims[index].get("patient_control_number")
        pcn = value if isinstance(value, str) else None
    return f"claims[{index}] (patient_control_number {pcn!r})" if pcn else f"claims[{index}]"


def name_claims(problems: list[str], data: Any) -> list[str]:
    """Rewrite ``claims[i]`` path prefixes to also name the claim's CLM01."""
    out = []
    for p in problems:
        m = _CLAIM_PATH.match(p)
        out.append(_claim_label(data, int(m.group(1))) + p[m.end():] if m else p)
    return out


def charge_problems(claims: list[Claim]) -> list[str]:
    """CLM02 against the line charges, and the line counts the guides allow (SNIP 3)."""
    problems = []
    zero = Decimal(0)
    for i, claim in enumerate(claims):
        lines = claim.service_lines
        total = sum([line.charge for line in lines], zero)
        if claim.total_charge == total and lines and all(line.charge >= zero for line in lines):
            continue  # the common case: no label to build
        label = f"claims[{i}] (patient_control_number {claim.patient_control_number!r})"
        if claim.total_charge != total:
            problems.append(f"{label}.total_charge: {claim.total_charge} is not the sum of "
                            f"the service line charges ({total})")
        if not claim.service_lines:
            problems.append(f"{label}.service_lines: a claim needs at least one line")
        for j, line in enumerate(claim.service_lines):
            if line.charge < Decimal(0):
                problems.append(f"{label}.service_lines[{j}].charge: negative")
    return problems


def load_claim_batch(data: Any) -> ClaimBatch:
    """A :class:`ClaimBatch` from parsed claim JSON; one ``ModelError`` lists every problem
    (structure, types and charge balancing) with the claim and field it concerns."""
    try:
        batch = from_json(ClaimBatch, data)
    except ModelError as exc:
        raise ModelError(name_claims(exc.problems, data)) from None
    problems = charge_problems(batch.claims)
    if problems:
        raise ModelError(problems)
    return batch
