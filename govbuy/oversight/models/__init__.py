"""Models of oversight: monitoring cases (cases.py) and risk flags (flags.py)."""

from govbuy.oversight.models.cases import AnswerDocument, CaseQuestion, CaseReason, CaseStatus, MonitoringCase
from govbuy.oversight.models.flags import Flag, FlagRule, FlagStatus

__all__ = [
    "AnswerDocument",
    "CaseQuestion",
    "CaseReason",
    "CaseStatus",
    "Flag",
    "FlagRule",
    "FlagStatus",
    "MonitoringCase",
]
