"""The project's form bases: text normalised (`govbuy.core.text`) and a service's refusal shown.

Every page form derives from `Form` or `ModelForm` here. A view that catches a `DomainError` from
a service calls `form.apply_domain_error(exc)`: per-field messages go on their fields, messages
for names the form does not have (cost lines, lots) are listed above it, and the error's own
sentence is shown when there are no per-field messages.
"""

from __future__ import annotations

from django import forms

from govbuy.core.errors import DomainError
from govbuy.core.text import NormalisedTextFormMixin


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on any form (also Django's own, e.g. the password forms)."""
    placed = False
    for name, messages in exc.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


class DomainErrorFormMixin:
    def apply_domain_error(self, exc: DomainError) -> None:
        apply_domain_error(self, exc)  # type: ignore[arg-type]


class Form(DomainErrorFormMixin, NormalisedTextFormMixin, forms.Form):
    """A page form: text normalised, domain errors shown."""


class ModelForm(DomainErrorFormMixin, NormalisedTextFormMixin, forms.ModelForm):
    """A page model form: text normalised, domain errors shown."""
