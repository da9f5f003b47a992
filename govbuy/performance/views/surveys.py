"""The purchaser's satisfaction surveys: the list, and opening one for a contract from a survey
template with its first invitation codes, which are printed at once (shown only this time)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from govbuy.core.errors import DomainError
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.scope import scope_for
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.forms import SurveyOpenForm, end_of_day
from govbuy.performance.services import surveys
from govbuy.performance.views.staff import invitation_sheet

PAGE_SIZE = 25


def _require_purchaser(request: HttpRequest) -> None:
    if not scope_for(request.user).written_organisations(frozenset(PURCHASER_KINDS)):
        raise Http404


@login_required
@require_safe
def survey_list(request: HttpRequest) -> HttpResponse:
    _require_purchaser(request)
    rows = performance_selectors.survey_rows(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/surveys.html", {"page": page})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    _require_purchaser(request)
    contracts = list(performance_selectors.survey_contracts(request.user))
    form = SurveyOpenForm(request.POST or None, contracts=contracts, initial={"contract": request.GET.get("contract")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey, codes = surveys.launch_survey(
                actor=request.user,
                contract=data["contract"],
                template=data["template"],
                title=data["title"],
                count=data["count"],
                closes_at=end_of_day(data["closes_on"]),
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
            return render(request, "performance/survey_new.html", {"form": form}, status=exc.status)
        return invitation_sheet(request, survey, codes)
    status = 400 if form.is_bound else 200
    return render(request, "performance/survey_new.html", {"form": form}, status=status)
