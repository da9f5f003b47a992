"""Public pages of the annual plans (no sign-in; all three languages): the index by region and
year, a region's plans for a year, one plan version with its changes, and its exports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from govbuy.core.pdf import CjkFontMissing
from govbuy.planning import exports, selectors
from govbuy.planning.models import Method


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/public_index.html", {"rows": selectors.plan_index()})


@require_http_methods(["GET"])
def region_year(request: HttpRequest, region_code: str, year: int) -> HttpResponse:
    region = selectors.region_by_code(region_code)
    plans = selectors.region_plans(region, year)
    if not plans:
        raise Http404
    return render(
        request,
        "planning/public_region.html",
        {
            "region": region,
            "year": year,
            "plans": plans,
            "methods": dict(Method.choices),
            "total": sum(p.total for p in plans),
        },
    )


@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_public(pk)
    return render(
        request,
        "planning/public_plan.html",
        {
            "plan": plan,
            "entries": selectors.plan_entries(plan),
            "versions": selectors.plan_versions(plan),
            "methods": dict(Method.choices),
        },
    )


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_public(pk)
    content = exports.plan_xlsx(plan, selectors.plan_entries(plan))
    return _attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"plan-{plan.region.code}-{plan.fiscal_year}-{plan.purchaser_id}-v{plan.number}.xlsx",
    )


@require_http_methods(["GET"])
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_public(pk)
    try:
        content = exports.plan_pdf(plan, selectors.plan_entries(plan))
    except CjkFontMissing as error:
        return HttpResponse(str(error.message), status=error.status, content_type="text/plain; charset=utf-8")
    return _attachment(
        content, "application/pdf", f"plan-{plan.region.code}-{plan.fiscal_year}-{plan.purchaser_id}-v{plan.number}.pdf"
    )
