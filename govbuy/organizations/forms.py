"""Forms only shape input; the services decide. Domain errors land on the matching field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.core.forms import Form
from govbuy.organizations import rules, uscc
from govbuy.organizations.kinds import Family
from govbuy.organizations.models import Membership, OrganisationKind, Region

USCC_HELP = _(
    "18 characters. Full-width characters, lower case, spaces and hyphens are accepted and "
    "normalised. Leave empty for an individual."
)


def show_normalised(form: forms.Form, field: str) -> None:
    """After a refusal, show the code as it would be stored, not as it was typed."""
    cleaned = getattr(form, "cleaned_data", {})
    if form.is_bound and field in cleaned:
        data = form.data.copy()
        data[field] = cleaned[field]
        form.data = data


def kind_choices(kinds: list[str] | None = None) -> list[tuple[str, Any]]:
    """Kinds grouped by family; the Art. 8 exclusions are listed so choosing one explains the refusal."""
    groups: list[tuple[Any, list[tuple[str, Any]]]] = []
    for family in (Family.PURCHASER, Family.PROVIDER, Family.OVERSIGHT, Family.EXCLUDED):
        members = [
            (value, label)
            for value, label in OrganisationKind.choices
            if rules.family_of(value) is family and (kinds is None or value in kinds or family is Family.EXCLUDED)
        ]
        if members:
            groups.append((rules.family_label(family), members))
    return [("", "---------"), *groups]


class UsccField(forms.CharField):
    """Accepts the code as people type it and hands on the normalised form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", USCC_HELP)
        kwargs.setdefault("label", _("unified social credit code"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return uscc.normalise(super().to_python(value) or "")


class OrganisationForm(Form):
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("kind"))
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none())
    uscc = UsccField()

    def __init__(self, *args: Any, kinds: list[str] | None = None, regions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(kinds)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.all()


class OrganisationEditForm(OrganisationForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, can_move: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_move:
            # Kind and region belong to whoever manages the organisation; its own admin sees them.
            self.fields["kind"].disabled = True
            self.fields["region"].disabled = True


class ContactsForm(Form):
    """The address and contacts public notices print (services.update_contacts checks them)."""

    address = forms.CharField(label=_("address"), max_length=300, required=False)
    postcode = forms.CharField(label=_("postcode"), max_length=6, required=False)
    contact_person = forms.CharField(label=_("contact person"), max_length=100, required=False)
    phone = forms.CharField(label=_("telephone"), max_length=40, required=False)
    email = forms.CharField(label=_("e-mail"), max_length=254, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeactivateForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class AddMemberForm(Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices)


class RoleForm(Form):
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices)


class RegionForm(Form):
    code = forms.CharField(label=_("administrative division code"), max_length=12)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    level = forms.ChoiceField(label=_("level"), choices=Region.Level.choices)


class UsccCheckForm(Form):
    code = UsccField(required=True, help_text=_("Full-width characters, lower case, spaces and hyphens are accepted."))
    kind = forms.ChoiceField(label=_("kind (optional, to compare the prefix)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
