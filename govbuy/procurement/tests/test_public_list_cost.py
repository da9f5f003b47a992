"""The public tender list's cost (issue 17, the uncached path): its filter lists come from the
cache under the page cache's generation, so a list page costs its count and its page, and a
public change shows in the lists at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from govbuy.procurement.services import tenders
from tests.builders.procurement import draft_tender

pytestmark = pytest.mark.django_db
PURCHASER_SELECT = re.compile(r'<select name="purchaser"[^>]*>(.*?)</select>', re.S)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _purchaser_options(response) -> str:
    return PURCHASER_SELECT.search(response.content.decode()).group(1)


def test_the_list_costs_its_count_and_its_page_once_the_filter_lists_are_cached(published, django_assert_num_queries):
    client = Client()
    url = reverse("tenders:index")
    # Cold: regions, methods and purchasers for the filters, then the count and the page.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    # A filter value sent is checked against the database: one query more.
    with django_assert_num_queries(3):
        assert client.get(url, {"purchaser": published.purchaser_id}).status_code == 200


def test_a_purchasers_first_notice_puts_it_in_the_filter_list_at_once(
    world, approved, django_capture_on_commit_callbacks
):
    client = Client()
    url = reverse("tenders:index")
    name = world.purchaser_a_org.name_zh
    assert name not in _purchaser_options(client.get(url))
    tender = draft_tender(world, approved)
    with django_capture_on_commit_callbacks(execute=True):
        tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)
    options = _purchaser_options(client.get(url))
    assert f'<option value="{world.purchaser_a_org.pk}">{name}</option>' in options


def test_the_filters_still_narrow_the_list(world, published):
    client = Client()
    url = reverse("tenders:index")
    assert published.reference in client.get(url, {"method": published.method.code}).content.decode()
    other = "competitive_negotiation" if published.method.code != "competitive_negotiation" else "public_tender"
    assert published.reference not in client.get(url, {"method": other}).content.decode()
    assert published.reference in client.get(url, {"purchaser": published.purchaser_id}).content.decode()
    chosen = _purchaser_options(client.get(url, {"purchaser": published.purchaser_id}))
    assert f'<option value="{published.purchaser_id}" selected>' in chosen
