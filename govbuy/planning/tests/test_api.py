"""The API offers what the pages do: budgets, projects and every transition, the to-do lists, the
plans (public) and the threshold. Errors in the project's shape; stale versions 409."""

from __future__ import annotations

import pytest

from govbuy.planning.models import Project
from govbuy.planning.services import annual_plans, budget_lines
from tests.builders.planning import COSTS, TARGETS, YEAR

API_COSTS = [{("cost_category" if k == "category" else k): v for k, v in c.items()} for c in COSTS]


def body(world, catalog, line, **overrides):
    data = {
        "purchaser": world.purchaser_a_org.pk,
        "budget_line": line.pk,
        "title": "居家养老上门服务",
        "catalog_item": catalog["A05-01"].pk,
        "service_description": "上门服务",
        "beneficiaries": "高龄老人",
        "period_start": f"{YEAR}-01-01",
        "period_end": f"{YEAR}-12-31",
        "suggested_method": "public_tender",
        "cost_lines": API_COSTS,
        "targets": TARGETS,
    }
    data.update(overrides)
    return data


def test_project_lifecycle_over_the_api(world, login, catalog, line, inhouse, announcements):
    client = login(world.purchaser_a)
    conversion = {"source_line": inhouse.pk, "amount": "50000.00", "former_service": "原入户探访"}
    response = client.post(
        "/api/v1/planning/projects/", body(world, catalog, line, conversion=conversion), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    project = response.json()
    assert project["estimate"] == "120000.00"
    assert project["transfer"]["amount"] == "50000.00"
    assert len(project["cost_lines"]) == 2
    pk = project["id"]

    stale = client.patch(
        f"/api/v1/planning/projects/{pk}/", {"version": 99, "title": "x"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    changed = client.patch(
        f"/api/v1/planning/projects/{pk}/",
        {"version": project["version"], "title": "改名"},
        content_type="application/json",
    ).json()
    assert changed["title"] == "改名"
    submitted = client.post(
        f"/api/v1/planning/projects/{pk}/submit/", {"version": changed["version"]}, content_type="application/json"
    ).json()
    assert submitted["status"] == "submitted"

    finance = login(world.district_finance_a)
    todo = finance.get("/api/v1/planning/todo/").json()
    assert [p["id"] for p in todo["finance"]] == [pk]
    started = finance.post(
        f"/api/v1/planning/projects/{pk}/start-review/",
        {"version": submitted["version"]},
        content_type="application/json",
    ).json()
    refused = finance.post(
        f"/api/v1/planning/projects/{pk}/approve/", {"version": started["version"]}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "staffing_pending"

    staffing = login(world.staffing)
    assert [p["id"] for p in staffing.get("/api/v1/planning/todo/").json()["staffing"]] == [pk]
    confirmed = staffing.post(
        f"/api/v1/planning/projects/{pk}/staffing-confirm/",
        {"version": started["version"], "comment": "不增编"},
        content_type="application/json",
    ).json()
    finance = login(world.district_finance_a)
    approved = finance.post(
        f"/api/v1/planning/projects/{pk}/approve/", {"version": confirmed["version"]}, content_type="application/json"
    ).json()
    assert approved["status"] == "approved"

    client = login(world.purchaser_a)
    plan = client.post(
        "/api/v1/planning/plans/publish/",
        {"purchaser": world.purchaser_a_org.pk, "fiscal_year": YEAR},
        content_type="application/json",
    )
    assert plan.status_code == 201
    plan_id = plan.json()["id"]
    public = login(world.outsider)
    public.logout()
    listing = public.get("/api/v1/plans/").json()
    assert [p["id"] for p in listing["results"]] == [plan_id]
    detail = public.get(f"/api/v1/plans/{plan_id}/").json()
    assert detail["entries"][0]["title"] == "改名"


def test_protected_fields_cannot_be_set(world, login, catalog, line):
    client = login(world.purchaser_a)
    for extra in ({"status": "approved"}, {"estimate": "1.00"}, {"version": 5}):
        response = client.post(
            "/api/v1/planning/projects/", body(world, catalog, line, **extra), content_type="application/json"
        )
        assert response.status_code == 400
    assert Project.objects.count() == 0


def test_bad_input_answers_in_the_error_shape(world, login, catalog, line):
    client = login(world.purchaser_a)
    response = client.post(
        "/api/v1/planning/projects/",
        body(world, catalog, line, period_start=f"{YEAR}-12-31", period_end=f"{YEAR}-01-01"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


def test_another_purchasers_line_is_refused(world, login, catalog, budget_b):
    client = login(world.purchaser_a)
    response = client.post(
        "/api/v1/planning/projects/", body(world, catalog, budget_b.lines.get()), content_type="application/json"
    )
    assert response.status_code == 400
    assert "budget_line" in response.json()["fields"]


def test_budget_api(world, login):
    client = login(world.purchaser_a)
    created = client.post(
        "/api/v1/planning/budgets/",
        {"purchaser": world.purchaser_a_org.pk, "fiscal_year": 2028},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    line = client.post(
        f"/api/v1/planning/budgets/{pk}/lines/",
        {"code": "30227", "name": "委托业务费", "amount": "-1"},
        content_type="application/json",
    )
    assert line.status_code == 400
    assert line.json()["code"] == "negative_amount"
    line = client.post(
        f"/api/v1/planning/budgets/{pk}/lines/",
        {"code": "30227", "name": "委托业务费", "amount": "1000"},
        content_type="application/json",
    ).json()
    patched = client.patch(
        f"/api/v1/planning/lines/{line['id']}/",
        {"version": line["version"], "amount": "2000"},
        content_type="application/json",
    )
    assert patched.json()["amount"] == "2000.00"
    assert client.get(f"/api/v1/planning/budgets/{pk}/").json()["lines"][0]["code"] == "30227"
    assert login(world.purchaser_b).get(f"/api/v1/planning/budgets/{pk}/").status_code == 404


def test_threshold_api(world, login):
    response = login(world.city_finance).put(
        "/api/v1/planning/thresholds/", {"region": "110000", "amount": "3000000"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["amount"] == "3000000.00"
    refused = login(world.district_finance_a).put(
        "/api/v1/planning/thresholds/", {"region": "110000", "amount": "1"}, content_type="application/json"
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_project_list_endpoint_query_count(world, login, propose, line, count, django_assert_num_queries):

    budget_lines.update_line(actor=world.purchaser_a, line=line, version=line.version, amount="9000000")
    for i in range(count):
        propose(title=f"项目{i}")
    client = login(world.purchaser_a)
    client.get("/api/v1/planning/projects/")
    with django_assert_num_queries(API_QUERIES):
        assert client.get("/api/v1/planning/projects/").json()["count"] == count


API_QUERIES = 5


@pytest.mark.parametrize("count", [2, 20])
def test_budget_and_plan_list_endpoints_query_count(
    world, login, propose, line, count, announcements, django_assert_num_queries
):
    from tests.builders.planning import advance

    budget_lines.update_line(actor=world.purchaser_a, line=line, version=line.version, amount="9000000")
    for i in range(count):
        budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=2040 + i)
    for i in range(count):
        advance(propose(title=f"项目{i}"), world, to="approved")
    plan = annual_plans.publish_plan(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    client = login(world.purchaser_a)
    client.get("/api/v1/planning/budgets/")
    with django_assert_num_queries(LIST_QUERIES["budgets"]):
        assert client.get("/api/v1/planning/budgets/").json()["count"] == count + 1
    with django_assert_num_queries(LIST_QUERIES["plans"]):
        assert client.get("/api/v1/plans/").json()["count"] == 1
    with django_assert_num_queries(LIST_QUERIES["plan"]):
        assert len(client.get(f"/api/v1/plans/{plan.pk}/").json()["entries"]) == count


LIST_QUERIES = {"budgets": 5, "plans": 4, "plan": 4}
