"""The statistics line on the home page of the monitoring bodies: when the figures are from and a
few headline numbers of their reach, linking to the statistics page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.core import present
from govbuy.organizations.scope import scope_for
from govbuy.oversight.models import Audience
from govbuy.oversight.statistics import rules, selectors


def section(request: HttpRequest) -> dict[str, Any] | None:
    if not any(m.kind in rules.MONITORING_KINDS for m in scope_for(request.user).memberships):
        return None
    try:
        regions = selectors.regions_in_reach(request.user)
    except Http404:
        return None
    stats = selectors.headline(audience=Audience.STAFF, regions=regions)
    if stats.refreshed is None:
        note = _("The figures have not been computed yet.")
    else:
        note = _("as of %(at)s: %(amount)s yuan contracted, single-bid share %(single)s") % {
            "at": present.when(stats.refreshed.started_at),
            "amount": present.yuan(stats.total.contracted_amount),
            "single": "—" if stats.total.single_bid_rate is None else f"{stats.total.single_bid_rate}%",
        }
    return {
        "id": "oversight-statistics",
        "title": _("Statistics"),
        "items": [
            {"label": _("Statistics of purchases of services"), "url": reverse("oversight:statistics"), "note": note}
        ],
        "empty": "",
    }
