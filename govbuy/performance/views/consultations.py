"""Public consultations (確定購買內容), the staff side: the list of the organisation's
consultations, opening one (a finance bureau its draft catalog version, a purchaser its draft
annual plan), moderating the comments, and publishing the summary of what was received and what
was changed. Another organisation's consultation is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from govbuy.core.errors import DomainError
from govbuy.core.pages import act_then_redirect
from govbuy.performance import selectors as performance_selectors
from govbuy.performance.forms import ConsultationForm, RejectCommentForm, SummaryForm, end_of_day, start_of_day
from govbuy.performance.models import CommentStatus
from govbuy.performance.services import consultations

PAGE_SIZE = 25


@login_required
@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    subjects = performance_selectors.consultation_subjects(request.user)
    if not subjects:
        raise Http404
    page = Paginator(performance_selectors.consultations_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/consultations.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    subjects = performance_selectors.consultation_subjects(request.user)
    if not subjects:
        raise Http404
    versions = list(performance_selectors.draft_catalog_versions(request.user))
    form = ConsultationForm(request.POST or None, subjects=subjects, versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A period that begins today is open from now (not from midnight, hours ago).
        opens_at = max(start_of_day(data["opens_on"]), timezone.now())
        try:
            created = consultations.open_consultation(
                actor=request.user,
                subject=data["subject"],
                title=data["title"],
                description=data["description"],
                opens_at=opens_at,
                closes_at=end_of_day(data["closes_on"]),
                catalog_version=data["catalog_version"],
                fiscal_year=data["fiscal_year"],
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
            return render(request, "performance/consultation_new.html", {"form": form}, status=exc.status)
        messages.success(request, _("The consultation is open for comment."))
        return redirect("performance:consultation", created.pk)
    status = 400 if form.is_bound else 200
    return render(request, "performance/consultation_new.html", {"form": form}, status=status)


@login_required
@require_safe
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = performance_selectors.consultation_for(request.user, pk)
    status = str(request.GET.get("status") or CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    comments = Paginator(performance_selectors.consultation_comments(found, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "consultation": found,
        "comments": comments,
        "status": status,
        "filters": CommentStatus.choices,
        "reject_form": RejectCommentForm(),
        "summary_form": SummaryForm(initial={"version": found.version}),
        "ended": found.closes_at <= timezone.now(),
    }
    return render(request, "performance/consultation.html", context)


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    comment = performance_selectors.comment_for(request.user, pk)
    if action not in ("publish", "reject"):
        raise Http404
    publish = action == "publish"
    done = _("The comment is published.") if publish else _("The comment is rejected.")
    return act_then_redirect(
        request,
        comment.consultation,
        lambda _c: consultations.moderate_comment(
            actor=request.user,
            comment=comment,
            version=request.POST.get("version"),
            publish=publish,
            reason=request.POST.get("reason", ""),
        ),
        done,
        "performance:consultation",
        anchor="comments",
    )


@login_required
@require_POST
def consultation_summary(request: HttpRequest, pk: int) -> HttpResponse:
    found = performance_selectors.consultation_for(request.user, pk)
    return act_then_redirect(
        request,
        found,
        lambda c: consultations.publish_summary(
            actor=request.user,
            consultation=c,
            version=request.POST.get("version"),
            received=request.POST.get("received", ""),
            changed=request.POST.get("changed", ""),
        ),
        _("The summary is published."),
        "performance:consultation",
        anchor="summary",
    )
