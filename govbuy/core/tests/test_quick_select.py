"""QuickSelect writes the same <select> as Django's Select, without a template per option."""

from __future__ import annotations

import re

import pytest
from django import forms

from govbuy.core.forms import QuickSelect

CHOICES = [("", "all"), ("a<", "A & <b>"), ("G", [("2", "二"), ("3", "三")])]


class Both(forms.Form):
    django = forms.ChoiceField(choices=CHOICES, required=False)
    quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)


def _markup(html: str) -> str:
    return (
        re.sub(r">\s+<", "><", html.strip())
        .replace('name="django" id="id_django"', "")
        .replace('name="quick" id="id_quick"', "")
    )


@pytest.mark.parametrize("chosen", [None, "a<", "2"])
def test_the_markup_is_djangos(chosen):
    form = Both({"django": chosen, "quick": chosen} if chosen else {})
    assert form.is_valid()
    assert _markup(str(form["quick"])) == _markup(str(form["django"]))
    assert "&lt;b&gt;" in str(form["quick"])


def test_an_error_keeps_the_accessible_attributes():
    form = Both({"quick": "nope"})
    assert not form.is_valid()
    html = str(form["quick"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_quick_error"' in html
