"""`claimhouse report summary|claims|denials|unmatched|aging|patient-balances|dashboard|
denial-worklist|underpayments` as table, CSV, JSON or HTML."""

from __future__ import annotations

from datetime import date, datetime

import click

from claimhouse._fs import open_private
from claimhouse.cli._store import db_option, open_or_exit
from claimhouse.reports import ReportFilter
from claimhouse.reports._mask import Masker
from claimhouse.reports._render import FORMATS, REPORTS, build_report


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD") from None


@click.command("report")
@click.argument("name", type=click.Choice(list(REPORTS)))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@click.option("--payer", default=None, help="Only this payer (id or name).")
@click.option("--since", default=None, callback=_date, metavar="YYYY-MM-DD",
              help="Only claims with service on or after this date (remits paid since).")
@click.option("--as-of", "as_of", default=None, callback=_date, metavar="YYYY-MM-DD",
              help="The day ages are counted to (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Output file (default: standard output).")
@click.option("--mask", is_flag=True,
              help="Replace patient names, member ids and dates of birth with stable tokens "
                   "(for reports sent to support).")
@db_option
def report_command(name: str, fmt: str, payer: str | None, since: date | None,
                   as_of: date | None, output: str, mask: bool, db: str | None) -> None:
    """Reconciliation reports: summary (claims by state, paid vs expected per payer,
    remittance totals), claims, denials (by CARC/RARC), unmatched remits, A/R aging
    (0-30 ... 120+ days), patient balances; the biller's worklists denial-worklist and
    underpayments (they name the patient); dashboard: all of it, as one self-contained
    HTML file with --format html (tiles, charts, sortable tables)."""
    store = open_or_exit(db)
    filt = ReportFilter(payer=payer, since=since, today=as_of or date.today())
    masker = Masker() if mask else None
    try:
        with store.session() as session:
            text = build_report(session, name, filt, fmt, masker=masker)
    finally:
        store.close()
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        with open_private(output, "w", encoding="utf-8") as out:  # 0600: reports hold PHI
            out.write(text)
    except OSError as exc:
        raise click.FileError(output, exc.strerror) from None
