"""Who reaches a contract: every contract URL pattern (pages and /api/v1/contracts/...) × personas.

The matrix is generated like test_sealed_bids.py: the project's URL patterns are walked and each
contract pattern is filled with real objects from SAMPLES; a new contract pattern missing there
fails the test, so it cannot go unchecked. Outside the scope is 404 (never 403): the outsider and
the other district's purchaser, provider and finance bureau get 404 on every detail URL, read or
write. The auditor reads every detail and changes nothing.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.audit.models import AuditEvent
from govbuy.contracts.models import Contract
from govbuy.contracts.samples import pdf
from govbuy.contracts.services import changes, delivery
from tests.security.test_headers import walk

pytestmark = pytest.mark.django_db

CONTRACTS = re.compile(r"^contracts:|^api:contract")

# Contract URL patterns → how to fill their arguments from the objects made below.
SAMPLES = {
    "contracts:list": lambda o: {},
    "contracts:draw": lambda o: {},
    "contracts:template": lambda o: {},
    "contracts:detail": lambda o: {"pk": o["contract"].pk},
    "contracts:pdf": lambda o: {"pk": o["contract"].pk},
    "contracts:document": lambda o: {"pk": o["document"].pk},
    "contracts:milestones": lambda o: {"pk": o["contract"].pk},
    "contracts:payee": lambda o: {"pk": o["contract"].pk},
    "contracts:provider_sign": lambda o: {"pk": o["contract"].pk},
    "contracts:purchaser_sign": lambda o: {"pk": o["contract"].pk},
    "contracts:publish": lambda o: {"pk": o["contract"].pk},
    "contracts:file": lambda o: {"pk": o["contract"].pk},
    "contracts:cancel": lambda o: {"pk": o["contract"].pk},
    "contracts:deliverable_submit": lambda o: {"pk": o["contract"].pk},
    "contracts:deliverable_accept": lambda o: {"pk": o["contract"].pk, "deliverable_pk": o["deliverable"].pk},
    "contracts:deliverable_return": lambda o: {"pk": o["contract"].pk, "deliverable_pk": o["deliverable"].pk},
    "contracts:visit": lambda o: {"pk": o["contract"].pk},
    "contracts:pay": lambda o: {"pk": o["contract"].pk},
    "contracts:amend": lambda o: {"pk": o["contract"].pk},
    "contracts:amendment_confirm": lambda o: {"pk": o["contract"].pk, "amendment_pk": o["amendment"].pk},
    "contracts:suspend": lambda o: {"pk": o["contract"].pk},
    "contracts:resume": lambda o: {"pk": o["contract"].pk},
    "contracts:terminate": lambda o: {"pk": o["contract"].pk},
    "contracts:complete": lambda o: {"pk": o["contract"].pk},
    "contracts:roster": lambda o: {"pk": o["contract"].pk},
    "contracts:finding": lambda o: {"pk": o["contract"].pk},
    "api:contracts": lambda o: {},
    "api:contract-template": lambda o: {},
    "api:contract": lambda o: {"pk": o["contract"].pk},
    "api:contract-milestones": lambda o: {"pk": o["contract"].pk},
    "api:contract-payee": lambda o: {"pk": o["contract"].pk},
    "api:contract-provider-sign": lambda o: {"pk": o["contract"].pk},
    "api:contract-purchaser-sign": lambda o: {"pk": o["contract"].pk},
    "api:contract-publish": lambda o: {"pk": o["contract"].pk},
    "api:contract-file": lambda o: {"pk": o["contract"].pk},
    "api:contract-cancel": lambda o: {"pk": o["contract"].pk},
    "api:contract-deliverables": lambda o: {"pk": o["contract"].pk},
    "api:contract-accept": lambda o: {"pk": o["contract"].pk, "item": o["deliverable"].pk},
    "api:contract-return": lambda o: {"pk": o["contract"].pk, "item": o["deliverable"].pk},
    "api:contract-visits": lambda o: {"pk": o["contract"].pk},
    "api:contract-payments": lambda o: {"pk": o["contract"].pk},
    "api:contract-amendments": lambda o: {"pk": o["contract"].pk},
    "api:contract-amendment-confirm": lambda o: {"pk": o["contract"].pk, "item": o["amendment"].pk},
    "api:contract-suspend": lambda o: {"pk": o["contract"].pk},
    "api:contract-resume": lambda o: {"pk": o["contract"].pk},
    "api:contract-terminate": lambda o: {"pk": o["contract"].pk},
    "api:contract-complete": lambda o: {"pk": o["contract"].pk},
    "api:contract-roster": lambda o: {"pk": o["contract"].pk},
    "api:contract-finding": lambda o: {"pk": o["contract"].pk},
}
# Patterns without an object in their URL: lists and the city's template (no contract detail).
UNSCOPED = {"contracts:list", "contracts:draw", "contracts:template", "api:contracts", "api:contract-template"}
# Those who must not learn that the contract exists.
STRANGERS = ("outsider", "purchaser_b", "provider_b", "district_finance_b")


@pytest.fixture
def objects(world, live):
    deliverable = delivery.submit_deliverable(
        actor=world.provider_a,
        contract=live,
        milestone=live.milestones.first(),
        summary="上半年服务",
        quantity_achieved="600 人次",
        files=[("记录", "records.pdf", pdf())],
    )
    live.refresh_from_db()
    amendment = changes.propose_amendment(
        actor=world.purchaser_a,
        contract=live,
        version=live.version,
        rationale="value_increase",
        description="服务人次增加",
        value_change="1.00",
    )
    live.refresh_from_db()
    return {
        "contract": live,
        "deliverable": deliverable,
        "document": deliverable.documents.first(),
        "amendment": amendment,
    }


def _urls(objects) -> list[tuple[str, str]]:
    keys = {e.key for e in walk() if CONTRACTS.search(e.key)}
    uncovered = sorted(keys - set(SAMPLES))
    assert not uncovered, f"contract URL patterns missing from SAMPLES in {__name__}: {uncovered}"
    stale = sorted(set(SAMPLES) - keys)
    assert not stale, f"SAMPLES lists patterns that no longer exist: {stale}"
    return [(key, reverse(key, kwargs=SAMPLES[key](objects))) for key in sorted(keys)]


def _client(user) -> Client:
    return force_login_verified(Client(), user)


def _post(client: Client, key: str, url: str, version: int):
    if key.startswith("api:"):
        return client.post(url, {"version": version}, content_type="application/json")
    return client.post(url, {"version": version})


def _state(objects) -> tuple:
    contract = Contract.objects.get(pk=objects["contract"].pk)
    objects["deliverable"].refresh_from_db()
    objects["amendment"].refresh_from_db()
    return (
        AuditEvent.objects.count(),
        contract.version,
        contract.status,
        objects["deliverable"].status,
        objects["amendment"].status,
    )


def test_every_contract_detail_url_is_a_404_outside_the_scope(world, objects):
    urls = [(k, u) for k, u in _urls(objects) if k not in UNSCOPED]
    assert len(urls) == len(SAMPLES) - len(UNSCOPED)
    before = _state(objects)
    wrong = []
    for name in STRANGERS:
        client = _client(world.users[name])
        for key, url in urls:
            got = client.get(url).status_code
            if got == 405:
                got = _post(client, key, url, objects["contract"].version).status_code
            if got != 404:
                wrong.append(f"{name} {key} {url}: {got}")
    assert wrong == []
    assert _state(objects) == before


def test_the_public_reaches_no_contract_url(world, objects):
    client = Client()
    wrong = []
    for key, url in _urls(objects):
        response = client.get(url)
        if key.startswith("api:"):
            ok = response.status_code in (401, 403, 404)
        else:
            ok = response.status_code == 302 and "login" in response["Location"]
        if not ok:
            wrong.append(f"{key} {url}: {response.status_code}")
    assert wrong == []


def test_strangers_lists_do_not_show_the_contract(world, objects):
    reference = objects["contract"].reference
    for name in STRANGERS:
        client = _client(world.users[name])
        for key in ("contracts:list", "api:contracts"):
            response = client.get(reverse(key))
            assert response.status_code in (200, 404), (name, key)
            assert reference not in response.content.decode(), (name, key)


def test_the_auditor_reads_every_detail_but_writes_nothing(world, objects):
    client = _client(world.auditor)
    readable = [key for key, url in _urls(objects) if key not in UNSCOPED and client.get(url).status_code == 200]
    assert set(readable) >= {"contracts:detail", "contracts:pdf", "contracts:document", "api:contract"}
    assert objects["contract"].reference in client.get(reverse("contracts:list")).content.decode()
    before = _state(objects)
    wrong = []
    for key, url in _urls(objects):
        if key in {"contracts:list", "api:contracts", "api:contract"}:
            continue
        response = _post(client, key, url, objects["contract"].version)
        refused = (
            response.status_code >= 400 if key.startswith("api:") else response.status_code in (302, 403, 404, 405)
        )
        if not refused:
            wrong.append(f"{key}: {response.status_code}")
        assert _state(objects) == before, key
    assert wrong == []
