"""`claimhouse generate`: models (JSON) to X12 files. One subcommand per transaction,
each in its own module; register a new one with one import and one add_command line."""

from __future__ import annotations

import click

from claimhouse.cli._generate835 import generate_835_command
from claimhouse.cli._generate837 import generate_837_command


@click.group("generate")
def generate_group() -> None:
    """Write X12 files from JSON (the reverse of `claimhouse parse --format json`)."""


generate_group.add_command(generate_835_command)
generate_group.add_command(generate_837_command)
