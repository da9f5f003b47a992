"""Text typed by people, normalised in one place for forms and the API (issue 18).

NFC (one spelling for the same character), zero-width characters and bidirectional controls
removed (a right-to-left override can make an organisation name read differently from what is
stored), surrounding whitespace stripped. A value that is blank afterwards counts as blank, so a
title made only of invisible characters is refused like an empty one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms

# Zero-width space/joiners, word joiner, soft hyphen, BOM, Mongolian vowel separator, and every
# bidirectional embedding, override and isolate control (U+202A–202E, U+2066–2069, LRM/RLM/ALM).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]")


def normalise_text(value: str) -> str:
    """NFC, invisible and bidi controls removed, surrounding whitespace stripped."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", value)).strip()


class NormalisedTextFormMixin:
    """For forms: every text field's value is normalised after cleaning; blank-after is "required".

    Part of the project's form bases (`govbuy.core.forms.Form` and `ModelForm`), so ModelForm
    fields generated from models are covered too. Fields with strip=False (passwords) are left alone.
    """

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            # Passwords and secrets (strip=False) are taken exactly as typed.
            if not isinstance(field, forms.CharField) or not field.strip or not isinstance(value, str) or not value:
                continue
            cleaned = normalise_text(value)
            if not cleaned and field.required:
                del self.cleaned_data[name]
                self.add_error(name, forms.ValidationError(field.error_messages["required"], code="required"))  # type: ignore[attr-defined]
            else:
                self.cleaned_data[name] = cleaned
