"""Concurrent decisions on one section: exactly one wins, the others get 409 and change nothing."""

from __future__ import annotations

import pytest

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, TransitionRefused
from govbuy.core.testing import race
from govbuy.providers.models import Condition, SectionDecision
from govbuy.providers.services import dossiers
from tests.builders.procurement import fill_section, open_profile

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_decisions_on_one_version_yield_one_winner(world):
    profile = open_profile(world.provider_a_org)
    section = fill_section(profile, Condition.GOVERNANCE, world.provider_a)
    version = section.version

    def decide(index: int) -> object:
        decision = "accepted" if index % 2 else "rejected"
        return dossiers.decide_section(
            actor=world.civil_affairs, section=section.pk, version=version, decision=decision, reason="r"
        )

    outcome = race(decide, 8)
    assert len(outcome.results) == 1, outcome.errors
    assert all(isinstance(e, (Conflict, TransitionRefused)) for e in outcome.errors), outcome.errors
    assert SectionDecision.objects.filter(section=section).count() == 1
    assert (
        AuditEvent.objects.filter(action__in=["providers.section.accepted", "providers.section.rejected"]).count() == 1
    )
