"""Issue 18, bad input: one number parser and one text normalisation, the same in forms and the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from govbuy.core.errors import ValidationFailed
from govbuy.core.forms import Form
from govbuy.core.money import NOT_A_NUMBER, NOT_EXACT, TOO_LARGE, TOO_PRECISE, AmountFormField, parse_decimal
from govbuy.core.text import normalise_text

RLO = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.mark.parametrize(
    "value", ["1e30", "1e400", "-1e400", "1E2", "NaN", "nan", "inf", "-Infinity", "sNaN", "", "1 2.3.4", "abc", "0x10"]
)
def test_exponents_nan_infinities_and_garbage_are_not_numbers(value):
    with pytest.raises(ValidationFailed) as caught:
        parse_decimal(value, field="amount")
    assert caught.value.code == "not_decimal"
    assert caught.value.fields == {"amount": [NOT_A_NUMBER]}


def test_a_float_is_refused_because_money_is_an_exact_string():
    with pytest.raises(ValidationFailed) as caught:
        parse_decimal(0.1)
    assert caught.value.message == NOT_EXACT


def test_more_than_two_decimals_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        parse_decimal("1.005")
    assert caught.value.message == TOO_PRECISE


def test_an_amount_beyond_the_money_column_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        parse_decimal("100000000000000")
    assert caught.value.message == TOO_LARGE


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("１２０，０００．５", "120000.50"),
        ("120,000", "120000.00"),
        (" 99.9 ", "99.90"),
        ("-5", "-5.00"),
        ("1.50", "1.50"),
    ],
)
def test_full_width_digits_and_thousands_separators_are_normalised(typed, value):
    assert parse_decimal(typed) == Decimal(value)


class _AmountForm(Form):
    price = AmountFormField()
    title = forms.CharField(max_length=50)
    note = forms.CharField(max_length=50, required=False)
    password = forms.CharField(strip=False)


def test_the_form_field_answers_the_same_chinese_message_as_the_api():
    with translation.override("zh-hans"):
        form = _AmountForm({"price": "1e30", "title": "t", "password": "x"})
        assert not form.is_valid()
        assert form.errors["price"] == [str(NOT_A_NUMBER)]
        assert str(NOT_A_NUMBER) != "Enter a number in digits, with at most two decimals (for example 120000.50)."


def test_the_form_field_gives_the_service_an_exact_decimal():
    form = _AmountForm({"price": "９８，０００．００", "title": "t", "password": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["price"] == Decimal("98000.00")


def test_text_is_nfc_without_invisible_or_bidirectional_controls():
    assert normalise_text(f" 社区{ZERO_WIDTH}服务{RLO}中心 ") == "社区服务中心"
    assert normalise_text("Cafe\u0301") == "Café"
    assert normalise_text(ZERO_WIDTH + RLO) == ""


def test_a_form_title_made_only_of_invisible_characters_is_blank():
    form = _AmountForm({"price": "1", "title": ZERO_WIDTH + RLO, "note": RLO, "password": "x"})
    assert not form.is_valid()
    assert "title" in form.errors
    assert form.errors["title"] == [str(forms.Field.default_error_messages["required"])]


def test_form_text_is_stored_normalised_but_passwords_are_taken_as_typed():
    form = _AmountForm({"price": "1", "title": f"标题{RLO}", "note": f"{ZERO_WIDTH}备注", "password": f" p{RLO} "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "标题"
    assert form.cleaned_data["note"] == "备注"
    assert form.cleaned_data["password"] == f" p{RLO} "
