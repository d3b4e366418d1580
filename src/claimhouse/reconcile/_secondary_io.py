"""Finding a claim and its primary adjudication in the store, for secondary billing."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimhouse.errors import ModelError
from claimhouse.models import Claim
from claimhouse.reconcile._secondary import PrimaryAdjudication, secondary_claim
from claimhouse.store._convert import (
    claim_from_document,
    claim_payment_model,
    service_payment_model,
)
from claimhouse.store._tables import (
    AdjustmentRow,
    ClaimDocumentRow,
    ClaimPaymentRow,
    ClaimRow,
    RemittanceRow,
    ServicePaymentRow,
)

PRIMARY_STATUSES = ("1", "19")


def secondary_claim_for(session: Session, pcn: str) -> Claim:
    """The secondary claim for ``pcn`` from the stored claim billed to its primary payer
    (SBR01 P, else the first) and that payer's current 835 payments for it."""
    rows = session.execute(select(ClaimRow).where(ClaimRow.patient_control_number == pcn)
                           .order_by(ClaimRow.id)).scalars().all()
    if not rows:
        raise ModelError(["no stored claim carries this patient control number"])
    row = next((r for r in rows if r.payer_responsibility == "P"), rows[0])
    claim = claim_from_document(session.execute(select(ClaimDocumentRow.document).where(
        ClaimDocumentRow.id == row.id)).scalar_one())
    payments = session.execute(
        select(ClaimPaymentRow, RemittanceRow.payment_date)
        .join(RemittanceRow, RemittanceRow.id == ClaimPaymentRow.remittance_id)
        .where(ClaimPaymentRow.claim_id == row.id, ClaimPaymentRow.disposition == "current",
               ClaimPaymentRow.status_code.in_(PRIMARY_STATUSES))
        .order_by(RemittanceRow.payment_date, ClaimPaymentRow.id)).all()
    ids = [cp.id for cp, _ in payments]
    adjustments: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
    for a in session.execute(select(AdjustmentRow).where(
            AdjustmentRow.claim_payment_id.in_(ids)).order_by(AdjustmentRow.id)).scalars():
        adjustments[(a.claim_payment_id, a.service_payment_id)].append(a)
    lines: dict[int, list[Any]] = defaultdict(list)
    for sp in session.execute(select(ServicePaymentRow).where(
            ServicePaymentRow.claim_payment_id.in_(ids))
            .order_by(ServicePaymentRow.position)).scalars():
        lines[sp.claim_payment_id].append(
            service_payment_model(sp, adjustments[(sp.claim_payment_id, sp.id)]))
    models = [claim_payment_model(cp, adjustments[(cp.id, None)], lines[cp.id])
              for cp, _ in payments]
    paid_on = max((d for _, d in payments if d is not None), default=None)
    return secondary_claim(claim, PrimaryAdjudication(
        payer_id=claim.payer.id, payer_name=claim.payer.name, payments=models,
        adjudicated_on=paid_on))
