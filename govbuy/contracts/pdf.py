"""The bundled text of the contract PDF: what the city finance bureau starts from when it edits
the template for the first time (services.drafting renders the newest edited row, or this)."""

from __future__ import annotations

from pathlib import Path

PDF_TEMPLATE = "contracts/contract_pdf.html"


def default_template_body() -> str:
    return (Path(__file__).resolve().parent / "templates" / PDF_TEMPLATE).read_text(encoding="utf-8")
