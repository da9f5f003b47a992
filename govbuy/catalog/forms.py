"""Forms only shape input; the services decide. Domain errors land on the matching field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.catalog.models import CODE_MAX_LENGTH
from govbuy.core.forms import Form


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


class DraftForm(Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("What this adjustment changes and why"), widget=forms.Textarea, required=False, max_length=4000
    )
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[("latest", _("the catalog in effect (copy its items)")), ("empty", _("an empty catalog"))],
        initial="latest",
    )

    def __init__(self, *args: Any, regions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.pk, f"{r.name_zh} ({r.code})") for r in regions]


class DraftSettingsForm(Form):
    version = VersionField()
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("What this adjustment changes and why"), widget=forms.Textarea, required=False, max_length=4000
    )


class ItemForm(Form):
    version = VersionField()
    code = forms.CharField(label=_("Code"), max_length=CODE_MAX_LENGTH)
    parent_code = forms.CharField(
        label=_("Parent code"), max_length=CODE_MAX_LENGTH, required=False, help_text=_("Empty for a level-1 category.")
    )
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    is_priority = forms.BooleanField(label=_("Priority livelihood service (民生)"), required=False)
    procurement_code = forms.CharField(
        label=_("Government procurement item code"),
        max_length=32,
        required=False,
        help_text=_("For example C08140101."),
    )


class ItemEditForm(ItemForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class PublishForm(Form):
    version = VersionField()
    effective_from = forms.DateField(label=_("In effect from"), widget=forms.DateInput(attrs={"type": "date"}))


class DiscardForm(Form):
    version = VersionField()
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CommentForm(Form):
    item_code = forms.CharField(label=_("Item code (optional)"), max_length=CODE_MAX_LENGTH, required=False)
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class FilingForm(Form):
    note = forms.CharField(
        label=_("Covering note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class DecideForm(Form):
    version = VersionField()
    comment = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class ImportForm(Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_(
            "Columns: code, level, parent_code, name_zh, name_en, notes; optionally is_priority and procurement_code."
        ),
    )
    title_zh = forms.CharField(label=_("Title (Chinese) of a new draft"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, regions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.pk, f"{r.name_zh} ({r.code})") for r in regions]


class MatterForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    code = forms.CharField(label=_("Code"), max_length=32)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    legal_basis_zh = forms.CharField(label=_("Legal basis (Chinese)"), max_length=300)
    legal_basis_en = forms.CharField(label=_("Legal basis (English)"), max_length=300, required=False)
    terms_zh = forms.CharField(
        label=_("Identifying phrases"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas. An item whose name contains one of them is refused."),
    )
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True)
