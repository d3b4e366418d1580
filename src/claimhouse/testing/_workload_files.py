"""The synthetic workload as real X12 files, through the project's own writers: one 837P
per payer (chunked), then one 837P per payer with the voids (frequency 8), one 835 per
remittance (the repeated remittance in its own file, so
only its TRN, not its bytes, gives it away). Same workload and clock, same bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from claimhouse._fs import open_private, private_dir
from claimhouse.models import (
    ClaimBatch,
    ClaimKind,
    Contact,
    ContactNumber,
    Receiver,
    Submitter,
)
from claimhouse.testing._workload import PAYERS, Workload
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.transactions.x221 import write_remittances
from claimhouse.x12 import InterchangeHeader, SequentialControlNumbers, fixed_clock

SUBMITTER_ID = "SYNCLINIC"
CLOCK = fixed_clock(datetime(2026, 3, 1, 12, 0))
SUBMITTER = Submitter(name="SYNTHETIC FAMILY CLINIC", id=SUBMITTER_ID, contacts=[Contact(
    "EDI DESK", [ContactNumber("TE", "2175550199"), ContactNumber("EM", "EDI@CLINIC.EXAMPLE")])])
"""1000A: the submitter and its EDI contact (PER*IC, required)."""


@dataclass(slots=True)
class WorkloadFiles:
    """Paths of the written 837s and 835s."""

    claims: list[Path]
    remittances: list[Path]


def write_workload(workload: Workload, folder: Path, *, claims_per_file: int = 5000
                   ) -> WorkloadFiles:
    """Write ``workload`` under ``folder`` (created) as 837P and 835 files."""
    private_dir(folder)
    numbers = SequentialControlNumbers(start=1001)
    out = WorkloadFiles([], [])
    for label, claims in (("claims", workload.claims), ("voids", workload.voids)):
        for name, payer_id, _ in PAYERS:
            mine = [c for c in claims if c.payer.id == payer_id]
            for k in range(0, len(mine), claims_per_file):
                batch = ClaimBatch(submitter=SUBMITTER,
                                   receiver=Receiver(name=name, id=payer_id),
                                   claims=mine[k:k + claims_per_file],
                                   kind=ClaimKind.PROFESSIONAL,
                                   reference=f"{payer_id}{k:07d}")
                path = folder / f"{label}-{payer_id}-{k // claims_per_file + 1:03d}.837"
                with open_private(path, "wb") as fh:
                    write_claim_batch(batch, fh, sender=SUBMITTER_ID, receiver=payer_id,
                                      clock=CLOCK, control_numbers=numbers, newline=True)
                out.claims.append(path)
    for n, remittance in enumerate(workload.remittances, start=1):
        payer = remittance.payer.references[0].value if remittance.payer and \
            remittance.payer.references else "PAYER"
        path = folder / f"remit-{n:04d}.835"
        header = InterchangeHeader(sender_id=payer or "PAYER", receiver_id=SUBMITTER_ID,
                                   functional_id="HP", gs_version="005010X221A1")
        with open_private(path, "wb") as fh:
            write_remittances([remittance], fh, header=header, clock=CLOCK,
                              control_numbers=numbers, newline=True)
        out.remittances.append(path)
    return out
