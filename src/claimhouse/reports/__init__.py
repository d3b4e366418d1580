"""What people read: reconciliation reports and worklists as table, CSV or JSON."""

from claimhouse.reports._explain import explain
from claimhouse.reports._reconciliation import (
    BUCKETS,
    REPORTS,
    ReportFilter,
    aging_report,
    claims_report,
    denials_report,
    patient_balances_report,
    summary_report,
    unmatched_report,
)
from claimhouse.reports._table import FORMATS, Section, render

__all__ = [
    "BUCKETS",
    "FORMATS",
    "REPORTS",
    "ReportFilter",
    "Section",
    "aging_report",
    "claims_report",
    "denials_report",
    "explain",
    "patient_balances_report",
    "render",
    "summary_report",
    "unmatched_report",
]
