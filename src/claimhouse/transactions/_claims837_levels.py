"""The HL hierarchy of an 837 from a batch of claims, built all at once or level by level.

Consecutive claims that share a billing provider go under one 2000A (HL03=20, no parent,
HL04=1); within it, consecutive claims that share a subscriber and payer under one 2000B
(HL03=22, parent the 2000A, HL04=1 when it has patient levels); claims whose patient is
not the subscriber under a 2000C (HL03=23, parent the 2000B, HL04=0). HL01 counts from 1
in document order.

:func:`stream_document` gives the loop tree with its level lists replaced by generators
that build each level's loop models only when the writer reaches it, so writing 100,000
claims holds one claim's loop models at a time (and the garbage collector never walks a
whole document).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from claimhouse.models import BillingProvider, Claim, ClaimBatch, Patient, Payer, Subscriber
from claimhouse.transactions._claims837_doc import (
    DBillingLevel,
    DClaim,
    DName,
    Doc837,
    DPatientLevel,
    DSubscriberLevel,
)
from claimhouse.transactions._claims837_write import (
    _contacts,
    billing_level,
    claim_loop,
    patient_level,
    payer_name,
    subscriber_level,
)


@dataclass(slots=True)
class _Pat:
    patient: Patient
    claims: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class _Sub:
    subscriber: Subscriber
    payer: Payer
    claims: list[Claim] = field(default_factory=list)
    patients: list[_Pat] = field(default_factory=list)


@dataclass(slots=True)
class _Bill:
    provider: BillingProvider
    subscribers: list[_Sub] = field(default_factory=list)


def _group(claims: list[Claim]) -> list[_Bill]:
    """Which claims go under which level (no loop models built yet)."""
    out: list[_Bill] = []
    bl: _Bill | None = None
    sl: _Sub | None = None
    pl: _Pat | None = None
    for c in claims:
        bp = c.billing_provider
        if bl is None or (bp is not bl.provider and bp != bl.provider):
            bl, sl, pl = _Bill(bp), None, None
            out.append(bl)
        sub, pay = c.subscriber, c.payer
        if sl is None or (sub is not sl.subscriber and sub != sl.subscriber) or (
                pay is not sl.payer and pay != sl.payer) or (c.patient is None and sl.patients):
            sl, pl = _Sub(sub, pay), None
            bl.subscribers.append(sl)
        if c.patient is None:
            sl.claims.append(c)
            continue
        if pl is None or (c.patient is not pl.patient and c.patient != pl.patient):
            pl = _Pat(c.patient)
            sl.patients.append(pl)
        pl.claims.append(c)
    return out


class _Counter:
    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return str(self.n)


def _claims(claims: list[Claim], kind: Any) -> Iterator[DClaim]:
    for c in claims:
        yield claim_loop(c, kind)


def _patients(groups: list[_Pat], parent: str, kind: Any, hl: _Counter
              ) -> Iterator[DPatientLevel]:
    for g in groups:
        pl = patient_level(g.patient)
        pl.hl_id, pl.parent_id, pl.hl_child = hl.next(), parent, "0"
        pl.claims = cast(list[DClaim], _claims(g.claims, kind))
        yield pl


def _subscribers(groups: list[_Sub], parent: str, kind: Any, hl: _Counter
                 ) -> Iterator[DSubscriberLevel]:
    payer: tuple[Payer, DName] | None = None  # consecutive levels mostly share a payer
    for g in groups:
        if payer is None or payer[0] is not g.payer:
            payer = (g.payer, payer_name(g.payer))
        sl = subscriber_level(g.subscriber, g.payer, payer[1])
        sl.hl_id, sl.parent_id = hl.next(), parent
        sl.hl_child = "1" if g.patients else "0"
        sl.claims = cast(list[DClaim], _claims(g.claims, kind))
        sl.patients = cast(list[DPatientLevel], _patients(g.patients, sl.hl_id, kind, hl))
        yield sl


def _billing(groups: list[_Bill], kind: Any, hl: _Counter) -> Iterator[DBillingLevel]:
    for g in groups:
        bl = billing_level(g.provider)
        bl.hl_id, bl.parent_id, bl.hl_child = hl.next(), None, "1"
        bl.subscribers = cast(list[DSubscriberLevel], _subscribers(g.subscribers, bl.hl_id,
                                                                    kind, hl))
        yield bl


def _header(batch: ClaimBatch, now: datetime, billing: Iterable[DBillingLevel]) -> Doc837:
    s, r = batch.submitter, batch.receiver
    return Doc837(purpose=batch.purpose,
                  reference=batch.reference or now.strftime("%Y%m%d%H%M"),
                  created=batch.created or now.date(),
                  created_time=batch.created_time or now.strftime("%H%M"),
                  claim_type=batch.claim_type,
                  submitter=DName("41", s.entity_type, s.name, s.first_name, s.middle_name,
                                  id_qualifier="46", id=s.id, contacts=_contacts(s.contacts),
                                  extra_segments=list(s.extra_segments)),
                  receiver=DName("40", "2", r.name, id_qualifier="46", id=r.id,
                                 extra_segments=list(r.extra_segments)),
                  billing=cast(list[DBillingLevel], billing),
                  extra_segments=list(batch.extra_segments))


def stream_document(batch: ClaimBatch, now: datetime) -> Doc837:
    """The 837 loop tree of ``batch`` for one pass of the writer: its level and claim lists
    are one-shot iterators, numbered (HL01/HL02/HL04) as they are built. BHT from ``now``
    unless the batch gives its own reference and creation date."""
    return _header(batch, now, _billing(_group(batch.claims), batch.kind, _Counter()))


def build_document(batch: ClaimBatch, now: datetime) -> Doc837:
    """:func:`stream_document` with every level built (lists, reusable)."""
    doc = stream_document(batch, now)
    billing = []
    for bl in doc.billing:  # depth first, as the writer goes: HL01 in document order
        subscribers = []
        for sl in bl.subscribers:
            sl.claims = list(sl.claims)
            sl.patients = list(sl.patients)
            for pl in sl.patients:
                pl.claims = list(pl.claims)
            subscribers.append(sl)
        bl.subscribers = subscribers
        billing.append(bl)
    doc.billing = billing
    return doc
