"""Pages and API: public reading in three languages, the permission matrix (others get 404),
query counts that do not grow with rows, and the home sections."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from govbuy.catalog.models import CatalogVersion, Filing
from govbuy.catalog.services import draft_items, filings, versions
from govbuy.catalog.tests.conftest import small_draft

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("zh-hans", "基本养老服务", "基本養老服務"),
        ("zh-hant", "基本養老服務", "基本养老服务"),
        ("en", "Basic elderly care services", None),
    ],
)
def test_public_catalog_in_three_languages(client, demo_catalog, language, expected, absent):
    response = client.get(reverse("catalog:region", args=["110000"]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert expected in page
    if absent:
        assert absent not in page
    assert "2014-11-07" in page


def test_search_in_traditional_and_english(client, demo_catalog):
    url = reverse("catalog:region", args=["110000"])
    found = client.get(url, {"q": "養老"})
    assert found.context["matches"] == 1
    assert [n.item.code for n in found.context["roots"]] == ["A"]
    assert client.get(url, {"q": "legal"}).context["matches"] == 2  # B04 Legal aid, F01 Legal services
    assert client.get(url, {"q": "F0"}).context["matches"] == 9


def test_public_pages_need_no_login(client, demo_catalog):
    for url in [
        reverse("catalog:index"),
        reverse("catalog:region", args=["110101"]),
        reverse("catalog:region", args=["110105"]),  # follows the city
        reverse("catalog:history", args=["110000"]),
        reverse("catalog:version", args=["110000", 1]),
        reverse("catalog:diff", args=["110101", 1]),
        reverse("catalog:item", args=["110000", 1, "A05"]),
        reverse("catalog:negative_list"),
        "/api/v1/catalog/versions/",
        f"/api/v1/catalog/versions/{demo_catalog['city'].pk}/items/",
        f"/api/v1/catalog/versions/{demo_catalog['district'].pk}/diff/",
        "/api/v1/catalog/negative-list/",
    ]:
        assert client.get(url).status_code == 200, url
    follows = client.get(reverse("catalog:region", args=["110105"]))
    assert follows.context["follows_city"] is True


def test_drafts_and_filings_are_hidden_from_others(world, login, client, demo_catalog):
    city_draft = small_draft(world.city, world.city_finance)
    district_draft = small_draft(world.district_a, world.district_finance_a)
    filing = Filing.objects.get()
    draft_urls = {
        "city": [
            reverse("catalog:version", args=["110000", city_draft.number]),
            f"/api/v1/catalog/versions/{city_draft.pk}/",
        ],
        "district": [
            reverse("catalog:version", args=["110101", district_draft.number]),
            f"/api/v1/catalog/versions/{district_draft.pk}/",
            f"/api/v1/catalog/items/{district_draft.items.first().pk}/",
        ],
        "filing": [reverse("catalog:filing", args=[filing.pk]), f"/api/v1/catalog/filings/{filing.pk}/"],
    }
    allowed = {
        "city_finance": {"city", "filing"},
        "district_finance_a": {"district", "filing"},
        "district_finance_b": set(),
        "staffing": {"city"},
        "purchaser_a": set(),
        "supervisor": set(),
        "outsider": set(),
        "provider_a": set(),
    }
    for persona, sees in allowed.items():
        signed_in = login(getattr(world, persona))
        for what, urls in draft_urls.items():
            for url in urls:
                expected = 200 if what in sees else 404
                assert signed_in.get(url).status_code == expected, (persona, url)
        signed_in.logout()
    # Anonymous: a draft is not among the public versions (404); the filing is the staff's, so its
    # page sends to the sign-in and its endpoint answers 401. Nothing is shown.
    anonymous = {reverse("catalog:filing", args=[filing.pk]): 302, f"/api/v1/catalog/filings/{filing.pk}/": 401}
    for urls in draft_urls.values():
        for url in urls:
            assert client.get(url).status_code == anonymous.get(url, 404), url


def test_workspace_and_staff_pages_404_for_others(world, login, demo_catalog):
    for persona in ("purchaser_a", "outsider", "provider_a"):
        signed_in = login(getattr(world, persona))
        for url in [reverse("catalog:manage"), reverse("catalog:filings"), reverse("catalog:import")]:
            assert signed_in.get(url).status_code == 404, (persona, url)
        signed_in.logout()
    assert login(world.staffing).get(reverse("catalog:import")).status_code == 404
    assert login(world.district_finance_a).get(reverse("catalog:matter_edit", args=[1])).status_code == 404


def test_staffing_comments_on_the_city_draft_through_the_page(world, login, events):
    draft = small_draft(world.city, world.city_finance)
    staffing = login(world.staffing)
    url = reverse("catalog:comment", args=["110000", draft.number])
    assert staffing.post(url, {"body": "请注意编制衔接。", "item_code": "A01"}).status_code == 302
    page = login(world.city_finance).get(reverse("catalog:version", args=["110000", draft.number]))
    assert "请注意编制衔接。" in page.content.decode()
    assert events("catalog.comment.added")[0].organisation_id == world.staffing_org.pk
    home = login(world.staffing).get("/workspace/")
    assert "catalog-drafts-comment" in [s["id"] for s in home.context["sections"]]


def test_two_editors_of_one_draft_the_second_gets_409(world, login):
    draft = small_draft(world.city, world.city_finance)
    item = draft.items.get(code="A01")
    api = login(world.city_finance)
    first = api.patch(
        f"/api/v1/catalog/items/{item.pk}/",
        {"version": draft.version, "name_zh": "甲改"},
        content_type="application/json",
    )
    second = api.patch(
        f"/api/v1/catalog/items/{item.pk}/",
        {"version": draft.version, "name_zh": "乙改"},
        content_type="application/json",
    )
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json()["code"] == "conflict"
    item.refresh_from_db()
    assert item.name_zh == "甲改"
    stale_form = api.post(
        reverse("catalog:item_edit", args=["110000", draft.number, "A01"]),
        {"version": draft.version, "name_zh": "丙改"},
    )
    assert stale_form.status_code == 400
    item.refresh_from_db()
    assert item.name_zh == "甲改"


def test_api_write_flow_for_a_district(world, login):
    api = login(world.district_finance_a)
    created = api.post(
        "/api/v1/catalog/versions/",
        {"region": "110101", "title_zh": "东城区目录", "empty": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk, version = created.json()["id"], created.json()["version"]
    added = api.post(
        f"/api/v1/catalog/versions/{pk}/items/",
        {"version": version, "code": "A", "name_zh": "社区服务", "is_priority": True},
        content_type="application/json",
    )
    assert added.status_code == 201
    refused = api.post(
        f"/api/v1/catalog/versions/{pk}/items/",
        {"version": version + 1, "code": "B", "name_zh": "劳务派遣"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "negative_list"
    status_slip = api.post(
        f"/api/v1/catalog/versions/{pk}/items/",
        {"version": version + 1, "code": "C", "name_zh": "x", "status": "published"},
        content_type="application/json",
    )
    assert status_slip.status_code == 400
    published = api.post(
        f"/api/v1/catalog/versions/{pk}/publish/",
        {"version": version + 1, "effective_from": str(TODAY)},
        content_type="application/json",
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    filed = api.post(f"/api/v1/catalog/versions/{pk}/filings/", {"note": "备案"}, content_type="application/json")
    assert filed.status_code == 201
    other = login(world.district_finance_b)
    assert other.get(f"/api/v1/catalog/filings/{filed.json()['id']}/").status_code == 404
    assert other.get("/api/v1/catalog/filings/").json()["count"] == 0
    city = login(world.city_finance)
    decided = city.post(
        f"/api/v1/catalog/filings/{filed.json()['id']}/acknowledge/", {"version": 1}, content_type="application/json"
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "acknowledged"


def test_purchasable_endpoint(client, world, demo_catalog):
    item = demo_catalog["district"].items.get(code="A05-DC01")
    inside = client.get("/api/v1/catalog/purchasable/", {"item": item.pk, "region": "110101"}).json()
    outside = client.get("/api/v1/catalog/purchasable/", {"item": item.pk, "region": "110105"}).json()
    assert (inside["allowed"], outside["allowed"], outside["needs_approval"]) == (True, False, True)
    assert (
        client.get(
            "/api/v1/catalog/purchasable/", {"item": item.pk, "region": "110105", "date": "2026-13-40"}
        ).status_code
        == 400
    )


def test_home_sections(world, login, demo_catalog):
    city = login(world.city_finance).get("/workspace/")
    waiting = next(s for s in city.context["sections"] if s["id"] == "catalog-filings-waiting")
    assert len(waiting["items"]) == 1
    filing = Filing.objects.get()
    filings.return_filing(actor=world.city_finance, filing=filing, version=filing.version, comment="请补充依据。")
    district = login(world.district_finance_a).get("/workspace/")
    returned = next(s for s in district.context["sections"] if s["id"] == "catalog-filings-returned")
    assert returned["items"][0]["note"] == "请补充依据。"


def _more_versions(world, n):
    for i in range(n):
        draft = versions.create_draft(actor=None, region=world.district_b, title_zh=f"朝阳目录{i}", empty=True)
        draft_items.add_item(actor=None, catalog=draft, version=draft.version, code="A", name_zh="甲")
        draft.refresh_from_db()
        published = versions.publish_version(actor=None, catalog=draft, version=draft.version, effective_from=TODAY)
        filings.submit_filing(actor=None, catalog=published)


@pytest.mark.parametrize(
    ("persona", "url", "queries"),
    [
        (None, "/catalog/", 2),
        (None, "/catalog/110105/versions/", 2),
        (None, "/api/v1/catalog/versions/", 2),
        (None, "/catalog/negative-list/", 1),
        ("city_finance", "/catalog/filings/", 4),
        ("city_finance", "/catalog/manage/", 5),
        ("city_finance", "/api/v1/catalog/filings/", 5),
    ],
)
def test_list_query_counts_do_not_grow(world, login, client, django_assert_num_queries, persona, url, queries):
    http = login(getattr(world, persona)) if persona else client
    _more_versions(world, 2)
    http.get(url)
    with django_assert_num_queries(queries):
        assert http.get(url).status_code == 200
    _more_versions(world, 10)
    with django_assert_num_queries(queries):
        assert http.get(url).status_code == 200


def test_tree_page_query_count_does_not_grow_with_items(client, world, django_assert_num_queries):
    draft = small_draft(world.city)
    versions.publish_version(actor=None, catalog=draft, version=draft.version, effective_from=TODAY)
    url = reverse("catalog:region", args=["110000"])
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)
    CatalogVersion.objects.filter(pk=draft.pk).update(status="draft")  # allow adding items directly below
    for i in range(30):
        draft.items.create(code=f"X{i}", level=1, position=100 + i, name_zh=f"项{i}")
    CatalogVersion.objects.filter(pk=draft.pk).update(status="published")
    with django_assert_num_queries(4):
        assert len(client.get(url).context["roots"]) == 31
