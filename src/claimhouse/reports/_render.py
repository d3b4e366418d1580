"""``claimhouse report NAME``: build a report and write it as table, CSV, JSON or HTML,
optionally with patients masked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from claimhouse.reports._dashboard import dashboard_report, summary_report
from claimhouse.reports._html import ROW_LIMIT, esc, render_html
from claimhouse.reports._html_dashboard import dashboard_html
from claimhouse.reports._reconciliation import REPORTS as BASE_REPORTS
from claimhouse.reports._reconciliation import ReportFilter
from claimhouse.reports._slim import slim_claims
from claimhouse.reports._table import FORMATS as TEXT_FORMATS
from claimhouse.reports._table import Section, render
from claimhouse.reports._worklists import (
    PATIENT_COLUMNS,
    denial_worklist,
    underpayments_report,
)

FORMATS = (*TEXT_FORMATS, "html")
WORKLISTS: dict[str, Callable[..., list[Section]]] = {
    "dashboard": dashboard_report,
    "denial-worklist": denial_worklist,
    "underpayments": underpayments_report,
}
"""Reports that name patients (and so look up only the rows an HTML page shows)."""
ONE_SCAN = ("claims", "unmatched")
"""Reports that read the claims once (or not at all): no slim copy first (see _slim)."""
REPORTS: dict[str, Callable[..., list[Section]]] = {
    "summary": summary_report, **BASE_REPORTS, **WORKLISTS}


class PatientMasker(Protocol):
    """What masking needs: a stable token for a name, a member id, a date of birth."""

    def name(self, value: str) -> str: ...
    def member_id(self, value: str) -> str: ...
    def birth_date(self, value: Any) -> str: ...


def mask_sections(sections: Sequence[Section], masker: PatientMasker) -> None:
    """Replace the patient columns (name, member id, date of birth) in place."""
    fields: dict[str, Callable[[Any], str]] = {
        "patient_name": masker.name, "member_id": masker.member_id,
        "birth_date": masker.birth_date}
    for s in sections:
        for column in PATIENT_COLUMNS:
            if column not in s.columns:
                continue
            for r in s.rows:
                if r.get(column) is not None:
                    r[column] = fields[column](r[column])


def _subtitle(name: str, f: ReportFilter, masked: bool) -> str:
    parts = [f"As of {f.today.isoformat()}", f"payer {esc(f.payer)}" if f.payer
             else "all payers"]
    if f.since:
        parts.append(f"service from {f.since.isoformat()}")
    parts.append(f"report <code>{esc(name)}</code>")
    badge = ('<span class="badge">patients masked: names, member ids and dates of birth '
             "are tokens</span>" if masked else "")
    return " &middot; ".join(parts) + badge


def _sections(session: Session, name: str, f: ReportFilter, html: bool) -> list[Section]:
    if name in WORKLISTS:
        return WORKLISTS[name](session, f, limit=ROW_LIMIT if html else None)
    return REPORTS[name](session, f)


def build_report(session: Session, name: str, f: ReportFilter, fmt: str, *,
                 masker: PatientMasker | None = None) -> str:
    """Report ``name`` over ``session`` as ``fmt`` (table, csv, json or html)."""
    html = fmt == "html"
    if name == "dashboard" or name in ONE_SCAN:  # the dashboard makes its own slim copy
        sections = _sections(session, name, f, html)
    else:
        with slim_claims(session):
            sections = _sections(session, name, f, html)
    if masker is not None:
        mask_sections(sections, masker)
    if not html:
        return render(sections, fmt)
    subtitle = _subtitle(name, f, masker is not None)
    if name == "dashboard":
        return dashboard_html(sections, subtitle)
    title = name.replace("-", " ").capitalize() + " report"
    return render_html(sections, title, subtitle,
                       full=f"<code>claimhouse report {esc(name)} --format csv</code>")
