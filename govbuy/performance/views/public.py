"""Pages without sign-in: the satisfaction survey (enter a code, answer, thanks) and the
published results (list with filters, one result)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from govbuy.core.errors import DomainError
from govbuy.core.middleware import client_ip
from govbuy.organizations.models import Region
from govbuy.performance import rules
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.models import IndicatorTemplate
from govbuy.performance.services import surveys
from govbuy.performance.views.staff import report_response

PAGE_SIZE = 25
SCALE = (1, 2, 3, 4, 5)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_start(request: HttpRequest) -> HttpResponse:
    """Type the code from the printed sheet."""
    if request.method == "POST":
        code = rules.normalise_code(request.POST.get("code", ""))
        if code:
            return redirect("performance-public:survey", code=code)
    return render(request, "performance/survey_start.html", {})


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    address = client_ip(request)
    try:
        found = surveys.find_survey(code, client_address=address)
    except DomainError as error:
        return render(request, "performance/survey_start.html", {"error": error.message}, status=error.status)
    questions = list(enumerate(found.questions, start=1))
    chosen: dict[int, str] = {}
    if request.method == "POST":
        chosen = {n: request.POST.get(f"q{n}", "") for n, _q in questions}
        try:
            surveys.submit_answer(
                code=code,
                ratings=[chosen[n] for n, _q in questions],
                comment=request.POST.get("comment", ""),
                client_address=address,
            )
        except DomainError as error:
            context = {
                "survey": found,
                "questions": questions,
                "scale": SCALE,
                "chosen": chosen,
                "error": error.message,
            }
            return render(request, "performance/survey_answer.html", context, status=error.status)
        return redirect("performance-public:survey-thanks")
    return render(
        request,
        "performance/survey_answer.html",
        {"survey": found, "questions": questions, "scale": SCALE, "chosen": chosen},
    )


@require_safe
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/survey_thanks.html", {})


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    filters = {key: str(request.GET.get(key) or "") for key in ("region", "category", "year", "grade")}
    rows = performance_selectors.published_results(**filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "regions": Region.objects.order_by("code").values_list("pk", "name_zh"),
        "categories": IndicatorTemplate.objects.order_by("category_code")
        .values_list("category_code", "category_name")
        .distinct(),
        "grades": list(rules.GRADE_LABELS.items()),
        "by_year": performance_selectors.grades_by_year(),
        "query": request.GET.urlencode(),
    }
    return render(request, "performance/results.html", context)


@require_safe
def result_report(request: HttpRequest, pk: int) -> HttpResponse:
    return report_response(performance_selectors.published_result(pk))


@require_safe
def result(request: HttpRequest, pk: int) -> HttpResponse:
    obj = performance_selectors.published_result(pk)
    summary, visible = surveys.summary_for_round(obj)
    context = {
        "round": obj,
        "families": performance_selectors.family_points(obj),
        "summary": summary if visible else None,
        "interval": summary.interval() if summary and visible else None,
        "response": getattr(obj, "response", None),
        "project_url": reverse("portal:project", args=[obj.contract.project_id]),
    }
    return render(request, "performance/result.html", context)
