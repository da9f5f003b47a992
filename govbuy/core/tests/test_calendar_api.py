"""The calendar API: public reads, city-finance writes, the working-day calculator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from govbuy.audit.models import AuditEvent
from govbuy.core.models import CalendarDay, CalendarYear

API = "/api/v1/calendar"


@pytest.fixture
def seeded(db):
    call_command("load_holidays")


def version_of(year: int) -> int:
    row = CalendarYear.objects.filter(year=year).first()
    return row.version if row else 0


# --- reads -----------------------------------------------------------------------------------------


def test_years_list_is_public(client, seeded):
    response = client.get(f"{API}/years/")
    assert response.status_code == 200
    rows = {row["year"]: row for row in response.json()["results"]}
    assert rows[2026]["status"] == "official"
    assert rows[2026]["workday_count"] == 6
    assert rows[2026]["holiday_count"] == 33
    assert rows[2027]["status"] == "provisional"
    assert rows[2027]["workday_count"] == 0


def test_year_detail_with_warning(client, seeded):
    body = client.get(f"{API}/years/2027/").json()
    assert body["status"] == "provisional"
    assert body["warning"]
    assert len(body["days"]) == 13
    body = client.get(f"{API}/years/2030/").json()
    assert body["status"] == "missing"
    assert body["version"] == 0
    assert body["warning"]
    assert body["days"] == []
    body = client.get(f"{API}/years/2026/").json()
    assert body["status"] == "official"
    assert body["warning"] is None
    assert client.get(f"{API}/years/1800/").status_code == 404


def test_days_list_filters_by_year(client, seeded):
    body = client.get(f"{API}/days/", {"year": 2026, "page_size": 200}).json()
    assert body["count"] == 39
    dates = [row["date"] for row in body["results"]]
    assert dates == sorted(dates)
    assert "2026-02-14" in dates
    assert client.get(f"{API}/days/", {"year": "abc"}).json()["code"] == "invalid"
    assert client.get(f"{API}/days/2026-02-14/").json()["kind"] == "workday"
    assert client.get(f"{API}/days/2026-03-10/").status_code == 404


@pytest.mark.parametrize("path", ["/years/", "/days/?year=2026"])
def test_list_query_counts_do_not_grow(client, db, django_assert_num_queries, path):
    def make(n: int) -> None:
        CalendarDay.objects.all().delete()
        CalendarYear.objects.all().delete()
        CalendarYear.objects.bulk_create([CalendarYear(year=2026 + i, status="official") for i in range(n)])
        start = date(2026, 1, 5)
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=start + timedelta(days=7 * i), kind="holiday") for i in range(n)]
        )

    make(2)
    with django_assert_num_queries(2):  # count and page
        first = client.get(f"{API}{path}")
    make(20)
    with django_assert_num_queries(2):
        second = client.get(f"{API}{path}")
    assert len(first.json()["results"]) == 2
    assert len(second.json()["results"]) == 20


# --- the calculator --------------------------------------------------------------------------------


def test_calculator_over_spring_festival(client, seeded):
    body = client.get(f"{API}/add-working-days/", {"start": "2026-02-13", "days": 5}).json()
    assert body["result"] == "2026-02-27"
    assert body["result_weekday"] == 5
    assert body["deadline_at"].startswith("2026-02-27T23:59:59")
    assert body["deadline_at"].endswith("+08:00")
    assert body["uncertain_years"] == []
    assert body["warning"] is None


def test_calculator_edge_counts(client, seeded):
    assert client.get(f"{API}/add-working-days/", {"start": "2026-02-17", "days": 0}).json()["result"] == "2026-02-17"
    back = client.get(f"{API}/add-working-days/", {"start": "2026-02-24", "days": -1}).json()
    assert back["result"] == "2026-02-14"
    assert back["deadline_at"] is None
    late = client.get(f"{API}/add-working-days/", {"start": "2027-12-28", "days": 10}).json()
    assert late["uncertain_years"] == [2027, 2028]
    assert late["warning"]
    bad = client.get(f"{API}/add-working-days/", {"start": "2026-02-30", "days": 1})
    assert bad.status_code == 400
    assert "start" in bad.json()["fields"]
    assert client.get(f"{API}/add-working-days/", {"start": "2026-02-13", "days": 100000}).status_code == 400


# --- writes ----------------------------------------------------------------------------------------


def test_anonymous_writes_are_401(client, seeded):
    response = client.post(f"{API}/days/", {"date": "2026-03-10", "kind": "holiday", "year_version": 1})
    assert response.status_code == 401
    assert client.delete(f"{API}/days/2026-02-14/?year_version=1").status_code == 401
    assert client.post(f"{API}/years/2027/status/", {"status": "official", "version": 1}).status_code == 401


@pytest.mark.parametrize("persona", ["district_finance_a", "purchaser_a", "outsider", "platform_admin"])
def test_other_users_writes_are_403(world, login, seeded, persona):
    client = login(getattr(world, persona))
    v = version_of(2026)
    response = client.post(
        f"{API}/days/", {"date": "2026-03-10", "kind": "holiday", "year_version": v}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.delete(f"{API}/days/2026-02-14/?year_version={v}").status_code == 403
    status_body = {"status": "official", "version": version_of(2027)}
    response = client.post(f"{API}/years/2027/status/", status_body, content_type="application/json")
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date=date(2026, 3, 10)).exists()
    assert CalendarDay.objects.filter(date=date(2026, 2, 14)).exists()
    assert not AuditEvent.objects.exclude(actor_id=None).exists()


def test_city_finance_writes_through_the_api(world, login, seeded):
    client = login(world.city_finance)
    v = version_of(2026)
    response = client.post(
        f"{API}/days/",
        {"date": "2026-03-10", "kind": "holiday", "name_zh": "测试", "year_version": v},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "holiday"
    response = client.post(
        f"{API}/days/",
        {"date": "2026-03-10", "kind": "holiday", "name_zh": "测试二", "year_version": v + 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.delete(f"{API}/days/2026-03-10/?year_version={v + 2}").status_code == 204
    assert not CalendarDay.objects.filter(date=date(2026, 3, 10)).exists()
    response = client.post(
        f"{API}/years/2027/status/",
        {"status": "official", "source": "通知", "version": version_of(2027)},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "official"
    actions = list(AuditEvent.objects.filter(actor_id=world.city_finance.pk).values_list("action", flat=True))
    assert actions == [
        "core.calendar_day.added",
        "core.calendar_day.changed",
        "core.calendar_day.removed",
        "core.calendar_year.marked",
    ]


def test_api_conflicts_and_validation(world, login, seeded):
    client = login(world.city_finance)
    stale = version_of(2026) - 1
    response = client.post(
        f"{API}/days/",
        {"date": "2026-03-10", "kind": "holiday", "year_version": stale},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert client.delete(f"{API}/days/2026-02-14/?year_version={stale}").status_code == 409
    assert client.delete(f"{API}/days/2026-02-14/").status_code == 400
    response = client.post(
        f"{API}/days/",
        {"date": "2026-03-10", "kind": "workday", "year_version": version_of(2026)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]
    response = client.post(
        f"{API}/days/",
        {"date": "2026-03-10", "kind": "holiday", "year_version": version_of(2026), "version": 3},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "version" in response.json()["fields"]


def test_schema_documents_the_calendar_endpoints(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/calendar/years/",
        "/api/v1/calendar/years/{year}/",
        "/api/v1/calendar/years/{year}/status/",
        "/api/v1/calendar/days/",
        "/api/v1/calendar/days/{day}/",
        "/api/v1/calendar/add-working-days/",
    ):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/api/v1/calendar/days/"])
    assert {"get", "delete"} <= set(paths["/api/v1/calendar/days/{day}/"])
