"""Hypothesis: random valid Remittance models survive write -> read unchanged (through the
JSON form too), and streaming gives the same claims as a full read."""

from __future__ import annotations

import dataclasses
import io
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimhouse.models import (
    ClaimPayment,
    InpatientAdjudication,
    OutpatientAdjudication,
    PaymentAdjustment,
    ProviderAdjustment,
    ProviderAdjustmentAmount,
    Remittance,
    RemittancePayer,
    ServicePayment,
    from_json,
    to_json,
)
from claimhouse.transactions._model_json import json_encoder_for
from claimhouse.transactions.x221 import remittance_map, write_remittances
from claimhouse.x12 import EnvelopeReader, SequentialControlNumbers
from tests._835_helpers import CLOCK, read_all

_SAFE = st.characters(codec="latin-1", exclude_characters="*:^~\r\n",
                      exclude_categories=("Cc", "Cs"))
TEXT = st.text(_SAFE, min_size=1, max_size=12)
AMOUNT = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                     allow_infinity=False)
DATE = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))

# Lists with a bounded number of positions in the guide.
_MAX_LIST = {(ServicePayment, "modifiers"): 4, (ServicePayment, "original_modifiers"): 4,
             (OutpatientAdjudication, "remark_codes"): 5,
             (InpatientAdjudication, "remark_codes"): 4,
             (ProviderAdjustment, "adjustments"): 6}
# Segments whose guide uses only some of the fields of a shared model.
_ONLY = {(ClaimPayment, "crossover_carrier"): {"entity_type", "last_name", "id_qualifier",
                                                "identifier"},
         (ClaimPayment, "corrected_priority_payer"): {"entity_type", "last_name",
                                                       "id_qualifier", "identifier"},
         (RemittancePayer, "web_site"): {"name", "qualifier_1", "number_1"}}
# Items that must carry something, or they leave no trace in the segment they share.
_REQUIRED = {PaymentAdjustment: "reason_code", ProviderAdjustmentAmount: "amount"}

EXTRA = st.lists(st.builds(lambda i, els: [i, *els], st.sampled_from(["ZZ1", "K3", "NTE"]),
                           st.lists(TEXT, min_size=1, max_size=3)), max_size=2)


def _scalar(tp: Any) -> st.SearchStrategy[Any] | None:
    return {str: TEXT, Decimal: AMOUNT, date: DATE}.get(tp)


def model(cls: type, only: set[str] | None = None, depth: int = 0) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for f in dataclasses.fields(cls):
        if only is not None and f.name not in only:
            continue
        tp = hints[f.name]
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        base = args[0] if typing.get_origin(tp) is not list and args else tp
        if f.name == "extra_segments":
            fields[f.name] = EXTRA
        elif typing.get_origin(tp) is list:
            item = typing.get_args(tp)[0]
            size = _MAX_LIST.get((cls, f.name), 2 if depth < 2 else 1)
            scalar = _scalar(item)
            inner = scalar if scalar is not None else model(item, depth=depth + 1)
            fields[f.name] = st.lists(inner, max_size=size)
        elif (s := _scalar(base)) is not None:
            required = _REQUIRED.get(cls) == f.name
            fields[f.name] = s if required else st.none() | s
        else:
            fields[f.name] = st.none() | model(base, _ONLY.get((cls, f.name)), depth + 1)
    return st.builds(cls, **fields)


REMITTANCE = model(Remittance)


def _write(remittances: list[Remittance]) -> bytes:
    out = io.BytesIO()
    write_remittances(remittances, out, clock=CLOCK, control_numbers=SequentialControlNumbers())
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(REMITTANCE, min_size=1, max_size=2))
def test_write_read_is_identity(remittances: list[Remittance]) -> None:
    data = _write(remittances)
    reader = EnvelopeReader(data)
    assert read_all(data) == remittances
    list(reader.segments())
    # counts and control numbers right; a remittance with nothing to write is an empty set
    empty = data.count(b"~SE*2*")
    assert [f.code for f in reader.findings] == ["st-empty"] * empty
    assert empty == sum(1 for r in remittances if r == Remittance())
    assert [from_json(Remittance, to_json(r)) for r in remittances] == remittances


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REMITTANCE)
def test_stream_gives_the_same_claims(remittance: Remittance) -> None:
    data = _write([remittance])
    ts = next(EnvelopeReader(data).transaction_sets())
    events = list(remittance_map().stream(ts.segments, component=ts.delimiters.component))
    assert [e.item for e in events[:-1]] == list(remittance.claims())
    rest = events[-1].item
    assert rest.payer == remittance.payer and rest.payment == remittance.payment


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REMITTANCE)
def test_same_models_clock_and_numbers_give_same_bytes(remittance: Remittance) -> None:
    assert _write([remittance]) == _write([remittance])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REMITTANCE)
def test_compiled_json_encoder_equals_to_json(remittance: Remittance) -> None:
    assert json_encoder_for(Remittance)(remittance) == to_json(remittance)
    for claim in remittance.claims():
        assert json_encoder_for(ClaimPayment)(claim) == to_json(claim)
