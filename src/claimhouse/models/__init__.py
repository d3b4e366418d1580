"""Plain, typed domain objects. Models know nothing of X12 or SQL.

Money is ``Decimal``, dates are ``date``; JSON in and out carries amounts as strings and
dates as ISO 8601.
"""

from claimhouse.models._claim import (
    Claim,
    ClaimBatch,
    ClaimKind,
    Diagnosis,
    Note,
    OccurrenceCode,
    OccurrenceSpan,
    OtherPayer,
    OtherSubscriber,
    ProcedureCode,
    ValueCode,
)
from claimhouse.models._claim_json import charge_problems, load_claim_batch
from claimhouse.models._claim_lines import (
    Adjustment,
    ClaimDate,
    DrugIdentification,
    LineAdjudication,
    LineAmount,
    Procedure,
    ServiceLine,
    Tooth,
)
from claimhouse.models._claim_parties import (
    Address,
    BillingProvider,
    Contact,
    ContactNumber,
    Patient,
    Payer,
    PayToPlan,
    PayToProvider,
    Provider,
    Receiver,
    Reference,
    Submitter,
    Subscriber,
)
from claimhouse.models._json import from_json, to_json
from claimhouse.models._remittance import (
    ClaimGroup,
    Payment,
    ProviderAdjustment,
    ProviderAdjustmentAmount,
    ProviderSummary,
    ProviderSupplementalSummary,
    Remittance,
    RemittancePayee,
    RemittancePayer,
)
from claimhouse.models._remittance_claim import (
    ClaimPayment,
    InpatientAdjudication,
    OutpatientAdjudication,
    PaymentAdjustment,
    ServicePayment,
)
from claimhouse.models._remittance_parts import (
    ContactInfo,
    DeliveryMethod,
    EntityName,
    PostalAddress,
    ReferenceId,
    RemarkCode,
    SupplementalAmount,
    SupplementalQuantity,
)
from claimhouse.models._schema import json_schema

__all__: list[str] = ["from_json", "to_json"]
__all__ += [  # 837 claims
    "Address",
    "Adjustment",
    "BillingProvider",
    "Claim",
    "ClaimBatch",
    "ClaimDate",
    "ClaimKind",
    "Contact",
    "ContactNumber",
    "Diagnosis",
    "DrugIdentification",
    "LineAdjudication",
    "LineAmount",
    "Note",
    "OccurrenceCode",
    "OccurrenceSpan",
    "OtherPayer",
    "OtherSubscriber",
    "Patient",
    "PayToPlan",
    "PayToProvider",
    "Payer",
    "Procedure",
    "ProcedureCode",
    "Provider",
    "Receiver",
    "Reference",
    "ServiceLine",
    "Submitter",
    "Subscriber",
    "Tooth",
    "ValueCode",
    "charge_problems",
    "json_schema",
    "load_claim_batch",
]
__all__ += [  # 835 remittances
    "ClaimGroup",
    "ClaimPayment",
    "ContactInfo",
    "DeliveryMethod",
    "EntityName",
    "InpatientAdjudication",
    "OutpatientAdjudication",
    "Payment",
    "PaymentAdjustment",
    "PostalAddress",
    "ProviderAdjustment",
    "ProviderAdjustmentAmount",
    "ProviderSummary",
    "ProviderSupplementalSummary",
    "ReferenceId",
    "RemarkCode",
    "Remittance",
    "RemittancePayee",
    "RemittancePayer",
    "ServicePayment",
    "SupplementalAmount",
    "SupplementalQuantity",
]
