"""Third-party evaluators (財綜〔2018〕42號): the purchaser or the finance bureau commissions one
for a round (the refusals shown on the form), and the evaluator's own workspace lists only its
commissions, where it delivers its report (its scores go in on the round page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from govbuy.core.errors import DomainError
from govbuy.core.storage import open_verified
from govbuy.core.uploads import read_upload
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.forms import CommissionForm, ReportForm
from govbuy.performance.models import EvaluationRound
from govbuy.performance.services import commissions

PAGE_SIZE = 25


def may_commission(user: object, obj: EvaluationRound) -> bool:
    scope = scope_for(user)
    return rules.acts_for_purchaser(scope, obj.contract.purchaser_id) or rules.acts_as_finance(
        scope, obj.contract.region_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def commission_new(request: HttpRequest, pk: int) -> HttpResponse:
    obj = performance_selectors.round_for(request.user, pk)
    if not may_commission(request.user, obj):
        raise Http404
    evaluators = list(performance_selectors.evaluator_choices())
    form = CommissionForm(request.POST or None, evaluators=evaluators, initial={"version": obj.version})
    context = {"round": obj, "form": form, "current": performance_selectors.live_commission(obj)}
    if request.method == "POST" and form.is_valid():
        try:
            commissions.commission(
                actor=request.user,
                round=obj,
                version=form.cleaned_data["version"],
                evaluator=form.cleaned_data["evaluator"],
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
            return render(request, "performance/commission_new.html", context, status=exc.status)
        messages.success(request, _("The third-party evaluator is commissioned."))
        return redirect("performance:round", obj.pk)
    return render(request, "performance/commission_new.html", context, status=400 if form.is_bound else 200)


@login_required
@require_safe
def commission_list(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).written_organisations(frozenset({"third_party_evaluator"})):
        raise Http404
    page = Paginator(performance_selectors.commissions_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/commissions.html", {"page": page})


@login_required
@require_safe
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = performance_selectors.commission_for(request.user, pk)
    form = ReportForm(initial={"version": found.version})
    return render(request, "performance/commission.html", {"commission": found, "form": form})


@login_required
@require_POST
def commission_report(request: HttpRequest, pk: int) -> HttpResponse:
    found = performance_selectors.commission_for(request.user, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            commissions.deliver_report(
                actor=request.user,
                commission=found,
                version=form.cleaned_data["version"],
                name=upload.name,
                data=read_upload(upload),
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("The report is delivered."))
            return redirect("performance:commission", found.pk)
    context = {"commission": found, "form": form}
    return render(request, "performance/commission.html", context, status=400)


@login_required
@require_safe
def commission_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The delivered report, for whoever sees the round (the purchaser, the finance bureau, the
    evaluator itself)."""
    found = performance_selectors.commission_document_for(request.user, pk)
    return FileResponse(
        open_verified(found.report_path, found.report_sha256),
        as_attachment=True,
        filename=found.report_name or "report.pdf",
        content_type="application/pdf",
    )
