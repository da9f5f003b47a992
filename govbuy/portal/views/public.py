"""The public portal (no sign-in, three languages): the home page with the latest notices, one page
per purchase project with its whole history, and the project's public feedback form."""

from __future__ import annotations

import logging
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from govbuy.core.errors import DomainError
from govbuy.core.middleware import client_ip
from govbuy.core.public_panels import project_panels
from govbuy.disclosure.forms import SearchForm
from govbuy.performance import selectors as performance_selectors
from govbuy.planning.models import Project
from govbuy.portal import selectors as portal_selectors
from govbuy.portal import services as feedback_services
from govbuy.portal.forms import FeedbackForm, honeypot_filled

logger = logging.getLogger("govbuy.security")
FEEDBACK_PAGE_SIZE = 20
RECEIVED = "received"


def _english() -> bool:
    return (get_language() or "").startswith("en")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/portal_home.html",
        {
            "search_form": SearchForm(),
            "tenders": portal_selectors.latest_tenders(),
            "awards": portal_selectors.latest_awards(),
            "plans": portal_selectors.latest_plans(),
            "english": _english(),
        },
    )


def _project_page(
    request: HttpRequest, project: Project, form: FeedbackForm | None = None, status: int = 200
) -> HttpResponse:
    history = portal_selectors.project_history(project)
    comments = Paginator(portal_selectors.published_feedback(project), FEEDBACK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "project": project,
        "history": history,
        "comments": comments,
        "form": form or FeedbackForm(),
        "received": request.GET.get("feedback") == RECEIVED and form is None,
        "english": _english(),
        # Published performance evaluations of the project's contracts (issue 13): one query.
        "evaluations": performance_selectors.results_for_project(project.pk),
        "panels": project_panels(project.pk),
    }
    return render(request, "portal/project.html", context, status=status)


@require_safe
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, portal_selectors.public_project(pk))


@require_POST
def feedback_submit(request: HttpRequest, pk: int) -> HttpResponse:
    public = portal_selectors.public_project(pk)
    done = reverse("portal:project", args=[public.pk]) + f"?feedback={RECEIVED}#feedback"
    if honeypot_filled(request.POST):
        # Answered exactly like a person, so the robot learns nothing; nothing is stored.
        logger.info("feedback honeypot filled", extra={"project": public.pk})
        return redirect(done)
    form = FeedbackForm(request.POST)
    form.is_valid()  # only to have cleaned_data for re-display; the service decides
    try:
        feedback_services.submit_feedback(
            actor=request.user,
            project=public,
            name=request.POST.get("name", ""),
            contact=request.POST.get("contact", ""),
            message=request.POST.get("message", ""),
            client_address=client_ip(request),
        )
    except DomainError as error:
        # Bad input (400) or past the rate limit (429): the page again, with the message.
        form.add_domain_error(error)
        return _project_page(request, public, form, status=error.status)
    return redirect(done)
