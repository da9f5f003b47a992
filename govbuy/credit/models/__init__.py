"""The credit system's models, one module per subdomain."""

from govbuy.credit.models.bans import Ban
from govbuy.credit.models.facts import (
    ENTERED_KINDS,
    REPORTED_KINDS,
    CreditFact,
    EvidenceDocument,
    FactKind,
    Objection,
    ScoreRule,
    ScoreScale,
)
from govbuy.credit.models.lists import ExternalList, ListEntry, ListKind, ThreeListCheck
from govbuy.credit.models.reports import AuthorityReport

__all__ = [
    "ENTERED_KINDS",
    "REPORTED_KINDS",
    "AuthorityReport",
    "Ban",
    "CreditFact",
    "EvidenceDocument",
    "ExternalList",
    "FactKind",
    "ListEntry",
    "ListKind",
    "Objection",
    "ScoreRule",
    "ScoreScale",
    "ThreeListCheck",
]
