"""PDFs are parsed (pypdf) before they are accepted: scripts, actions that run on opening or
events, links that leave the document or submit it, embedded files and XFA are refused wherever
they sit — in plain objects, behind #-escapes, or in compressed object streams."""

from __future__ import annotations

import pytest
from django.utils import translation

from govbuy.core import pdfcheck
from govbuy.core.errors import ValidationFailed
from govbuy.core.tests.pdf_samples import objstm_pdf
from govbuy.core.tests.test_uploads import make_pdf as minimal_pdf
from govbuy.core.uploads import inspect_upload

PDF = frozenset({"pdf"})


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refused(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as caught:
        inspect_upload(name="证明.pdf", data=data, allowed=PDF, max_bytes=1_000_000)
    assert caught.value.code == "upload_refused"
    return str(caught.value.message)


def test_a_plain_document_passes_also_with_object_streams():
    assert inspect_upload(name="a.pdf", data=minimal_pdf("ok"), allowed=PDF, max_bytes=100_000).kind == "pdf"
    plain = objstm_pdf()
    assert b"/Catalog" not in plain  # everything is inside the compressed object stream
    assert inspect_upload(name="a.pdf", data=plain, allowed=PDF, max_bytes=100_000).kind == "pdf"


def test_opening_at_a_page_is_not_an_action():
    data = objstm_pdf(b" /OpenAction [3 0 R /Fit]")
    assert inspect_upload(name="a.pdf", data=data, allowed=PDF, max_bytes=100_000).kind == "pdf"


def test_javascript_open_action_in_a_compressed_object_stream_is_refused():
    data = objstm_pdf(b" /OpenAction 6 0 R", {6: b"<< /S /JavaScript /JS (app.alert(1)) >>"})
    assert b"JavaScript" not in data
    assert b"OpenAction" not in data
    assert "scripts, actions" in _refused(data)


ACTIONS = {
    "uri": b"<< /S /URI /URI (https://evil.example/) >>",
    "launch": b"<< /S /Launch /F (cmd.exe) >>",
    "submit": b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >>",
    "gotor": b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
    "import": b"<< /S /ImportData /F (data.fdf) >>",
    "gotoe": b"<< /S /GoToE /T << /R /C /N (a) >> >>",
    "rendition": b"<< /S /Rendition /OP 0 >>",
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_outward_action_is_refused_as_open_action_hidden_in_a_stream(action):
    _refused(objstm_pdf(b" /OpenAction 6 0 R", {6: ACTIONS[action]}))


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_outward_action_is_refused_on_a_link_annotation(action):
    page_link = {6: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A 7 0 R >>", 7: ACTIONS[action]}
    _refused(objstm_pdf(b"", page_link))


@pytest.mark.parametrize(
    ("catalog", "objects"),
    [
        (b" /AA << /WC 6 0 R >>", {6: b"<< /S /Named /N /Print >>"}),  # document event action
        (b" /Names << /EmbeddedFiles 6 0 R >>", {6: b"<< /Names [(a.exe) 7 0 R] >>", 7: b"<< /Type /Filespec >>"}),
        (b" /Names << /JavaScript 6 0 R >>", {6: b"<< /Names [] >>"}),
        (b" /AcroForm << /Fields [] /XFA 6 0 R >>", {6: b"[ (template) 3 0 R ]"}),
        (b"", {6: b"<< /Type /Annot /Subtype /RichMedia >>"}),
        (b"", {6: b"<< /Type /EmbeddedFile /Length 0 >>"}),
    ],
    ids=["additional-actions", "embedded-files", "javascript-names", "xfa", "richmedia", "embedded-file"],
)
def test_active_structures_in_a_stream_are_refused(catalog, objects):
    _refused(objstm_pdf(catalog, objects))


def test_escaped_names_in_plain_objects_are_refused():
    data = minimal_pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /#55RI /#55RI (x) >>")
    _refused(data)


def test_a_document_that_cannot_be_parsed_is_refused():
    data = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R" + b"\x00" * 50 + b"\n%%EOF\n"
    message = _refused(data)
    assert "cannot be read" in message or "scripts" in message


def test_the_checker_answers_the_name_it_found():
    data = objstm_pdf(b" /OpenAction 6 0 R", {6: ACTIONS["launch"]})
    assert pdfcheck.active_content(data) in {"/Launch", "/OpenAction"}
