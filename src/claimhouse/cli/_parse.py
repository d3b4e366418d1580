"""`claimhouse parse`: X12 files to JSON, JSON lines or CSV."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from claimhouse._fs import open_private
from claimhouse.parse import (
    ParsedSet,
    ParseOutcome,
    iter_parsed,
    write_csv,
    write_json,
    write_jsonl,
)

_WRITERS = {"json": write_json, "jsonl": write_jsonl, "csv": write_csv}


@click.command("parse")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--format", "fmt", type=click.Choice(sorted(_WRITERS)), default="json",
              show_default=True, help="json: one document; jsonl: a claim a line; csv: a "
              "service line a row.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Output file (default: standard output).")
def parse_command(files: tuple[str, ...], fmt: str, output: str) -> None:
    """Read 835, 837 and acknowledgment files into their models and print them.

    Exits 1 when a file has envelope errors, values that do not convert (map-bad-value) or
    transaction sets of an unsupported kind."""
    outcome = ParseOutcome()

    def parsed() -> Iterator[ParsedSet]:
        for f in files:
            yield from iter_parsed(f, outcome, stream_jsonl=fmt == "jsonl")

    if output == "-":
        _WRITERS[fmt](parsed(), sys.stdout)
    else:
        try:
            with open_private(output, "w", encoding="utf-8", newline="") as out:
                _WRITERS[fmt](parsed(), out)
        except OSError as exc:
            raise click.FileError(output, exc.strerror) from None
    for u in outcome.unsupported:
        click.echo(f"warning: transaction set {u.control_number}: {u.set_id} "
                   f"({u.version or 'no version'}) is not supported; skipped", err=True)
    errors = [f for f in outcome.findings if f.severity.value == "error"]
    for f in errors:
        click.echo(f"error: {f}", err=True)
    if errors or outcome.unsupported:
        sys.exit(1)
