"""The purchaser's moderation of public feedback: the queue, one comment, and its three actions
(publish, reject with a reason, reply). Only moderators of the project's purchaser reach a
comment; for everyone else it does not exist (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from govbuy.core.pages import act_then_redirect
from govbuy.portal import selectors as portal_selectors
from govbuy.portal import services as feedback_services
from govbuy.portal.forms import RejectForm, ReplyForm
from govbuy.portal.models import Feedback, FeedbackStatus

PAGE_SIZE = 25
STATUS_FILTERS = (*FeedbackStatus.values, "all")


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    if not portal_selectors.moderates_any(request.user):
        raise Http404
    status = str(request.GET.get("status") or FeedbackStatus.PENDING)
    if status not in STATUS_FILTERS:
        status = FeedbackStatus.PENDING
    page = Paginator(portal_selectors.moderation_queue(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = [*FeedbackStatus.choices, ("all", _("all"))]
    return render(request, "portal/feedback_queue.html", {"page": page, "status": status, "filters": filters})


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = portal_selectors.feedback_for(request.user, pk)
    initial = {"version": feedback.version}
    return render(
        request,
        "portal/feedback_detail.html",
        {
            "feedback": feedback,
            "reject_form": RejectForm(initial=initial),
            "reply_form": ReplyForm(initial={**initial, "reply": feedback.reply}),
        },
    )


def _act(request: HttpRequest, pk: int, action: Callable[[Feedback, Any], Any], done: str) -> HttpResponse:
    feedback = portal_selectors.feedback_for(request.user, pk)
    version = request.POST.get("version")
    return act_then_redirect(request, feedback, lambda f: action(f, version), done, "portal:feedback")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda f, v: feedback_services.publish_feedback(actor=request.user, feedback=f, version=v),
        _("The comment is published on the project page."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda f, v: feedback_services.reject_feedback(
            actor=request.user, feedback=f, version=v, reason=request.POST.get("reason", "")
        ),
        _("The comment is rejected; it is not shown on the project page."),
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda f, v: feedback_services.reply_to_feedback(
            actor=request.user, feedback=f, version=v, reply=request.POST.get("reply", "")
        ),
        _("Reply saved. It is shown with the comment once the comment is published."),
    )
