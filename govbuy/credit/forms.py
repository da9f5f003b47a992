"""Forms of the credit pages: parsing only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.core.forms import Form
from govbuy.credit.models import ENTERED_KINDS, FactKind, ListKind


class FactForm(Form):
    provider = forms.IntegerField(label=_("provider (id)"), min_value=1)
    kind = forms.ChoiceField(label=_("kind of fact"), choices=[(k, FactKind(k).label) for k in sorted(ENTERED_KINDS)])
    occurred_on = forms.DateField(label=_("date of the fact"))
    summary = forms.CharField(label=_("facts"), max_length=1000, widget=forms.Textarea)
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300)
    evidence = forms.FileField(label=_("evidence document"), required=False)


class ObjectionForm(Form):
    text = forms.CharField(label=_("grounds"), max_length=4000, widget=forms.Textarea)
    evidence = forms.FileField(label=_("evidence document"), required=False)


class DecisionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("uphold: withdraw the fact")), ("0", _("reject: the fact stands"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(label=_("reasons"), max_length=4000, widget=forms.Textarea)


class BanForm(Form):
    provider = forms.IntegerField(label=_("provider (id)"), min_value=1)
    starts_on = forms.DateField(label=_("ban starts"))
    ends_on = forms.DateField(label=_("ban ends (last day)"))
    facts = forms.CharField(label=_("facts of the violation"), max_length=2000, widget=forms.Textarea)
    penalty = forms.CharField(label=_("penalty"), max_length=1000)
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300)
    decision_number = forms.CharField(label=_("decision number"), max_length=100)


class ListImportForm(Form):
    kind = forms.ChoiceField(label=_("list"), choices=ListKind.choices)
    publisher = forms.CharField(label=_("published by"), max_length=200)
    source = forms.CharField(label=_("source (address or reference)"), max_length=500)
    as_of = forms.DateField(label=_("as of"))
    file = forms.FileField(label=_("file (.xlsx or .csv)"))
