"""Staff pages of procurement: tenders (draft, documents, publication, cancellation, change of method),
sealed bids, the four-eyes opening, clarifications and the methods table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core import present
from govbuy.core.errors import DomainError
from govbuy.core.pages import act_then_redirect, flash_domain_error
from govbuy.core.storage import open_verified
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.procurement import rules
from govbuy.procurement.forms import AnswerForm, BidForm, MethodForm, NoticeForm, QuestionForm, TenderForm
from govbuy.procurement.home import sees_tenders
from govbuy.procurement.models import ProcurementMethod, TenderStatus
from govbuy.procurement.selectors import questions, tendering
from govbuy.procurement.services import bids, clarifications, opening, oversight_reads, tenders
from govbuy.providers import selectors as provider_selectors

PAGE_SIZE = 25


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


@login_required
@require_http_methods(["GET"])
def tender_list(request: HttpRequest) -> HttpResponse:
    if not sees_tenders(request):
        raise Http404
    status = str(request.GET.get("status") or "")
    page = Paginator(tendering.visible_tenders(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "procurement/tender_list.html",
        {
            "page": page,
            "status": status,
            "statuses": TenderStatus.choices,
            "projects": list(tendering.tenderable_projects(request.user)[:20]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tender_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = tendering.project_for_tender(request.user, project_pk)
    form = TenderForm(request.POST or None, initial={"title": project.title})
    refused = 400
    if request.method == "POST" and form.is_valid():
        try:
            tender = tenders.create_tender(actor=request.user, project=project, **form.service_kwargs())
        except DomainError as exc:
            form.apply_domain_error(exc)
            refused = exc.status  # a live tender on the project is a conflict (409), as in the API
        else:
            messages.success(request, _("Tender drafted."))
            return redirect("procurement:tender", tender.pk)
    return render(
        request,
        "procurement/tender_form.html",
        {"form": form, "project": project},
        status=refused if form.errors else 200,
    )


def _tender_context(request: HttpRequest, tender: Any) -> dict[str, Any]:
    scope = scope_for(request.user)
    is_staff = rules.purchaser_staff_of(scope, tender.purchaser_id)
    return {
        "tender": tender,
        "lots": tendering.lots_of(tender),
        "criteria": tendering.criteria_of(tender),
        "documents": tendering.documents_of(tender),
        "is_staff": is_staff,
        "is_provider": scope.is_provider,
        "own_bids": tendering.own_bids(request.user, tender) if scope.is_provider else [],
        "opening": tendering.opening_of(tender),
        "opened_bids": tendering.opened_bids(tender) if tendering.sees_opened_bids(request.user, tender) else [],
        "is_finance": any(m.kind == "finance_bureau" for m in scope.memberships),
        "methods": tendering.methods(),
        "bond_limit": tenders.bond_limit(tender.budget),
        **_clarification_context(request, tender, is_staff=is_staff),
    }


def _clarification_context(request: HttpRequest, tender: Any, *, is_staff: bool) -> dict[str, Any]:
    scope = scope_for(request.user)
    draw = questions.invitation_draw_of(tender) if tender.method.random_invitations else None
    sees_draw = questions.sees_invitation_draw(request.user, tender)
    invited_own = questions.invited_own(request.user, tender, draw)
    may_take_part = scope.is_provider and (not tender.method.random_invitations or bool(invited_own))
    return {
        "clarifications": questions.clarifications_for(request.user, tender),
        "sees_askers": questions.sees_askers(request.user, tender),
        "own_org_ids": scope.organisation_ids,
        "may_ask": may_take_part and tender.status == TenderStatus.PUBLISHED,
        "may_bid": may_take_part,
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        "notice_form": NoticeForm(),
        "invitation_draw": draw if sees_draw else None,
        "invited": questions.invited_providers(draw) if sees_draw else [],
        "invitation_candidates": questions.invitation_candidates(draw) if sees_draw else [],
        "invited_own": bool(invited_own),
    }


@login_required
@require_http_methods(["GET"])
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tendering.tender_for(request.user, pk)
    return render(request, "procurement/tender_detail.html", _tender_context(request, tender))


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    return act_then_redirect(request, tendering.tender_for(request.user, pk), action, done, "procurement:tender")


@login_required
@require_POST
def tender_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda t: tenders.publish_tender(actor=request.user, tender=t, version=_version(request)),
        _("Notice published."),
    )


@login_required
@require_POST
def tender_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reason = str(request.POST.get("reason") or "")
    return _act(
        request,
        pk,
        lambda t: tenders.cancel_tender(actor=request.user, tender=t, version=_version(request), reason=reason),
        _("Tender cancelled."),
    )


@login_required
@require_POST
def tender_document(request: HttpRequest, pk: int) -> HttpResponse:
    upload = request.FILES.get("file")

    def add(t: Any) -> None:
        if upload is None:
            raise DomainError(_("Choose a file."))
        tenders.add_document(
            actor=request.user,
            tender=t,
            version=_version(request),
            title=str(request.POST.get("title") or ""),
            file_name=upload.name or "",
            data=upload.read(),
        )

    return _act(request, pk, add, _("Document added."))


@login_required
@require_POST
def opening_initiate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda t: opening.initiate_opening(actor=request.user, tender=t),
        _("Opening initiated; a second authorised user confirms it."),
    )


@login_required
@require_POST
def opening_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda t: opening.confirm_opening(actor=request.user, tender=t), _("Bids opened."))


@login_required
@require_POST
def method_change(request: HttpRequest, pk: int) -> HttpResponse:
    method = str(request.POST.get("method") or "")
    reason = str(request.POST.get("reason") or "")
    return _act(
        request,
        pk,
        lambda t: tenders.approve_method_change(
            actor=request.user, tender=t, version=_version(request), method=method, reason=reason
        ),
        _("Change of method approved."),
    )


@login_required
@require_http_methods(["GET"])
def opening_record(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tendering.tender_for(request.user, pk)
    record = tendering.opening_of(tender)
    if record is None or not record.record_path or not tendering.sees_opened_bids(request.user, tender):
        raise Http404
    return FileResponse(
        open_verified(record.record_path, record.record_sha256),
        as_attachment=True,
        filename=f"{tender.reference}-opening.pdf",
    )


@login_required
@require_http_methods(["GET"])
def bid_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = tendering.bid_document_for(request.user, pk)
    oversight_reads.record_bid_document_read(actor=request.user, document=doc)
    return FileResponse(
        open_verified(doc.path, doc.sha256), as_attachment=True, filename=doc.file_name, content_type=doc.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def bid_submit(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tendering.tender_for(request.user, pk)
    scope = scope_for(request.user)
    providers = list(Organisation.objects.filter(pk__in=scope.acting_providers()))
    if not providers or tender.status != TenderStatus.PUBLISHED:
        raise Http404
    conditions = list(provider_selectors.conditions_in_force(tender.purchaser_id, tender.project.reference))
    form = BidForm(request.POST or None, request.FILES or None, lots=tendering.lots_of(tender), conditions=conditions)
    if request.method == "POST" and form.is_valid():
        try:
            bid = bids.submit_bid(actor=request.user, tender=tender, provider=providers[0], **form.service_kwargs())
        except DomainError as exc:
            form.apply_domain_error(exc)
            if exc.status == 429:
                return render(request, "procurement/bid_form.html", {"form": form, "tender": tender}, status=429)
        else:
            messages.success(
                request,
                _("Bid sealed and received at %(time)s. Receipt (sha256): %(hash)s")
                % {"time": present.when(bid.submitted_at, seconds=True), "hash": bid.receipt_sha256},
            )
            return redirect("procurement:tender", tender.pk)
    return render(
        request, "procurement/bid_form.html", {"form": form, "tender": tender}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def bid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = tendering.sealed_bid_for(request.user, pk)
    try:
        bids.withdraw_bid(actor=request.user, bid=bid)
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Bid withdrawn."))
    return redirect("procurement:tender", bid.tender_id)


# --- Clarifications ----------------------------------------------------------------------------


def _own_provider(request: HttpRequest) -> Organisation | None:
    scope = scope_for(request.user)
    return Organisation.objects.filter(pk=scope.acting_provider()).first()


def _change(request: HttpRequest, pk: int, form_class: Any, call: Any, done: str) -> HttpResponse:
    """A clarification form posted from the tender page: invalid input or a refusal comes back as
    a message on the page; past a rate limit the page answers 429 (R15)."""
    tender = tendering.tender_for(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for msgs in form.errors.values() for m in msgs))
        return redirect("procurement:tender", tender.pk)
    try:
        call(tender, form.cleaned_data)
    except DomainError as exc:
        flash_domain_error(request, exc)
        if exc.status == 429:
            return render(request, "procurement/tender_detail.html", _tender_context(request, tender), status=429)
    else:
        messages.success(request, done)
    return redirect("procurement:tender", tender.pk)


@login_required
@require_POST
def clarification_ask(request: HttpRequest, pk: int) -> HttpResponse:
    provider = _own_provider(request)
    if provider is None:
        raise Http404
    return _change(
        request,
        pk,
        QuestionForm,
        lambda t, d: clarifications.ask_question(
            actor=request.user, tender=t, provider=provider, question=d["question"]
        ),
        _("Question sent. The answer will be published on the tender's page; your name is not shown."),
    )


@login_required
@require_POST
def clarification_answer(request: HttpRequest, pk: int, clarification_pk: int) -> HttpResponse:
    tender = tendering.tender_for(request.user, pk)
    question = questions.open_question_for(request.user, tender, clarification_pk)
    return _change(
        request,
        pk,
        AnswerForm,
        lambda t, d: clarifications.answer_question(
            actor=request.user,
            clarification=question,
            answer=d["answer"],
            affects_bids=d["affects_bids"],
            new_deadline=d["new_deadline"],
        ),
        _("Answer published."),
    )


@login_required
@require_POST
def clarification_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        NoticeForm,
        lambda t, d: clarifications.publish_notice(
            actor=request.user, tender=t, text=d["text"], affects_bids=d["affects_bids"], new_deadline=d["new_deadline"]
        ),
        _("Clarification published."),
    )


@login_required
@require_http_methods(["GET"])
def method_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "procurement/method_list.html",
        {"methods": tendering.methods(), "may_edit": scope_for(request.user).is_city_finance()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def method_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope_for(request.user).is_city_finance():
        raise Http404
    method: ProcurementMethod = tendering.method_for(pk)
    form = MethodForm(request.POST or None, instance_values=method)
    if request.method == "POST" and form.is_valid():
        try:
            tenders.update_method(
                actor=request.user, method=method, version=form.cleaned_data.pop("version"), **form.cleaned_data
            )
        except DomainError as exc:
            form.apply_domain_error(exc)
        else:
            messages.success(request, _("Method saved."))
            return redirect("procurement:methods")
    return render(
        request, "procurement/method_form.html", {"form": form, "method": method}, status=400 if form.errors else 200
    )
