"""`claimhouse generate 837`: claim JSON (see `claimhouse schema claim`) to an 837 file."""

from __future__ import annotations

import json
from datetime import datetime

import click

from claimhouse._fs import open_private
from claimhouse.errors import InputError
from claimhouse.models import ClaimKind, load_claim_batch
from claimhouse.transactions.claims837 import write_claim_batch
from claimhouse.x12 import (
    ControlNumbers,
    FileControlNumbers,
    SequentialControlNumbers,
    fixed_clock,
    system_clock,
)


@click.command("837")
@click.argument("claims_json", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The 837 file to write.")
@click.option("--kind", type=click.Choice([k.value for k in ClaimKind]), default=None,
              help="professional (837P), institutional (837I) or dental (837D); default: "
              "the JSON's \"kind\".")
@click.option("--sender", default="CLAIMHOUSE", show_default=True, help="ISA06/GS02.")
@click.option("--receiver", default=None, help="ISA08/GS03 (default: the receiver id).")
@click.option("--usage", type=click.Choice(["P", "T"]), default="P", show_default=True,
              help="ISA15: production or test.")
@click.option("--control-file", type=click.Path(dir_okay=False), default=None,
              envvar="CLAIMHOUSE_CONTROL_FILE", show_envvar=True,
              help="State file for ISA13/GS06 so numbers never repeat across runs "
              "(default: start at 1, so set it, or CLAIMHOUSE_CONTROL_FILE, for real use).")
@click.option("--at", "at", default=None,
              help="Timestamp for ISA/GS/BHT (ISO 8601), for reproducible output.")
def generate_837_command(claims_json: str, output: str, kind: str | None, sender: str,
                         receiver: str | None, usage: str, control_file: str | None,
                         at: str | None) -> None:
    """Write the claims in CLAIMS_JSON as one 837 interchange.

    Every claim must balance (CLM02 = the sum of its line charges); all problems in the
    JSON are reported at once, each naming its claim and field (exit 1)."""
    try:
        with open(claims_json, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise InputError(f"{claims_json}: cannot read ({exc.strerror})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{claims_json}: not JSON ({exc})") from None
    batch = load_claim_batch(data)
    if kind is not None:
        batch.kind = ClaimKind(kind)
    try:
        clock = fixed_clock(datetime.fromisoformat(at)) if at else system_clock
    except ValueError:
        raise click.BadParameter("not an ISO 8601 timestamp", param_hint="--at") from None
    numbers: ControlNumbers = (FileControlNumbers(control_file) if control_file
                               else SequentialControlNumbers())
    try:
        with open_private(output, "wb") as out:
            write_claim_batch(batch, out, sender=sender, receiver=receiver or batch.receiver.id,
                              usage=usage, clock=clock, control_numbers=numbers)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from None
    click.echo(f"wrote {len(batch.claims)} claim(s) to {output}", err=True)
