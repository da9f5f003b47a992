"""Staff pages: each role sees what is its own; drafts are the purchaser's alone (404 for the
others); the district finance bureau sees only its district; list pages keep their query count;
a stale form answers 409 and changes nothing."""

from __future__ import annotations

import pytest

from govbuy.planning.models import Project
from govbuy.planning.services import annual_plans, budget_lines
from tests.builders.planning import YEAR, advance


def test_purchaser_proposes_through_the_form(world, login, catalog, line):
    client = login(world.purchaser_a)
    page = client.get("/planning/projects/new/")
    assert page.status_code == 200
    form = {
        "purchaser": world.purchaser_a_org.pk,
        "budget_line": line.pk,
        "title": "社区助餐服务",
        "catalog_item": catalog["A05-02"].pk,
        "service_description": "为老年人提供助餐。",
        "beneficiaries": "60岁以上老年人",
        "period_start": f"{YEAR}-01-01",
        "period_end": f"{YEAR}-12-31",
        "in_procurement_scope": "on",
        "suggested_method": "competitive_consultation",
        "cost-TOTAL_FORMS": "2",
        "cost-INITIAL_FORMS": "0",
        "cost-0-description": "助餐",
        "cost-0-category": "operations",
        "cost-0-unit": "份",
        "cost-0-quantity": "10000",
        "cost-0-unit_cost": "12.50",
        "target-TOTAL_FORMS": "1",
        "target-INITIAL_FORMS": "0",
        "target-0-family": "quantity",
        "target-0-name": "份数",
        "target-0-direction": "at_least",
        "target-0-target_value": "10000",
        "target-0-unit": "份",
    }
    response = client.post("/planning/projects/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get()
    assert project.estimate == 125000
    detail = client.get(response["Location"])
    assert "125000.00" in detail.content.decode()

    bad = {**form, "cost-0-quantity": "0"}
    refused = client.post("/planning/projects/new/", bad)
    assert refused.status_code == 400
    assert Project.objects.count() == 1


def test_drafts_are_the_purchasers_alone(world, login, propose):
    project = propose()
    url = f"/planning/projects/{project.pk}/"
    assert login(world.purchaser_a).get(url).status_code == 200
    for persona in ("purchaser_b", "district_finance_a", "city_finance", "staffing", "outsider", "auditor"):
        assert login(getattr(world, persona)).get(url).status_code == 404, persona
    advance(project, world, to="submitted")
    for persona in ("district_finance_a", "city_finance", "staffing", "auditor"):
        assert login(getattr(world, persona)).get(url).status_code == 200, persona
    for persona in ("purchaser_b", "district_finance_b", "outsider", "provider_a"):
        assert login(getattr(world, persona)).get(url).status_code == 404, persona


def test_outsider_gets_404_on_every_detail_url(world, login, propose, budget):
    project = advance(propose(), world, to="submitted")
    client = login(world.outsider)
    line = budget.lines.first()
    for url in (
        f"/planning/projects/{project.pk}/",
        f"/planning/projects/{project.pk}/edit/",
        f"/planning/budgets/{budget.pk}/",
        f"/planning/lines/{line.pk}/edit/",
        f"/api/v1/planning/projects/{project.pk}/",
        f"/api/v1/planning/budgets/{budget.pk}/",
        f"/api/v1/planning/lines/{line.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/planning/projects/{project.pk}/start-review/", {"version": project.version}).status_code == 404
    )


def test_finance_reviews_from_its_home_page(world, login, propose):
    project = advance(propose(), world, to="submitted")
    client = login(world.district_finance_a)
    home = client.get("/workspace/").content.decode()
    assert "home-planning-finance-review" in home or "planning-finance-review" in home
    assert project.reference in home
    other = login(world.district_finance_b).get("/workspace/").content.decode()
    assert project.reference not in other
    client = login(world.district_finance_a)
    assert (
        client.post(f"/planning/projects/{project.pk}/start-review/", {"version": project.version}).status_code == 302
    )
    project.refresh_from_db()
    assert project.status == "under_review"
    client.post(f"/planning/projects/{project.pk}/approve/", {"version": project.version, "comment": "同意"})
    project.refresh_from_db()
    assert project.status == "approved"


def test_stale_action_answers_409_and_changes_nothing(world, login, propose):
    project = advance(propose(), world, to="submitted")
    client = login(world.district_finance_a)
    response = client.post(f"/planning/projects/{project.pk}/start-review/", {"version": project.version - 1})
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.status == "submitted"


def test_budget_pages_and_the_import_page(world, login, budget, propose):
    import io

    import openpyxl

    propose()
    client = login(world.purchaser_a)
    page = client.get(f"/planning/budgets/{budget.pk}/").content.decode()
    assert "30227" in page
    assert "880,000.00" in page
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name", "amount"])
    workbook.active.append(["30211", "差旅费", "-1"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "budget.xlsx"
    refused = client.post(f"/planning/budgets/{budget.pk}/import/", {"file": data})
    assert refused.status_code == 400
    assert "Row 2" in refused.content.decode() or "2" in refused.content.decode()
    assert not budget.lines.filter(code="30211").exists()
    line = budget.lines.get(code="30227")
    stale = client.post(f"/planning/lines/{line.pk}/edit/", {"version": line.version + 5, "name": "x", "amount": "1"})
    assert stale.status_code == 409
    line.refresh_from_db()
    assert line.name == "委托业务费"
    assert login(world.district_finance_a).get(f"/planning/budgets/{budget.pk}/").status_code == 200
    assert login(world.district_finance_b).get(f"/planning/budgets/{budget.pk}/").status_code == 404


def test_threshold_page_for_the_city_finance_bureau(world, login):
    client = login(world.city_finance)
    assert "2000000" in client.get("/planning/threshold/").content.decode()
    response = client.post("/planning/threshold/", {"region": world.city.pk, "amount": "1500000", "source": "京财"})
    assert response.status_code == 302
    assert "1,500,000.00" in client.get("/planning/threshold/").content.decode()
    assert login(world.purchaser_a).get("/planning/threshold/").status_code == 404


def test_stale_edit_form_answers_409(world, login, propose, catalog, line):
    project = propose()
    client = login(world.purchaser_a)
    form = {
        "version": project.version - 1 if project.version > 1 else 99,
        "budget_line": line.pk,
        "title": "改名",
        "catalog_item": catalog["A05-01"].pk,
        "service_description": "x",
        "beneficiaries": "y",
        "period_start": f"{YEAR}-01-01",
        "period_end": f"{YEAR}-12-31",
        "suggested_method": "public_tender",
        "in_procurement_scope": "on",
        "cost-TOTAL_FORMS": "0",
        "cost-INITIAL_FORMS": "0",
        "target-TOTAL_FORMS": "0",
        "target-INITIAL_FORMS": "0",
    }
    response = client.post(f"/planning/projects/{project.pk}/edit/", form)
    assert response.status_code == 409
    form["cost-TOTAL_FORMS"] = "1"
    form.update(
        {
            "cost-0-description": "a",
            "cost-0-category": "other",
            "cost-0-unit": "次",
            "cost-0-quantity": "1",
            "cost-0-unit_cost": "1",
        }
    )
    response = client.post(f"/planning/projects/{project.pk}/edit/", form)
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.title != "改名"


@pytest.mark.parametrize("count", [2, 20])
def test_project_list_query_count_does_not_grow(world, login, propose, line, budget, count, django_assert_num_queries):

    budget_lines.update_line(actor=world.purchaser_a, line=line, version=line.version, amount="9000000")
    for i in range(count):
        propose(title=f"项目{i}")
    client = login(world.purchaser_a)
    client.get("/planning/")  # warm the session and scope caches
    with django_assert_num_queries(QUERIES["projects"]):
        assert client.get("/planning/").status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_budget_list_query_count_does_not_grow(world, login, count, django_assert_num_queries):

    for i in range(count):
        budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=2030 + i)
    client = login(world.purchaser_a)
    client.get("/planning/budgets/")
    with django_assert_num_queries(QUERIES["budgets"]):
        assert client.get("/planning/budgets/").status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_public_plan_pages_query_count_does_not_grow(
    world, client, propose, line, count, announcements, django_assert_num_queries
):

    budget_lines.update_line(actor=world.purchaser_a, line=line, version=line.version, amount="9000000")
    for i in range(count):
        advance(propose(title=f"项目{i}"), world, to="approved")
    plan = annual_plans.publish_plan(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    client.get("/plans/")
    with django_assert_num_queries(QUERIES["plan"]):
        assert client.get(f"/plans/versions/{plan.pk}/").status_code == 200
    with django_assert_num_queries(QUERIES["region"]):
        assert client.get(f"/plans/{world.district_a.code}/{YEAR}/").status_code == 200
    with django_assert_num_queries(QUERIES["index"]):
        assert client.get("/plans/").status_code == 200


QUERIES = {"projects": 7, "budgets": 6, "plan": 3, "region": 3, "index": 1}


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_staff_pages_render_in_every_language(world, login, propose, budget, language, settings):
    project = propose()
    client = login(world.purchaser_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in (
        "/planning/",
        "/planning/projects/new/",
        f"/planning/projects/{project.pk}/",
        f"/planning/projects/{project.pk}/edit/",
        "/planning/budgets/",
        f"/planning/budgets/{budget.pk}/",
        f"/planning/lines/{budget.lines.first().pk}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == language


def test_a_flagged_project_is_approved_only_after_the_warning_is_acknowledged(world, login, propose):
    project = advance(propose(), world, to="submitted")
    client = login(world.district_finance_a)
    client.post(f"/planning/projects/{project.pk}/start-review/", {"version": project.version})
    project.refresh_from_db()
    type(project).objects.filter(pk=project.pk).update(split_flag=True)
    page = client.get(f"/planning/projects/{project.pk}/").content.decode()
    assert 'id="flag-warning"' in page
    assert page.count('name="comment"') == 1  # one comment box for both decisions
    client.post(f"/planning/projects/{project.pk}/approve/", {"version": project.version, "comment": "同意"})
    project.refresh_from_db()
    assert project.status == "under_review"
    client.post(
        f"/planning/projects/{project.pk}/approve/",
        {"version": project.version, "comment": "同意", "acknowledge_flags": "on"},
    )
    project.refresh_from_db()
    assert project.status == "approved"
