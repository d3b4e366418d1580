"""The 835 binding (005010X221A1): Remittance models <-> X12, through maps/835.005010X221A1.xml.

Reading and writing both go through the one definition (see docs/maps.md). Loops:
header (BPR, TRN, CUR, REF, DTM), 1000A payer, 1000B payee, 2000 header number (LX, TS3,
TS2), 2100 claim payment (the streaming unit), 2110 service payment, footer PLB.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from claimhouse.errors import InputError
from claimhouse.models import ClaimPayment, Remittance, from_json
from claimhouse.transactions._engine import TransactionMap, load_map
from claimhouse.transactions._registry import Binding, JsonRecord
from claimhouse.transactions._x221_render import (
    CSV_COLUMNS,
    claim_record,
    csv_rows,
    jsonl_records,
    payment_context,
    remittance_to_json,
)
from claimhouse.x12 import (
    Clock,
    ControlNumbers,
    EnvelopeWriter,
    Finding,
    InterchangeHeader,
    Location,
    SequentialControlNumbers,
    TransactionSet,
    system_clock,
)

MAP_NAME = "835.005010X221A1.xml"
VERSION = "005010X221A1"


def remittance_map() -> TransactionMap:
    """The compiled 835 definition (loaded once)."""
    return load_map(MAP_NAME, Remittance)


def _location(ts: TransactionSet) -> Location:
    return Location(file=None, interchange=ts.interchange.control_number,
                    group=ts.group.control_number, transaction_set=ts.info.control_number)


def read_remittance(ts: TransactionSet, findings: list[Finding] | None = None) -> Remittance:
    """Read one 835 transaction set into a :class:`Remittance` (consumes ``ts.segments``).

    Elements that do not convert (a malformed amount or date) leave their segment in
    ``extra_segments`` and add a ``map-bad-value`` finding to ``findings``."""
    model: Remittance = remittance_map().read(
        ts.segments, component=ts.delimiters.component, findings=findings,
        location=_location(ts))
    return model


def stream_claim_records(ts: TransactionSet, findings: list[Finding] | None = None
                         ) -> Iterator[JsonRecord]:
    """The jsonl records of one 835 set, one claim payment at a time, in constant memory:
    each claim's JSON with its remittance's payer and payment (trace number, date).
    ``findings`` receives ``map-bad-value`` findings as in :func:`read_remittance`."""
    context: JsonRecord | None = None
    token = None
    for ev in remittance_map().stream(ts.segments, component=ts.delimiters.component,
                                      findings=findings, location=_location(ts)):
        if not isinstance(ev.item, ClaimPayment):
            continue
        if context is None or ev.root_token != token:
            context = payment_context(ev.partial(0))
            token = ev.root_token
        yield claim_record(ev.item, context)


def remittances_from_json(doc: Any) -> list[Remittance]:
    """Remittance models from ``parse --format json`` output: ``{"transaction": "835",
    "remittances": [...]}``, a list of remittances, or one remittance object."""
    if isinstance(doc, dict) and "remittances" in doc:
        if doc.get("transaction", "835") != "835":
            raise InputError("the JSON document is not an 835 (its \"transaction\" is "
                             "not \"835\")")
        items = doc["remittances"]
    elif isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict):
        items = [doc]
    else:
        raise InputError("expected a JSON object with \"remittances\", or a list of them")
    if not isinstance(items, list):
        raise InputError("\"remittances\" must be a list")
    return [from_json(Remittance, item, path=f"remittances[{i}]")
            for i, item in enumerate(items)]


def write_remittances(remittances: Iterable[Remittance], out: BinaryIO, *,
                      header: InterchangeHeader | None = None, clock: Clock = system_clock,
                      control_numbers: ControlNumbers | None = None,
                      newline: bool = False) -> int:
    """Write one interchange (one HP functional group) with an 835 set per remittance;
    returns the number of sets. Same models, clock and control numbers give same bytes."""
    hdr = header or InterchangeHeader(sender_id="CLAIMHOUSE", receiver_id="RECEIVER",
                                      functional_id="HP", gs_version=VERSION)
    ew = EnvelopeWriter(out, hdr, clock=clock,
                        control_numbers=control_numbers or SequentialControlNumbers(),
                        newline=newline)
    m = remittance_map()
    n = 0
    ew.begin()
    for remittance in remittances:
        ew.begin_set(m.set_id, None)  # ST03 is not used in the 835 (X221A1)
        m.write(remittance, ew.w)
        ew.end_set()
        n += 1
    ew.end()
    return n


def _read(ts: TransactionSet) -> Remittance:
    return read_remittance(ts)


BINDINGS = [
    Binding(name="835", set_id="835", guides=frozenset({"005010X221"}),
            json_key="remittances", read=_read, to_json=remittance_to_json,
            jsonl_records=jsonl_records, csv_rows=csv_rows, csv_columns=CSV_COLUMNS,
            jsonl_stream=stream_claim_records, read_checked=read_remittance,
            jsonl_stream_checked=stream_claim_records),
]
