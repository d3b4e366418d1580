"""`claimhouse inspect`: envelopes, control numbers and counts of X12 files."""

from __future__ import annotations

import json

import click

from claimhouse.inspect import format_inspection, inspect_file


@click.command("inspect")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def inspect_command(files: tuple[str, ...], fmt: str) -> None:
    """Print each file's envelopes: sender, receiver, date, control numbers and the
    transaction sets with their counts. Exits 1 when any file has envelope findings."""
    summaries = [inspect_file(f) for f in files]
    if fmt == "json":
        click.echo(json.dumps(summaries if len(summaries) > 1 else summaries[0], indent=2))
    else:
        click.echo("\n".join(format_inspection(s) for s in summaries))
    if any(not s["valid"] for s in summaries):
        raise SystemExit(1)
