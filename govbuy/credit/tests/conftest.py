from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govbuy.core import facts
from govbuy.organizations.models import Membership
from govbuy.providers.samples import minimal_pdf
from tests.builders.procurement import verified_profile


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def second_finance(world):
    """A second member of the city finance bureau (four eyes)."""
    user = get_user_model().objects.create_user(username="finance2", password="x" * 16, display_name="finance2")
    Membership.objects.create(user=user, organisation=world.city_finance_org, role="staff")
    return user


@pytest.fixture
def provider(world):
    verified_profile(world)
    return world.provider_a_org


def evidence():
    return [("decision.pdf", minimal_pdf())]


def report(kind, org, source_id=1, *, days_ago=0, actor=None):
    with transaction.atomic():
        return facts.report(
            kind,
            provider_id=org.pk,
            source_type="procurement.tender",
            source_id=source_id,
            occurred_at=timezone.now() - dt.timedelta(days=days_ago),
            actor=actor,
            summary="测试事实",
        )
