"""/ocds/releases, /ocds/feed, /ocds/records/<ocid> and their API twins: valid OCDS packages
(checked offline against ../shared/ocds with our extension patched in), stable cursors, clear
4xx for bad input, and query counts that do not grow with rows."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from govbuy.core import publication
from govbuy.disclosure import jsonutil, ocds, schema

from .conftest import OBJ_TYPE


@pytest.fixture
def publish(world, stage_content, moment):
    orgs = [world.purchaser_a_org, world.purchaser_b_org, world.city_finance_org, world.district_finance_a_org]

    def _publish(count: int, stage: str = "tender") -> None:
        for index in range(count):
            with transaction.atomic():
                publication.announce(stage, obj_type=OBJ_TYPE, obj_id=orgs[index % len(orgs)].pk, occurred_at=moment())

    return _publish


def _get(client, url):
    response = client.get(url)
    return response, (jsonutil.loads(response.content) if response.content else None)


@pytest.mark.parametrize("prefix", ["/ocds", "/api/v1/ocds"])
def test_release_pages_follow_links_next_to_every_release_once(client, publish, prefix):
    publish(7)
    seen, url, pages = [], f"{prefix}/releases?page_size=3", 0
    while url:
        response, package = _get(client, url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert schema.errors("release-package", package) == []
        assert package["extensions"] == ocds.extensions()
        assert package["version"] == "1.1"
        seen += [release["id"] for release in package["releases"]]
        url = package.get("links", {}).get("next")
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7


def test_the_api_twin_answers_with_the_same_bytes(client, publish):
    publish(3)
    page = client.get("/ocds/releases?page_size=2").content
    twin = client.get("/api/v1/ocds/releases?page_size=2").content
    assert jsonutil.loads(page)["releases"] == jsonutil.loads(twin)["releases"]


def test_the_feed_always_says_where_to_continue_and_204_when_nothing_is_new(client, publish):
    publish(2)
    response, package = _get(client, "/ocds/feed")
    assert len(package["releases"]) == 2
    follow = package["links"]["next"]
    assert follow.endswith("since=2&page_size=100")
    response = client.get(follow)
    assert response.status_code == 204
    assert 'rel="next"' in response["Link"]
    publish(1)
    response, package = _get(client, follow)
    assert [r["tag"] for r in package["releases"]] == [["tender"]]


def test_cursor_stays_valid_while_releases_are_added(client, publish):
    publish(3)
    _response, first = _get(client, "/ocds/releases?page_size=2")
    publish(3)
    _response, second = _get(client, first["links"]["next"])
    assert len(second["releases"]) == 2  # positions 3 and 4, not shifted by the new ones
    ids = [r["id"] for r in first["releases"] + second["releases"]]
    assert len(set(ids)) == 4


def test_record_package_has_releases_compiled_and_versioned(client, publish, world):
    publish(1, "planning")
    publish(1, "tender")
    ocid = ocds.ocid_for(f"test-{world.purchaser_a_org.pk}")
    response, package = _get(client, f"/ocds/records/{ocid}")
    assert response.status_code == 200
    assert schema.errors("record-package", package) == []
    (record,) = package["records"]
    assert record["ocid"] == ocid
    assert [r["tag"] for r in record["releases"]] == [["planning"], ["tender"]]
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert record["compiledRelease"]["planning"]["budget"]["amount"]["currency"] == "CNY"
    assert record["versionedRelease"]["tender"]["title"][0]["value"] == "居家养老服务"
    assert schema.errors("release", record["compiledRelease"]) == []


@pytest.mark.parametrize("prefix", ["/ocds", "/api/v1/ocds"])
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/releases?cursor=abc", "cursor"),
        ("/releases?cursor=-1", "cursor"),
        ("/releases?cursor=" + "9" * 40, "cursor"),
        ("/releases?page_size=0", "page_size"),
        ("/releases?page_size=501", "page_size"),
        ("/releases?page_size=x", "page_size"),
        ("/feed?since=1.5", "since"),
        ("/feed?since=%00", "since"),
    ],
)
def test_bad_cursors_and_page_sizes_are_a_clear_400(db, client, prefix, path, field):
    response, body = _get(client, prefix + path)
    assert response.status_code == 400
    assert set(body) == {"code", "message", "fields"}
    assert field in body["fields"]


@pytest.mark.parametrize("prefix", ["/ocds", "/api/v1/ocds"])
def test_unknown_ocid_is_404(db, client, prefix):
    response, body = _get(client, f"{prefix}/records/ocds-xxxxxx-nothing")
    assert response.status_code == 404
    assert body["code"] == "not_found"
    assert client.get(f"{prefix}/records/{'x' * 300}").status_code == 404


def test_extension_files_are_served_and_the_policy_page_is_public(db, client):
    extension = client.get("/ocds/extension/extension.json").json()
    assert extension["schemas"] == ["release-schema.json"]
    patch = client.get("/ocds/extension/release-schema.json").json()
    assert "CostLine" in patch["definitions"]
    assert client.get("/ocds/extension/settings.py").status_code == 404
    for language in ("zh-hans", "zh-hant", "en"):
        response = client.get("/ocds/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert "ocds-xxxxxx" in response.content.decode()


def test_ocid_prefix_comes_from_settings(client, publish, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    publish(1)
    _response, package = _get(client, "/ocds/releases")
    assert package["releases"][0]["ocid"].startswith("ocds-abc123-")


@pytest.mark.parametrize("path", ["/ocds/releases?page_size=500", "/ocds/feed?since=0", "/api/v1/ocds/feed"])
def test_release_pages_take_one_query_however_many_rows(client, publish, django_assert_num_queries, path):
    publish(2)
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 200
    publish(18)
    with django_assert_num_queries(1):
        response = client.get(path)
    assert len(jsonutil.loads(response.content)["releases"]) == 20


def test_record_takes_one_query_however_many_releases(client, publish, world, django_assert_num_queries):
    ocid = ocds.ocid_for(f"test-{world.purchaser_a_org.pk}")
    publish(1)
    with django_assert_num_queries(1):
        assert client.get(f"/ocds/records/{ocid}").status_code == 200
    publish(20)
    with django_assert_num_queries(1):
        assert client.get(f"/ocds/records/{ocid}").status_code == 200


def test_openapi_spec_lists_the_open_data_and_search_endpoints(db, client):
    spec = client.get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/ocds/releases", "/api/v1/ocds/feed", "/api/v1/ocds/records/{ocid}", "/api/v1/search/"):
        assert path in spec["paths"], path


def test_package_and_next_page_urls_come_from_the_public_url_not_the_host(settings, client, publish):
    """Behind a proxy the request's host is an internal name; the public URL is the setting."""
    settings.GOVBUY_PUBLIC_URL = "https://govbuy.example.gov.cn"
    settings.ALLOWED_HOSTS = ["internal.local", "testserver"]
    publish(2)
    body = client.get("/ocds/releases?page_size=1", HTTP_HOST="internal.local").json()
    assert body["uri"] == "https://govbuy.example.gov.cn/ocds/releases?page_size=1"
    assert body["links"]["next"].startswith("https://govbuy.example.gov.cn/ocds/releases?")
    assert body["publicationPolicy"].startswith("https://govbuy.example.gov.cn/")
    official = "https://raw.githubusercontent.com/"
    assert all(url.startswith((official, "https://govbuy.example.gov.cn/")) for url in body["extensions"])
    assert "internal.local" not in json.dumps(body)
