"""Issue 18, bad input in procurement: numbers, nested errors, wrong types, limits — each refused
with a 4xx in the project's shape and the request's language, never a 500 or a Python repr."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from govbuy.core.errors import ValidationFailed
from govbuy.procurement import rules
from govbuy.procurement.models import Bid, Lot, ProcurementMethod, Tender
from govbuy.procurement.services import bids, opening, tenders
from tests.builders.procurement import CRITERIA, far_deadline, past_opening_time

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(msgid))


def _draft(client, project, **overrides):
    body = {"project": project.pk, "bid_deadline": far_deadline().isoformat(), "criteria": CRITERIA, **overrides}
    return client.post(reverse("api:procurement-tenders"), body, content_type="application/json", **ZH)


def _no_repr(body: dict) -> None:
    text = str(body)
    assert "ErrorDetail(" not in text
    assert "{0: " not in text


def test_a_nested_error_has_a_dotted_path_and_a_plain_message(world, login, project):
    response = _draft(login(world.purchaser_a), project, criteria=[CRITERIA[0], {"name": "方案", "weight": "很多"}])
    assert response.status_code == 400
    body = response.json()
    _no_repr(body)
    assert list(body["fields"]) == ["criteria.1.weight"]
    assert body["fields"]["criteria.1.weight"] == [_zh("A valid integer is required.")]


@pytest.mark.parametrize("bond", ["1e30", "1e400", "-1e400", "NaN", "Infinity"])
def test_an_exponent_or_non_finite_bond_is_a_400_not_a_500(world, login, project, bond):
    response = _draft(login(world.purchaser_a), project, bid_bond=bond)
    assert response.status_code == 400
    assert response.json()["fields"]["bid_bond"] == [
        _zh("Enter a number in digits, with at most two decimals (for example 120000.50).")
    ]
    assert Tender.objects.count() == 0


def test_a_json_float_is_refused_for_money(world, login, project):
    response = _draft(login(world.purchaser_a), project, bid_bond=10.5)
    assert response.status_code == 400
    assert response.json()["fields"]["bid_bond"] == [
        _zh("Amounts must be given as exact decimals in a string, not floating-point numbers.")
    ]


def test_a_number_is_not_a_title(world, login, project):
    response = _draft(login(world.purchaser_a), project, title=12345)
    assert response.status_code == 400
    assert response.json()["fields"] == {"title": [_zh("Not a valid string.")]}


def test_a_title_of_invisible_characters_is_blank_and_controls_are_removed(world, login, project):
    client = login(world.purchaser_a)
    blank = _draft(client, project, title="\u200b\u202e\u2066")
    assert blank.status_code == 400
    assert blank.json()["fields"] == {"title": [_zh("This field may not be blank.")]}
    ok = _draft(client, project, title="居家\u202e养老\u200b服务")
    assert ok.status_code == 201
    assert ok.json()["title"] == "居家养老服务"


def test_a_bid_deadline_years_ahead_is_refused(world, login, project):
    response = _draft(login(world.purchaser_a), project, bid_deadline="9999-12-31T10:00:00+08:00")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["bid_deadline"]
    with pytest.raises(ValidationFailed):
        rules.check_deadline_bound(start=far_deadline(0), deadline=far_deadline(rules.MAX_DEADLINE_DAYS + 1))
    rules.check_deadline_bound(start=far_deadline(0), deadline=far_deadline(rules.MAX_DEADLINE_DAYS - 1))


def test_a_second_tender_on_a_project_with_a_draft_is_a_conflict_naming_it(world, login, project):
    client = login(world.purchaser_a)
    first = _draft(client, project)
    assert first.status_code == 201
    second = _draft(client, project)
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "conflict"
    assert first.json()["reference"] in body["message"]
    assert body["fields"]["project"] == [body["message"]]


def test_an_unknown_key_cannot_be_set_in_chinese(world, login, project):
    response = _draft(login(world.purchaser_a), project, status="published")
    assert response.status_code == 400
    assert response.json()["fields"] == {"status": [_zh("This field cannot be set.")]}
    assert response.json()["fields"]["status"] != ["This field cannot be set."]


def test_malformed_json_and_an_empty_body_answer_in_chinese(world, login):
    client = login(world.purchaser_a)
    broken = client.post(reverse("api:procurement-tenders"), "{oops", content_type="application/json", **ZH)
    assert broken.status_code == 400
    assert broken.json()["code"] == "parse_error"
    assert "parse error" not in broken.json()["message"]
    assert "Expecting" not in broken.json()["message"]
    assert broken.json()["message"] == _zh("The request body could not be read (malformed JSON or form data).")
    empty = client.post(reverse("api:procurement-tenders"), "null", content_type="application/json", **ZH)
    assert empty.status_code == 400
    assert empty.json()["fields"] == {"non_field_errors": [_zh("No data was provided.")]}


def _bid(client, tender, **body):
    return client.post(
        reverse("api:procurement-tender-bids", args=[tender.pk]),
        {"currency": "CNY", **body},
        content_type="application/json",
        **ZH,
    )


def test_invalid_base64_names_the_document_in_chinese(world, login, published, providers):
    response = _bid(
        login(world.provider_a), published, price="1000.00", documents=[{"name": "a.pdf", "content_base64": "%%%"}]
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"documents.0.content_base64": [_zh("The content is not valid base64.")]}


def test_a_bid_above_the_lots_budget_is_refused_at_submission(world, login, published, providers):
    budget = Lot.objects.get(tender=published).budget
    above = str(budget + Decimal("0.01"))
    response = _bid(login(world.provider_a), published, price=above)
    assert response.status_code == 400
    assert response.json()["code"] == "above_budget"
    assert list(response.json()["fields"]) == ["price"]
    with pytest.raises(ValidationFailed):
        bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="100000000")
    assert Bid.objects.count() == 0
    assert _bid(login(world.provider_a), published, price=str(budget)).status_code == 201


def test_a_bid_above_the_budget_is_marked_invalid_at_the_opening(world, published, providers):
    method = ProcurementMethod.objects.get(code="public_tender")
    tenders.update_method(actor=world.city_finance, method=method, version=method.version, min_suppliers=2)
    low = bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="50000.00")
    high = bids.submit_bid(actor=world.provider_b, tender=published, provider=world.provider_b_org, price="90000.00")
    # The budget lowered behind the submission check (a direct database change): the opening guards again.
    Lot.objects.filter(tender=published).update(budget=Decimal("60000.00"))
    past_opening_time(published)
    opening.initiate_opening(actor=world.purchaser_a, tender=published)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=published)
    low.refresh_from_db()
    high.refresh_from_db()
    assert low.disqualified_at is None
    assert high.disqualified_at is not None
    assert "60000.00" in high.disqualified_reason


def test_an_outsider_with_a_bad_body_still_gets_the_404(world, login, published):
    response = login(world.outsider).post(
        reverse("api:procurement-tender-cancel", args=[published.pk]),
        {"version": "not a number", "extra": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_bid_page_refuses_an_exponent_price_with_the_apis_message(world, login, published, providers):
    client = login(world.provider_a)
    page = client.post(
        reverse("procurement:bid_submit", args=[published.pk]),
        {"price": "1e30", "currency": "CNY"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 400
    api = _bid(client, published, price="1e30")
    message = api.json()["fields"]["price"][0]
    assert page.context["form"].errors["price"] == [message]
    assert Bid.objects.count() == 0


def test_the_bid_page_refuses_a_price_above_the_budget(world, login, published, providers):
    budget = Lot.objects.get(tender=published).budget
    page = login(world.provider_a).post(
        reverse("procurement:bid_submit", args=[published.pk]),
        {"price": str(budget + 1), "currency": "CNY"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 400
    assert page.context["form"].errors["price"]
    assert Bid.objects.count() == 0


def _page_draft(client, project, **overrides):
    deadline = far_deadline().astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")
    body = {"title": "居家养老", "bid_deadline": deadline, "bid_bond": "0", "criteria": "价格 | 30 | price\n方案 | 70"}
    return client.post(reverse("procurement:tender_create", args=[project.pk]), {**body, **overrides}, **ZH)


def test_the_tender_page_treats_an_invisible_title_as_blank_and_cleans_a_visible_one(world, login, project):
    client = login(world.purchaser_a)
    blank = _page_draft(client, project, title="\u200b\u202e")
    assert blank.status_code == 400
    assert blank.context["form"].errors["title"] == [_zh("This field is required.")]
    assert _page_draft(client, project, title="居家\u202e养老\u200b").status_code == 302
    assert Tender.objects.get().title == "居家养老"


def test_the_tender_page_answers_a_second_draft_with_the_conflict(world, login, project):
    client = login(world.purchaser_a)
    assert _page_draft(client, project).status_code == 302
    second = _page_draft(client, project)
    assert second.status_code == 409
    assert Tender.objects.get().reference in str(second.context["form"].non_field_errors())
