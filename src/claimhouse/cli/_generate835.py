"""`claimhouse generate 835`: remittance JSON (as `parse --format json` gives) to an 835."""

from __future__ import annotations

import json
from datetime import datetime

import click

from claimhouse._fs import open_private
from claimhouse.errors import InputError
from claimhouse.transactions.x221 import VERSION, remittances_from_json, write_remittances
from claimhouse.x12 import (
    ControlNumbers,
    FileControlNumbers,
    InterchangeHeader,
    SequentialControlNumbers,
    fixed_clock,
    system_clock,
)


@click.command("835")
@click.argument("remits_json", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The 835 file to write.")
@click.option("--sender", default="CLAIMHOUSE", show_default=True,
              help="ISA06/GS02: the payer's interchange id.")
@click.option("--receiver", default="RECEIVER", show_default=True,
              help="ISA08/GS03: the payee's interchange id.")
@click.option("--usage", type=click.Choice(["P", "T"]), default="P", show_default=True,
              help="ISA15: production or test.")
@click.option("--control-file", type=click.Path(dir_okay=False), default=None,
              envvar="CLAIMHOUSE_CONTROL_FILE", show_envvar=True,
              help="State file for ISA13/GS06 so numbers never repeat across runs "
              "(default: start at 1, so set it, or CLAIMHOUSE_CONTROL_FILE, for real use).")
@click.option("--at", "at", default=None,
              help="Timestamp for ISA/GS (ISO 8601), for reproducible output.")
def generate_835_command(remits_json: str, output: str, sender: str, receiver: str,
                         usage: str, control_file: str | None, at: str | None) -> None:
    """Write the remittances in REMITS_JSON as one 835 interchange, a transaction set each.

    REMITS_JSON is what `claimhouse parse --format json` prints for an 835:
    {"transaction": "835", "remittances": [...]}. Every problem in it is reported at once,
    each naming its field (exit 1)."""
    try:
        with open(remits_json, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise InputError(f"{remits_json}: cannot read ({exc.strerror})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{remits_json}: not JSON ({exc})") from None
    remittances = remittances_from_json(data)
    try:
        clock = fixed_clock(datetime.fromisoformat(at)) if at else system_clock
    except ValueError:
        raise click.BadParameter("not an ISO 8601 timestamp", param_hint="--at") from None
    numbers: ControlNumbers = (FileControlNumbers(control_file) if control_file
                               else SequentialControlNumbers())
    header = InterchangeHeader(sender_id=sender, receiver_id=receiver, usage=usage,
                               functional_id="HP", gs_version=VERSION)
    try:
        with open_private(output, "wb") as out:
            n = write_remittances(remittances, out, header=header, clock=clock,
                                  control_numbers=numbers)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from None
    click.echo(f"wrote {n} remittance(s) to {output}", err=True)
