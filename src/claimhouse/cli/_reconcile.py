"""`claimhouse reconcile` and `claimhouse explain PCN`."""

from __future__ import annotations

import sys

import click

from claimhouse.cli._store import db_option, open_or_exit
from claimhouse.reconcile import reconcile
from claimhouse.reports import FORMATS, explain, render


@click.command("reconcile")
@db_option
def reconcile_command(db: str | None) -> None:
    """Match every loaded 835 payment to its claim and settle each claim's state."""
    store = open_or_exit(db)
    try:
        s = reconcile(store)
    finally:
        store.close()
    click.echo(f"reconcile run {s.run_id}: {s.payments_examined} payment(s) examined, "
               f"{s.payments_matched} matched, {s.claims_settled} claim(s) settled, "
               f"{s.provider_adjustments_linked} PLB recovery(ies) linked, "
               f"{s.decisions} decision(s) recorded")


@click.command("explain")
@click.argument("pcn")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@db_option
def explain_command(pcn: str, fmt: str, db: str | None) -> None:
    """Show every payment and match decision for a patient control number (CLM01/CLP01).

    Exits 1 when the store knows nothing about it."""
    store = open_or_exit(db)
    try:
        with store.session() as session:
            sections = explain(session, pcn)
    finally:
        store.close()
    click.echo(render(sections, fmt), nl=False)
    if not any(s.rows for s in sections):
        click.echo("error: no claim or payment carries this patient control number", err=True)
        sys.exit(1)
