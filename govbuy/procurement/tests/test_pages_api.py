"""Pages and API: lists with exact query counts, outsiders get 404, the purchaser and provider
steps through the screens, errors answered with the project's shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from govbuy.procurement.models import Tender
from govbuy.procurement.services import bids
from tests.builders.procurement import CRITERIA, far_deadline

from .conftest import CANARY

pytestmark = pytest.mark.django_db


def _copies(world, tender, n):
    """More tenders of the same shape (distinct references), enough to prove counts do not grow."""
    for i in range(n):
        Tender.objects.create(
            project=tender.project,
            purchaser=tender.purchaser,
            region=tender.region,
            method=tender.method,
            reference=f"{tender.reference}-C{n}-{i}",
            title=f"{tender.title}{i}",
            description="x",
            budget=tender.budget,
            bid_deadline=tender.bid_deadline,
            status="published",
            published_at=tender.published_at,
            wrapped_key=b"k" * 40,
        )


@pytest.mark.parametrize(
    "url_name", ["procurement:tenders", "tenders:index", "api:procurement-tenders", "api:public-tenders"]
)
def test_lists_use_a_fixed_number_of_queries(world, login, published, django_assert_num_queries, url_name):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client() if url_name.startswith(("tenders:", "api:public")) else login(world.purchaser_a)
    _copies(world, published, 1)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as two_rows:
        assert client.get(reverse(url_name)).status_code == 200
    _copies(world, published, 18)
    with django_assert_num_queries(len(two_rows.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_outsiders_get_404_on_every_detail(world, login, published, providers):
    bid = bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price=CANARY)
    client = login(world.outsider)
    for url in [
        reverse("procurement:tender", args=[published.pk]),
        reverse("procurement:bid_submit", args=[published.pk]),
        reverse("procurement:opening_record", args=[published.pk]),
        reverse("api:procurement-tender", args=[published.pk]),
        reverse("api:procurement-tender-bids", args=[published.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("procurement:bid_withdraw", args=[bid.pk])).status_code == 404
    assert client.post(reverse("api:procurement-bid-withdraw", args=[bid.pk])).status_code == 404
    other = login(world.purchaser_b)
    assert other.get(reverse("procurement:tender", args=[published.pk])).status_code == 404


def test_a_purchaser_drafts_and_publishes_through_the_pages(world, login, project):
    client = login(world.purchaser_a)
    page = client.get(reverse("procurement:tenders"))
    assert reverse("procurement:tender_create", args=[project.pk]).encode() in page.content
    deadline = far_deadline().astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        reverse("procurement:tender_create", args=[project.pk]),
        {
            "title": "t",
            "bid_deadline": deadline,
            "bid_bond": "0",
            "criteria": "价格 | 30 | price\n方案 | 60",
        },
    )
    assert bad.status_code == 400
    response = client.post(
        reverse("procurement:tender_create", args=[project.pk]),
        {
            "title": "居家养老",
            "bid_deadline": deadline,
            "bid_bond": "0",
            "criteria": "价格 | 30 | price\n方案 | 70",
        },
    )
    tender = Tender.objects.get()
    assert response.status_code == 302
    client.post(reverse("procurement:tender_publish", args=[tender.pk]), {"version": tender.version})
    tender.refresh_from_db()
    assert tender.status == "published"
    assert tender.reference.encode() in client.get(reverse("tenders:index")).content


def test_the_api_answers_errors_in_the_project_shape(world, login, project):
    client = login(world.purchaser_a)
    response = client.post(
        reverse("api:procurement-tenders"),
        {
            "project": project.pk,
            "bid_deadline": far_deadline().isoformat(),
            "criteria": [{"name": "价格", "weight": 50, "is_price": True}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}
    assert "criteria" in response.json()["fields"]
    ok = client.post(
        reverse("api:procurement-tenders"),
        {"project": project.pk, "bid_deadline": far_deadline().isoformat(), "criteria": CRITERIA},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == "draft"
    pk = ok.json()["id"]
    published = client.post(
        reverse("api:procurement-tender-publish", args=[pk]),
        {"version": ok.json()["version"]},
        content_type="application/json",
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"


def test_a_provider_bids_through_the_api_and_the_deadline_answers_409(world, login, published, providers):
    client = login(world.provider_a)
    response = client.post(
        reverse("api:procurement-tender-bids", args=[published.pk]),
        {"price": CANARY, "currency": "USD"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "currency" in response.json()["fields"]
    response = client.post(
        reverse("api:procurement-tender-bids", args=[published.pk]),
        {"price": CANARY, "currency": "CNY"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert len(response.json()["receipt_sha256"]) == 64
    assert response.json()["price"] is None
    Tender.objects.filter(pk=published.pk).update(bid_deadline=bids.db_now() - dt.timedelta(seconds=1))
    late = client.post(
        reverse("api:procurement-tender-bids", args=[published.pk]),
        {"price": "1.00", "currency": "CNY"},
        content_type="application/json",
    )
    assert late.status_code == 409
    assert late.json()["code"] == "transition_refused"


@pytest.mark.parametrize("url_name", ["tenders:index", "api:public-tenders"])
def test_the_public_list_filters_by_status_and_refuses_an_unknown_one(world, published, url_name):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse(url_name)
    assert published.reference in client.get(url, {"status": "published"}).content.decode()
    assert published.reference not in client.get(url, {"status": "awarded"}).content.decode()
    refused = client.get(url, {"status": "draft"})
    assert refused.status_code == 400
    assert "Unknown status" in refused.content.decode()
    assert published.reference not in refused.content.decode()
