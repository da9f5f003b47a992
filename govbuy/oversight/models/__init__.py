"""Models of oversight: monitoring cases (cases.py), risk flags (flags.py) and statistics (statistics.py)."""

from govbuy.oversight.models.cases import AnswerDocument, CaseQuestion, CaseReason, CaseStatus, MonitoringCase
from govbuy.oversight.models.flags import Flag, FlagRule, FlagStatus
from govbuy.oversight.models.statistics import Audience, Grain, Measure, StatisticsCell, StatisticsRefresh

__all__ = [
    "AnswerDocument",
    "Audience",
    "CaseQuestion",
    "CaseReason",
    "CaseStatus",
    "Flag",
    "FlagRule",
    "FlagStatus",
    "Grain",
    "Measure",
    "MonitoringCase",
    "StatisticsCell",
    "StatisticsRefresh",
]
