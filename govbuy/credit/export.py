"""The serious-violation list as xlsx, with the national list's columns (every cell text;
formula leaders neutralised, as in the catalog's exports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from govbuy.core.calendar.rules import SHANGHAI
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


# The national list's legal basis for publishing serious violations (财库〔2014〕188号, 〔2015〕150号).
LIST_BASIS = "《关于规范政府采购行政处罚有关问题的通知》（财库〔2015〕150号）"


def _day_start(day: dt.date) -> str:
    # A ban runs from midnight of its first day to the end of its last day, Beijing time.
    return f"{day.isoformat()}T00:00:00+08:00"


def _day_end(day: dt.date) -> str:
    return f"{day.isoformat()}T23:59:59+08:00"


def ban_party(ban: Ban, today: dt.date) -> dict[str, Any]:
    """One banned provider as an OCDS-like Organization: the identifier (CN-USCC), the name and
    address as published on the list, and the violation in `details`."""
    ended = ban.ends_on < today or ban.restriction.lifted_at is not None
    party: dict[str, Any] = {
        "id": f"{settings.OCDS_ORG_SCHEME}-{ban.uscc}" if ban.uscc else f"govbuy-org-{ban.provider_id}",
        "name": ban.name_zh,
        "address": {"streetAddress": ban.address, "countryName": "中国"},
        "roles": ["supplier"],
        "details": {
            "seriousViolation": {
                "id": f"govbuy-ban-{ban.pk}",
                "status": "ended" if ended else "active",
                "facts": ban.facts,
                "penalty": ban.penalty,
                "legalBasis": ban.legal_basis,
                "decisionNumber": ban.decision_number,
                "decisionDate": _day_start(ban.decided_on),
                "period": {"startDate": _day_start(ban.starts_on), "endDate": _day_end(ban.ends_on)},
                "scope": ban.restriction.reach,
                "authority": {
                    "id": f"{settings.OCDS_ORG_SCHEME}-{ban.authority.uscc}"
                    if ban.authority.uscc
                    else f"govbuy-org-{ban.authority_id}",
                    "name": ban.authority.name_zh,
                },
            }
        },
    }
    if ban.uscc:
        party["identifier"] = {"scheme": settings.OCDS_ORG_SCHEME, "id": ban.uscc, "legalName": ban.name_zh}
    if ban.restriction.lifted_at is not None:
        party["details"]["seriousViolation"]["liftedDate"] = ban.restriction.lifted_at.isoformat()
    return party


def bans_ocds(bans: Iterable[Ban], *, uri: str, published: dt.datetime) -> dict[str, Any]:
    """The serious-violation list in an OCDS-friendly shape: a package-like envelope whose
    `parties` are the banned providers (OCDS Organization fields, the violation in `details`)."""
    today = published.astimezone(SHANGHAI).date()
    return {
        "uri": uri,
        "publishedDate": published.astimezone(SHANGHAI).isoformat(timespec="seconds"),
        "publisher": {
            "name": settings.OCDS_PUBLISHER_NAME,
            "scheme": settings.OCDS_ORG_SCHEME,
            "uid": settings.OCDS_PUBLISHER_USCC,
        },
        "legalBasis": LIST_BASIS,
        "parties": [ban_party(ban, today) for ban in bans],
    }


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
        _("Recipients' satisfaction"),
        _("Bans"),
    ]


REPORT_KEYS = ("name", "uscc", "state", "awards", "excellent", "poor", "positive", "negative", "satisfaction", "bans")


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
