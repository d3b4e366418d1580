"""`claimhouse load FILE...`: record 837/835 files in the claim store (once each), and the
``--db`` option every store command shares."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from claimhouse.errors import StoreError
from claimhouse.store import Store, open_store
from claimhouse.store._files import load_file

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    """``--db URL`` (or ``$CLAIMHOUSE_DB``; a bare path is a SQLite file; default
    ``./claimhouse.db``)."""
    return click.option(
        "--db", "db", envvar="CLAIMHOUSE_DB", default=None, metavar="URL",
        help="Database: a SQLAlchemy URL (postgresql+psycopg://...) or a SQLite file path "
             "[env CLAIMHOUSE_DB; default ./claimhouse.db].")(func)


def open_or_exit(db: str | None) -> Store:
    """Open the store, or exit 2 (an environment error) saying why."""
    try:
        return open_store(db)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@click.command("load")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@db_option
def load_command(files: tuple[Path, ...], db: str | None) -> None:
    """Load 837 claims and 835 remittances into the claim store.

    A file already loaded (same bytes, or same ISA sender and ISA13) is reported as a
    duplicate and adds nothing; a remittance already posted (same payer and TRN02) is
    skipped. Exits 1 when a file is rejected (not X12, or nothing loadable)."""
    store = open_or_exit(db)
    rejected = 0
    try:
        for path in files:
            result = load_file(store, path)
            c = result.counts
            what = (f"{c.claims_added} claim(s) new, {c.claims_replaced} replaced, "
                    f"{c.remittances_added} remittance(s) posted, "
                    f"{c.claim_payments_added} claim payment(s)")
            if c.remittances_duplicate:
                what += f", {c.remittances_duplicate} remittance(s) already posted"
            if result.outcome == "loaded":
                click.echo(f"{path.name}: loaded ({'+'.join(result.kinds)}): {what}")
            else:
                click.echo(f"{path.name}: {result.outcome}: {result.detail}")
                rejected += result.outcome == "rejected"
    finally:
        store.close()
    if rejected:
        sys.exit(1)
