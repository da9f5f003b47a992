"""Reports to registration authorities: per authority and year, each provider it registered with
its awards, grades, credit facts and bans; issued with a record, waiting on the authority's home
until taken (xlsx or Chinese PDF); others get 404."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from govbuy.accounts.testing import force_login_verified
from govbuy.core.errors import PermissionRefused, ValidationFailed
from govbuy.credit import home
from govbuy.credit.models import AuthorityReport
from govbuy.credit.services import reports

from .conftest import report

pytestmark = pytest.mark.django_db


def test_a_report_is_issued_waits_and_is_taken_as_xlsx_and_pdf(world, provider):
    report("performance.grade_poor", provider)
    year = timezone.localdate().year
    civil = world.orgs["civil_affairs_org"]
    with pytest.raises(PermissionRefused):
        reports.issue_report(actor=world.civil_affairs, recipient=civil, year=year)
    with pytest.raises(ValidationFailed):
        reports.issue_report(actor=world.city_finance, recipient=world.purchaser_a_org, year=year)
    issued = reports.issue_report(actor=world.city_finance, recipient=civil, year=year)
    row = next(r for r in issued.rows if r["name"] == provider.name_zh)
    assert row["poor"] == 1
    assert row["negative"] == 1
    request = RequestFactory().get("/")
    request.user = world.civil_affairs
    assert home.reports_section(request)["items"]
    client = force_login_verified(Client(), world.civil_affairs)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/credit/reports/{issued.pk}.xlsx").content)).active
    assert provider.name_zh in [r[0] for r in sheet.iter_rows(values_only=True)]
    pdf = client.get(f"/credit/reports/{issued.pk}.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert AuthorityReport.objects.get().received_at is not None
    assert home.reports_section(request) is None
    assert force_login_verified(Client(), world.outsider).get(f"/credit/reports/{issued.pk}.xlsx").status_code == 404
    assert force_login_verified(Client(), world.purchaser_a).get(f"/credit/reports/{issued.pk}.pdf").status_code == 404


def test_the_report_list_uses_a_fixed_number_of_queries(world, provider, django_assert_num_queries):
    civil = world.orgs["civil_affairs_org"]
    client = force_login_verified(Client(), world.civil_affairs)
    reports.issue_report(actor=world.city_finance, recipient=civil, year=2025)
    client.get("/credit/reports/")
    with django_assert_num_queries(4):
        client.get("/credit/reports/")
    reports.issue_report(actor=world.city_finance, recipient=civil, year=2024)
    reports.issue_report(actor=world.city_finance, recipient=civil, year=2023)
    with django_assert_num_queries(4):
        client.get("/credit/reports/")


def test_reports_through_the_api(world, provider, django_assert_num_queries):
    from govbuy.accounts.testing import api_token_for

    def bearer(user):
        return Client(headers={"Authorization": f"Bearer {api_token_for(user)}"})

    civil = world.orgs["civil_affairs_org"]
    made = bearer(world.city_finance).post(
        "/api/v1/credit/reports/", {"recipient": civil.pk, "year": 2025}, content_type="application/json"
    )
    assert made.status_code == 201
    authority = bearer(world.civil_affairs)
    authority.get("/api/v1/credit/reports/")
    with django_assert_num_queries(4):
        assert authority.get("/api/v1/credit/reports/").json()["count"] == 1
    reports.issue_report(actor=world.city_finance, recipient=civil, year=2024)
    with django_assert_num_queries(4):
        assert authority.get("/api/v1/credit/reports/").json()["count"] == 2
    detail = authority.get(f"/api/v1/credit/reports/{made.json()['id']}/").json()
    assert detail["received_at"] is not None
    assert bearer(world.outsider).get(f"/api/v1/credit/reports/{made.json()['id']}/").status_code == 404


def test_the_report_carries_the_recipients_satisfaction(world, provider, contract):
    """§四.二: per provider, the satisfaction of its service's recipients that year, in the xlsx
    and the PDF; too few answers show their number, never a rate."""
    from tests.builders.performance import survey_with_answers

    civil = world.orgs["civil_affairs_org"]
    year = timezone.localdate().year
    survey_with_answers(world, contract, n=3)
    few = reports.issue_report(actor=world.city_finance, recipient=civil, year=year)
    assert next(r for r in few.rows if r["name"] == provider.name_zh)["satisfaction"] == "3 answers: too few to show"
    survey_with_answers(world, contract, n=6)
    issued = reports.issue_report(actor=world.city_finance, recipient=civil, year=year)
    row = next(r for r in issued.rows if r["name"] == provider.name_zh)
    assert row["satisfaction"] == "100.00% (9)"
    client = force_login_verified(Client(), world.civil_affairs)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/credit/reports/{issued.pk}.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("服务对象满意度")
    assert next(r for r in rows if r[0] == provider.name_zh)[column] == "100.00% (9)"
