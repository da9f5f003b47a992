"""The audit pages for oversight roles: the event list, one event, the checkpoints and the
verification runs. Everyone else gets a 404 (the pages do not admit they exist)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from govbuy.audit import selectors, services
from govbuy.audit.describe import actor_label, describe, object_label
from govbuy.audit.forms import EventFilterForm
from govbuy.audit.links import object_link, object_links
from govbuy.audit.selectors import AuditAccess
from govbuy.audit.verify import checkpoint_signature_valid, reason_label, stored_hash_matches
from govbuy.core.errors import NotFound

PAGE_SIZE = 50


AuditView = Callable[..., HttpResponse]


def audit_view(view: Callable[..., HttpResponse]) -> AuditView:
    """Signed in and an audit reader, or 404; the view receives the reader's access."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            access = selectors.require_audit_access(request.user)
            return view(request, access, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


@require_GET
@audit_view
def event_list(request: HttpRequest, access: AuditAccess) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    page = Paginator(selectors.events(access, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.actor_names(page.object_list)
    links = object_links(page.object_list)
    rows = [
        {
            "event": event,
            "sentence": describe(event, names),
            "actor": actor_label(event, names),
            "object": object_label(event),
            "object_url": links.get((event.object_type, str(event.object_id)), ""),
        }
        for event in page.object_list
    ]
    latest_run = selectors.latest_verify_run(access)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "checkpoint": selectors.latest_checkpoint(access),
            "latest_run": latest_run,
            "latest_run_reason": reason_label(latest_run.reason) if latest_run else "",
            "sees_all": access.all_events,
        },
    )


@require_GET
@audit_view
def event_detail(request: HttpRequest, access: AuditAccess, position: int) -> HttpResponse:
    event = selectors.event_at(access, position)
    changes = [
        {"field": name, "before": pair[0] if len(pair) > 0 else None, "after": pair[1] if len(pair) > 1 else None}
        for name, pair in sorted(event.changes.items())
        if isinstance(pair, list)
    ]
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "sentence": describe(event, selectors.actor_names([event])),
            "object": object_label(event),
            "object_url": object_link(event),
            "changes": changes,
            "data_items": sorted(event.data.items()) if isinstance(event.data, dict) else [],
            "hash_recomputes": stored_hash_matches(event),
        },
    )


@require_GET
@audit_view
def checkpoint_list(request: HttpRequest, access: AuditAccess) -> HttpResponse:
    page = Paginator(selectors.checkpoints(access), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"checkpoint": cp, "signature_valid": checkpoint_signature_valid(cp)} for cp in page.object_list]
    return render(request, "audit/checkpoint_list.html", {"page": page, "rows": rows})


@require_POST
@audit_view
def verify_run_create(request: HttpRequest, access: AuditAccess) -> HttpResponse:
    run = services.request_verify_run(actor=request.user)
    return redirect("audit:verify_run_detail", run_id=run.pk)


@require_GET
@audit_view
def verify_run_detail(request: HttpRequest, access: AuditAccess, run_id: int) -> HttpResponse:
    run = selectors.verify_run(access, run_id)
    return render(
        request,
        "audit/verify_run_detail.html",
        {"run": run, "reason_label": reason_label(run.reason), "refresh_seconds": 3 if run.is_active else None},
    )
