"""Contract notices in public search (Reg. Art. 50): a contract is found once its notice is
published, with the text the notice shows; a section withheld as a commercial secret is never
indexed, only the reason for withholding it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govbuy.contracts.services import signing
from govbuy.disclosure.models import SearchDocument
from govbuy.disclosure.services import reindex_search
from tests.builders.contracts import sign_both

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


SECRET = "单价明细每人次八十元"
CONTENT = "社区助浴上门服务"
REASON = "报价构成属商业秘密"


def _entry(contract):
    return SearchDocument.objects.filter(object_type="contracts.contract", object_id=contract.pk).first()


def _found(client, q):
    return client.get("/search/", {"q": q}).content.decode()


@pytest.fixture
def notice(world, ready):
    type(ready).objects.filter(pk=ready.pk).update(content=CONTENT, settlement=SECRET)
    ready.refresh_from_db()
    signed = sign_both(world, ready)
    assert _entry(signed) is None  # signed, not yet published: not public
    return signing.publish(
        actor=world.purchaser_a,
        contract=signed,
        version=signed.version,
        withheld=[{"section": "settlement", "reason": REASON}],
    )


def test_a_published_contract_notice_is_found_in_public_search(world, notice, client):
    entry = _entry(notice)
    assert entry is not None
    assert entry.kind == "notice"
    assert entry.url == reverse("portal:project", args=[notice.project_id]) + f"#contract-{notice.pk}"
    assert entry.region_id == notice.region_id
    page = _found(client, "助浴")
    assert notice.title in page
    assert notice.title in _found(client, notice.reference)
    assert notice.title in _found(client, world.provider_a_org.name_zh)


def test_the_withheld_commercial_secret_is_not_indexed_only_its_reason(world, notice, client):
    entry = _entry(notice)
    assert SECRET not in entry.summary_zh
    assert "八十" not in entry.tokens
    assert "单价" not in entry.tokens
    assert REASON in entry.summary_zh
    assert notice.title not in _found(client, "单价明细")
    reindex_search(object_types=["contracts.contract"])
    again = _entry(notice)
    assert again is not None
    assert "单价" not in again.tokens
    assert "八十" not in again.tokens
