"""Scoping matrix: every persona × list and detail sees exactly what it should; outside is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govbuy.organizations import selectors

pytestmark = pytest.mark.django_db

ALL = {
    "city_finance_org",
    "district_finance_a_org",
    "district_finance_b_org",
    "staffing_org",
    "civil_affairs_org",
    "market_regulation_org",
    "supervision_org",
    "audit_org",
    "evaluator_org",
    "purchaser_a_org",
    "purchaser_b_org",
    "provider_a_org",
    "provider_b_org",
}
DISTRICT_A = {"district_finance_a_org", "purchaser_a_org", "provider_a_org"}
DISTRICT_B = {"district_finance_b_org", "purchaser_b_org", "provider_b_org"}

EXPECTED: dict[str, set[str]] = {
    "platform_admin": ALL,
    "city_finance": ALL,
    "staffing": ALL,
    "civil_affairs": ALL,
    "market_regulation": ALL,
    "supervisor": ALL,
    "auditor": ALL,
    "district_finance_a": DISTRICT_A,
    "district_finance_b": DISTRICT_B,
    "purchaser_a": {"purchaser_a_org"},
    "purchaser_a_approver": {"purchaser_a_org"},
    "purchaser_b": {"purchaser_b_org"},
    "provider_a": {"provider_a_org"},
    "provider_b": {"provider_b_org"},
    "evaluator": {"evaluator_org"},
    "outsider": set(),
}


def _keys(world, orgs) -> set[str]:
    by_pk = {org.pk: key for key, org in world.orgs.items()}
    return {by_pk[o.pk] for o in orgs}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_selector_matrix(world, persona):
    user = getattr(world, persona)
    assert _keys(world, selectors.visible_organisations(user)) == EXPECTED[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_pages_and_api_matrix(world, login, persona):
    client = login(getattr(world, persona))
    expected = EXPECTED[persona]
    page = client.get(reverse("organizations:list"))
    assert page.status_code == 200
    assert _keys(world, page.context["page"].object_list) == expected
    api = client.get("/api/v1/organisations/?page_size=200")
    assert api.status_code == 200
    assert {o["id"] for o in api.json()["results"]} == {world.orgs[k].pk for k in expected}
    for key, org in world.orgs.items():
        visible = key in expected
        detail = client.get(reverse("organizations:detail", args=[org.pk]))
        assert detail.status_code == (200 if visible else 404), (persona, key)
        members = client.get(reverse("organizations:members", args=[org.pk]))
        assert members.status_code == (200 if visible else 404), (persona, key)
        api_detail = client.get(f"/api/v1/organisations/{org.pk}/")
        assert api_detail.status_code == (200 if visible else 404), (persona, key)
        api_members = client.get(f"/api/v1/organisations/{org.pk}/members/")
        assert api_members.status_code == (200 if visible else 404), (persona, key)


def test_outsider_gets_404_on_every_detail_and_write(world, login):
    client = login(world.outsider)
    org = world.purchaser_a_org
    membership = org.memberships.first()
    for url in [
        reverse("organizations:detail", args=[org.pk]),
        reverse("organizations:edit", args=[org.pk]),
        reverse("organizations:members", args=[org.pk]),
        reverse("organizations:regions"),
        f"/api/v1/organisations/{org.pk}/",
        f"/api/v1/organisations/{org.pk}/members/",
        f"/api/v1/organisations/{org.pk}/members/{membership.pk}/",
        f"/api/v1/regions/{world.city.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("organizations:deactivate", args=[org.pk]),
        reverse("organizations:reactivate", args=[org.pk]),
        reverse("organizations:review_uscc", args=[org.pk]),
        reverse("organizations:member_role", args=[org.pk, membership.pk]),
        reverse("organizations:member_remove", args=[org.pk, membership.pk]),
        f"/api/v1/organisations/{org.pk}/deactivate/",
        f"/api/v1/organisations/{org.pk}/members/",
    ]:
        assert (
            client.post(url, {"version": 1, "reason": "x", "role": "admin", "username": "outsider"}).status_code == 404
        ), url
    assert (
        client.patch(
            f"/api/v1/organisations/{org.pk}/", {"version": 1, "name_zh": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/organisations/{org.pk}/members/{membership.pk}/").status_code == 404
    org.refresh_from_db()
    assert org.version == 1
    assert org.status == "active"
    membership.refresh_from_db()
    assert membership.is_active


def test_rival_provider_cannot_see_or_touch_the_other(world, login):
    client = login(world.provider_b)
    org = world.provider_a_org
    assert client.get(f"/api/v1/organisations/{org.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/organisations/{org.pk}/members/", {"username": "provider_b", "role": "admin"}).status_code
        == 404
    )
    assert not org.memberships.filter(user=world.provider_b).exists()


def test_anonymous_is_sent_to_login_or_refused(world, client):
    assert client.get(reverse("organizations:list")).status_code == 302
    assert client.get("/api/v1/organisations/").status_code == 401
