"""The oversight panel on the staff pages of a project, a tender and a contract: for the monitoring
bodies in reach, the process's open risk flags (each with the data behind it, a form to dismiss it
with a reason and one to open a monitoring case on it) and its monitoring cases. Registered in
`govbuy.core.staff_panels`; nothing for anyone else, and no query for them (the scope is cached)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from govbuy.oversight import selectors
from govbuy.oversight.models import CaseReason


def process_panel(request: HttpRequest, kind: str, pk: int) -> SafeString | None:
    if not selectors.monitors_any(request.user):
        return None
    flags = selectors.process_flags(request.user, kind, pk)
    cases = selectors.process_cases(request.user, kind, pk)
    html = render_to_string(
        "oversight/process_panel.html",
        {
            "flags": flags,
            "cases": cases,
            "kind": kind,
            "pk": pk,
            "reasons": CaseReason.choices,
            "risk_flag": CaseReason.RISK_FLAG,
            "back": request.get_full_path(),
        },
        request=request,
    )
    return html  # render_to_string answers a SafeString
