"""Procurement (seed §三.四, §二.二.3), one module per subdomain: tenders (methods, tenders, lots,
criteria, documents), bids (sealed bids, the opening), evaluation, awards (with challenges and
complaints) and clarifications (with invitation draws). Django finds the models here."""

from govbuy.procurement.models.awards import (  # noqa: F401
    LIVE_AWARD_STATUSES,
    Award,
    AwardStatus,
    Challenge,
    ChallengeStatus,
    Complaint,
    ComplaintStatus,
    DeadlineReminder,
    RefusalGround,
    ReminderKind,
)
from govbuy.procurement.models.bids import (  # noqa: F401
    Bid,
    BidDocument,
    BidStatus,
    Opening,
)
from govbuy.procurement.models.clarifications import (  # noqa: F401
    Clarification,
    InvitationDraw,
)
from govbuy.procurement.models.evaluation import (  # noqa: F401
    CreditCheck,
    CreditResult,
    Evaluation,
    Expert,
    Panel,
    PanelMember,
    Ranking,
    Score,
)
from govbuy.procurement.models.tenders import (  # noqa: F401
    Criterion,
    EvaluationMethod,
    Lot,
    PeriodUnit,
    ProcurementMethod,
    StoredFile,
    Tender,
    TenderDocument,
    TenderStatus,
)
