"""Every contract action has its audit sentence; the city finance bureau edits the template the
contract PDF is rendered from, and only it; mails go to whoever acts next."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from govbuy.audit.describe import describe, registered_codes
from govbuy.audit.models import AuditEvent
from govbuy.contracts.models import ContractTemplate
from govbuy.contracts.services import drafting, signing
from govbuy.core.errors import Conflict, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db
PACKAGE = Path(__file__).resolve().parent.parent


def test_every_action_code_of_contracts_has_a_sentence(world):
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" not in path.parts:
            codes |= set(re.findall(r'action="(contracts\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 25
    assert codes <= registered_codes(), codes - registered_codes()


def test_the_events_of_a_signing_read_as_sentences(world, signed):
    events = AuditEvent.objects.filter(action__startswith="contracts.")
    assert events.count() >= 5
    for event in events:
        sentence = describe(event)
        assert "…" not in sentence, (event.action, sentence)


def test_the_signatures_mail_whoever_acts_next(world, ready, django_capture_on_commit_callbacks):
    type(world.purchaser_a).objects.filter(pk=world.purchaser_a.pk).update(email="buyer@example.org")
    type(world.provider_a).objects.filter(pk=world.provider_a.pk).update(email="seller@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contract = signing.provider_sign(actor=world.provider_a, contract=ready, version=ready.version)
    assert [m.to for m in mail.outbox] == [["buyer@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        signing.purchaser_sign(actor=world.purchaser_a, contract=contract, version=contract.version)
    assert ["seller@example.org"] in [m.to for m in mail.outbox]


def test_only_the_city_finance_bureau_edits_the_template_and_new_pdfs_use_it(world, ready):
    with pytest.raises(PermissionRefused):
        drafting.edit_template(actor=world.district_finance_a, body="x", note="")
    with pytest.raises(ValidationFailed):
        drafting.edit_template(actor=world.city_finance, body="{% if %}", note="坏模板")
    body = "<p>政府购买服务合同 {{ contract.reference }} 甲方 {{ contract.purchaser.name_zh }}</p>"
    row = drafting.edit_template(actor=world.city_finance, body=body, note="2027 版", version=0)
    assert row.version == 1
    with pytest.raises(Conflict):
        drafting.edit_template(actor=world.city_finance, body=body, note="旧版本", version=0)
    assert ContractTemplate.objects.count() == 1
    html_pdf = drafting.render_pdf(ready)
    assert html_pdf.startswith(b"%PDF")


def test_the_template_page_is_for_the_city_finance_bureau(world, login):
    assert login(world.purchaser_a).get(reverse("contracts:template")).status_code == 404
    client = login(world.city_finance)
    page = client.get(reverse("contracts:template"))
    assert page.status_code == 200
    assert "{{ contract.reference }}" in page.content.decode()
    response = client.post(
        reverse("contracts:template"), {"body": "<p>{{ contract.reference }}</p>", "note": "简版", "version": "0"}
    )
    assert response.status_code == 302
    assert ContractTemplate.objects.get().note == "简版"
    api = client.get(reverse("api:contract-template"))
    assert api.json()["version"] == 1
