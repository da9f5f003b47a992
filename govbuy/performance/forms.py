"""Forms of the performance pages. They render labels and carry the input; the services decide
(weights summing to 100, the refusals of an evaluator, the comment period), and their refusals
come back on the fields through `apply_domain_error`."""

from __future__ import annotations

import copy
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import DomainError
from govbuy.core.forms import Form
from govbuy.core.money import AmountFormField
from govbuy.performance import survey_templates
from govbuy.performance.models import Direction, Family, RoundKind, ScoringRule, Subject, TargetSource

# The honeypot of the public comment form (as on a project's feedback form): hidden from people
# and from screen readers; a robot that fills it in is answered like a person, and nothing is kept.
HONEYPOT = "website"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def renamed(exc: DomainError, names: dict[str, str]) -> DomainError:
    """The refusal with its field names as the form calls them."""
    out = copy.copy(exc)
    out.fields = {names.get(k, k): v for k, v in exc.fields.items()}
    return out


def end_of_day(day: Any) -> datetime:
    """The end of a day in Beijing time: a period "until 30 June" includes 30 June."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def start_of_day(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


class SurveyOpenForm(Form):
    contract = forms.TypedChoiceField(label=_("Contract"), coerce=int)
    template = forms.ChoiceField(label=_("Survey template"))
    title = forms.CharField(
        label=_("Title (optional; the template's title when empty)"), max_length=200, required=False
    )
    count = forms.IntegerField(label=_("Number of invitation codes to print"), min_value=1, max_value=2000, initial=50)
    closes_on = forms.DateField(label=_("Answers accepted until"), widget=DATE)

    def __init__(self, *args: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [(c.pk, f"{c.reference} · {c.title}") for c in contracts]
        self.fields["template"].choices = survey_templates.choices()
        if not self.is_bound:
            self.initial.setdefault("closes_on", timezone.localdate() + timedelta(days=30))

    def apply_domain_error(self, exc: DomainError) -> None:
        # The service names the period "closes_at"; the form asks for a day.
        super().apply_domain_error(renamed(exc, {"closes_at": "closes_on", "questions": "template"}))


class RoundOpenForm(Form):
    """Opening an evaluation round: the contract, periodic or final, and the milestone it evaluates
    (the contract's own milestones, grouped by contract; the service refuses one of another contract)."""

    contract = forms.TypedChoiceField(label=_("Contract"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=RoundKind.choices)
    milestone = forms.TypedChoiceField(
        label=_("Milestone evaluated (optional)"), coerce=int, required=False, empty_value=None
    )
    select_reevaluation = forms.BooleanField(
        label=_("Ask the finance bureau for a re-evaluation (key projects are selected anyway)"), required=False
    )

    def __init__(self, *args: Any, contracts: Any, milestones: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [(c.pk, f"{c.reference} · {c.title}") for c in contracts]
        grouped: dict[str, list[tuple[int, str]]] = {}
        for m in milestones:
            grouped.setdefault(m.contract.reference, []).append((m.pk, f"{m.sequence} · {m.title}"))
        self.fields["milestone"].choices = [("", "—"), *grouped.items()]

    def apply_domain_error(self, exc: DomainError) -> None:
        if exc.code == "milestone" and not exc.fields:
            self.add_error("milestone", str(exc.message))
            return
        super().apply_domain_error(exc)


class CommissionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    evaluator = forms.TypedChoiceField(label=_("Third-party evaluator"), coerce=int)

    def __init__(self, *args: Any, evaluators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = [("", "—"), *((e.pk, e.name_zh) for e in evaluators)]


class ReportForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.FileField(label=_("Evaluation report (PDF)"))


class ConsultationForm(Form):
    subject = forms.ChoiceField(label=_("What is opened for comment"), choices=Subject.choices)
    catalog_version = forms.TypedChoiceField(
        label=_("Draft catalog version"), coerce=int, required=False, empty_value=None
    )
    fiscal_year = forms.IntegerField(label=_("Fiscal year of the draft plan"), required=False, min_value=2000)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is proposed"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8})
    )
    opens_on = forms.DateField(label=_("Open for comment from"), widget=DATE)
    closes_on = forms.DateField(label=_("Open for comment until"), widget=DATE)

    def __init__(self, *args: Any, subjects: list[str], versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [c for c in Subject.choices if c[0] in subjects]
        self.fields["catalog_version"].choices = [
            ("", "—"),
            *((v.pk, f"{v.region.name_zh} · v{v.number} · {v.get_status_display()}") for v in versions),
        ]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today + timedelta(days=30))
            self.initial.setdefault("fiscal_year", today.year + 1)

    def apply_domain_error(self, exc: DomainError) -> None:
        # The service's refusals without a field (by their code) go on the field they are about.
        by_code = {"period": "closes_on", "catalog_version": "catalog_version", "fiscal_year": "fiscal_year"}
        if not exc.fields and exc.code in by_code:
            exc = copy.copy(exc)
            exc.fields = {by_code[exc.code]: [exc.message]}
        super().apply_domain_error(exc)


class RejectCommentForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for rejecting (shown to staff and auditors only)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SummaryForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    received = forms.CharField(label=_("What was received"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    changed = forms.CharField(
        label=_("What was changed, and why other suggestions were not taken up"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CommentForm(Form):
    name = forms.CharField(label=_("Your name (optional, published)"), required=False, max_length=1000)
    message = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        help_text=_("At most 2000 characters. Comments are read before they are published."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def honeypot_filled(data: Any) -> bool:
    return bool(str(data.get(HONEYPOT) or "").strip())


class TemplateForm(Form):
    category_code = forms.CharField(label=_("Catalog category code"), max_length=32)
    category_name = forms.CharField(label=_("Catalog category"), max_length=200)
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    note = forms.CharField(label=_("Note on this version"), max_length=300, required=False)


class IndicatorForm(Form):
    family = forms.ChoiceField(label=_("Indicator family"), choices=[("", "—"), *Family.choices], required=False)
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    weight = forms.CharField(label=_("Weight"), max_length=10, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    rule = forms.ChoiceField(label=_("Scoring rule"), choices=[("", "—"), *ScoringRule.choices], required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, required=False)
    target_source = forms.ChoiceField(
        label=_("Target source"), choices=[("", "—"), *TargetSource.choices], required=False
    )
    target_key = forms.CharField(label=_("Target name"), max_length=200, required=False)
    target_value = forms.CharField(label=_("Target value"), max_length=20, required=False)

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not any(str(data.get(k) or "").strip() for k in ("name", "weight", "family", "rule")):
            return None
        return {k: v for k, v in data.items() if v not in (None, "")}


IndicatorFormSet = formset_factory(IndicatorForm, extra=0, min_num=1, max_num=40, validate_max=True)


class ThresholdForm(Form):
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    amount = AmountFormField(label=_("Threshold (yuan)"))
    note = forms.CharField(label=_("Basis"), max_length=300, required=False)
