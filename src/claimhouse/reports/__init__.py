"""What people read: reconciliation reports and worklists as table, CSV or JSON; the
remittance advice (``_era``); masking (``_mask``).

The names below are loaded on first use (PEP 562): importing a submodule such as
``claimhouse.reports._era`` (which needs no database) does not import SQLAlchemy and the
store, so ``claimhouse era`` starts quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimhouse.reports._dashboard import summary_report
    from claimhouse.reports._era import ERA_FORMATS, write_era
    from claimhouse.reports._explain import explain
    from claimhouse.reports._mask import Masker
    from claimhouse.reports._reconciliation import (
        BUCKETS,
        ReportFilter,
        aging_report,
        claims_report,
        denials_report,
        patient_balances_report,
        unmatched_report,
    )
    from claimhouse.reports._render import REPORTS
    from claimhouse.reports._table import FORMATS, Section, render

_WHERE = {
    "ERA_FORMATS": "_era", "write_era": "_era", "Masker": "_mask",
    "explain": "_explain",
    "BUCKETS": "_reconciliation", "REPORTS": "_render",
    "ReportFilter": "_reconciliation", "aging_report": "_reconciliation",
    "claims_report": "_reconciliation", "denials_report": "_reconciliation",
    "patient_balances_report": "_reconciliation", "summary_report": "_dashboard",
    "unmatched_report": "_reconciliation",
    "FORMATS": "_table", "Section": "_table", "render": "_table",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BUCKETS",
    "ERA_FORMATS",
    "FORMATS",
    "REPORTS",
    "Masker",
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
    "write_era",
]
