from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from govbuy.audit.describe import registered_codes
from govbuy.audit.selectors import EventFilters
from govbuy.core.forms import Form


def _model_label(app_label: str, model_name: str) -> str | None:
    try:
        return str(apps.get_model(app_label, model_name)._meta.verbose_name)
    except LookupError:
        return None


def kind_choices() -> list[tuple[str, str]]:
    """Kinds of event in words: each app ("采购") and each kind of record in it ("采购 · 投标"),
    from the action codes that have sentences. The value is the code prefix the filter uses."""
    choices: dict[str, str] = {}
    for code in sorted(registered_codes()):
        parts = code.split(".")
        try:
            app_name = str(apps.get_app_config(parts[0]).verbose_name)
        except LookupError:
            continue
        choices.setdefault(f"{parts[0]}.", app_name)
        if len(parts) > 2:
            model = _model_label(parts[0], parts[1])
            if model:
                choices.setdefault(f"{parts[0]}.{parts[1]}", f"{app_name} · {model}")
    return [("", _("all")), *sorted(choices.items())]


def object_type_choices() -> list[tuple[str, str]]:
    models = [m for m in apps.get_models() if m.__module__.startswith("govbuy.")]
    pairs = sorted((m._meta.label_lower, f"{m._meta.app_config.verbose_name} · {m._meta.verbose_name}") for m in models)
    return [("", _("all")), *pairs]


class EventFilterForm(Form):
    action = forms.ChoiceField(label=_("Kind of event"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    actor = forms.CharField(
        label=_("Person"), required=False, max_length=150, help_text=_("The person's name (or user number).")
    )
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = kind_choices()  # type: ignore[attr-defined]
        self.fields["object_type"].choices = object_type_choices()  # type: ignore[attr-defined]

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
            organisation=(data.get("organisation") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
