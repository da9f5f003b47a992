"""The serious-violation list as xlsx, with the national list's columns (every cell text;
formula leaders neutralised, as in the catalog's exports)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from govbuy.catalog.spreadsheets import neutralise
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
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Serious violations")[:31])
    sheet.append(ban_columns())
    for ban in bans:
        sheet.append([neutralise(v) for v in ban_row(ban)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
