"""Pages for project conditions, the pattern table and the registration-authority report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.organizations.scope import scope_for
from govbuy.providers import rules, selectors
from govbuy.providers.forms import ConditionDecisionForm, ConditionForm, PatternForm
from govbuy.providers.models import ProjectCondition
from govbuy.providers.report import authority_report_response
from govbuy.providers.services import project_conditions

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def condition_list(request: HttpRequest) -> HttpResponse:
    purchasers = selectors.purchasers_for_conditions(request.user)
    form = ConditionForm(request.POST or None, purchasers=purchasers)
    if request.method == "POST":
        if not purchasers.exists():
            raise Http404
        if form.is_valid():
            try:
                condition = project_conditions.create_condition(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                if condition.flags:
                    messages.warning(
                        request,
                        _("The condition matches known discriminatory patterns and awaits finance-bureau approval."),
                    )
                else:
                    messages.success(request, _("Condition saved; it is in force."))
                return redirect("providers:condition", pk=condition.pk)
    qs = selectors.visible_conditions(request.user, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "providers/condition_list.html",
        {
            "page": page,
            "form": form if purchasers.exists() else None,
            "statuses": ProjectCondition.Status.choices,
            "status": request.GET.get("status", ""),
        },
    )


@login_required
def condition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_for(request.user, pk)
    scope = scope_for(request.user)
    is_finance = scope.is_platform_admin or rules.is_finance_for(scope, condition.purchaser.region_id)
    may_withdraw = rules.may_set_conditions(scope, condition.purchaser_id, frozenset({condition.purchaser.kind}))
    return render(
        request,
        "providers/condition_detail.html",
        {
            "condition": condition,
            "can_decide": is_finance and bool(rules.CONDITION_TRANSITIONS[condition.status] - {"withdrawn"}),
            "can_withdraw": may_withdraw and "withdrawn" in rules.CONDITION_TRANSITIONS[condition.status],
            "decision_form": ConditionDecisionForm(initial={"version": condition.version}),
        },
    )


@login_required
@require_POST
def condition_decide(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_for(request.user, pk)
    form = ConditionDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose approve or reject."))
        project_conditions.decide_condition(
            actor=request.user,
            condition=condition,
            version=form.cleaned_data["version"],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, " ".join([str(exc.message), *(str(m) for v in exc.fields.values() for m in v)]))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("providers:condition", pk=condition.pk)


@login_required
@require_POST
def condition_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_for(request.user, pk)
    try:
        project_conditions.withdraw_condition(
            actor=request.user, condition=condition, version=int(request.POST.get("version", "0"))
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
    else:
        messages.success(request, _("Condition withdrawn."))
    return redirect("providers:condition", pk=condition.pk)


@login_required
@require_http_methods(["GET", "POST"])
def pattern_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_platform_admin or scope.memberships):
        raise Http404
    may_edit = rules.may_edit_patterns(scope)
    form = PatternForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version")
            data.pop("is_active")
            try:
                project_conditions.create_pattern(actor=request.user, **data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Pattern added."))
                return redirect("providers:patterns")
    return render(
        request,
        "providers/pattern_list.html",
        {"patterns": selectors.patterns(request.user), "form": form if may_edit else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = selectors.pattern_for(request.user, pk)
    if not rules.may_edit_patterns(scope_for(request.user)):
        raise Http404
    initial = {
        "code": pattern.code,
        "category": pattern.category,
        "label_zh": pattern.label_zh,
        "label_en": pattern.label_en,
        "phrases": pattern.phrases,
        "is_active": pattern.is_active,
        "version": pattern.version,
    }
    form = PatternForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code")
        version = data.pop("version") or 0
        try:
            project_conditions.update_pattern(actor=request.user, pattern=pattern, version=version, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Pattern saved."))
            return redirect("providers:patterns")
    return render(request, "providers/pattern_edit.html", {"pattern": pattern, "form": form})


@login_required
def authority_report(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_platform_admin or rules.authority_regions(scope)):
        raise Http404
    return authority_report_response(request.user)
