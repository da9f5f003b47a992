"""Forms for the staff pages. They parse and present; the rules live in rules.py and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from govbuy.core.forms import Form
from govbuy.core.money import AmountFormField
from govbuy.planning.models import CostCategory, IndicatorFamily, Method, PerformanceTarget

COST_ROWS = 6
TARGET_ROWS = 6


class BudgetForm(Form):
    purchaser = forms.TypedChoiceField(label=_("Purchaser"), coerce=int)
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, purchasers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].choices = [(p.pk, p.name_zh) for p in purchasers]


class LineForm(Form):
    code = forms.CharField(label=_("Economic classification code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = AmountFormField(label=_("Amount (yuan)"))


class LineEditForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = AmountFormField(label=_("Amount budgeted (yuan)"))


class ImportForm(Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx: code, name, amount)"))


class ProjectForm(Form):
    purchaser = forms.TypedChoiceField(label=_("Purchaser"), coerce=int)
    budget_line = forms.TypedChoiceField(label=_("Budget line it draws on"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    catalog_item = forms.TypedChoiceField(label=_("Catalog item"), coerce=int, required=False, empty_value=None)
    outside_catalog_name = forms.CharField(
        label=_("Or, a service outside the catalog (needs the finance bureau's approval)"),
        max_length=200,
        required=False,
    )
    service_description = forms.CharField(
        label=_("Service description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    beneficiaries = forms.CharField(label=_("Beneficiaries"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    period_start = forms.DateField(label=_("Service period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Service period to"), widget=forms.DateInput(attrs={"type": "date"}))
    recurring = forms.BooleanField(label=_("Recurring service"), required=False)
    stable_content = forms.BooleanField(label=_("Stable content"), required=False)
    budget_secured = forms.BooleanField(label=_("Budget secured for the whole term"), required=False)
    in_procurement_scope = forms.BooleanField(
        label=_("Inside the government-procurement scope"), required=False, initial=True
    )
    suggested_method = forms.ChoiceField(label=_("Suggested method"), choices=Method.choices)
    is_conversion = forms.BooleanField(label=_("Converts a service formerly done in-house"), required=False)
    source_line = forms.TypedChoiceField(
        label=_("In-house line the funds move from"), coerce=int, required=False, empty_value=None
    )
    transfer_amount = forms.CharField(label=_("Amount moved (yuan)"), max_length=30, required=False)
    former_service = forms.CharField(label=_("Service formerly done in-house"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        purchasers: list[Any],
        lines: list[Any],
        items: list[Any],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].choices = [(p.pk, p.name_zh) for p in purchasers]
        line_choices = [
            (line.pk, f"{line.budget.fiscal_year} · {line.code} {line.name} (¥{line.available:,})") for line in lines
        ]
        self.fields["budget_line"].choices = line_choices
        self.fields["source_line"].choices = [("", "—"), *line_choices]
        self.fields["catalog_item"].choices = [("", "—")] + [
            (i.pk, f"{i.version.region.name_zh} v{i.version.number} · {i.code} {i.name_zh}") for i in items
        ]
        if editing:
            for name in ("purchaser", "is_conversion", "source_line", "transfer_amount", "former_service"):
                del self.fields[name]


class CostLineForm(Form):
    description = forms.CharField(label=_("Task"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Cost category"), choices=CostCategory.choices, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=20, required=False)
    unit_cost = forms.CharField(label=_("Unit cost (yuan)"), max_length=30, required=False)

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not any(str(data.get(k) or "").strip() for k in ("description", "unit", "quantity", "unit_cost")):
            return None
        return dict(data)


class TargetForm(Form):
    family = forms.ChoiceField(label=_("Indicator family"), choices=IndicatorFamily.choices, required=False)
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=PerformanceTarget.Direction.choices, required=False)
    target_value = forms.CharField(label=_("Target value"), max_length=20, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not any(str(data.get(k) or "").strip() for k in ("name", "target_value", "unit")):
            return None
        return dict(data)


CostLineFormSet = formset_factory(CostLineForm, extra=0, min_num=COST_ROWS, max_num=50, validate_max=True)
TargetFormSet = formset_factory(TargetForm, extra=0, min_num=TARGET_ROWS, max_num=30, validate_max=True)


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(VersionForm):
    comment = forms.CharField(
        label=_("Comments"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    approve_outside_catalog = forms.BooleanField(
        label=_("I approve the purchase of this service outside the catalog"), required=False
    )
    acknowledge_flags = forms.BooleanField(
        label=_("I have read the warning above and approve with it in mind"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-acknowledge": ""}),
    )


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class PublishForm(Form):
    purchaser = forms.IntegerField(widget=forms.HiddenInput)
    fiscal_year = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=2000)


class ThresholdForm(Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    amount = AmountFormField(label=_("Public-tender threshold for services (yuan)"))
    source = forms.CharField(label=_("Source (document)"), max_length=300, required=False)

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.pk, r.name_zh) for r in regions]
