from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.audit.selectors import EventFilters
from govbuy.core.forms import Form


class EventFilterForm(Form):
    action = forms.CharField(
        label=_("Action code starts with"),
        required=False,
        max_length=100,
        help_text=_("For example “organizations.” or “procurement.bid”."),
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor (user name or id)"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> EventFilters:
        """The filters from the fields that are valid; an invalid field filters nothing."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return EventFilters(
            action_prefix=(data.get("action") or "").strip(),
            object_type=(data.get("object_type") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
            actor=(data.get("actor") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
