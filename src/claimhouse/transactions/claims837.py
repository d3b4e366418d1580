"""837P (005010X222A1), 837I (005010X223A2) and 837D (005010X224A2): claims read from and
written to X12 through the definitions ``maps/837P.005010X222A1.xml``,
``maps/837I.005010X223A2.xml`` and ``maps/837D.005010X224A2.xml``.

Reading streams: :func:`iter_claims` yields one :class:`~claimhouse.models.Claim` per 2300
loop as soon as it closes, with its billing provider, subscriber, payer and patient
resolved onto it, so a 1 GB file needs memory for one claim. Writing
(:func:`write_claim_batch`) builds the HL hierarchy and the envelopes; it refuses a batch
whose claims do not balance (CLM02 = the sum of the line charges) or do not fit the
guide, raising one :class:`~claimhouse.errors.ModelError` that lists every problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from claimhouse.errors import ModelError
from claimhouse.models import (
    BillingProvider,
    Claim,
    ClaimBatch,
    ClaimKind,
    Patient,
    Payer,
    Subscriber,
    charge_problems,
)
from claimhouse.transactions import _claims837_read as rd
from claimhouse.transactions._claims837_checks import guide_problems
from claimhouse.transactions._claims837_codes import MAP_FILES, SERVICE_SEGMENT_KIND, VERSIONS
from claimhouse.transactions._claims837_doc import (
    DBillingLevel,
    DClaim,
    Doc837,
    DPatientLevel,
    DSubscriberLevel,
)
from claimhouse.transactions._claims837_levels import build_document, stream_document
from claimhouse.transactions._claims837_render import (
    CSV_COLUMNS,
    KIND_NAMES,
    batch_json,
    csv_rows,
    json_items,
    jsonl_records,
)
from claimhouse.transactions._engine import TransactionMap, load_map
from claimhouse.transactions._engine_write import UnlocatedWriteError, locate_bad_value
from claimhouse.transactions._registry import Binding, resolve
from claimhouse.x12 import (
    Clock,
    ControlNumbers,
    EnvelopeWriter,
    Finding,
    InterchangeHeader,
    Location,
    Segment,
    TransactionSet,
)


def transaction_map(kind: ClaimKind) -> TransactionMap:
    """The compiled definition of one 837 guide (cached)."""
    return load_map(MAP_FILES[kind], Doc837)


class _Context:
    """Parties of the open HL levels, converted once per level (not once per claim)."""

    __slots__ = ("bp", "kind", "pat", "sub")

    def __init__(self, kind: ClaimKind) -> None:
        self.kind = kind
        self.bp: tuple[object, BillingProvider] | None = None
        self.sub: tuple[object, Subscriber, Payer] | None = None
        self.pat: tuple[object, Patient] | None = None


def _claim_of(item: Any, frames: tuple[list[Any], ...], partial: Any, ctx: _Context) -> Claim:
    bp_frame, sub_frame = frames[1], frames[2]
    if ctx.bp is None or ctx.bp[0] is not bp_frame:
        level: DBillingLevel = partial(1)
        ctx.bp = (bp_frame, rd.billing_provider(level))
    if ctx.sub is None or ctx.sub[0] is not sub_frame:
        sl: DSubscriberLevel = partial(2)
        ctx.sub = (sub_frame, rd.subscriber(sl), rd.payer(sl))
    pat = None
    if len(frames) > 3:
        if ctx.pat is None or ctx.pat[0] is not frames[3]:
            pl: DPatientLevel = partial(3)
            ctx.pat = (frames[3], rd.patient(pl))
        pat = ctx.pat[1]
    claim: DClaim = item
    return rd.claim(claim, ctx.kind, ctx.bp[1], ctx.sub[1], ctx.sub[2], pat)


def iter_claims(ts: TransactionSet, kind: ClaimKind, *, findings: list[Finding] | None = None,
                header: dict[str, Any] | None = None) -> Iterator[Claim]:
    """Stream the claims of one 837 transaction set (read with ``kind``'s definition).

    ``findings`` receives the engine's findings (values that do not convert); ``header``,
    when given, is filled with the batch header (submitter, receiver, BHT) at the end."""
    tmap = transaction_map(kind)
    loc = Location(file=None, interchange=ts.interchange.control_number,
                   group=ts.group.control_number, transaction_set=ts.info.control_number)
    ctx = _Context(kind)
    for s in tmap.stream(ts.segments, component=ts.delimiters.component, findings=findings,
                         location=loc):
        if s.frames:
            if isinstance(s.item, DClaim):  # HL levels stream too: nothing is kept
                yield _claim_of(s.item, s.frames, s.partial, ctx)
        elif header is not None:
            root: Doc837 = s.item
            header.update(submitter=rd.submitter(root.submitter),
                          receiver=rd.receiver(root.receiver), reference=root.reference,
                          purpose=root.purpose or "00", claim_type=root.claim_type or "CH",
                          created=root.created, created_time=root.created_time,
                          extra_segments=list(root.extra_segments))


def read_claim_batch(ts: TransactionSet, kind: ClaimKind | None = None, *,
                     findings: list[Finding] | None = None) -> ClaimBatch:
    """All claims of one 837 transaction set in a :class:`ClaimBatch` (in memory); the
    kind, unless given, is the one its service lines call for (see :func:`kind_of`)."""
    if kind is None:
        kind, ts = kind_of(ts)
    header: dict[str, Any] = {}
    claims = list(iter_claims(ts, kind, findings=findings, header=header))
    return ClaimBatch(claims=claims, kind=kind, **header)


def kind_of(ts: TransactionSet) -> tuple[ClaimKind, TransactionSet]:
    """The kind of an 837 set, by its first service segment (SV1/SV2/SV3) where its GS08/
    ST03 names another guide, else as declared (professional when it names none); and the
    set to read on (the segments looked at are handed back)."""
    binding, ts = resolve(ts)
    if binding is not None and binding.set_id == "837":
        return next(k for k, n in KIND_NAMES.items() if n == binding.name), ts
    return ClaimKind.PROFESSIONAL, ts


@dataclass(slots=True)
class ClaimStream:
    """What the registry binding reads: the kind and a one-pass iterator of claims."""

    kind: ClaimKind
    claims: Iterator[Claim]


def check_batch(batch: ClaimBatch) -> list[str]:
    """Every reason ``batch`` cannot be written: unbalanced claims (CLM02 against the line
    charges) and content its guide does not allow. Empty when it can be written."""
    return charge_problems(batch.claims) + guide_problems(batch)


def write_claim_batch(batch: ClaimBatch, out: BinaryIO, *, sender: str, receiver: str,
                      clock: Clock, control_numbers: ControlNumbers, usage: str = "P",
                      newline: bool = False, strict: bool = True) -> list[str]:
    """Write ``batch`` as one interchange (ISA/GS/ST...SE/GE/IEA) of one 837 set.

    With ``strict`` (new claims from a billing system), a batch with any problem (see
    :func:`check_batch`, e.g. CLM02 not the sum of the line charges) raises one
    :class:`ModelError` listing them all before anything is written. Without it (claims
    read from a received 837 and written again, e.g. when forwarding), the batch is
    written as it is and the problems are returned."""
    problems = check_batch(batch)
    if problems and strict:
        raise ModelError(problems)
    version = VERSIONS[batch.kind]
    ew = EnvelopeWriter(out, InterchangeHeader(sender_id=sender, receiver_id=receiver,
                                               usage=usage, functional_id="HC",
                                               gs_version=version),
                        clock=clock, control_numbers=control_numbers, newline=newline)
    now = clock()
    tmap = transaction_map(batch.kind)
    ew.begin()
    ew.begin_set("837", version)
    try:
        tmap.write(stream_document(batch, now), ew.w)
    except UnlocatedWriteError:  # the stream is spent: find the value in a rebuilt one
        locate_bad_value(ew.w, tmap.definition.root, build_document(batch, now))
        raise
    ew.end_set()
    ew.end()
    return problems


def sniff(seg: Segment) -> str | None:
    """The binding the content calls for: the first SV1/SV2/SV3 names the kind."""
    return SERVICE_SEGMENT_KIND.get(seg.elements[0])


def _binding(kind: ClaimKind) -> Binding:
    def read(ts: TransactionSet) -> ClaimStream:
        return ClaimStream(kind, iter_claims(ts, kind))

    def stream(ts: TransactionSet) -> Iterator[dict[str, Any]]:
        return jsonl_records(read(ts))

    return Binding(name=KIND_NAMES[kind], set_id="837", guides=frozenset({VERSIONS[kind][:10]}),
                   json_key="claims", read=read, to_json=batch_json,
                   jsonl_records=jsonl_records, csv_rows=csv_rows, csv_columns=CSV_COLUMNS,
                   sniff=sniff, json_items=json_items, jsonl_stream=stream)


BINDINGS: list[Binding] = [_binding(k) for k in ClaimKind]
"""837P, 837I and 837D, for the registry."""
