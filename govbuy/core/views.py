from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from govbuy.core import pdf
from govbuy.core.home import home_sections

logger = logging.getLogger("govbuy.health")

API_PREFIX = "/api/"
# Home sections that describe the person rather than ask them to act: shown after the work.
REFERENCE_SECTIONS = frozenset({"your-roles"})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers, 503 otherwise. No details leak, but
    `pdf` says whether records can be rendered (a Chinese font is installed): "ok" or
    "font_missing" (the site still serves; only the PDF records are refused)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # The reason goes to the log for operators, never into the answer.
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "pdf": "ok" if pdf.cjk_font() else "font_missing"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home, led by what waits for the person: sections with items first (in their
    registered order), then the quiet ones, then the reference sections (roles) at the end."""
    sections = home_sections(request)
    # Reference sections (roles, past work) follow the tasks and do not count as things to do.
    info = [s for s in sections if s.get("id") in REFERENCE_SECTIONS or s.get("reference")]
    tasks = [s for s in sections if s not in info]
    waiting = [s for s in tasks if s.get("items")]
    organisations = sorted(
        {str(m.organisation) for m in request.user.memberships.filter(is_active=True).select_related("organisation")}
    )
    return render(
        request,
        "core/home.html",
        {
            "sections": sections,
            "waiting": waiting,
            "quiet": [s for s in tasks if not s.get("items")],
            "info": info,
            "todo_count": sum(len(s["items"]) for s in waiting),
            "organisations": organisations,
        },
    )


# --- Error pages ------------------------------------------------------------------------------
# Under /api/ every error answers in the API's shape {code, message, fields}, even when no DRF
# view was reached (an unknown URL); elsewhere a page in the site's layout.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error("not_found", _("Not found."), 404)
    return render(request, "404.html", status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error("permission_denied", _("You do not have permission to perform this action."), 403)
    return render(request, "403.html", status=403)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error("bad_request", _("The request could not be processed."), 400)
    return render(request, "400.html", status=400)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error("server_error", _("A server error occurred."), 500)
    # No context processors: whatever broke the request may break them too.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
