"""The annual plan: published in versions, each with its changes; OCDS planning releases are
announced in the same transaction; the public pages, the .xlsx and the Chinese PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from pypdf import PdfReader

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, TransitionRefused
from govbuy.planning.models import AnnualPlan
from govbuy.planning.ocds import planning_release_parts
from govbuy.planning.services import annual_plans, reviews
from tests.builders.planning import ESTIMATE, YEAR, advance


@pytest.fixture
def approved(propose, world):
    return [advance(propose(title=f"项目{i}"), world, to="approved") for i in range(2)]


def publish(world, note=""):
    return annual_plans.publish_plan(
        actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR, note=note
    )


def test_publishing_puts_approved_projects_in_the_plan(approved, world, announcements):
    plan = publish(world)
    assert (plan.number, plan.is_current, plan.total) == (1, True, ESTIMATE * 2)
    assert [e.reference for e in plan.entries.order_by("position")] == sorted(p.reference for p in approved)
    for project in approved:
        project.refresh_from_db()
        assert project.status == "in_plan"
    assert sorted((a.stage, a.obj_type, a.obj_id) for a in announcements) == sorted(
        ("planning", "planning.project", p.pk) for p in approved
    )
    assert AuditEvent.objects.filter(action="planning.project.planned").count() == 2
    assert AuditEvent.objects.get(action="planning.plan.published").data["added"] == 2


def test_a_change_after_publication_makes_a_new_version_with_its_changes(approved, propose, world, announcements):
    first = publish(world)
    announcements.clear()
    third = advance(propose(title="新增项目"), world, to="approved")
    second = publish(world, note="年中追加")
    first.refresh_from_db()
    assert (first.is_current, second.number, second.is_current) == (False, 2, True)
    assert second.changes["counts"] == {"added": 1, "removed": 0, "changed": 0}
    assert second.changes["added"][0]["reference"] == third.reference
    assert [(a.stage, a.obj_id) for a in announcements] == [("planning", third.pk)]
    # Version 1 reads as it was published.
    assert first.entries.count() == 2

    announcements.clear()
    reviews.cancel_project(
        actor=world.purchaser_a, project=approved[0], version=approved[0].version + 1, reason="并入其他项目"
    )
    third_version = AnnualPlan.objects.get(is_current=True)
    assert third_version.number == 3
    assert third_version.changes["removed"][0]["reference"] == approved[0].reference
    assert [(a.stage, a.obj_id) for a in announcements] == [("planningUpdate", approved[0].pk)]


def test_nothing_to_publish_is_refused(approved, world, announcements):
    publish(world)
    with pytest.raises(TransitionRefused) as caught:
        publish(world)
    assert caught.value.code == "plan_unchanged"


def test_only_the_purchaser_publishes_its_plan(approved, world, announcements):
    with pytest.raises(PermissionRefused):
        annual_plans.publish_plan(actor=world.purchaser_b, purchaser=world.purchaser_a_org, fiscal_year=YEAR)


def test_a_failing_publisher_rolls_the_publication_back(approved, world, monkeypatch):
    from govbuy.core import publication

    def broken(announcement):
        raise RuntimeError("publisher down")

    monkeypatch.setattr(publication, "_handlers", [(0, broken)])
    with pytest.raises(RuntimeError):
        publish(world)
    assert AnnualPlan.objects.count() == 0
    approved[0].refresh_from_db()
    assert approved[0].status == "approved"


def test_public_pages_need_no_sign_in_in_three_languages(approved, world, client, announcements):
    plan = publish(world)
    for language in ("zh-hans", "zh-hant", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in ("/plans/", f"/plans/{world.district_a.code}/{YEAR}/", f"/plans/versions/{plan.pk}/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert approved[0].title in response.content.decode() or url == "/plans/"
    assert client.get(f"/plans/{world.district_b.code}/{YEAR}/").status_code == 404
    assert client.get("/plans/versions/999999/").status_code == 404


def test_plan_exports_as_xlsx_with_neutralised_text(approved, world, client, announcements):
    project = approved[0]
    services_title = '=HYPERLINK("http://x")'
    from govbuy.planning.models import Project

    Project.objects.filter(pk=project.pk).update(beneficiaries=services_title)
    plan = publish(world)
    response = client.get(f"/plans/versions/{plan.pk}/plan.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][0] == "序号"
    cells = [v for row in rows for v in row if isinstance(v, str)]
    assert "'" + services_title in cells
    assert not any(v.startswith("=") for v in cells)
    assert any(project.title == v for v in cells)


def test_plan_pdf_is_in_chinese(approved, world, client, announcements):
    plan = publish(world)
    response = client.get(f"/plans/versions/{plan.pk}/plan.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "年度政府购买服务计划" in text
    assert "项目0" in text


def _validator():
    from jsonschema import Draft4Validator

    schema = json.loads((Path(settings.SHARED_DIR) / "ocds" / "release-schema.json").read_text())
    return Draft4Validator(schema)


def test_planning_release_parts_validate_as_a_release(approved, world, inhouse, propose, announcements):
    from govbuy.planning.services.proposals import ConversionInput

    conversion = propose(
        title="转制：老年人入户探访",
        conversion=ConversionInput(source_line=inhouse, amount="60000.00", former_service="原街道入户探访"),
    )
    for project in (approved[0], conversion):
        parts = planning_release_parts(project)
        release = {
            "ocid": f"ocds-xxxxxx-{project.reference}",
            "id": "1",
            "date": "2027-01-01T00:00:00Z",
            "tag": ["planning"],
            "initiationType": "tender",
            **parts,
        }
        # Amounts stay exact Decimals (disclosure writes them as exact JSON numbers); jsonschema
        # counts a Decimal as a number.
        document = release
        errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.path))
        assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
        assert parts["tender"]["status"] == "planned"
        assert parts["tender"]["mainProcurementCategory"] == "services"
        assert parts["planning"]["budget"]["amount"]["currency"] == "CNY"
        assert parts["planning"]["budget"]["amount"]["amount"] == project.estimate
    item = planning_release_parts(approved[0])["tender"]["items"][0]
    assert item["classification"]["scheme"] == "x_govbuy_catalog"
    assert item["classification"]["id"] == "110000:1:A05-01"
    assert item["additionalClassifications"][0] == {
        "scheme": "x_govbuy_gp_item",
        "id": "C08140101",
        "description": "政府采购品目 C08140101",
    }
    transfers = planning_release_parts(conversion)["planning"]["conversionTransfers"]
    assert transfers[0]["value"]["amount"] == 60000
    assert "30199" in transfers[0]["description"]
    assert len(planning_release_parts(approved[0])["tender"]["costLines"]) == 2
