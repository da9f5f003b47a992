"""Public search: Traditional and Simplified find each other, two-character words match inside
longer ones, English works, filters and pages, bad input is a 400, the same on SQLite and
PostgreSQL (this module runs on both), and query counts do not grow with rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from govbuy.core import publication
from govbuy.disclosure.registry import SearchEntry, SearchSource, register_search_source
from govbuy.disclosure.services import reindex_search
from govbuy.disclosure.text import parse_query

THING = "tests.thing"


class Things:
    """A search source over an in-memory table, standing in for the stage apps to come."""

    def __init__(self) -> None:
        self.rows: dict[int, SearchEntry] = {}

    def add(self, pk: int, title_zh: str, title_en: str = "", **fields) -> None:
        defaults = {"kind": "notice", "region_id": 1, "region_label": "东城区", "year": 2026, "status": "active"}
        self.rows[pk] = SearchEntry(
            object_type=THING, object_id=pk, title_zh=title_zh, title_en=title_en, **(defaults | fields)
        )


@pytest.fixture
def things(db):
    from govbuy.disclosure import registry

    table = Things()
    register_search_source(SearchSource(THING, "notice", table.rows.get, lambda: list(table.rows.values())))
    table.add(1, "居家養老服務", "Home care for the elderly", category="A01", method="open")
    table.add(2, "东城区居家养老服务中心运营项目", region_id=2, region_label="朝阳区", year=2025, method="competitive")
    table.add(3, "社区助餐服务", "Community meal service", status="complete", category="A02")
    table.add(4, "政府購買服務指導性目錄", "Guidance catalog", kind="catalog_item", category="A01")
    reindex_search(object_types=[THING])
    yield table
    registry._search_sources.pop(THING, None)


def _titles(client, query: str) -> list[str]:
    response = client.get("/api/v1/search/?" + query)
    assert response.status_code == 200, response.content
    return [r["title_zh"] for r in response.json()["results"]]


def test_two_character_word_finds_longer_words_in_both_scripts(client, things):
    expected = {"居家養老服務", "东城区居家养老服务中心运营项目"}
    assert set(_titles(client, "q=養老")) == expected
    assert set(_titles(client, "q=养老")) == expected
    assert set(_titles(client, "q=居家养老服务")) == expected
    assert set(_titles(client, "q=服务中心")) == {"东城区居家养老服务中心运营项目"}
    assert _titles(client, "q=購買") == ["政府購買服務指導性目錄"]
    assert _titles(client, "q=购买服务") == ["政府購買服務指導性目錄"]
    assert _titles(client, "q=养老 助餐") == []


def test_english_words_match_in_any_case_and_width(client, things):
    assert _titles(client, "q=meal") == ["社区助餐服务"]
    assert _titles(client, "q=MEAL Service") == ["社区助餐服务"]
    assert _titles(client, "q=ｍｅａｌ") == ["社区助餐服务"]
    assert set(_titles(client, "q=elderly")) == {"居家養老服務"}


def test_filters_narrow_the_results(client, things):
    assert set(_titles(client, "q=养老&region=2")) == {"东城区居家养老服务中心运营项目"}
    assert set(_titles(client, "q=养老&year=2026")) == {"居家養老服務"}
    assert _titles(client, "status=complete") == ["社区助餐服务"]
    assert set(_titles(client, "category=A01")) == {"居家養老服務", "政府購買服務指導性目錄"}
    assert _titles(client, "method=competitive") == ["东城区居家养老服务中心运营项目"]
    assert _titles(client, "kind=catalog_item") == ["政府購買服務指導性目錄"]
    assert len(_titles(client, "")) == 4


def test_syntax_of_the_database_cannot_be_injected(client, things):
    for query in ['"养老" OR NEAR(a b)', "养老' | '助餐", "养老 AND NOT *", "col:养老", "养老^ -助餐"]:
        response = client.get("/api/v1/search/", {"q": query})
        assert response.status_code == 200, (query, response.content)


@pytest.mark.parametrize("url", ["/api/v1/search/", "/search/"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "养" * 10_000}, "q"),
        ({"q": "，。！？、；：“”……——.,;:!?-()"}, "q"),
        ({"q": "养老", "page": "abc"}, "page"),
        ({"q": "养老", "page": "0"}, "page"),
        ({"year": "20x6"}, "year"),
        ({"kind": "nothing"}, "kind"),
        ({"region": "-1"}, "region"),
    ],
)
def test_bad_input_is_a_clear_400(client, things, url, params, field):
    response = client.get(url, params)
    assert response.status_code == 400
    if url.startswith("/api/"):
        body = response.json()
        assert body["code"] in ("invalid", "query_too_long", "query_without_words")
        assert field in body["fields"]
    else:
        assert 'id="search-error"' in response.content.decode()


def test_pages_of_twenty_and_a_page_past_the_end_is_404(client, things):
    for pk in range(10, 35):
        things.add(pk, f"养老服务项目{pk}")
    reindex_search(object_types=[THING])
    first = client.get("/api/v1/search/?q=养老").json()
    assert (first["count"], first["pages"], len(first["results"])) == (27, 2, 20)
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 7
    assert not {r["object_id"] for r in first["results"]} & {r["object_id"] for r in second["results"]}
    assert client.get("/api/v1/search/?q=养老&page=3").status_code == 404
    assert client.get("/search/?q=养老&page=3").status_code == 404


def test_search_page_works_without_javascript_in_three_languages(client, things):
    for language, title in (
        ("zh-hans", "居家養老服務"),
        ("zh-hant", "居家養老服務"),
        ("en", "Home care for the elderly"),
    ):
        response = client.get("/search/?q=养老", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        page = response.content.decode()
        assert '<form method="get" action="/search/"' in page
        assert title in page
    assert client.get("/search/").status_code == 200


@pytest.mark.parametrize("url", ["/search/?q=服务", "/api/v1/search/?q=服务", "/search/", "/api/v1/search/"])
def test_search_query_count_does_not_grow_with_rows(client, things, django_assert_num_queries, url):
    # The page's filter lists come from the cache once read (2 queries when it is cold, as here).
    cache.clear()
    with django_assert_num_queries(4 if url.startswith("/search/") else 2):
        assert client.get(url).status_code == 200
    for pk in range(100, 120):
        things.add(pk, f"社区服务{pk}", year=2000 + pk % 20, region_id=pk)
    reindex_search(object_types=[THING])
    cache.clear()
    with django_assert_num_queries(4 if url.startswith("/search/") else 2):
        assert client.get(url).status_code == 200


def test_listed_and_delisted_announcements_keep_the_index_current(client, things):
    things.add(50, "助浴服务")
    with transaction.atomic():
        publication.announce("listed", obj_type=THING, obj_id=50, occurred_at=datetime.now(UTC))
    assert _titles(client, "q=助浴") == ["助浴服务"]
    things.add(50, "上门助浴服务")
    with transaction.atomic():
        publication.announce("listed", obj_type=THING, obj_id=50, occurred_at=datetime.now(UTC))
    assert _titles(client, "q=助浴") == ["上门助浴服务"]
    del things.rows[50]
    with transaction.atomic():
        publication.announce("delisted", obj_type=THING, obj_id=50, occurred_at=datetime.now(UTC))
    assert _titles(client, "q=助浴") == []


def test_query_parser_builds_alternatives_from_words_and_their_parts():
    query = parse_query("服務中心")
    assert query.groups == ((("服务中心",), ("服务", "中心")),)
    assert parse_query("   ") is None


def test_published_catalog_items_are_indexed_by_reindex_search(client, world):
    from govbuy.catalog.models import CatalogItem, CatalogVersion

    version = CatalogVersion.objects.create(
        region=world.city,
        number=1,
        title_zh="2026年指导性目录",
        status="published",
        published_at=datetime(2026, 1, 5, tzinfo=UTC),
        effective_from=date(2026, 1, 1),
    )
    top = CatalogItem.objects.create(version=version, code="A", level=1, name_zh="基本公共服务")
    middle = CatalogItem.objects.create(version=version, code="A01", level=2, parent=top, name_zh="养老服务")
    CatalogItem.objects.create(
        version=version, code="A0101", level=3, parent=middle, name_zh="居家养老服务", name_en="Home care"
    )
    draft = CatalogVersion.objects.create(region=world.district_a, number=1, title_zh="草稿", status="draft")
    CatalogItem.objects.create(version=draft, code="Z", level=1, name_zh="未发布的养老条目")
    call_command("reindex_search", "catalog.catalogitem", stdout=open("/dev/null", "w"))  # noqa: SIM115
    results = client.get("/api/v1/search/?q=養老&kind=catalog_item").json()["results"]
    assert {r["title_zh"]: r["category"] for r in results} == {"养老服务": "A", "居家养老服务": "A"}
    assert {r["year"] for r in results} == {2026}
    assert {r["url"] for r in results} == {"/catalog/110000/1/"}


def test_verified_providers_are_indexed_and_others_are_not(client, world):
    from govbuy.providers.models import ProviderProfile

    def profile(org, state):
        return ProviderProfile.objects.create(
            organisation=org,
            state=state,
            authority_kind="civil_affairs",
            registration_authority="东城区民政局",
            legal_representative="张三",
            legal_representative_key=f"k{org.pk}",
            registered_address="北京市东城区",
            registration_date=date(2020, 1, 1),
            contact_name="李四",
            contact_phone="010-12345678",
            verified_at=datetime(2026, 2, 1, tzinfo=UTC) if state == "verified" else None,
        )

    verified = profile(world.provider_a_org, "verified")
    profile(world.provider_b_org, "registered")
    counts = reindex_search(object_types=["providers.providerprofile", "organizations.organisation"])
    assert counts == {"providers.providerprofile": 1, "organizations.organisation": 0}
    name = world.provider_a_org.name_zh
    results = client.get("/api/v1/search/", {"q": name[-4:], "kind": "provider"}).json()["results"]
    assert [(r["title_zh"], r["url"]) for r in results] == [(name, f"/providers/directory/{verified.pk}/")]
    assert client.get("/api/v1/search/", {"q": world.provider_b_org.name_zh}).json()["count"] == 0
    uscc = client.get("/api/v1/search/", {"q": world.provider_a_org.uscc.lower()}).json()
    assert uscc["count"] == 1


def test_the_filter_lists_are_cached_and_forgotten_when_the_index_changes(
    client, things, django_capture_on_commit_callbacks
):
    cache.clear()
    things.add(7, "助餐服务", year=2031, region_id=7)
    reindex_search(object_types=[THING])
    assert "2031" in client.get("/search/").content.decode()
    things.add(8, "助洁服务", year=2032, region_id=8)
    with django_capture_on_commit_callbacks(execute=True):
        reindex_search(object_types=[THING])
    assert "2032" in client.get("/search/").content.decode()
