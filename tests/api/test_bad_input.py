"""Issue 18, bad input across the API: money through one parser, text normalised, wrong JSON types
refused; the same decisions as the forms (govbuy/core/tests/test_bad_input.py)."""

from __future__ import annotations

import pytest
from django.utils import translation

from govbuy.planning.services import budget_lines

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
RLO = "\u202e"


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(msgid))


@pytest.fixture
def budget(world):
    return budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=2028)


def _line(client, budget, amount):
    return client.post(
        f"/api/v1/planning/budgets/{budget.pk}/lines/",
        {"code": "30227", "name": "委托业务费", "amount": amount},
        content_type="application/json",
        **ZH,
    )


@pytest.mark.parametrize("amount", ["1e30", "1e400", "-1e400", "NaN", "-inf", "12,34.5.6"])
def test_a_budget_amount_in_exponent_form_is_a_400_in_chinese(world, login, budget, amount):
    response = _line(login(world.purchaser_a), budget, amount)
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "amount": [_zh("Enter a number in digits, with at most two decimals (for example 120000.50).")]
    }


@pytest.mark.parametrize("amount", [1000.5, 1000, True, ["1"]])
def test_a_budget_amount_that_is_not_a_string_is_refused(world, login, budget, amount):
    response = _line(login(world.purchaser_a), budget, amount)
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "amount": [_zh("Amounts must be given as exact decimals in a string, not floating-point numbers.")]
    }


def test_a_budget_amount_with_three_decimals_is_refused(world, login, budget):
    response = _line(login(world.purchaser_a), budget, "10.005")
    assert response.json()["fields"] == {"amount": [_zh("At most two decimal places are allowed.")]}


def test_full_width_digits_are_read_as_digits(world, login, budget):
    response = _line(login(world.purchaser_a), budget, "１２０，０００．５０")
    assert response.status_code == 201, response.content
    assert budget.lines.get().amount == 120000.50


def test_an_organisation_name_loses_its_direction_override(world, login):
    org = world.purchaser_a_org
    response = login(world.district_finance_a).patch(
        f"/api/v1/organisations/{org.pk}/",
        {"version": org.version, "name_zh": f"北京市{RLO}东城区民政局\u200b"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.name_zh == "北京市东城区民政局"


def test_an_organisation_name_of_invisible_characters_is_blank(world, login):
    org = world.purchaser_a_org
    response = login(world.district_finance_a).patch(
        f"/api/v1/organisations/{org.pk}/",
        {"version": org.version, "name_zh": "\u200b\u2060" + RLO},
        content_type="application/json",
        **ZH,
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"name_zh": [_zh("This field may not be blank.")]}


def test_a_number_is_not_an_organisation_name(world, login):
    org = world.purchaser_a_org
    response = login(world.district_finance_a).patch(
        f"/api/v1/organisations/{org.pk}/",
        {"version": org.version, "name_zh": 12345},
        content_type="application/json",
        **ZH,
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"name_zh": [_zh("Not a valid string.")]}
