"""Stream an 835 file as ERA parts: per transaction set an ``EraHeader``, one ``EraClaim``
per CLP as the project's one 835 reader (the map engine of ``transactions/x221.py``) closes
each 2100 loop, then an ``EraFooter``. Memory stays bounded by one claim, whatever the
file's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from claimhouse.models import ClaimPayment, Remittance
from claimhouse.reports._era_model import (
    ZERO,
    EraFooter,
    EraHeader,
    EraPart,
    EraTotals,
)
from claimhouse.reports._era_views import claim_view, header_view, plb_view, unread_segments
from claimhouse.reports._mask import Masker
from claimhouse.transactions import resolve
from claimhouse.transactions.x221 import remittance_map
from claimhouse.x12 import EnvelopeReader, Finding, Location, Source


@dataclass(slots=True)
class EraOutcome:
    """What reading the file gave besides the parts: envelope findings, skipped sets."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """"<ST01> <version> (set <ST02>)" of each set that is not an 835."""
    other_guides: list[str] = field(default_factory=list)
    """835 sets of another guide (e.g. 004010X091A1), read with the 5010 definition."""
    remittances: int = 0
    unbalanced: int = 0


def era_parts(source: Source, outcome: EraOutcome, *, masker: Masker | None = None,
              name: str | None = None) -> Iterator[EraPart]:
    """Header, claims, footer of every 835 set in ``source``, one claim at a time."""
    mask = masker or Masker(enabled=False)
    reader = EnvelopeReader(source, name=name)
    for ts in reader.transaction_sets():
        binding, ts = resolve(ts)
        version = ts.info.version or ts.group.version or ""
        if ts.info.id != "835":
            outcome.skipped.append(f"{ts.info.id} {version or '?'} (set {ts.info.control_number})")
            for _ in ts.segments:
                pass
            continue
        # an 835 of another guide (004010X091A1, or a placeholder GS08) is read with the
        # 5010 definition - its BPR/TRN/N1/CLP/CAS/NM1/SVC/PLB are laid out alike - and says so
        guide_note = None if binding is not None and binding.name == "835" else (
            f"this set declares {version or 'no version'}; read with the 005010X221A1 "
            "definition")
        if guide_note is not None:
            outcome.other_guides.append(f"{version or 'no version'} (set "
                                        f"{ts.info.control_number})")
        outcome.remittances += 1
        number, control = outcome.remittances, ts.info.control_number
        interchange = ts.interchange.control_number
        loc = Location(file=reader.name, interchange=interchange,
                       group=ts.group.control_number, transaction_set=control)
        header: EraHeader | None = None
        claims, charge, paid, resp = 0, ZERO, ZERO, ZERO
        for ev in remittance_map().stream(ts.segments, component=ts.delimiters.component,
                                          findings=outcome.findings, location=loc):
            if isinstance(ev.item, ClaimPayment):
                if header is None:
                    header = header_view(ev.partial(0), number, control, interchange)
                    header.guide_note = guide_note
                    yield header
                claims += 1
                view = claim_view(ev.item, claims, mask)
                charge += view.charge
                paid += view.paid
                resp += view.patient_responsibility
                yield view
            elif isinstance(ev.item, Remittance):
                if header is None:
                    header = header_view(ev.item, number, control, interchange)
                    header.guide_note = guide_note
                    yield header
                plb = plb_view(ev.item)
                totals = EraTotals(claims=claims, charge=charge, paid=paid,
                                   patient_responsibility=resp,
                                   plb=sum((x.amount for x in plb), ZERO),
                                   payment=header.amount)
                if not totals.balanced:
                    outcome.unbalanced += 1
                yield EraFooter(header=header, plb=plb, totals=totals,
                                unread=unread_segments(ev.item.extra_segments))
    outcome.findings.extend(reader.findings)
