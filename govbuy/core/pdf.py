"""PDF records (opening record, evaluation report, annual plan) rendered by WeasyPrint.

A record in Chinese rendered without a Chinese font is a page of empty boxes that still looks
like a valid file and is kept as evidence; so `render_pdf` refuses to render when the machine
has no CJK font, and `/healthz` reports the same check for operators.
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 - runs fc-list with fixed arguments, no shell
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import DomainError

# The package that provides the fonts on Debian/Ubuntu (what `make run` installs when root).
FONT_PACKAGE = "fonts-noto-cjk"


class CjkFontMissing(DomainError):
    code = "pdf_font_missing"
    status = 503
    default_message = _(
        "This record cannot be produced: the server has no Chinese font, so the PDF would show empty "
        "boxes. Ask the operator to install the package fonts-noto-cjk."
    )


@lru_cache(maxsize=1)
def _found_font() -> str:
    """The family of an installed Chinese font. Only a found font is cached: a font installed
    while the server runs is picked up by the next attempt."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise LookupError("fc-list not found")
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed argument list
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
    )
    families = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if not families:
        raise LookupError("no CJK font")
    return families[0]


def cjk_font() -> str | None:
    """The family name of an installed font covering Chinese, or None."""
    try:
        return _found_font()
    except (LookupError, OSError, subprocess.SubprocessError):
        return None


def render_pdf(html: str) -> bytes:
    """Render HTML (no external resources: nothing is fetched) to PDF, or raise CjkFontMissing."""
    if cjk_font() is None:
        raise CjkFontMissing()
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
