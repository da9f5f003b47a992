"""Unbounded and active uploads (design/reliability.md R14), on every path that takes a file:
a request declaring more than GOVBUY_REQUEST_MAX_BYTES is answered 413 before anything reads it;
a file larger than the limit is kept only up to the limit and a byte (in a temporary file past
FILE_UPLOAD_MAX_MEMORY_SIZE) and refused with its size message; an active PDF is refused by every
service that stores one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client, RequestFactory
from django.test.client import encode_multipart
from django.urls import reverse

from govbuy.accounts.testing import force_login_verified
from govbuy.core.errors import ValidationFailed
from govbuy.core.tests.pdf_samples import objstm_pdf
from govbuy.procurement.models import Ranking, TenderDocument
from govbuy.procurement.services import bids, evaluation, tenders
from govbuy.providers.models import Condition
from govbuy.providers.services import dossiers
from tests.builders.procurement import evaluated_tender

pytestmark = pytest.mark.django_db

ACTIVE = objstm_pdf(b" /OpenAction 6 0 R", {6: b"<< /S /JavaScript /JS (app.alert(1)) >>"})
BOUNDARY = "govbuyboundary"


@pytest.fixture
def small_limits(settings):
    settings.GOVBUY_UPLOAD_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024
    settings.GOVBUY_REQUEST_MAX_BYTES = 512 * 1024
    return settings


@pytest.mark.parametrize(
    "path",
    ["/tenders/1/documents/", "/planning/budgets/1/import/", "/api/v1/procurement/tenders/1/documents/"],
)
def test_a_request_declaring_too_much_is_refused_before_it_is_read(client, small_limits, path):
    # FakePayload fails the test if anything reads past the 10 bytes really sent.
    response = client.generic(
        "POST",
        path,
        data=b"0123456789",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(small_limits.GOVBUY_REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    if path.startswith("/api/"):
        assert response.json()["code"] == "request_too_large"


def test_a_large_file_is_kept_only_to_the_limit_in_a_temporary_file(small_limits):
    body = encode_multipart(BOUNDARY, {"title": "招标文件", "file": _named(b"%PDF-" + b"x" * 400_000, "big.pdf")})
    request = RequestFactory().generic(
        "POST", "/tenders/1/documents/", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    upload = request.FILES["file"]
    assert isinstance(upload, TemporaryUploadedFile)
    assert upload.size == small_limits.GOVBUY_UPLOAD_MAX_BYTES + 1
    assert request.POST["title"] == "招标文件"


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_tender_document_page_refuses_a_large_file_with_its_size(world, make_tender, small_limits):
    client = force_login_verified(Client(), world.purchaser_a)
    draft = make_tender()
    response = client.post(
        reverse("procurement:tender_document", args=[draft.pk]),
        {"version": draft.version, "title": "大文件", "file": _named(b"%PDF-" + b"x" * 300_000, "big.pdf")},
        follow=True,
    )
    assert response.status_code == 200
    assert b"64 KB" in response.content
    assert not TenderDocument.objects.filter(title="大文件").exists()


# --- Active PDFs, on every path that stores a document ---------------------------------------------


def test_tender_documents_refuse_an_active_pdf(world, make_tender):
    draft = make_tender()
    with pytest.raises(ValidationFailed) as caught:
        tenders.add_document(
            actor=world.purchaser_a,
            tender=draft,
            version=draft.version,
            title="招标文件",
            file_name="a.pdf",
            data=ACTIVE,
        )
    assert caught.value.code == "upload_refused"


def test_bid_documents_refuse_an_active_pdf(world, published, providers):
    with pytest.raises(ValidationFailed) as caught:
        bids.submit_bid(
            actor=world.provider_a,
            tender=published,
            provider=world.provider_a_org,
            price="100.00",
            documents=[("方案.pdf", ACTIVE)],
        )
    assert caught.value.code == "upload_refused"


def test_credit_check_evidence_refuses_an_active_pdf(world, published, providers):
    evaluated_tender(world, published)
    top = Ranking.objects.get(rank=1).bid
    with pytest.raises(ValidationFailed) as caught:
        evaluation.record_credit_check(
            actor=world.purchaser_a,
            tender=published,
            bid=top,
            dishonest_debtors="clear",
            tax_violations="clear",
            procurement_violations="clear",
            evidence=("截图.pdf", ACTIVE),
        )
    assert caught.value.code == "upload_refused"


def test_dossier_documents_refuse_an_active_pdf(world):
    from tests.builders.procurement import open_profile, section

    profile = open_profile(world.provider_a_org)
    target = section(profile, Condition.CAPACITY)
    with pytest.raises(ValidationFailed) as caught:
        dossiers.add_document(
            actor=world.provider_a,
            section=target,
            version=target.version,
            title="场地证明",
            file_name="场地.pdf",
            data=ACTIVE,
            valid_until=dt.date.today() + dt.timedelta(days=300),
        )
    assert caught.value.code == "upload_refused"


# --- The negative list again at the tender --------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "办公楼装修\u200b工程"), ("description", "以勞務派遣方式提供窗口人员")],
)
def test_a_tender_cannot_put_a_negative_list_matter_back(world, make_tender, field, value):
    with pytest.raises(ValidationFailed) as caught:
        make_tender(**{field: value})
    assert caught.value.code == "negative_list"
    assert field in caught.value.fields
