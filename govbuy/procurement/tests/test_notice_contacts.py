"""The public notices print the organisations' addresses and contacts (issue 16): the tender
notice's contacts section the purchaser's name, address, contact person and telephone; the
result notice the winner's address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.organizations import services as org_services
from tests.builders.procurement import awarded_tender

pytestmark = pytest.mark.django_db


def _contacts(world, org, address, person, phone):
    org.refresh_from_db()
    org_services.update_contacts(
        actor=world.platform_admin,
        organisation=org,
        version=org.version,
        address=address,
        postcode="100010",
        contact_person=person,
        phone=phone,
        email="",
    )


def test_the_tender_notice_prints_the_purchasers_contacts(world, published):
    _contacts(world, world.purchaser_a_org, "北京市东城区钱粮胡同3号", "刘建华", "010-6512 3456")
    page = Client().get(reverse("tenders:tender", args=[published.pk])).content.decode()
    contacts = page[page.index('id="section-contacts"') :]
    for text in ("东城区民政局", "北京市东城区钱粮胡同3号", "100010", "刘建华", "010-6512 3456"):
        assert text in contacts


def test_the_result_notice_prints_the_winners_address(world, published, providers):
    _contacts(world, world.provider_a_org, "北京市东城区交道口南大街136号", "何春梅", "010-6400 0001")
    _contacts(world, world.provider_b_org, "北京市朝阳区劲松南路1号", "林海", "010-6700 0002")
    awarded = awarded_tender(world, published)
    winner = awarded.award.provider
    page = Client().get(reverse("tenders:tender", args=[awarded.tender.pk])).content.decode()
    notice = page[page.index('id="award-notice"') :]
    assert winner.address in notice


def test_a_cached_notice_shows_new_contacts_at_once(world, published, settings, django_capture_on_commit_callbacks):
    """The tender notice is kept in the public page cache; a change of contacts moves its
    generation, so no visitor reads the old telephone number after it."""
    from django.core.cache import caches

    from govbuy.core import pagecache

    settings.GOVBUY_PAGE_CACHE_SECONDS = 60
    caches[pagecache.CACHE_ALIAS].clear()
    path = reverse("tenders:tender", args=[published.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _contacts(world, world.purchaser_a_org, "北京市东城区钱粮胡同3号", "刘建华", "010-6512 3456")
    assert "010-6512 3456" in Client().get(path).content.decode()
    assert Client().get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        _contacts(world, world.purchaser_a_org, "北京市东城区钱粮胡同3号", "刘建华", "010-6512 9999")
    page = Client().get(path).content.decode()
    assert "010-6512 9999" in page
    assert "010-6512 3456" not in page
