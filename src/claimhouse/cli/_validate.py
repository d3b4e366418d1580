"""`claimhouse validate`: SNIP 1-5 validation with readable reports and 999/TA1 output."""

from __future__ import annotations

from pathlib import Path

import click

from claimhouse._fs import private_dir, write_private
from claimhouse.acks import build_277ca, build_acks
from claimhouse.validate import ValidationReport, validate_file
from claimhouse.validate._render import render_html, render_json, render_text
from claimhouse.x12 import FileControlNumbers, system_clock


@click.command("validate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--level", type=click.IntRange(1, 5), default=5, show_default=True,
              help="Highest WEDI SNIP level to check (levels are cumulative).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Report format.")
@click.option("--ack-dir", type=click.Path(file_okay=False, writable=True), default=None,
              help="Write the 999, TA1 and 277CA for each file into this folder.")
@click.option("-v", "--verbose", is_flag=True, help="Add SNIP levels, byte offsets and "
              "acknowledgment codes (still without patient data).")
def validate_command(files: tuple[str, ...], level: int, fmt: str, ack_dir: str | None,
                     verbose: bool) -> None:
    """Validate X12 files and print what is wrong, where, and how to fix it.

    Exits 0 when every file is valid, 1 when any has findings of error severity."""
    reports: list[ValidationReport] = [validate_file(f, level) for f in files]
    if fmt == "json":
        click.echo(render_json(reports), nl=False)
    elif fmt == "html":
        click.echo(render_html(reports), nl=False)
    else:
        for r in reports:
            click.echo(render_text(r, verbose=verbose), nl=False)
    if ack_dir is not None:
        out = Path(ack_dir)
        private_dir(out)
        numbers = FileControlNumbers(out / ".control-numbers")  # never reuse an ISA13
        for f, r in zip(files, reports, strict=True):
            acks = build_acks(r, clock=system_clock, control_numbers=numbers)
            if r.level >= 3:
                acks += build_277ca(f, r, clock=system_clock, control_numbers=numbers)
            for ack in acks:
                target = out / f"{Path(f).name}.{ack.interchange}.{ack.kind.lower()}.x12"
                write_private(target, ack.content)
    if not all(r.valid for r in reports):
        raise SystemExit(1)
