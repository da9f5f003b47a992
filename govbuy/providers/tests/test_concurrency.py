"""Concurrent decisions on one section: exactly one wins, the others get 409 and change nothing."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, TransitionRefused
from govbuy.providers.models import Condition, SectionDecision
from govbuy.providers.services import dossiers
from govbuy.providers.tests.conftest import fill_section, open_profile

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_decisions_on_one_version_yield_one_winner(world):
    profile = open_profile(world.provider_a_org)
    section = fill_section(profile, Condition.GOVERNANCE, world.provider_a)
    version = section.version
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(index: int) -> None:
        try:
            barrier.wait()
            decision = "accepted" if index % 2 else "rejected"
            dossiers.decide_section(
                actor=world.civil_affairs, section=section.pk, version=version, decision=decision, reason="r"
            )
            result = "ok"
        except (Conflict, TransitionRefused):
            result = "conflict"
        finally:
            close_old_connections()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    assert SectionDecision.objects.filter(section=section).count() == 1
    assert (
        AuditEvent.objects.filter(action__in=["providers.section.accepted", "providers.section.rejected"]).count() == 1
    )
