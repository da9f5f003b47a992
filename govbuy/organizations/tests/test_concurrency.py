"""Two registrations of one code at the same moment: exactly one wins, the other gets the message."""

from __future__ import annotations

import pytest

from govbuy.core.errors import Conflict, ValidationFailed
from govbuy.core.testing import build_world, needs_file_database, race
from govbuy.organizations import services
from govbuy.organizations.models import Organisation

CODE = "91350100M000100Y43"


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_of_one_code():
    needs_file_database()
    world = build_world()
    admin_id, region_id = world.platform_admin.pk, world.district_a.pk

    def register(i: int) -> Organisation:
        from django.contrib.auth import get_user_model

        from govbuy.organizations.models import Region

        return services.register_organisation(
            actor=get_user_model().objects.get(pk=admin_id),
            name_zh=f"并发单位{i}",
            kind="enterprise",
            region=Region.objects.get(pk=region_id),
            uscc=CODE,
        )

    results = race(register, 2).outcomes
    winners = [r for r in results if isinstance(r, Organisation)]
    losers = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert losers[0].code == "uscc_duplicate"
    assert Organisation.objects.filter(uscc=CODE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_edits_with_one_version():
    needs_file_database()
    world = build_world()
    org_id, admin_id = world.purchaser_a_org.pk, world.platform_admin.pk

    def edit(i: int) -> Organisation:
        from django.contrib.auth import get_user_model

        return services.update_organisation(
            actor=get_user_model().objects.get(pk=admin_id), organisation=org_id, version=1, name_zh=f"名称{i}"
        )

    results = race(edit, 4).outcomes
    winners = [r for r in results if isinstance(r, Organisation)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in winners), results
    org = Organisation.objects.get(pk=org_id)
    assert org.version == 2
    assert org.name_zh == winners[0].name_zh


@pytest.mark.django_db
def test_index_decides_when_the_check_misses_a_concurrent_insert(monkeypatch):
    """The moment a parallel registration commits between our check and our insert, simulated:
    the duplicate pre-check sees nothing, the unique index refuses, the caller gets the message."""
    world = build_world()
    services.register_organisation(
        actor=world.platform_admin, name_zh="先到", kind="enterprise", region=world.district_a, uscc=CODE
    )
    real_filter = Organisation.objects.filter
    calls = {"n": 0}

    def filter_missing_first(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if kwargs.get("uscc") == CODE and calls["n"] == 0:
            calls["n"] += 1
            return qs.none()
        return qs

    monkeypatch.setattr(Organisation.objects, "filter", filter_missing_first)
    with pytest.raises(ValidationFailed) as exc:
        services.register_organisation(
            actor=world.platform_admin, name_zh="后到", kind="enterprise", region=world.district_a, uscc=CODE
        )
    assert exc.value.code == "uscc_duplicate"
    assert calls["n"] == 1
    assert Organisation.objects.filter(uscc=CODE).count() == 1
