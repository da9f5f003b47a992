"""The project's form bases: text normalised (`govbuy.core.text`) and a service's refusal shown.

Every page form derives from `Form` or `ModelForm` here. A view that catches a `DomainError` from
a service calls `form.apply_domain_error(exc)`: per-field messages go on their fields, messages
for names the form does not have (cost lines, lots) are listed above it, and the error's own
sentence is shown when there are no per-field messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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


class QuickSelect(forms.Select):
    """A `<select>` written in Python: the same markup as Django's Select, without its template
    per option (about 0.3 ms an option under load, so 30 purchasers cost more than the rest of a
    list page; docs/benchmarks.md, the uncached path). For single-choice fields."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            listed = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
            )
            if group_name:
                listed = format_html('<optgroup label="{}">{}</optgroup>', group_name, listed)
            groups.append(listed)
        body = format_html_join("", "{}", ((group,) for group in groups))
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), body)
