"""`claimhouse generate secondary PCN -o OUT`: the secondary 837 from a stored claim and
its primary payer's 835 (loops 2320/2330 and 2430 filled from the adjudication)."""

from __future__ import annotations

from datetime import datetime

import click

from claimhouse._fs import open_private
from claimhouse.cli._store import db_option, open_or_exit
from claimhouse.errors import InputError
from claimhouse.models import (
    ClaimBatch,
    ClaimKind,
    Contact,
    ContactNumber,
    Receiver,
    Submitter,
)
from claimhouse.reconcile import secondary_claim_for
from claimhouse.store import claim_kind
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.x12 import (
    ControlNumbers,
    FileControlNumbers,
    SequentialControlNumbers,
    fixed_clock,
    system_clock,
)


@click.command("secondary")
@click.argument("pcn")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The 837 file to write.")
@click.option("--sender", default="CLAIMHOUSE", show_default=True, help="ISA06/GS02 and "
              "the submitter id (1000A).")
@click.option("--contact-phone", default=None, metavar="PHONE",
              help="Submitter contact (1000A PER*IC*TE); default: the billing provider's.")
@click.option("--control-file", type=click.Path(dir_okay=False), default=None,
              envvar="CLAIMHOUSE_CONTROL_FILE", show_envvar=True,
              help="State file for ISA13/GS06 so numbers never repeat across runs.")
@click.option("--at", "at", default=None,
              help="Timestamp for ISA/GS/BHT (ISO 8601), for reproducible output.")
@db_option
def generate_secondary_command(pcn: str, output: str, sender: str, contact_phone: str | None,
                               control_file: str | None, at: str | None,
                               db: str | None) -> None:
    """Bill the next payer: the claim PCN with its primary payer's adjudication.

    Needs the claim and its primary 835 loaded and reconciled (exit 1 otherwise)."""
    store = open_or_exit(db)
    try:
        with store.session() as session:
            claim = secondary_claim_for(session, pcn)
            kind = claim_kind(session, pcn)
    finally:
        store.close()
    try:
        clock = fixed_clock(datetime.fromisoformat(at)) if at else system_clock
    except ValueError:
        raise click.BadParameter("not an ISO 8601 timestamp", param_hint="--at") from None
    numbers: ControlNumbers = (FileControlNumbers(control_file) if control_file
                               else SequentialControlNumbers())
    contacts = list(claim.billing_provider.contacts)
    if contact_phone:
        contacts = [Contact(name="BILLING", numbers=[ContactNumber("TE", contact_phone)])]
    if not contacts:
        raise click.UsageError("the billing provider has no contact: give --contact-phone")
    batch = ClaimBatch(submitter=Submitter(name=claim.billing_provider.name, id=sender,
                                           contacts=contacts[:1]),
                       receiver=Receiver(name=claim.payer.name, id=claim.payer.id),
                       claims=[claim], kind=kind or ClaimKind.PROFESSIONAL)
    try:
        with open_private(output, "wb") as out:
            write_claim_batch(batch, out, sender=sender, receiver=claim.payer.id,
                              clock=clock, control_numbers=numbers)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from None
    click.echo(f"wrote the secondary claim to {output} (payer {claim.payer.id})", err=True)
