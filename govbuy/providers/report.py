"""The registration authority's report for annual inspection (seed §四.二): its providers'
verification results, one row per provider, one column per dossier section (.xlsx).

Apps above this one (performance, credit) add their results as columns by registering a
function here, since this app may not import them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from govbuy.audit.services import record_event
from govbuy.core.spreadsheets import XLSX_CONTENT_TYPE, write_xlsx
from govbuy.providers import selectors
from govbuy.providers.models import Condition, ProviderProfile

# (header, function(profiles) → {profile_id: value})
ExtraColumn = tuple[Any, Callable[[list[ProviderProfile]], dict[int, Any]]]
_extra_columns: list[ExtraColumn] = []


def register_report_column(header: Any, values: Callable[[list[ProviderProfile]], dict[int, Any]]) -> None:
    if all(existing is not values for _h, existing in _extra_columns):
        _extra_columns.append((header, values))


def build_rows(user: Any) -> tuple[list[Any], list[list[Any]]]:
    profiles = list(selectors.authority_profiles(user))
    rows = selectors.report_rows(profiles)
    extras = [(header, fn(profiles)) for header, fn in _extra_columns]
    headers: list[Any] = [
        _("Name"),
        _("Unified social credit code"),
        _("Kind"),
        _("Region"),
        _("State"),
        _("Verified at"),
        *[Condition(c).label for c in Condition.values],
        _("Expired documents"),
        *[header for header, _values in extras],
    ]
    out: list[list[Any]] = []
    for profile, views in rows:
        org = profile.organisation
        out.append(
            [
                org.name_zh,
                org.uscc or "",
                org.get_kind_display(),
                org.region.name_zh,
                profile.get_state_display(),
                timezone.localtime(profile.verified_at).strftime("%Y-%m-%d %H:%M") if profile.verified_at else "",
                *[str(v.state_label) for v in views],
                sum(v.expired for v in views),
                *[values.get(profile.pk, "") for _header, values in extras],
            ]
        )
    return [str(h) for h in headers], out


def authority_report_response(user: Any) -> HttpResponse:
    headers, rows = build_rows(user)
    data = write_xlsx([headers, *rows], title="providers")
    record_event(actor=user, action="providers.report.exported", data={"rows": len(rows)})
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="provider-verification-{stamp}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
