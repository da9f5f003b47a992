"""Forms only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.core.forms import Form
from govbuy.organizations.forms import USCC_HELP, UsccField
from govbuy.organizations.kinds import EXCLUDED_KINDS, PROVIDER_KINDS
from govbuy.organizations.models import OrganisationKind, Region
from govbuy.providers.models import ConditionPattern


def provider_kind_choices() -> list[tuple[str, Any]]:
    """Provider kinds, and the Art. 8 exclusions so that choosing one explains the refusal."""
    kinds = [
        (value, label)
        for value, label in OrganisationKind.choices
        if (value in PROVIDER_KINDS and value != "individual") or value in EXCLUDED_KINDS
    ]
    return [("", "---------"), *kinds]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegistrationForm(Form):
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=provider_kind_choices)
    region = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.order_by("code"), empty_label=_("Choose one")
    )
    uscc = UsccField(required=True, help_text=USCC_HELP)
    registration_authority = forms.CharField(
        label=_("registration authority"), max_length=200, help_text=_("For example 北京市东城区民政局.")
    )
    legal_representative = forms.CharField(label=_("legal representative"), max_length=100)
    legal_representative_id = forms.CharField(
        label=_("legal representative's identity document number"),
        max_length=40,
        help_text=_("Used only to find providers with the same legal representative; only a keyed hash is kept."),
    )
    registered_address = forms.CharField(label=_("registered address"), max_length=300)
    registration_date = forms.DateField(label=_("registration date"), widget=DateInput())
    contact_name = forms.CharField(label=_("contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("contact telephone"), max_length=40)
    contact_email = forms.EmailField(label=_("contact e-mail"), required=False)
    username = forms.CharField(label=_("user name for signing in"), max_length=150)
    password = forms.CharField(
        label=_("password"), widget=forms.PasswordInput, help_text=_("At least 12 characters, not a common password.")
    )


class ProfileForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    registration_authority = forms.CharField(label=_("registration authority"), max_length=200)
    legal_representative = forms.CharField(label=_("legal representative"), max_length=100)
    legal_representative_id = forms.CharField(
        label=_("legal representative's identity document number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to keep the one on record."),
    )
    registered_address = forms.CharField(label=_("registered address"), max_length=300)
    contact_name = forms.CharField(label=_("contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("contact telephone"), max_length=40)
    contact_email = forms.EmailField(label=_("contact e-mail"), required=False)


class StatementForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    statement = forms.CharField(label=_("statement"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class DocumentForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("file"), help_text=_("PDF, PNG, JPEG, XLSX, DOCX or CSV; the content must match the extension.")
    )
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DateInput())


class StaffForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("name"), max_length=100)
    position = forms.CharField(label=_("position"), max_length=100)
    qualification = forms.CharField(label=_("qualification"), max_length=200)
    certificate_number = forms.CharField(label=_("certificate number"), max_length=100, required=False)
    qualification_valid_until = forms.DateField(
        label=_("qualification valid until"), required=False, widget=DateInput()
    )


class DecisionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("decision"), choices=[("accepted", _("accept")), ("rejected", _("reject"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)


class RelationForm(Form):
    other_uscc = UsccField(label=_("unified social credit code of the other provider"), required=True)
    note = forms.CharField(label=_("describe the control relation"), max_length=500)


class ServiceAreaForm(Form):
    item = forms.IntegerField(label=_("catalog item"))


class ConditionForm(Form):
    purchaser = forms.ModelChoiceField(label=_("purchaser"), queryset=None, empty_label=_("Choose one"))
    project_reference = forms.CharField(label=_("project"), max_length=200)
    text = forms.CharField(label=_("condition"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    service_requirement = forms.CharField(
        label=_("service requirement it serves"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, purchasers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = purchasers  # type: ignore[attr-defined]


class ConditionDecisionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approved", _("approve")), ("rejected", _("reject as unrelated to the service"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PatternForm(Form):
    code = forms.SlugField(label=_("code"), max_length=48)
    category = forms.ChoiceField(label=_("category"), choices=ConditionPattern.Category.choices)
    label_zh = forms.CharField(label=_("label (Chinese)"), max_length=200)
    label_en = forms.CharField(label=_("label (English)"), max_length=300)
    phrases = forms.CharField(
        label=_("phrases"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One per line. “*” stands for up to six characters. Traditional spellings match too."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
