"""Public consultations, the public side (no sign-in, no JavaScript): the list, one draft with
its published comments and the comment form while it is open (rate-limited per sender, with the
same honeypot as a project's feedback form), and the summary once published."""

from __future__ import annotations

import logging
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from govbuy.core.errors import DomainError
from govbuy.core.middleware import client_ip
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.forms import CommentForm, honeypot_filled
from govbuy.performance.models import PublicConsultation
from govbuy.performance.services import consultations

logger = logging.getLogger("govbuy.security")
PAGE_SIZE = 25
RECEIVED = "received"


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(performance_selectors.public_consultations(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/public_consultations.html", {"page": page, "now": timezone.now()})


def _page(
    request: HttpRequest, found: PublicConsultation, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    comments = Paginator(performance_selectors.published_comments(found), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "consultation": found,
        "comments": comments,
        "form": form or CommentForm(),
        "is_open": found.status == "open" and found.opens_at <= now < found.closes_at,
        "received": request.GET.get("comment") == RECEIVED and form is None,
    }
    return render(request, "performance/public_consultation.html", context, status=status)


@require_safe
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, performance_selectors.public_consultation(pk))


@require_POST
def comment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = performance_selectors.public_consultation(pk)
    done = reverse("performance-public:consultation", args=[found.pk]) + f"?comment={RECEIVED}#comment-form-heading"
    if honeypot_filled(request.POST):
        # Answered exactly like a person, so the robot learns nothing; nothing is stored.
        logger.info("consultation honeypot filled", extra={"consultation": found.pk})
        return redirect(done)
    form = CommentForm(request.POST)
    form.is_valid()  # only to have cleaned_data for re-display; the service decides
    try:
        consultations.submit_comment(
            consultation=found,
            message=request.POST.get("message", ""),
            name=request.POST.get("name", ""),
            client_address=client_ip(request),
        )
    except DomainError as exc:
        # Bad input (400), closed (409) or past the rate limit (429): the page again, with the message.
        form.apply_domain_error(exc)
        return _page(request, found, form, status=exc.status)
    return redirect(done)
