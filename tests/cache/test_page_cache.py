"""The shared page cache of public pages (govbuy.core.pagecache, issue 17): served to anonymous
visitors only, never stale after a public change, never replaying a CSP nonce or a CSRF token,
with ETag/Last-Modified and 304 answers."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.catalog.services import negative_list, versions
from govbuy.catalog.tests.conftest import small_draft
from govbuy.core import pagecache
from govbuy.disclosure import services as disclosure_services
from govbuy.disclosure.models import Release
from govbuy.planning.models import Project
from govbuy.portal import services as feedback_services
from govbuy.portal.models import Feedback
from tests.builders.procurement import published_tender

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.GOVBUY_PAGE_CACHE_SECONDS = 60
    caches[pagecache.CACHE_ALIAS].clear()


def get(path: str, client: Client | None = None, **headers):
    return (client or Client()).get(path, **headers)


def text(response) -> str:
    return response.content.decode()


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_cacheable_view_name_exists():
    assert _names(get_resolver()) >= pagecache.CACHEABLE_VIEWS


# --- Hits, misses, per-visitor parts -----------------------------------------------------------------


def test_the_second_anonymous_visit_is_a_hit_with_the_same_page(planned):
    first = get(f"/projects/{planned.pk}/")
    second = get(f"/projects/{planned.pk}/")
    assert (first.status_code, first["X-Page-Cache"]) == (200, "miss")
    assert (second.status_code, second["X-Page-Cache"]) == (200, "hit")
    blank = lambda body: CSRF.sub("", NONCE.sub("", body))  # noqa: E731
    assert blank(text(first)) == blank(text(second))
    assert planned.title in text(second)


def test_a_cached_page_never_replays_the_nonce_and_each_csp_header_names_its_own(planned):
    pages = [get(f"/projects/{planned.pk}/") for _ in range(3)]
    nonces = [NONCE.search(text(page)).group(1) for page in pages]
    assert len(set(nonces)) == 3
    for page, nonce in zip(pages, nonces, strict=True):
        assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
        assert set(NONCE.findall(text(page))) == {nonce}


def test_each_visitor_gets_a_csrf_token_of_their_own_cookie_and_the_form_works(planned):
    get(f"/projects/{planned.pk}/")  # stored
    visitor = Client(enforce_csrf_checks=True)
    page = get(f"/projects/{planned.pk}/", visitor)
    assert page["X-Page-Cache"] == "hit"
    token = CSRF.search(text(page)).group(1)
    assert visitor.cookies["csrftoken"].value
    sent = visitor.post(
        f"/projects/{planned.pk}/feedback/",
        {"name": "王女士", "contact": "13800138000", "message": "缓存页面上的表单。", "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302
    assert Feedback.objects.filter(message="缓存页面上的表单。").exists()


def test_a_signed_in_visitor_is_never_served_nor_stored(world, planned):
    staff = force_login_verified(Client(), world.purchaser_a)
    signed_in = staff.get(f"/projects/{planned.pk}/")
    assert "X-Page-Cache" not in signed_in
    assert "no-store" in signed_in["Cache-Control"]
    assert get(f"/projects/{planned.pk}/")["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in staff.get(f"/projects/{planned.pk}/")


def test_a_head_request_is_answered_from_a_stored_get_and_stores_nothing(planned):
    path = f"/projects/{planned.pk}/"
    assert Client().head(path).get("X-Page-Cache") is None  # rendered, not stored
    assert Client().head(path).get("X-Page-Cache") is None  # so still nothing to serve
    assert get(path)["X-Page-Cache"] == "miss"
    head = Client().head(path)
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""


def test_languages_are_kept_apart(planned):
    chinese = get(f"/projects/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = get(f"/projects/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert chinese["Content-Language"] != english["Content-Language"]
    assert get(f"/projects/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_errors_are_not_stored():
    assert get("/projects/999999/").status_code == 404
    assert "X-Page-Cache" not in get("/projects/999999/")


def test_with_the_cache_turned_off_nothing_is_stored(settings, planned):
    settings.GOVBUY_PAGE_CACHE_SECONDS = 0
    get(f"/projects/{planned.pk}/")
    assert "X-Page-Cache" not in get(f"/projects/{planned.pk}/")


# --- Validators and Cache-Control ---------------------------------------------------------------------


def test_if_none_match_and_if_modified_since_answer_304(planned):
    first = get(f"/projects/{planned.pk}/")
    assert first["ETag"].startswith('W/"')
    assert first["Last-Modified"]
    again = get(f"/projects/{planned.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    since = get(f"/projects/{planned.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert get(f"/projects/{planned.pk}/", HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_pages_with_a_nonce_or_token_are_private_and_open_data_is_public(planned, settings):
    settings.GOVBUY_PUBLIC_MAX_AGE = 120
    page = get(f"/projects/{planned.pk}/")
    assert page["Cache-Control"] == "private, no-cache"
    releases = get("/ocds/releases")
    assert releases.status_code == 200
    assert releases["Cache-Control"] == "public, max-age=120"
    assert get("/ocds/releases")["Cache-Control"] == "public, max-age=120"


# --- No stale page after a public change: one test per writer -------------------------------------------


def test_no_stale_page_after_a_release_is_published(world, planned, providers, django_capture_on_commit_callbacks):
    before = Release.objects.count()
    listing = text(get("/ocds/releases"))
    assert get("/ocds/releases")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        tender = published_tender(world, planned)
    assert Release.objects.count() > before
    fresh = get("/ocds/releases")
    assert fresh["X-Page-Cache"] == "miss"
    assert text(fresh) != listing
    assert Release.objects.filter(object_id=tender.pk).first().release_id in text(fresh)


def test_no_stale_page_after_the_search_index_changes(planned, django_capture_on_commit_callbacks):
    query = "/search/?q=" + "健康管理新名称"
    # The words stand once in the search box; a result adds them again.
    assert text(get(query)).count("健康管理新名称") == 1
    assert get(query)["X-Page-Cache"] == "hit"
    Project.objects.filter(pk=planned.pk).update(title="健康管理新名称")
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_services.index_object(obj_type="planning.project", obj_id=planned.pk)
    fresh = get(query)
    assert fresh["X-Page-Cache"] == "miss"
    assert text(fresh).count("健康管理新名称") > 1


def test_no_stale_page_after_a_rebuild_of_the_search_index(planned, django_capture_on_commit_callbacks):
    query = "/search/?q=" + "重建后的名称"
    assert text(get(query)).count("重建后的名称") == 1
    Project.objects.filter(pk=planned.pk).update(title="重建后的名称")
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_services.reindex_search()
    assert text(get(query)).count("重建后的名称") > 1


def test_no_stale_page_after_feedback_is_moderated(world, planned, django_capture_on_commit_callbacks):
    Client().post(
        f"/projects/{planned.pk}/feedback/",
        {"name": "王女士", "contact": "13800138000", "message": "希望增加周末上门服务。"},
    )
    feedback = Feedback.objects.get()
    path = f"/projects/{planned.pk}/"
    assert "希望增加周末上门服务。" not in text(get(path))
    assert get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_services.reply_to_feedback(
            actor=world.purchaser_a, feedback=feedback, version=feedback.version, reply="已纳入明年计划。"
        )
        feedback = feedback_services.publish_feedback(
            actor=world.purchaser_a, feedback=feedback, version=feedback.version
        )
    published = text(get(path))
    assert "希望增加周末上门服务。" in published
    assert "已纳入明年计划。" in published
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.reject_feedback(
            actor=world.purchaser_a, feedback=feedback, version=feedback.version, reason="重复"
        )
    assert "希望增加周末上门服务。" not in text(get(path))


def test_no_stale_page_after_a_catalog_is_published(world, django_capture_on_commit_callbacks):
    first = small_draft(world.city, actor=world.city_finance, title="第一版目录")
    versions.publish_version(
        actor=world.city_finance, catalog=first, version=first.version, effective_from=timezone.localdate()
    )
    path = f"/catalog/{world.city.code}/versions/"
    assert "第二版目录" not in text(get(path))
    assert get(path)["X-Page-Cache"] == "hit"
    second = small_draft(world.city, actor=world.city_finance, title="第二版目录")
    with django_capture_on_commit_callbacks(execute=True):
        versions.publish_version(
            actor=world.city_finance, catalog=second, version=second.version, effective_from=timezone.localdate()
        )
    assert "第二版目录" in text(get(path))


def test_no_stale_page_after_the_negative_list_changes(world, django_capture_on_commit_callbacks):
    path = "/catalog/negative-list/"
    assert "代缴社会保险费" not in text(get(path))
    with django_capture_on_commit_callbacks(execute=True):
        negative_list.add_matter(
            actor=world.city_finance, code="N99", name_zh="代缴社会保险费", legal_basis_zh="测试依据"
        )
    assert "代缴社会保险费" in text(get(path))


def test_a_rolled_back_change_moves_no_generation(world, planned, django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pagecache.bump()
    assert callbacks  # waits for the commit
    assert pagecache.generation() == before


def test_a_committed_change_moves_the_generation(planned, django_capture_on_commit_callbacks):
    path = f"/projects/{planned.pk}/"
    get(path)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump()
    assert pagecache.generation() > before
    assert get(path)["X-Page-Cache"] == "miss"


def test_a_page_rendered_before_a_change_committed_is_never_served_after_it(
    planned, django_capture_on_commit_callbacks, monkeypatch
):
    """The race the generation stamp closes: a page read from the old rows, stored after the
    change committed, carries the old generation and is rendered again instead of served."""
    path = f"/projects/{planned.pk}/"
    real_store = pagecache.PublicPageCacheMiddleware._store

    def store_after_a_change(self, request, response, pending):
        with django_capture_on_commit_callbacks(execute=True):
            pagecache.bump()  # commits while the page is on its way to the cache
        return real_store(self, request, response, pending)

    monkeypatch.setattr(pagecache.PublicPageCacheMiddleware, "_store", store_after_a_change)
    assert get(path)["X-Page-Cache"] == "miss"
    monkeypatch.setattr(pagecache.PublicPageCacheMiddleware, "_store", real_store)
    assert get(path)["X-Page-Cache"] == "miss"  # the stored one is of the old generation
    assert get(path)["X-Page-Cache"] == "hit"


# --- The shared cache down ----------------------------------------------------------------------------


def test_with_the_shared_cache_down_public_pages_and_limits_still_answer(settings, planned):
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = {"default": unreachable, "pages": unreachable}
    page = get(f"/projects/{planned.pk}/")
    assert page.status_code == 200
    assert "X-Page-Cache" not in page
    assert get("/search/?q=养老").status_code == 200  # rate-limited kind: counted nowhere, not refused
