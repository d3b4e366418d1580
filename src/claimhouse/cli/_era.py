"""`claimhouse era FILE`: an 835 as a readable remittance advice (text or HTML)."""

from __future__ import annotations

import sys

import click

from claimhouse._fs import open_private
from claimhouse.reports._era import ERA_FORMATS, write_era
from claimhouse.reports._mask import Masker


@click.command("era")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--format", "fmt", type=click.Choice(ERA_FORMATS), default="text",
              show_default=True, help="text for a terminal; html: one self-contained page.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Output file (default: standard output).")
@click.option("--mask", is_flag=True,
              help="Replace patient names and member ids with stable tokens (for support); "
                   "claim numbers and amounts stay.")
def era_command(file: str, fmt: str, output: str, mask: bool) -> None:
    """Print the remittance advice of every 835 in FILE, the way a biller reads an EOB:
    payer, payee, payment (check/EFT number, date, amount); per claim the patient, status,
    charge / allowed / paid / patient responsibility, adjustments with their CARC text,
    RARC remarks, and the service lines; provider adjustments (PLB); totals that balance.

    An 835 of another guide (004010X091A1) is read with the 5010 definition, with a note.
    Exits 1 when the file has envelope errors, sets that are not 835s, or a remittance
    whose totals do not balance (it is still printed)."""
    masker = Masker(enabled=True) if mask else None
    if output == "-":
        outcome = write_era(file, sys.stdout, fmt=fmt, masker=masker)
    else:
        try:
            # the ERA names patients: private (0600) like every file the tool writes
            with open_private(output, "w", encoding="utf-8", newline="\n") as out:
                outcome = write_era(file, out, fmt=fmt, masker=masker)
        except OSError as exc:
            raise click.FileError(output, exc.strerror) from None
    for s in outcome.skipped:
        click.echo(f"warning: transaction set {s} is not an 835; skipped", err=True)
    for s in outcome.other_guides:
        click.echo(f"warning: 835 set {s} is not 005010X221A1; read with that definition",
                   err=True)
    errors = [f for f in outcome.findings if f.severity.value == "error"]
    for f in errors:
        click.echo(f"error: {f}", err=True)
    if outcome.unbalanced:
        click.echo(f"error: {outcome.unbalanced} remittance(s) do not balance "
                   "(sum of CLP04 - sum of PLB != BPR02)", err=True)
    if outcome.remittances == 0:
        click.echo("error: no 835 transaction set in the file", err=True)
    if errors or outcome.skipped or outcome.unbalanced or outcome.remittances == 0:
        sys.exit(1)
