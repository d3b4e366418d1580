"""How 837 claims are rendered by `claimhouse parse`: JSON items, JSON lines, CSV rows.

Every claim carries its billing provider, subscriber, payer, patient and providers (the
loops 2000A-2010CA resolved onto it), so one JSON item or line is a complete claim; the CSV
has one row per service line (loop 2400) with the claim's key fields repeated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from claimhouse.models import Claim, ClaimKind
from claimhouse.transactions._claims837_json import (
    Encoder,
    compile_encoder,
    encoder_for,
    set_factory,
)

KIND_NAMES = {ClaimKind.PROFESSIONAL: "837P", ClaimKind.INSTITUTIONAL: "837I",
              ClaimKind.DENTAL: "837D"}

CSV_COLUMNS: tuple[str, ...] = (
    "transaction", "patient_control_number", "total_charge", "frequency_code",
    "place_of_service", "billing_provider_name", "billing_provider_npi", "payer_name",
    "payer_id", "subscriber_member_id", "subscriber_last_name", "subscriber_first_name",
    "patient_last_name", "patient_first_name", "principal_diagnosis", "line_number",
    "procedure_qualifier", "procedure_code", "modifiers", "revenue_code", "charge", "units",
    "unit_basis", "service_date", "service_date_end", "line_item_control_number",
    "diagnosis_pointers", "ndc", "ndc_quantity", "ndc_unit", "rendering_provider_npi",
)


def model_json(obj: Any, parties: _ClaimJson | None = None) -> dict[str, Any]:
    """What :func:`claimhouse.models.to_json` gives for a claim model (None and empty
    lists left out, amounts as strings, dates ISO 8601), through a function generated per
    model class (:mod:`._claims837_json`): the hot path of `claimhouse parse`.
    ``parties`` renders the party fields of a claim."""
    return encoder_for(type(obj))(obj, parties)


def slow_field(out: dict[str, Any], name: str, v: Any, parties: _ClaimJson | None = None
               ) -> None:
    """The generic rule for one non-None field value (what the generated encoders fall back
    to when a value is not of its declared type)."""
    t = type(v)
    if t is str or t is int or t is bool:
        out[name] = v
    elif t is Decimal:
        out[name] = str(v)
    elif t is list:
        if v:
            out[name] = [_value(x) for x in v]
    elif parties is not None and name in _PARTIES:
        out[name] = parties.party(v)
    else:
        out[name] = _value(v)


def _value(v: Any) -> Any:
    t = type(v)
    if t is str or t is int or t is bool:
        return v
    if t is Decimal:
        return str(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, list | tuple):
        return [_value(x) for x in v]
    return model_json(v)


_PARTIES = frozenset({"billing_provider", "subscriber", "payer", "patient"})


def _compile(cls: type) -> Encoder:
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise TypeError(f"{cls.__name__} is not a model")
    return compile_encoder(cls, _value, slow_field, _PARTIES)


set_factory(_compile)


class _ClaimJson:
    """Claims to JSON, rendering each party object (shared by the claims of one HL level
    when streamed) once."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, dict[str, Any]]] = {}

    def party(self, obj: Any) -> dict[str, Any]:
        hit = self._memo.get(id(obj))
        if hit is None or hit[0] is not obj:
            if len(self._memo) > 256:
                self._memo.clear()
            hit = self._memo[id(obj)] = (obj, model_json(obj))
        return hit[1]

    def __call__(self, claim: Claim) -> dict[str, Any]:
        return model_json(claim, self)


def claims_of(batch: Any) -> Iterator[Claim]:
    """The claims of a batch (a list, or a one-pass iterator when streaming)."""
    yield from batch.claims


def json_items(batch: Any) -> Iterator[dict[str, Any]]:
    """One JSON object per claim (the ``claims`` list of `claimhouse parse --format json`)."""
    render = _ClaimJson()
    for claim in claims_of(batch):
        yield render(claim)


def batch_json(batch: Any) -> dict[str, Any]:
    """A batch (or a claim stream) as ``{"transaction": "837P", "claims": [...]}``."""
    return {"transaction": KIND_NAMES[batch.kind], "claims": list(json_items(batch))}


def jsonl_records(batch: Any) -> Iterator[dict[str, Any]]:
    """One record per claim, naming its transaction (837P/837I/837D)."""
    name = KIND_NAMES[batch.kind]
    render = _ClaimJson()
    for claim in claims_of(batch):
        yield {"transaction": name, **render(claim)}


def csv_rows(batch: Any) -> Iterator[dict[str, Any]]:
    """One flat row per service line, the claim's key fields repeated."""
    name = KIND_NAMES[batch.kind]
    for claim in claims_of(batch):
        sub, pat, bp = claim.subscriber, claim.patient, claim.billing_provider
        rendering = claim.provider("82")
        head = {
            "transaction": name, "patient_control_number": claim.patient_control_number,
            "total_charge": str(claim.total_charge), "frequency_code": claim.frequency_code,
            "place_of_service": claim.place_of_service, "billing_provider_name": bp.name,
            "billing_provider_npi": bp.npi or "", "payer_name": claim.payer.name,
            "payer_id": claim.payer.id, "subscriber_member_id": sub.member_id or "",
            "subscriber_last_name": sub.last_name, "subscriber_first_name": sub.first_name or "",
            "patient_last_name": pat.last_name if pat else sub.last_name,
            "patient_first_name": (pat.first_name if pat else sub.first_name) or "",
            "principal_diagnosis": claim.diagnoses[0].code if claim.diagnoses else "",
        }
        for line in claim.service_lines:
            proc = line.procedure
            line_rendering = next((p for p in line.providers if p.role == "82"), rendering)
            yield {
                **head,
                "line_number": line.line_number or "",
                "procedure_qualifier": proc.qualifier if proc else "",
                "procedure_code": proc.code if proc else "",
                "modifiers": ":".join(proc.modifiers) if proc else "",
                "revenue_code": line.revenue_code or "",
                "charge": str(line.charge),
                "units": "" if line.units is None else str(line.units),
                "unit_basis": line.unit_basis or "",
                "service_date": line.service_date.isoformat() if line.service_date else "",
                "service_date_end": (line.service_date_end.isoformat()
                                     if line.service_date_end else ""),
                "line_item_control_number": line.line_item_control_number or "",
                "diagnosis_pointers": ":".join(str(p) for p in line.diagnosis_pointers),
                "ndc": line.drug.ndc if line.drug else "",
                "ndc_quantity": str(line.drug.quantity) if line.drug else "",
                "ndc_unit": line.drug.unit if line.drug else "",
                "rendering_provider_npi": (line_rendering.npi or "") if line_rendering else "",
            }
