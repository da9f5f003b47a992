"""A record in Chinese is never rendered without a Chinese font (it would be empty boxes), and
the health check says whether records can be rendered."""

import io

import pytest
from pypdf import PdfReader

from govbuy.core import pdf

HTML = '<html lang="zh-Hans"><body><h1>开标记录</h1><p>北京市东城区卫生健康委员会</p></body></html>'


@pytest.fixture
def no_font(monkeypatch):
    monkeypatch.setattr(pdf, "cjk_font", lambda: None)


def test_rendering_refuses_without_a_chinese_font(no_font):
    with pytest.raises(pdf.CjkFontMissing) as refused:
        pdf.render_pdf(HTML)
    assert refused.value.code == "pdf_font_missing"
    assert "fonts-noto-cjk" in str(refused.value.message)


def test_a_rendered_record_reads_back_in_chinese():
    if pdf.cjk_font() is None:
        pytest.skip("no CJK font on this machine (install fonts-noto-cjk)")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.render_pdf(HTML))).pages)
    flat = "".join(text.split())
    assert "开标记录" in flat
    assert "北京市东城区卫生健康委员会" in flat


def test_healthz_reports_a_missing_font(client, db, no_font):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "pdf": "font_missing"}
