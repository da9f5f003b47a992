"""Performance evaluation, one module per subdomain: indicator templates and policy rows, evaluation
rounds with their scores, satisfaction surveys, and public consultations."""

from govbuy.performance.models.consultation import (  # noqa: F401
    CommentStatus,
    ConsultationComment,
    ConsultationStatus,
    PublicConsultation,
    Subject,
)
from govbuy.performance.models.rounds import (  # noqa: F401
    CommissionStatus,
    EvaluationRound,
    Grade,
    ProviderResponse,
    RoundKind,
    RoundStatus,
    Score,
    ScoredBy,
    ThirdPartyCommission,
)
from govbuy.performance.models.surveys import (  # noqa: F401
    Answer,
    CodeAttempt,
    FlagKind,
    Invitation,
    Survey,
    SurveyFlag,
    SurveyStatus,
)
from govbuy.performance.models.templates import (  # noqa: F401
    Direction,
    Family,
    Indicator,
    IndicatorTemplate,
    KeyProjectThreshold,
    Policy,
    ScoringRule,
    TargetSource,
)
