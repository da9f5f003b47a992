"""The serious-violation list as xlsx, with the national list's columns (every cell text;
formula leaders neutralised, as in the catalog's exports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from govbuy.core.spreadsheets import write_xlsx
from govbuy.credit.models import Ban


def ban_columns() -> list[str]:
    return [
        _("Name"),
        _("Unified social credit code"),
        _("Address"),
        _("Facts of the violation"),
        _("Penalty"),
        _("Legal basis"),
        _("Ban starts"),
        _("Ban ends"),
        _("Deciding authority"),
        _("Decision number"),
        _("Decided on"),
    ]


def ban_row(ban: Ban) -> list[str]:
    return [
        ban.name_zh,
        ban.uscc,
        ban.address,
        ban.facts,
        ban.penalty,
        ban.legal_basis,
        ban.starts_on.isoformat(),
        ban.ends_on.isoformat(),
        ban.authority.name_zh,
        ban.decision_number,
        ban.decided_on.isoformat(),
    ]


def bans_xlsx(bans: Iterable[Ban]) -> bytes:
    return write_xlsx([ban_columns(), *(ban_row(ban) for ban in bans)], title=str(_("Serious violations")))


def report_columns() -> list[str]:
    return [
        _("Name"),
        _("Unified social credit code"),
        _("Verification state"),
        _("Awards won"),
        _("Graded excellent"),
        _("Graded poor"),
        _("Positive credit facts"),
        _("Negative credit facts"),
        _("Bans"),
    ]


REPORT_KEYS = ("name", "uscc", "state", "awards", "excellent", "poor", "positive", "negative", "bans")


def report_xlsx(report: Any) -> bytes:
    rows = ([row.get(key, "") for key in REPORT_KEYS] for row in report.rows)
    return write_xlsx([report_columns(), *rows], title=str(report.year))


def report_pdf(report: Any) -> bytes:
    """In Chinese, whatever the reader's language: it is an official document."""
    from django.template.loader import render_to_string
    from django.utils import timezone, translation
    from weasyprint import HTML

    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        html = render_to_string(
            "credit/report_pdf.html",
            {
                "report": report,
                "columns": report_columns(),
                "rows": [[row.get(key, "") for key in REPORT_KEYS] for row in report.rows],
            },
        )
    return bytes(HTML(string=html).write_pdf())
