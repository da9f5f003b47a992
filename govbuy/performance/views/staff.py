"""The signed-in workspace: evaluation rounds (list, one round with the actions of whoever may
act on it), indicator templates, and surveys with their printable invitation sheet. Each action
calls one service; outside the actor's scope a round or survey is a 404."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from govbuy.core.errors import DomainError
from govbuy.core.pages import act_then_redirect
from govbuy.core.storage import open_verified
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.forms import RoundOpenForm
from govbuy.performance.models import EvaluationRound, RoundStatus, ScoredBy
from govbuy.performance.services import common, rounds, surveys

PAGE_SIZE = 25


@login_required
@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    status = str(request.GET.get("status") or "")
    page = Paginator(performance_selectors.rounds_for(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    may_open = bool(scope_for(request.user).written_organisations(frozenset(PURCHASER_KINDS)))
    context = {"page": page, "status": status, "statuses": RoundStatus.choices, "may_open": may_open}
    return render(request, "performance/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    """The purchaser opens a periodic or final round for one of its contracts in delivery or ended."""
    if not scope_for(request.user).written_organisations(frozenset(PURCHASER_KINDS)):
        raise Http404
    form = RoundOpenForm(
        request.POST or None,
        contracts=list(performance_selectors.survey_contracts(request.user)),
        milestones=list(performance_selectors.round_milestones(request.user)),
        initial={"contract": request.GET.get("contract")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = rounds.open_round(
                actor=request.user,
                contract=data["contract"],
                kind=data["kind"],
                milestone=data["milestone"],
                select_reevaluation=data["select_reevaluation"],
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
            return render(request, "performance/round_new.html", {"form": form}, status=exc.status)
        messages.success(request, _("The evaluation round is opened; the provider assesses itself first."))
        return redirect("performance:round", obj.pk)
    return render(request, "performance/round_new.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = performance_selectors.round_for(request.user, pk)
    scope = scope_for(request.user)
    summary, visible = surveys.summary_for_round(obj)
    rows = performance_selectors.scores_table(obj)
    context = {
        "round": obj,
        "rows": rows,
        "scored": any(any(row["scores"]) for row in rows),
        "parties": ScoredBy.choices,
        "summary": summary if visible else None,
        "interval": summary.interval() if summary and visible else None,
        "is_purchaser": rules.acts_for_purchaser(scope, obj.contract.purchaser_id),
        "is_provider": rules.acts_for_provider(scope, obj.contract.provider_id),
        "is_finance": rules.acts_as_finance(scope, obj.contract.region_id),
        "commission": performance_selectors.live_commission(obj),
        "may_commission": rules.acts_for_purchaser(scope, obj.contract.purchaser_id)
        or rules.acts_as_finance(scope, obj.contract.region_id),
    }
    return render(request, "performance/round.html", context)


def report_response(obj: EvaluationRound) -> FileResponse:
    """The stored evaluation report, after checking its hash (404 before the result is published)."""
    if not obj.report_path:
        raise Http404
    return FileResponse(
        open_verified(obj.report_path, obj.report_sha256),
        as_attachment=True,
        filename=f"{obj.contract.reference}-{obj.number}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_safe
def round_report(request: HttpRequest, pk: int) -> HttpResponse:
    return report_response(performance_selectors.round_for(request.user, pk))


def _act(request: HttpRequest, pk: int, action: Callable[[EvaluationRound, Any], Any], done: str) -> HttpResponse:
    obj = performance_selectors.round_for(request.user, pk)
    version = request.POST.get("version")
    return act_then_redirect(request, obj, lambda o: action(o, version), done, "performance:round")


def _scores(request: HttpRequest, obj: EvaluationRound) -> list[dict[str, Any]]:
    out = []
    for indicator in obj.template.indicators.all():
        prefix = f"i{indicator.pk}-"
        if not any(key.startswith(prefix) for key in request.POST):
            continue
        out.append(
            {
                "indicator": indicator.pk,
                "value": request.POST.get(prefix + "value", ""),
                "achieved": request.POST.get(prefix + "achieved", ""),
                "evidence": request.POST.get(prefix + "evidence", ""),
                "comment": request.POST.get(prefix + "comment", ""),
            }
        )
    return out


ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "submit-self": (rounds.submit_self_assessment, gettext_lazy("The self-assessment is submitted.")),
    "submit": (rounds.submit_evaluation, gettext_lazy("The evaluation is submitted for finalising.")),
    "finalise": (rounds.finalise, gettext_lazy("The evaluation is finalised.")),
    "select": (rounds.select_for_reevaluation, gettext_lazy("The round is selected for re-evaluation.")),
    "reevaluate": (rounds.reevaluate, gettext_lazy("The re-evaluation is recorded.")),
    "publish": (rounds.publish, gettext_lazy("The result is published.")),
}


@login_required
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "scores":
        return _act(
            request,
            pk,
            lambda o, v: rounds.enter_scores(actor=request.user, round=o, version=v, scores=_scores(request, o)),
            _("The scores are saved."),
        )
    if action == "return":
        return _act(
            request,
            pk,
            lambda o, v: rounds.return_evaluation(
                actor=request.user, round=o, version=v, reason=request.POST.get("reason", "")
            ),
            _("The evaluation is returned."),
        )
    if action == "respond":
        return _act(
            request,
            pk,
            lambda o, v: rounds.respond(actor=request.user, round=o, version=v, body=request.POST.get("body", "")),
            _("Your response is recorded."),
        )
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    return _act(request, pk, lambda o, v: service(actor=request.user, round=o, version=v), str(done))


@login_required
@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).memberships:
        raise Http404
    page = Paginator(performance_selectors.templates_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    may_edit = rules.edits_templates(scope_for(request.user))
    return render(request, "performance/templates.html", {"page": page, "may_edit": may_edit})


@login_required
@require_safe
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope_for(request.user).memberships:
        raise Http404
    template = performance_selectors.template_detail(pk)
    context = {
        "template": template,
        "indicators": template.indicators.all(),
        "may_edit": rules.edits_templates(scope_for(request.user)),
    }
    return render(request, "performance/template.html", context)


@login_required
@require_safe
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = performance_selectors.survey_for(request.user, pk)
    summary = surveys.summary(survey)
    visible = rules.aggregates_visible(summary.answers, common.policy_on(survey.opened_at.date()).min_answers)
    return render(
        request,
        "performance/survey.html",
        {
            "survey": survey,
            "summary": summary if visible else None,
            "answers": summary.answers,
            "invitations": summary.invitations,
        },
    )


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@never_cache
@login_required
@require_POST
def survey_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue codes and show them once, as a printable sheet with each code's short link and QR
    code (only their hashes are kept: this page cannot be shown again)."""
    survey = performance_selectors.survey_for(request.user, pk)
    try:
        count = int(request.POST.get("count") or 0)
        survey, codes = surveys.issue_invitations(
            actor=request.user, survey=survey, version=request.POST.get("version"), count=count
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", _("Give a number of codes."))))
        return redirect("performance:survey", survey.pk)
    return invitation_sheet(request, survey, codes)


def invitation_sheet(request: HttpRequest, survey: Any, codes: list[str]) -> HttpResponse:
    """The printable sheet of freshly issued codes: each with its short link and QR code."""
    cards = []
    for code in codes:
        url = request.build_absolute_uri(reverse("performance-public:survey", args=[code]))
        cards.append({"code": code, "url": url, "qr": qr_data_uri(url)})
    start = request.build_absolute_uri(reverse("performance-public:survey-start"))
    return render(request, "performance/invitation_sheet.html", {"survey": survey, "cards": cards, "start": start})
