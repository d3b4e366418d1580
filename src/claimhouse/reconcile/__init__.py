"""The reconcile engine: match every 835 claim payment to its 837 claim and service lines,
handle reversals and corrections, split and secondary payments, PLB recoveries and
unmatched remits, and settle each claim in a state a biller understands; every decision
is kept (``match_records``) and can be explained.

Pure functions over models (:func:`choose_claim`, :func:`match_lines`, :func:`settle`
over :func:`submitted_claim` / :func:`postings` views); :func:`reconcile` drives them over
the store.
"""

from claimhouse.reconcile._match import Decision, choose_claim, fit_lines, match_lines
from claimhouse.reconcile._model import (
    Adj,
    PaidLine,
    Posting,
    SubmittedClaim,
    SubmittedLine,
    postings,
    submitted_claim,
)
from claimhouse.reconcile._run import RunSummary, reconcile
from claimhouse.reconcile._secondary import PrimaryAdjudication, secondary_claim
from claimhouse.reconcile._secondary_io import secondary_claim_for
from claimhouse.reconcile._settle import (
    DENIED,
    OVERPAID,
    PAID,
    PARTIAL,
    PENDING,
    REVERSED,
    STATES,
    UNMATCHED,
    VOIDED,
    Settlement,
    payer_level,
    settle,
)

__all__ = [
    "DENIED",
    "OVERPAID",
    "PAID",
    "PARTIAL",
    "PENDING",
    "REVERSED",
    "STATES",
    "UNMATCHED",
    "VOIDED",
    "Adj",
    "Decision",
    "PaidLine",
    "Posting",
    "PrimaryAdjudication",
    "RunSummary",
    "Settlement",
    "SubmittedClaim",
    "SubmittedLine",
    "choose_claim",
    "fit_lines",
    "match_lines",
    "payer_level",
    "postings",
    "reconcile",
    "secondary_claim",
    "secondary_claim_for",
    "settle",
    "submitted_claim",
]
