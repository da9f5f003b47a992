"""Statistics pages, exports and API (issue 15 item 4): the city's bodies see every district side
by side, a district's body its district, audit and supervision read only, everyone else 404; the
public page shows only public figures; bad filters are answered clearly; the query counts do not
grow with the figures; the exports stream."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.oversight.models import StatisticsCell, StatisticsRefresh

pytestmark = pytest.mark.django_db


def _client(user):
    return force_login_verified(Client(), user)


def seed(world, categories=2):
    """Figures as the worker leaves them: contracts in both districts, one staff-only figure."""
    now = timezone.now()
    StatisticsRefresh.objects.create(status="done", created_at=now, started_at=now, finished_at=now)
    rows = []
    for audience in ("staff", "public"):
        for n in range(categories):
            for region, amount in ((world.district_a, "1000.00"), (world.district_b, "3000.00")):
                rows.append(
                    StatisticsCell(
                        measure="contracted",
                        audience=audience,
                        year=2027,
                        region=region,
                        category=f"C{n:02d}",
                        category_name=f"类别{n}",
                        method="public_tender",
                        number=1,
                        amount=Decimal(amount),
                    )
                )
                for key, number in (("tenders", 2), ("bids", 5), ("single", 1)):
                    rows.append(
                        StatisticsCell(
                            measure="competition",
                            key=key,
                            audience=audience,
                            year=2027,
                            region=region,
                            category=f"C{n:02d}",
                            method="public_tender",
                            number=number,
                        )
                    )
    # Approved but not yet published: only oversight bodies see it.
    rows.append(
        StatisticsCell(
            measure="planned",
            audience="staff",
            year=2026,
            region=world.district_a,
            number=1,
            amount=Decimal("777777.00"),
        )
    )
    StatisticsCell.objects.bulk_create(rows + rollups(rows))


def rollups(rows):
    """The worker's three roll-ups of detail cells (services._replace does the same)."""
    sums = {}
    for row in rows:
        for grain, category, method in (
            ("region", "", ""),
            ("category", row.category, ""),
            ("method", "", row.method),
        ):
            key = (grain, row.measure, row.key, row.audience, row.year, row.region_id, category, method)
            name = row.category_name if grain == "category" else ""
            slot = sums.setdefault(key, [name, 0, Decimal(0)])
            slot[0] = slot[0] or name
            slot[1] += row.number
            slot[2] += row.amount
    return [
        StatisticsCell(
            grain=grain,
            measure=measure,
            key=key,
            audience=audience,
            year=year,
            region_id=region,
            category=category,
            category_name=name,
            method=method,
            number=number,
            amount=amount,
        )
        for (grain, measure, key, audience, year, region, category, method), (name, number, amount) in sums.items()
    ]


def test_city_finance_sees_every_district_side_by_side_with_as_of_and_refresh(world):
    seed(world)
    page = _client(world.city_finance).get(reverse("oversight:statistics"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="stat-by-region"' in body
    assert "东城区" in body
    assert "朝阳区" in body
    assert 'id="statistics-refresh"' in body
    assert 'id="statistics-as-of"' in body
    assert "777,777.00" in body
    assert page.context["stats"].total.contracted_amount == Decimal("8000.00")
    assert page.context["stats"].total.bids_per_tender == Decimal("2.50")
    assert page.context["stats"].total.single_bid_rate == Decimal("50.00")


def test_a_district_body_sees_its_district_and_no_other(world):
    seed(world)
    client = _client(world.district_finance_a)
    page = client.get(reverse("oversight:statistics"))
    assert page.status_code == 200
    assert page.context["stats"].total.contracted_amount == Decimal("2000.00")
    assert 'id="stat-by-region"' not in page.content.decode()
    other = client.get(reverse("oversight:statistics"), {"region": "朝阳区"})
    assert other.status_code == 404
    assert "在您可查阅的统计数据中没有“朝阳区”这一地区。" in other.content.decode()


def test_the_region_is_chosen_by_its_chinese_name_kept_in_the_url(world):
    seed(world)
    page = _client(world.city_finance).get(reverse("oversight:statistics"), {"region": "朝阳区", "year": "2027"})
    assert page.status_code == 200
    assert page.context["stats"].total.contracted_amount == Decimal("6000.00")
    assert "region=%E6%9C%9D%E9%98%B3%E5%8C%BA" in page.context["query"]
    assert '<option value="朝阳区" selected>' in page.content.decode()


def test_a_year_without_figures_or_not_a_year_is_answered_clearly(world):
    seed(world)
    client = _client(world.city_finance)
    missing = client.get(reverse("oversight:statistics"), {"year": "2031"})
    assert missing.status_code == 404
    assert "没有2031年度的统计数据。" in missing.content.decode()
    assert client.get(reverse("oversight:statistics"), {"year": "二〇二七"}).status_code == 400


def test_audit_reads_but_cannot_refresh(world):
    seed(world)
    client = _client(world.auditor)
    page = client.get(reverse("oversight:statistics"))
    assert page.status_code == 200
    assert 'id="statistics-refresh"' not in page.content.decode()
    assert client.post(reverse("oversight:statistics_refresh")).status_code == 302
    assert StatisticsRefresh.objects.count() == 1


def test_others_get_404(world):
    seed(world)
    for name in ("purchaser_a", "provider_a", "outsider", "evaluator"):
        client = _client(getattr(world, name))
        assert client.get(reverse("oversight:statistics")).status_code == 404
        assert client.get(reverse("oversight:statistics_export")).status_code == 404
        assert client.get(reverse("api:oversight-statistics")).status_code == 404


def test_the_refresh_button_queues_and_shows_progress(world, django_capture_on_commit_callbacks):
    client = _client(world.city_finance)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("oversight:statistics_refresh"))
    run = StatisticsRefresh.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("oversight:statistics_progress", args=[run.pk])
    progress = client.get(answer["Location"])
    assert progress.status_code == 200
    assert 'id="statistics-refresh-run"' in progress.content.decode()
    assert run.status == "done"


@pytest.mark.parametrize("categories", [2, 20])
def test_page_queries_do_not_grow_with_the_figures(world, categories, django_assert_num_queries):
    seed(world, categories)
    client = _client(world.city_finance)
    client.get(reverse("oversight:statistics"))  # session and scope warmed
    with django_assert_num_queries(12):
        assert client.get(reverse("oversight:statistics")).status_code == 200


@pytest.mark.parametrize("categories", [2, 20])
def test_api_queries_do_not_grow_with_the_figures(world, categories, django_assert_num_queries):
    seed(world, categories)
    client = _client(world.city_finance)
    client.get(reverse("api:oversight-statistics"))
    with django_assert_num_queries(12):
        assert client.get(reverse("api:oversight-statistics")).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("api:oversight-statistics-figures")).status_code == 200


@pytest.mark.parametrize("categories", [2, 20])
def test_public_page_queries_do_not_grow_with_the_figures(world, categories, django_assert_num_queries):
    seed(world, categories)
    with django_assert_num_queries(9):
        assert Client().get(reverse("oversight_public:statistics")).status_code == 200


def test_the_api_answers_figures_and_clear_errors(world):
    seed(world)
    client = _client(world.city_finance)
    data = client.get(reverse("api:oversight-statistics"), {"region": "110101"}).json()
    assert data["region"] == "东城区"
    assert data["total"]["contracted_amount"] == "2000.00"
    assert data["total"]["single_bid_rate"] == "50.00"
    assert {row["label"] for row in data["by_category"]} == {"C00 类别0", "C01 类别1"}
    unknown = client.get(reverse("api:oversight-statistics"), {"region": "火星区"})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_region"
    assert unknown.json()["message"] == "在您可查阅的统计数据中没有“火星区”这一地区。"
    bad = client.get(reverse("api:oversight-statistics"), {"year": "abc"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_year"
    figures = client.get(reverse("api:oversight-statistics-figures")).json()
    assert figures["count"] == StatisticsCell.objects.filter(audience="staff", grain="cell").count()


def test_the_api_refresh_is_for_finance_staff(world):
    assert _client(world.auditor).post(reverse("api:oversight-statistics-refresh")).status_code == 403
    queued = _client(world.city_finance).post(reverse("api:oversight-statistics-refresh"))
    assert queued.status_code == 202
    detail = _client(world.auditor).get(reverse("api:oversight-statistics-refresh-detail", args=[queued.json()["id"]]))
    assert detail.status_code == 200
    assert (
        _client(world.purchaser_a)
        .get(reverse("api:oversight-statistics-refresh-detail", args=[queued.json()["id"]]))
        .status_code
        == 404
    )


def test_the_public_page_and_api_show_only_public_figures(world):
    seed(world)
    page = Client().get(reverse("oversight_public:statistics"))
    assert page.status_code == 200
    assert "777,777.00" not in page.content.decode()
    assert 'id="stat-by-region"' in page.content.decode()
    data = Client().get(reverse("api:public-statistics"), {"year": "2027"}).json()
    assert data["total"]["planned_amount"] == "0.00"
    assert data["total"]["contracted_amount"] == "8000.00"
    assert Client().get(reverse("api:public-statistics"), {"year": "2026"}).status_code == 404


def test_the_export_streams_an_xlsx_of_the_figures_in_reach(world):
    seed(world)
    answer = _client(world.district_finance_a).get(reverse("oversight:statistics_export"))
    assert answer.status_code == 200
    assert answer.streaming
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    detail = StatisticsCell.objects.filter(audience="staff", grain="cell", region=world.district_a)
    assert len(rows) == 1 + detail.count()
    assert {row[1] for row in rows[1:]} == {"东城区"}
    public = Client().get(reverse("oversight_public:statistics_export"))
    assert public.status_code == 200
    assert public.streaming


def test_the_public_page_is_cached_until_a_refresh_publishes_new_figures(
    world, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    from govbuy.core import pagecache
    from govbuy.oversight.statistics import services

    settings.GOVBUY_PAGE_CACHE_SECONDS = 60
    caches[pagecache.CACHE_ALIAS].clear()
    seed(world)
    page, api = reverse("oversight_public:statistics"), reverse("api:public-statistics")
    for url in (page, api):
        assert Client().get(url)["X-Page-Cache"] == "miss"
        assert Client().get(url)["X-Page-Cache"] == "hit"
    # The API answers JSON whatever the client accepts, so one stored answer serves them all.
    browsing = Client().get(api, HTTP_ACCEPT="text/html")
    assert browsing["Content-Type"] == "application/json"
    assert browsing["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_refresh(actor=None)
    for url in (page, api):
        assert Client().get(url)["X-Page-Cache"] == "miss"


def test_the_statistics_endpoints_are_documented(world):
    doc = Client().get(reverse("api:schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/oversight/statistics/",
        "/api/v1/oversight/statistics/figures/",
        "/api/v1/oversight/statistics/refresh/",
        "/api/v1/oversight/statistics/refresh/{id}/",
        "/api/v1/public/statistics/",
    ):
        assert path in doc["paths"], path
    parameters = {p["name"] for p in doc["paths"]["/api/v1/public/statistics/"]["get"]["parameters"]}
    assert {"year", "region"} <= parameters


def test_the_home_page_of_monitoring_bodies_has_the_statistics_line(world):
    seed(world)
    home = _client(world.district_finance_a).get(reverse("core:home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert 'id="home-oversight-statistics"' in body
    assert "2,000.00" in body  # district A's contracts only
    assert "home-oversight-statistics" not in _client(world.purchaser_a).get(reverse("core:home")).content.decode()
