"""Forms of the portal's feedback and of its moderation. They render labels and carry the input;
the rules (lengths, empty message) live in feedback_rules, so the page and the API refuse the
same input with the same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import DomainError
from govbuy.core.forms import Form
from govbuy.portal import rules

# The honeypot: a field people never see (hidden, and hidden from screen readers too) but form-
# filling robots do. A submission with it filled is answered like any other and not stored.
HONEYPOT = "website"


class FeedbackForm(Form):
    name = forms.CharField(
        label=_("Your name (optional, published)"), required=False, max_length=rules.MAX_NAME * 10, strip=True
    )
    contact = forms.CharField(
        label=_("Phone or e-mail (optional, never published)"),
        required=False,
        max_length=rules.MAX_CONTACT * 10,
        strip=True,
    )
    message = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=rules.MAX_MESSAGE * 10,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": rules.MAX_MESSAGE}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def add_domain_error(self, error: DomainError) -> None:
        """Show the service's refusal on the form: per field where it names one, else on top."""
        for name, messages in error.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, str(message))
        if not error.fields:
            self.add_error(None, str(error.message))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request, in the reader's language (a lazy string formatted at import time
        # would stay in the language of the import).
        self.fields["message"].help_text = _(
            "At most %(max)d characters. The purchaser reads every comment before it is published."
        ) % {"max": rules.MAX_MESSAGE}


class RejectForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for rejecting (shown to staff and auditors only)"),
        max_length=rules.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reply = forms.CharField(
        label=_("Public reply"), max_length=rules.MAX_REPLY, widget=forms.Textarea(attrs={"rows": 4})
    )


def honeypot_filled(data: Any) -> bool:
    return bool(str(data.get(HONEYPOT) or "").strip())
