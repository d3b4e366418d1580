"""The claimhouse command line: a thin click layer over the library.

Exit codes: 0 success, 1 the input was processed and found invalid, 2 usage or
environment error. Only this layer configures logging and maps errors to exit codes.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import click

from claimhouse import __version__
from claimhouse.errors import ClaimhouseError, InputError


# Each command's module is imported only when that command runs (or help lists it), so a
# command that needs neither SQLAlchemy nor pyx12 does not pay for importing them.
def _batch() -> click.Command:
    from claimhouse.cli._batch import batch_group
    return batch_group


def _generate() -> click.Command:
    from claimhouse.cli._generate import generate_group
    from claimhouse.cli._secondary import generate_secondary_command
    generate_group.add_command(generate_secondary_command)
    return generate_group


def _inspect() -> click.Command:
    from claimhouse.cli._inspect import inspect_command
    return inspect_command


def _parse() -> click.Command:
    from claimhouse.cli._parse import parse_command
    return parse_command


def _schema() -> click.Command:
    from claimhouse.cli._schema import schema_command
    return schema_command


def _validate() -> click.Command:
    from claimhouse.cli._validate import validate_command
    return validate_command


def _load() -> click.Command:
    from claimhouse.cli._store import load_command
    return load_command


def _reconcile() -> click.Command:
    from claimhouse.cli._reconcile import reconcile_command
    return reconcile_command


def _explain() -> click.Command:
    from claimhouse.cli._reconcile import explain_command
    return explain_command


def _era() -> click.Command:
    from claimhouse.cli._era import era_command
    return era_command


def _report() -> click.Command:
    from claimhouse.cli._report import report_command
    return report_command


_COMMANDS: dict[str, Callable[[], click.Command]] = {
    "batch": _batch, "era": _era, "explain": _explain, "generate": _generate, "inspect": _inspect,
    "load": _load, "parse": _parse, "reconcile": _reconcile, "report": _report,
    "schema": _schema, "validate": _validate,
}


class _Group(click.Group):
    """The root group: loads command modules lazily, maps errors to exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        loader = _COMMANDS.get(cmd_name)
        return loader() if loader else None

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



def main() -> None:
    cli(prog_name="claimhouse")
