"""What the city finance bureau sets up: indicator templates (a new version, or a new version of an
existing one; the weights must sum to 100, said on each weight) and the key-project thresholds
with the date each applies from. For anyone else these pages do not exist (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govbuy.core.errors import DomainError
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.forms import IndicatorFormSet, TemplateForm, ThresholdForm
from govbuy.performance.models import IndicatorTemplate
from govbuy.performance.services import templates

INDICATOR_FIELDS = ("family", "name", "weight", "unit", "rule", "direction", "target_source", "target_key")


def _require_city_finance(request: HttpRequest) -> None:
    if not rules.edits_templates(scope_for(request.user)):
        raise Http404


def _initial(source: IndicatorTemplate | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if source is None:
        return {}, []
    head = {"category_code": source.category_code, "category_name": source.category_name}
    rows = [
        {
            **{name: getattr(i, name) for name in INDICATOR_FIELDS},
            "weight": f"{i.weight.normalize():f}",
            "target_value": "" if i.target_value is None else f"{i.target_value.normalize():f}",
        }
        for i in source.indicators.all()
    ]
    return head, rows


def _formset(data: Any, initial: list[dict[str, Any]]) -> Any:
    if data is not None:
        return IndicatorFormSet(data, prefix="ind")
    sized = type("IndicatorFormSet", (IndicatorFormSet,), {"min_num": max(6, len(initial) + 2)})
    return sized(initial=initial, prefix="ind")


def place_on_rows(formset: Any, exc: DomainError) -> None:
    """Put a refusal about the indicators on the rows: "the weights must sum to 100" on every
    weight that was entered, a numbered indicator's problem on that row."""
    forms = [f for f in formset.forms if f.row() is not None]
    if exc.code == "weights_not_100":
        for form in forms:
            form.add_error("weight", str(exc.message))
        return
    for path, items in exc.fields.items():
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == "indicators" and parts[1].isdigit() and int(parts[1]) < len(forms):
            for message in items:
                forms[int(parts[1])].add_error(parts[2] if parts[2] in forms[0].fields else None, str(message))


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    _require_city_finance(request)
    source = None
    if request.GET.get("from"):
        source = performance_selectors.template_detail(request.GET["from"])
    head, rows = _initial(source)
    data = request.POST if request.method == "POST" else None
    form = TemplateForm(data, initial=head)
    indicators = _formset(data, rows)
    context = {"form": form, "indicators": indicators, "source": source}
    if data is not None and form.is_valid() and indicators.is_valid():
        try:
            created = templates.create_template(
                actor=request.user,
                indicators=[row for f in indicators.forms if (row := f.row()) is not None],
                **form.cleaned_data,
            )
        except DomainError as exc:
            indicator_error = exc.code in ("weights_not_100", "template_empty") or any(
                k.startswith("indicators") for k in exc.fields
            )
            if indicator_error:
                place_on_rows(indicators, exc)
                context["indicator_error"] = str(exc.message)
            else:
                form.apply_domain_error(exc)
            return render(request, "performance/template_form.html", context, status=exc.status)
        messages.success(request, _("Version %(n)d of the template is saved.") % {"n": created.number})
        return redirect("performance:template", created.pk)
    return render(request, "performance/template_form.html", context, status=400 if data is not None else 200)


@login_required
@require_http_methods(["GET", "POST"])
def threshold_list(request: HttpRequest) -> HttpResponse:
    _require_city_finance(request)
    form = ThresholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            templates.set_threshold(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("The key-project threshold is saved."))
            return redirect("performance:thresholds")
    context = {"form": form, "rows": performance_selectors.thresholds(), "default": rules.DEFAULT_KEY_THRESHOLD}
    return render(request, "performance/thresholds.html", context, status=400 if form.is_bound else 200)
