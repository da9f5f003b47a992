"""Pagination shape and token authentication of the API base."""

from __future__ import annotations

import api_probes
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from govbuy.accounts.testing import api_token_for

USERS = "/api/v1/_probe/users/"


@pytest.fixture(autouse=True)
def _probe_urls(settings):
    settings.ROOT_URLCONF = api_probes.__name__


def bearer_client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_for(user)}"})


def make_users(count: int, prefix: str = "bulk") -> None:
    model = get_user_model()
    model.objects.bulk_create(model(username=f"{prefix}-{i:03d}") for i in range(count))


def test_pages_carry_count_next_previous_results(world):
    client = bearer_client(world.provider_a)
    total = get_user_model().objects.count()
    first = client.get(USERS, {"page_size": 3})
    assert first.status_code == 200
    body = first.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == total
    assert body["previous"] is None
    assert len(body["results"]) == 3
    assert body["next"].endswith(f"{USERS}?page=2&page_size=3")

    second = client.get(body["next"])
    body2 = second.json()
    assert body2["previous"] is not None
    assert {r["username"] for r in body2["results"]}.isdisjoint({r["username"] for r in body["results"]})


def test_page_size_is_capped(world):
    make_users(210)
    body = bearer_client(world.provider_a).get(USERS, {"page_size": 10_000}).json()
    assert len(body["results"]) == 200
    assert body["next"] is not None


def test_a_page_past_the_end_is_a_404_in_the_error_shape(world):
    response = bearer_client(world.provider_a).get(USERS, {"page": 999})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    client = bearer_client(world.provider_a)
    make_users(2)
    # token + user lookup, count, page
    with django_assert_num_queries(3):
        assert client.get(USERS).status_code == 200
    make_users(20, prefix="more")
    with django_assert_num_queries(3):
        assert client.get(USERS).status_code == 200


def test_bearer_token_authenticates(world):
    response = bearer_client(world.provider_a).get("/api/v1/_probe/")
    assert response.status_code == 200
    assert response.json() == {"username": world.provider_a.get_username()}
    assert response["Cache-Control"] == "no-store, private"


def test_token_keyword_other_than_bearer_is_not_accepted(world):
    key = api_token_for(world.provider_a)
    response = Client().get("/api/v1/_probe/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 401


def test_unknown_token_is_refused(db):
    response = Client().get("/api/v1/_probe/", headers={"Authorization": "Bearer " + "0" * 40})
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_a_deactivated_user_is_refused(world):
    client = bearer_client(world.provider_b)
    world.provider_b.is_active = False
    world.provider_b.save(update_fields=["is_active"])
    response = client.get("/api/v1/_probe/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_session_authentication_works_for_reads(world, login):
    response = login(world.provider_a).get("/api/v1/_probe/")
    assert response.status_code == 200
    assert response.json()["username"] == world.provider_a.get_username()
