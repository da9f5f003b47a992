"""Forms of procurement: they parse text into what the services take; every rule is in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.core.forms import Form, QuickSelect
from govbuy.core.money import AmountFormField
from govbuy.organizations.models import Organisation, Region
from govbuy.procurement.models import PeriodUnit, ProcurementMethod
from govbuy.procurement.selectors import tendering


def _rows(text: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per line, fields separated by '|' (name | weight | price?)."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        rows.append(dict(zip(keys, parts + [""] * (len(keys) - len(parts)), strict=False)))
    return rows


class TenderForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, max_length=4000, required=False)
    bid_deadline = forms.DateTimeField(
        label=_("Bid deadline (Beijing time)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    # xgettext:no-python-format
    bid_bond = AmountFormField(label=_("Bid bond (yuan, at most 2% of the budget)"), initial="0")
    criteria = forms.CharField(
        label=_("Criteria, one per line: name | weight | price (mark the price criterion with “price”)"),
        widget=forms.Textarea,
        initial="价格 | 30 | price\n服务方案 | 50\n人员配置 | 20",
    )
    lots = forms.CharField(
        label=_("Lots (optional), one per line: title | budget"), widget=forms.Textarea, required=False
    )
    method_reason = forms.CharField(label=_("Reason for the method (if the method needs one)"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        criteria = [
            {"name": r["name"], "weight": r["weight"], "is_price": r["price"].lower() in ("price", "价格", "y", "yes")}
            for r in _rows(data["criteria"], ("name", "weight", "price"))
        ]
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "bid_deadline": data["bid_deadline"],
            "bid_bond": data["bid_bond"],
            "criteria": criteria,
            "lots": _rows(data.get("lots") or "", ("title", "budget")),
            "method_reason": data.get("method_reason") or "",
        }


class BidForm(Form):
    price = AmountFormField(label=_("Price (yuan)"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")

    def __init__(self, *args: Any, lots: list[Any], conditions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conditions = conditions
        if len(lots) > 1:
            self.fields["lot"] = forms.TypedChoiceField(
                label=_("Lot"), coerce=int, choices=[(lot.pk, f"{lot.number} {lot.title}") for lot in lots]
            )
        for condition in conditions:
            self.fields[f"response_{condition.pk}"] = forms.CharField(
                label=condition.text, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
            )
        self.fields["document"] = forms.FileField(label=_("Document (PDF, Word, Excel, PNG, JPEG)"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        files = self.files.getlist("document") if self.files else []
        return {
            "lot": data.get("lot"),
            "price": data["price"],
            "currency": data["currency"],
            "responses": {str(c.pk): data.get(f"response_{c.pk}", "") for c in self.conditions},
            "documents": [(f.name or "", f.read()) for f in files],
        }


class MethodForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    min_period = forms.IntegerField(label=_("Minimum period"), min_value=0, max_value=365)
    min_period_unit = forms.ChoiceField(label=_("Unit"), choices=PeriodUnit.choices)
    min_suppliers = forms.IntegerField(label=_("Minimum number of suppliers"), min_value=1, max_value=100)
    panel_size = forms.IntegerField(label=_("Minimum panel size"), min_value=0, max_value=50)
    expert_share_percent = forms.IntegerField(label=_("Minimum share of experts (%)"), min_value=0, max_value=100)
    price_weight_min = forms.IntegerField(label=_("Minimum price weight"), min_value=0, max_value=100)
    price_weight_max = forms.IntegerField(label=_("Maximum price weight"), min_value=0, max_value=100)
    publicity_working_days = forms.IntegerField(label=_("Publicity (working days)"), min_value=0, max_value=60)
    random_invitations = forms.IntegerField(label=_("Suppliers invited at random"), min_value=0, max_value=50)

    def __init__(self, *args: Any, instance_values: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].initial = getattr(instance_values, name)


class QuestionForm(Form):
    question = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class _ChangeForm(Form):
    affects_bids = forms.BooleanField(label=_("This affects the preparation of bids"), required=False)
    new_deadline = forms.DateTimeField(
        label=_("New bid deadline (Beijing time; needed when the change affects bids within 15 days of the deadline)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        required=False,
    )


class AnswerForm(_ChangeForm):
    answer = forms.CharField(
        label=_("Answer (published to everyone)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    field_order = ["answer", "affects_bids", "new_deadline"]


class NoticeForm(_ChangeForm):
    text = forms.CharField(
        label=_("Clarification or change of the tender documents (published to everyone)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    field_order = ["text", "affects_bids", "new_deadline"]


class PublicTenderFilterForm(Form):
    """The public list's filters, all in the URL (GET), with the choices in words."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("code"), required=False, to_field_name="code", label=_("Region")
    )
    method = forms.ModelChoiceField(
        queryset=ProcurementMethod.objects.order_by("pk"), required=False, to_field_name="code", label=_("Method")
    )
    purchaser = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("Purchaser"))
    category = forms.CharField(required=False, max_length=100, label=_("Service category"))
    published_from = forms.DateField(
        required=False, label=_("Published from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = forms.DateField(
        required=False, label=_("Published to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, purchasers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if purchasers is not None:
            self.fields["purchaser"].queryset = purchasers
        # The lists come ready from the cache (tendering.public_filter_choices); the querysets
        # only check a value that was sent.
        listed = tendering.public_filter_choices()
        for name in ("region", "method", "purchaser"):
            field = self.fields[name]
            field.widget = QuickSelect(attrs=field.widget.attrs)
            field.choices = [("", _("all")), *listed[name]]  # type: ignore[attr-defined]

    def apply_to(self, tenders: Any) -> Any:
        if not self.is_valid():
            return tenders
        data = self.cleaned_data
        if data.get("region"):
            tenders = tenders.filter(region=data["region"])
        if data.get("method"):
            tenders = tenders.filter(method=data["method"])
        if data.get("purchaser"):
            tenders = tenders.filter(purchaser=data["purchaser"])
        if data.get("category"):
            tenders = tenders.filter(project__catalog_item__name_zh__icontains=data["category"])
        zone = timezone.get_current_timezone()
        if data.get("published_from"):
            tenders = tenders.filter(published_at__gte=dt.datetime.combine(data["published_from"], dt.time.min, zone))
        if data.get("published_to"):
            end = data["published_to"] + dt.timedelta(days=1)
            tenders = tenders.filter(published_at__lt=dt.datetime.combine(end, dt.time.min, zone))
        return tenders
