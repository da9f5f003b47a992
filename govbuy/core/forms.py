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
from django.utils.html import escape, format_html
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
    and context per option. At 100,000 projects the public tender list offers 1,000 purchasers;
    Django's widget took 25 ms to write them, more than the rest of the page
    (docs/benchmarks.md). For single-choice fields."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        parts: list[str] = []

        def option(option_value: Any, label: Any) -> str:
            text = "" if option_value is None else str(option_value)
            selected = ""
            if text in chosen:
                selected = " selected"
                chosen.discard(text)  # one selected option, as Django's single select marks
            return f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(group_value))}">')
                parts.extend(option(v, label) for v, label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(option(group_value, group_label))
        # Every value and label was escaped above (`escape`); joining escaped text needs no
        # second pass, which would cost the per-option format_html this widget exists to avoid.
        body = SafeString("".join(parts))  # nosec B703  # escaped part by part above
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), body)
