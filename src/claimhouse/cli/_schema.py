"""`claimhouse schema`: print the JSON Schema of an input document."""

from __future__ import annotations

import json

import click

from claimhouse.models import ClaimBatch, json_schema

_SCHEMAS = {"claim": (ClaimBatch, "claimhouse claim batch (input of `generate 837`)")}


@click.command("schema")
@click.argument("name", type=click.Choice(sorted(_SCHEMAS)))
def schema_command(name: str) -> None:
    """Print the JSON Schema of NAME (claim: the claim JSON `generate 837` reads)."""
    cls, title = _SCHEMAS[name]
    click.echo(json.dumps(json_schema(cls, title=title), indent=2))
