"""Staff pages of planning: budgets and lines, purchase projects and their reviews, publication
of the annual plan, and the threshold. Thin: parse, select (scoped; outside is a 404), call one
service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.core.pages import flash_domain_error
from govbuy.core.review_panels import review_panels
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for
from govbuy.planning import forms, rules, selectors
from govbuy.planning.home import sees_projects
from govbuy.planning.models import BudgetLine, Project, ProjectStatus
from govbuy.planning.services import annual_plans, budget_lines, proposals, reviews

PAGE_SIZE = 25


def _status(exc: DomainError) -> int:
    return exc.status if exc.status in (400, 403, 409) else 400


# --- Projects --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def project_list(request: HttpRequest) -> HttpResponse:
    if not sees_projects(request):
        raise Http404
    status = str(request.GET.get("status") or "")
    year = str(request.GET.get("year") or "")
    q = str(request.GET.get("q") or "").strip()
    qs = selectors.visible_projects(request.user, status=status, year=year, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    return render(
        request,
        "planning/project_list.html",
        {
            "page": page,
            "status": status,
            "year": year,
            "q": q,
            "statuses": ProjectStatus.choices,
            "may_propose": bool(rules.purchaser_ids(scope, write=True)),
            "plannable": selectors.plannable_years(request.user),
            "own_plans": selectors.own_plans(request.user),
            "may_edit_threshold": rules.may_edit_threshold(scope),
        },
    )


def _rows(formset: Any) -> list[dict[str, Any]]:
    return [row for form in formset.forms if (row := form.row()) is not None]


def _project_context(request: HttpRequest, *, editing: Project | None = None) -> dict[str, Any]:
    purchasers = [editing.purchaser] if editing is not None else selectors.writable_purchasers(request.user)
    return {
        "purchasers": purchasers,
        "lines": selectors.lines_for_purchasers([p.pk for p in purchasers]),
        "items": selectors.catalog_choices(purchasers),
    }


def _initial_costs(project: Project | None) -> list[dict[str, Any]]:
    if project is None:
        return []
    return [
        {
            "description": c.description,
            "category": c.category,
            "unit": c.unit,
            "quantity": c.quantity,
            "unit_cost": c.unit_cost,
        }
        for c in project.cost_lines.all()
    ]


def _initial_targets(project: Project | None) -> list[dict[str, Any]]:
    if project is None:
        families = ["quantity", "quality", "timeliness", "cost", "satisfaction"]
        return [{"family": f} for f in families]
    return [
        {"family": t.family, "name": t.name, "direction": t.direction, "target_value": t.target_value, "unit": t.unit}
        for t in project.targets.all()
    ]


def _padded(formset_class: Any, initial: list[dict[str, Any]], prefix: str, data: Any = None) -> Any:
    if data is not None:
        return formset_class(data, prefix=prefix)
    rows = max(formset_class.min_num, len(initial) + 1)
    formset_class_sized = type(formset_class.__name__, (formset_class,), {"min_num": rows})
    return formset_class_sized(initial=initial, prefix=prefix)


def _pick(options: list[Any], pk: Any) -> Any:
    found = next((o for o in options if o.pk == pk), None)
    if found is None:
        raise Http404
    return found


def _line_in(lines: list[BudgetLine], pk: Any, field: str) -> BudgetLine:
    line = next((line for line in lines if line.pk == pk), None)
    if line is None:
        from govbuy.core.errors import ValidationFailed

        message = _("Choose one of your budget lines.")
        raise ValidationFailed(message, fields={field: [message]})
    return line


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    ctx = _project_context(request)
    if not ctx["purchasers"]:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, purchasers=ctx["purchasers"], lines=ctx["lines"], items=ctx["items"])
    costs = _padded(forms.CostLineFormSet, [], "cost", data)
    targets = _padded(forms.TargetFormSet, _initial_targets(None), "target", data)
    if request.method == "POST" and form.is_valid() and costs.is_valid() and targets.is_valid():
        d = form.cleaned_data
        try:
            conversion = None
            if d["is_conversion"]:
                conversion = proposals.ConversionInput(
                    source_line=_line_in(ctx["lines"], d["source_line"], "source_line"),
                    amount=d["transfer_amount"],
                    former_service=d["former_service"],
                )
            project = proposals.propose_project(
                actor=request.user,
                purchaser=_pick(ctx["purchasers"], d["purchaser"]),
                budget_line=_line_in(ctx["lines"], d["budget_line"], "budget_line"),
                title=d["title"],
                catalog_item=selectors.catalog_item(d["catalog_item"]),
                outside_catalog_name=d["outside_catalog_name"],
                service_description=d["service_description"],
                beneficiaries=d["beneficiaries"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                recurring=d["recurring"],
                stable_content=d["stable_content"],
                budget_secured=d["budget_secured"],
                in_procurement_scope=d["in_procurement_scope"],
                suggested_method=d["suggested_method"],
                cost_lines=_rows(costs),
                targets=_rows(targets),
                conversion=conversion,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return render(
                request,
                "planning/project_form.html",
                {"form": form, "costs": costs, "targets": targets},
                status=_status(exc),
            )
        messages.success(request, _("Project %(ref)s saved as a draft.") % {"ref": project.reference})
        return redirect("planning:project", project.pk)
    return render(request, "planning/project_form.html", {"form": form, "costs": costs, "targets": targets})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk)
    if not rules.may_act_for_purchaser(scope_for(request.user), project.purchaser_id):
        raise Http404
    if project.status not in rules.EDITABLE:
        messages.error(request, _("Only a draft or a returned project can be changed."))
        return redirect("planning:project", project.pk)
    ctx = _project_context(request, editing=project)
    data = request.POST if request.method == "POST" else None
    initial = {
        "budget_line": project.budget_line_id,
        "title": project.title,
        "catalog_item": project.catalog_item_id,
        "outside_catalog_name": project.outside_catalog_name,
        "service_description": project.service_description,
        "beneficiaries": project.beneficiaries,
        "period_start": project.period_start,
        "period_end": project.period_end,
        "recurring": project.recurring,
        "stable_content": project.stable_content,
        "budget_secured": project.budget_secured,
        "in_procurement_scope": project.in_procurement_scope,
        "suggested_method": project.suggested_method,
    }
    form = forms.ProjectForm(
        data, initial=initial, purchasers=ctx["purchasers"], lines=ctx["lines"], items=ctx["items"], editing=True
    )
    version_form = forms.VersionForm(data, initial={"version": project.version})
    costs = _padded(forms.CostLineFormSet, _initial_costs(project), "cost", data)
    targets = _padded(forms.TargetFormSet, _initial_targets(project), "target", data)
    context = {"form": form, "costs": costs, "targets": targets, "project": project, "version_form": version_form}
    if (
        request.method == "POST"
        and form.is_valid()
        and costs.is_valid()
        and targets.is_valid()
        and version_form.is_valid()
    ):
        d = form.cleaned_data
        try:
            proposals.update_project(
                actor=request.user,
                project=project,
                version=version_form.cleaned_data["version"],
                budget_line=_line_in(ctx["lines"], d["budget_line"], "budget_line"),
                cost_lines=_rows(costs),
                targets=_rows(targets),
                title=d["title"],
                catalog_item=selectors.catalog_item(d["catalog_item"]),
                outside_catalog_name=d["outside_catalog_name"],
                service_description=d["service_description"],
                beneficiaries=d["beneficiaries"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                recurring=d["recurring"],
                stable_content=d["stable_content"],
                budget_secured=d["budget_secured"],
                in_procurement_scope=d["in_procurement_scope"],
                suggested_method=d["suggested_method"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return render(request, "planning/project_form.html", context, status=_status(exc))
        messages.success(request, _("Project saved."))
        return redirect("planning:project", project.pk)
    return render(request, "planning/project_form.html", context)


def _permissions(user: Any, project: Project) -> dict[str, bool]:
    scope = scope_for(user)
    own = rules.may_act_for_purchaser(scope, project.purchaser_id)
    finance = rules.may_review_finance(scope, region_id=project.region_id)
    staffing = rules.may_review_staffing(scope, region_id=project.region_id, region_parent_id=project.region.parent_id)
    status = project.status
    return {
        "can_edit": own and status in rules.EDITABLE,
        "can_submit": own and status in rules.EDITABLE,
        "can_withdraw": own and status in rules.EDITABLE,
        "can_cancel": own and status in (ProjectStatus.APPROVED, ProjectStatus.IN_PLAN),
        "can_start_review": finance and status == ProjectStatus.SUBMITTED,
        "can_decide": finance and status == ProjectStatus.UNDER_REVIEW,
        "can_return": finance and status in rules.WAITING_FOR_FINANCE,
        "can_staffing": staffing and project.staffing_review == "pending" and status in rules.WAITING_FOR_FINANCE,
    }


def _render_detail(request: HttpRequest, project: Project, *, status: int = 200) -> HttpResponse:
    detail = selectors.project_detail(project)
    return render(
        request,
        "planning/project_detail.html",
        {
            "project": project,
            **detail,
            **_permissions(request.user, project),
            "decision_form": forms.DecisionForm(initial={"version": project.version}),
            "reason_form": forms.ReasonForm(initial={"version": project.version}),
            "version_form": forms.VersionForm(initial={"version": project.version}),
            "history": selectors.history(project, detail["transfer"]),
            "outside_catalog": project.purchasability in ("outside_catalog", "approved_outside_catalog"),
            "panels": review_panels(project.pk),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.project_for(request.user, pk))


ACTIONS = {
    "submit": (reviews.submit_project, "version", _("Project submitted to the finance bureau.")),
    "withdraw": (reviews.withdraw_project, "reason", _("Project withdrawn; its money is back on the line.")),
    "cancel": (reviews.cancel_project, "reason", _("Project cancelled.")),
    "start-review": (reviews.start_review, "version", _("Review started.")),
    "approve": (reviews.approve_project, "decision", _("Project approved.")),
    "return": (reviews.return_project, "decision", _("Project returned with comments.")),
    "staffing-confirm": (reviews.confirm_staffing, "decision", _("Confirmed: no new posts or bodies.")),
    "staffing-return": (reviews.return_staffing, "decision", _("Project returned with comments.")),
}


@login_required
@require_POST
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    project = selectors.project_for(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    service, kind, done = ACTIONS[action]
    form_class = {"version": forms.VersionForm, "reason": forms.ReasonForm, "decision": forms.DecisionForm}[kind]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page and try again."))
        return redirect("planning:project", project.pk)
    kwargs: dict[str, Any] = {"actor": request.user, "project": project, "version": form.cleaned_data["version"]}
    if kind == "reason":
        kwargs["reason"] = form.cleaned_data["reason"]
    elif kind == "decision":
        kwargs["comment"] = form.cleaned_data["comment"]
        if action == "approve":
            kwargs["approve_outside_catalog"] = form.cleaned_data["approve_outside_catalog"]
            # A flagged project (suspected split purchase, negative-list doubt) is approved only
            # by someone who ticked that they read the warning.
            if (project.split_flag or project.negative_flag) and not form.cleaned_data["acknowledge_flags"]:
                messages.error(request, _("Tick the box to confirm you read the warning before approving."))
                return redirect("planning:project", project.pk)
    try:
        service(**kwargs)
    except DomainError as exc:
        # The page is shown again as it now stands, with the reason; a stale version is a 409.
        flash_domain_error(request, exc)
        return _render_detail(request, selectors.project_for(request.user, pk), status=_status(exc))
    messages.success(request, done)
    return redirect("planning:project", project.pk)


# --- Budgets --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def budget_list(request: HttpRequest) -> HttpResponse:
    if not sees_projects(request):
        raise Http404
    purchasers = selectors.writable_purchasers(request.user)
    form = forms.BudgetForm(request.POST or None, purchasers=purchasers) if purchasers else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                budget = budget_lines.create_budget(
                    actor=request.user,
                    purchaser=_pick(purchasers, d["purchaser"]),
                    fiscal_year=d["fiscal_year"],
                    note=d["note"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Budget created; add its lines."))
                return redirect("planning:budget", budget.pk)
    budgets = selectors.visible_budgets(request.user, year=request.GET.get("year"))
    page = Paginator(budgets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "planning/budget_list.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET"])
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for(request.user, pk)
    may_write = rules.may_act_for_purchaser(scope_for(request.user), budget.purchaser_id)
    return render(
        request,
        "planning/budget_detail.html",
        {
            "budget": budget,
            "lines": selectors.lines_of(budget),
            "transfers": selectors.transfers_of(budget),
            "projects": selectors.projects_on(budget),
            "may_write": may_write,
            "line_form": forms.LineForm() if may_write else None,
            "import_form": forms.ImportForm() if may_write else None,
            "history": selectors.history(budget),
        },
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for(request.user, pk)
    form = forms.LineForm(request.POST)
    if form.is_valid():
        try:
            budget_lines.add_line(actor=request.user, budget=budget, **form.cleaned_data)
        except DomainError as exc:
            flash_domain_error(request, exc)
        else:
            messages.success(request, _("Line added."))
    else:
        messages.error(request, _("Enter the code, the name and the amount."))
    return redirect("planning:budget", budget.pk)


@login_required
@require_POST
def budget_import(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a spreadsheet to import."))
        return redirect("planning:budget", budget.pk)
    try:
        outcome = budget_lines.import_lines(
            actor=request.user, budget=budget, file_name=upload.name or "budget.xlsx", data=upload.read()
        )
    except DomainError as exc:
        return render(
            request,
            "planning/import_errors.html",
            {
                "budget": budget,
                "message": exc.message,
                "errors": [str(m) for msgs in exc.fields.values() for m in msgs],
            },
            status=400,
        )
    messages.success(
        request,
        _("%(created)d lines added, %(updated)d changed.") % {"created": outcome.created, "updated": outcome.updated},
    )
    return redirect("planning:budget", budget.pk)


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_for(request.user, pk)
    if not rules.may_act_for_purchaser(scope_for(request.user), line.budget.purchaser_id):
        raise Http404
    form = forms.LineEditForm(
        request.POST or None, initial={"version": line.version, "name": line.name, "amount": line.budgeted_amount}
    )
    if request.method == "POST" and form.is_valid():
        try:
            budget_lines.update_line(actor=request.user, line=line, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
            return render(request, "planning/line_form.html", {"form": form, "line": line}, status=_status(exc))
        messages.success(request, _("Line saved."))
        return redirect("planning:budget", line.budget_id)
    return render(request, "planning/line_form.html", {"form": form, "line": line})


# --- Plans and threshold -----------------------------------------------------------------------------------


@login_required
@require_POST
def plan_publish(request: HttpRequest) -> HttpResponse:
    form = forms.PublishForm(request.POST)
    purchasers = selectors.writable_purchasers(request.user)
    if not form.is_valid():
        raise Http404
    purchaser = _pick(purchasers, form.cleaned_data["purchaser"])
    try:
        plan = annual_plans.publish_plan(
            actor=request.user,
            purchaser=purchaser,
            fiscal_year=form.cleaned_data["fiscal_year"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
        return redirect("planning:projects")
    messages.success(request, _("Version %(n)d of the annual plan is published.") % {"n": plan.number})
    return redirect("plans:plan", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def threshold(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (rules.may_edit_threshold(scope) or scope.is_oversight):
        raise Http404
    regions = list(Region.objects.order_by("level", "code"))
    form = forms.ThresholdForm(request.POST or None, regions=regions) if rules.may_edit_threshold(scope) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                budget_lines.set_threshold(
                    actor=request.user, region=_pick(regions, d["region"]), amount=d["amount"], source=d["source"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Threshold saved."))
                return redirect("planning:threshold")
    return render(
        request,
        "planning/threshold.html",
        {"form": form, "thresholds": selectors.thresholds(), "default": selectors.default_threshold()},
    )
