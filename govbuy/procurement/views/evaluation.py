"""Pages of the evaluation: the expert pool (finance bureau), the panel draw, the members'
declarations and scores, disqualification, the ranking and report, and the credit check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.forms import Form
from govbuy.core.pages import act_then_redirect, flash_domain_error
from govbuy.core.storage import open_verified
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules
from govbuy.procurement.models import CreditResult
from govbuy.procurement.selectors import panels, tendering
from govbuy.procurement.services import evaluation, oversight_reads
from govbuy.procurement.views.tenders import PAGE_SIZE, _version

LISTS = (
    ("dishonest_debtors", gettext_lazy("dishonest judgment debtors")),
    ("tax_violations", gettext_lazy("major tax-violation cases")),
    ("procurement_violations", gettext_lazy("government-procurement serious violations")),
)


class ExpertForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    expertise = forms.CharField(label=gettext_lazy("Field of expertise"), max_length=200)
    organisation_uscc = forms.CharField(
        label=gettext_lazy("Employer's unified social credit code (if registered here)"), max_length=18, required=False
    )
    affiliation = forms.CharField(label=gettext_lazy("Employer (as stated)"), max_length=200, required=False)
    username = forms.CharField(label=gettext_lazy("User account (optional)"), max_length=150, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        org = None
        if data.get("organisation_uscc"):
            org = Organisation.objects.filter(uscc=data["organisation_uscc"].strip().upper()).first()
            if org is None:
                self.add_error("organisation_uscc", _("No organisation with this code is registered."))
        user = None
        if data.get("username"):
            user = get_user_model().objects.filter(username=data["username"].strip()).first()
            if user is None:
                self.add_error("username", _("No such user account."))
        return {
            "name": data["name"],
            "expertise": data["expertise"],
            "organisation": org,
            "affiliation": data.get("affiliation") or "",
            "user": user,
        }


@login_required
@require_http_methods(["GET", "POST"])
def expert_list(request: HttpRequest) -> HttpResponse:
    if not panels.sees_experts(request.user):
        raise Http404
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if not form.errors:
            try:
                evaluation.create_expert(actor=request.user, **kwargs)
            except DomainError as exc:
                form.apply_domain_error(exc)
            else:
                messages.success(request, _("Expert added."))
                return redirect("procurement:experts")
    page = Paginator(panels.experts(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    may_edit = any(m.kind == "finance_bureau" and m.writes for m in scope_for(request.user).memberships)
    return render(
        request,
        "procurement/expert_list.html",
        {"page": page, "form": form, "may_edit": may_edit},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def expert_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    expert = panels.expert_for(request.user, pk)
    try:
        evaluation.set_expert_active(
            actor=request.user, expert=expert, version=_version(request), active=request.POST.get("active") == "1"
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Expert saved."))
    return redirect("procurement:experts")


def _evaluable(request: HttpRequest, pk: int) -> Any:
    tender = tendering.tender_for(request.user, pk)
    if tender.status not in tendering.OPENED_STATES:
        raise Http404
    return tender


@login_required
@require_http_methods(["GET"])
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _evaluable(request, pk)
    if not panels.sees_evaluation(request.user, tender) and panels.member_for(request.user, tender) is None:
        raise Http404
    scope = scope_for(request.user)
    is_staff = rules.purchaser_staff_of(scope, tender.purchaser_id)
    member = panels.member_for(request.user, tender)
    panel = panels.panel_of(tender)
    seated = member is not None and member.declaration == "no_conflict"
    checks = panels.visible_credit_checks(request.user, tender)
    draw_record = panel is not None and panels.sees_draw_record(request.user, tender)
    if panels.sees_full_evaluation(request.user, tender):
        oversight_reads.record_oversight_read(actor=request.user, tender=tender, subject="evaluation")
    return render(
        request,
        "procurement/evaluation.html",
        {
            "tender": tender,
            "panel": panel,
            "members": panels.members_of(panel),
            "draw_record": draw_record,
            "candidates": panels.candidate_experts(panel) if draw_record else [],
            "member": member,
            "is_staff": is_staff,
            "may_disqualify": is_staff or seated,
            "bids": tendering.opened_bids(tender)
            if (is_staff or seated or tendering.sees_opened_bids(request.user, tender))
            else [],
            "criteria": [c for c in tendering.criteria_of(tender) if not c.is_price],
            "scores": panels.own_scores(member),
            "evaluation": panels.evaluation_of(tender),
            "rankings": panels.visible_rankings(request.user, tender),
            "checks": checks,
            "checked": set(checks),
            "lists": LISTS,
            "results": CreditResult.choices,
        },
    )


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    return act_then_redirect(request, _evaluable(request, pk), action, done, "procurement:evaluation")


@login_required
@require_POST
def panel_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda t: evaluation.draw_panel(actor=request.user, tender=t), _("Panel drawn."))


@login_required
@require_POST
def panel_declare(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = request.POST.get("conflict") == "yes"
    statement = str(request.POST.get("statement") or "")
    return _act(
        request,
        pk,
        lambda t: evaluation.declare(actor=request.user, tender=t, conflict=conflict, statement=statement),
        _("Declaration recorded."),
    )


@login_required
@require_POST
def bid_score(request: HttpRequest, pk: int, bid_pk: int) -> HttpResponse:
    scores = {k.removeprefix("score_"): v for k, v in request.POST.items() if k.startswith("score_")}
    return _act(
        request,
        pk,
        lambda t: evaluation.score_bid(actor=request.user, tender=t, bid=bid_pk, scores=scores),
        _("Scores saved."),
    )


@login_required
@require_POST
def bid_disqualify(request: HttpRequest, pk: int, bid_pk: int) -> HttpResponse:
    reason = str(request.POST.get("reason") or "")
    return _act(
        request,
        pk,
        lambda t: evaluation.disqualify_bid(actor=request.user, tender=t, bid=bid_pk, reason=reason),
        _("Bid disqualified."),
    )


@login_required
@require_POST
def evaluation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda t: evaluation.complete_evaluation(actor=request.user, tender=t),
        _("Ranking computed; the evaluation report is issued."),
    )


@login_required
@require_POST
def credit_check(request: HttpRequest, pk: int, bid_pk: int) -> HttpResponse:
    upload = request.FILES.get("evidence")
    evidence = (upload.name or "", upload.read()) if upload is not None else None
    values = {name: str(request.POST.get(name) or "") for name, _label in LISTS}
    return _act(
        request,
        pk,
        lambda t: evaluation.record_credit_check(
            actor=request.user,
            tender=t,
            bid=bid_pk,
            reference=str(request.POST.get("reference") or ""),
            evidence=evidence,
            **values,
        ),
        _("Credit check recorded."),
    )


@login_required
@require_http_methods(["GET"])
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _evaluable(request, pk)
    record = panels.evaluation_of(tender)
    if record is None or not record.report_path or not panels.sees_full_evaluation(request.user, tender):
        raise Http404
    oversight_reads.record_oversight_read(actor=request.user, tender=tender, subject="evaluation_report")
    return FileResponse(
        open_verified(record.report_path, record.report_sha256),
        as_attachment=True,
        filename=f"{tender.reference}-evaluation.pdf",
    )
