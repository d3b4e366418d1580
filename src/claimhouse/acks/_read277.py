"""Reading received 277CA claim acknowledgments (005010X214) for `claimhouse parse`.

Per claim (2000D/2200D): the submitter's claim id (TRN02 = CLM01), the status category
and code of each STC (A2 accepted, A3/A6/A7/A8 rejected …), the amount, the payer's claim
number (REF*1K) and the service dates; per billing provider (2000C) its accepted and
rejected totals are not repeated: they are sums of the claims.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from claimhouse.transactions._registry import Binding
from claimhouse.x12 import TransactionSet

ACCEPTED_CATEGORIES = frozenset({"A1", "A2", "A5"})
"""Claim status categories that mean the claim went into adjudication (or was received)."""


@dataclass(slots=True)
class ClaimStatus:
    """One STC: category (STC01-1), status code (STC01-2), entity (STC01-3)."""

    category: str
    code: str
    entity: str = ""


@dataclass(slots=True)
class ClaimAcknowledgment:
    """2200D: one claim's acknowledgment."""

    claim_id: str
    provider_id: str = ""
    statuses: list[ClaimStatus] = field(default_factory=list)
    amount: str = ""
    payer_claim_number: str = ""
    service_date: str = ""

    @property
    def accepted(self) -> bool:
        return bool(self.statuses) and self.statuses[0].category in ACCEPTED_CATEGORIES


@dataclass(slots=True)
class ClaimAcknowledgmentSet:
    """One 277CA transaction set: its reference (BHT03) and the claims acknowledged."""

    control_number: str
    reference: str = ""
    claims: list[ClaimAcknowledgment] = field(default_factory=list)


def read_277ca(ts: TransactionSet) -> ClaimAcknowledgmentSet:
    out = ClaimAcknowledgmentSet(ts.info.control_number)
    comp = ts.delimiters.component
    level = ""
    provider = ""
    claim: ClaimAcknowledgment | None = None
    for seg in ts.segments:
        tag = seg.elements[0]
        if tag == "BHT":
            out.reference = seg.get(3)
        elif tag == "HL":
            level, claim = seg.get(3), None
        elif tag == "NM1" and level == "19":
            provider = seg.get(9)
        elif tag == "TRN" and level == "PT":
            claim = ClaimAcknowledgment(seg.get(2), provider)
            out.claims.append(claim)
        elif claim is None:
            continue
        elif tag == "STC":
            for i in (1, 10, 11):
                parts = seg.get(i).split(comp)
                if parts and parts[0]:
                    claim.statuses.append(ClaimStatus(parts[0], parts[1] if len(parts) > 1
                                                      else "", parts[2] if len(parts) > 2
                                                      else ""))
            claim.amount = claim.amount or seg.get(4)
        elif tag == "REF" and seg.get(1) == "1K":
            claim.payer_claim_number = seg.get(2)
        elif tag == "DTP" and seg.get(1) == "472":
            claim.service_date = seg.get(3)
    return out


def _claim_json(c: ClaimAcknowledgment) -> dict[str, Any]:
    return {**asdict(c), "accepted": c.accepted}


def to_json(model: ClaimAcknowledgmentSet) -> dict[str, Any]:
    return {"control_number": model.control_number, "reference": model.reference,
            "claims": [_claim_json(c) for c in model.claims]}


def jsonl(model: ClaimAcknowledgmentSet) -> Iterator[dict[str, Any]]:
    for c in model.claims:
        yield {"reference": model.reference, **_claim_json(c)}


CSV_COLUMNS = ("reference", "claim_id", "provider_id", "accepted", "category", "code",
               "amount", "payer_claim_number", "service_date")


def csv_rows(model: ClaimAcknowledgmentSet) -> Iterator[dict[str, Any]]:
    for c in model.claims:
        first = c.statuses[0] if c.statuses else ClaimStatus("", "")
        yield {"reference": model.reference, "claim_id": c.claim_id,
               "provider_id": c.provider_id, "accepted": c.accepted,
               "category": first.category, "code": first.code, "amount": c.amount,
               "payer_claim_number": c.payer_claim_number, "service_date": c.service_date}


BINDINGS = [Binding(name="277CA", set_id="277", guides=frozenset({"005010X214"}),
                    json_key="claim_acknowledgments", read=read_277ca, to_json=to_json,
                    jsonl_records=jsonl, csv_rows=csv_rows, csv_columns=CSV_COLUMNS)]
"""Registered in ``claimhouse.transactions._registry._load``."""
