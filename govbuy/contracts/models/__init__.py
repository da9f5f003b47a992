"""Contracts, one module per subdomain: the contract itself (with payee accounts, amendments and
the PDF template) and delivery (milestones, deliverables, visits, payments, roster, flags)."""

from govbuy.contracts.models.contracts import (  # noqa: F401
    Amendment,
    AmendmentRationale,
    AmendmentStatus,
    Basis,
    BondForm,
    Contract,
    ContractStatus,
    ContractTemplate,
    PayeeAccount,
    TerminationCause,
)
from govbuy.contracts.models.delivery import (  # noqa: F401
    Deliverable,
    DeliverableDocument,
    DeliverableStatus,
    FlagKind,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    MonitoringVisit,
    Payment,
    RosterMember,
    SubcontractingFlag,
    VisitRating,
)
