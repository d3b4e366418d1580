"""The claimhouse command line: a thin click layer over the library.

Exit codes: 0 success, 1 the input was processed and found invalid, 2 usage or
environment error. Only this layer configures logging and maps errors to exit codes.
"""

from __future__ import annotations

import logging
import sys

import click

from claimhouse import __version__
from claimhouse.cli._batch import batch_group
from claimhouse.cli._generate import generate_group
from claimhouse.cli._inspect import inspect_command
from claimhouse.cli._parse import parse_command
from claimhouse.cli._reconcile import explain_command, reconcile_command
from claimhouse.cli._report import report_command
from claimhouse.cli._schema import schema_command
from claimhouse.cli._secondary import generate_secondary_command
from claimhouse.cli._store import load_command
from claimhouse.cli._validate import validate_command
from claimhouse.errors import ClaimhouseError, InputError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except ClaimhouseError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="claimhouse")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="Logging threshold (log lines never carry PHI).")
def cli(log_level: str) -> None:
    """claimhouse: X12 837/835 processing, validation and reconciliation."""
    logging.basicConfig(level=log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


cli.add_command(batch_group)
cli.add_command(generate_group)
cli.add_command(inspect_command)
cli.add_command(parse_command)
cli.add_command(schema_command)
cli.add_command(validate_command)
cli.add_command(load_command)
cli.add_command(reconcile_command)
cli.add_command(explain_command)
cli.add_command(report_command)
generate_group.add_command(generate_secondary_command)


def main() -> None:
    cli(prog_name="claimhouse")
