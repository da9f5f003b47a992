"""Publishing a catalog version and verifying or suspending a provider update public search in
the same transaction (no reindex needed)."""

from datetime import date, timedelta

import pytest

from govbuy.catalog.models import CatalogItem, CatalogVersion
from govbuy.catalog.services import draft_items as catalog_draft_items
from govbuy.catalog.services import versions as catalog_versions
from govbuy.disclosure.models import SearchDocument


@pytest.fixture
def draft(world):
    version = catalog_versions.create_draft(actor=world.city_finance, region=world.city, title_zh="北京市指导性目录")
    catalog_draft_items.add_item(
        actor=world.city_finance,
        catalog=version,
        version=version.version,
        code="A",
        name_zh="基本公共服务",
        name_en="Basic public services",
    )
    version.refresh_from_db()
    catalog_draft_items.add_item(
        actor=world.city_finance,
        catalog=version,
        version=version.version,
        code="A01",
        parent_code="A",
        name_zh="居家養老服務",
        name_en="Home elderly care",
    )
    version.refresh_from_db()
    return version


def test_publishing_a_catalog_lists_its_items_and_delists_the_replaced_ones(world, draft, client):
    catalog_versions.publish_version(
        actor=world.city_finance, catalog=draft, version=draft.version, effective_from=date(2099, 1, 1)
    )
    item = CatalogItem.objects.get(version=draft, code="A01")
    assert SearchDocument.objects.filter(object_type="catalog.catalogitem", object_id=item.pk).exists()
    assert "居家養老服務" in client.get("/search/", {"q": "养老"}).content.decode()
    second = catalog_versions.create_draft(actor=world.city_finance, region=world.city, title_zh="第二版")
    catalog_versions.publish_version(
        actor=world.city_finance, catalog=second, version=second.version, effective_from=date(2099, 6, 1)
    )
    assert not SearchDocument.objects.filter(object_type="catalog.catalogitem", object_id=item.pk).exists()
    assert CatalogVersion.objects.get(pk=draft.pk).status == "superseded"


def test_verifying_a_provider_updates_search_and_a_suspension_keeps_it_listed(world):
    from govbuy.providers.services import standing as provider_standing
    from tests.builders.procurement import verified_profile

    profile = verified_profile(world)
    key = {"object_type": "providers.providerprofile", "object_id": profile.pk}
    assert SearchDocument.objects.filter(**key).exists()
    provider_standing.suspend_provider(
        actor=world.civil_affairs,
        profile=profile,
        version=profile.version,
        reason="信用惩戒",
        until=date.today() + timedelta(days=30),
    )
    # A suspension is a period, not a state: the provider stays findable, with its restriction shown.
    assert SearchDocument.objects.filter(**key).exists()
