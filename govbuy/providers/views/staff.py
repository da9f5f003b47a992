"""The provider registry's staff pages: profiles, dossier sections and documents, verification,
suspension, related parties and service areas."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.core.storage import DocumentIntegrityError, DocumentMissing, open_verified
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import scope_for
from govbuy.providers import rules, selectors
from govbuy.providers.forms import (
    DecisionForm,
    DocumentForm,
    ProfileForm,
    ReasonForm,
    RelationForm,
    ServiceAreaForm,
    StaffForm,
    StatementForm,
)
from govbuy.providers.models import Condition, ProviderProfile, ServiceArea
from govbuy.providers.services import dossiers, registration, related_parties, standing

PAGE_SIZE = 25


def _error_message(exc: DomainError) -> str:
    details = [str(m) for name, msgs in exc.fields.items() if name != "missing" for m in msgs]
    return " ".join([str(exc.message), *details]) if details else str(exc.message)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return None


# --- Staff side ------------------------------------------------------------------------------------------


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visible_profiles(request.user, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "providers/provider_list.html",
        {
            "page": page,
            "states": ProviderProfile.State.choices,
            "state": request.GET.get("state", ""),
            "awaiting": request.GET.get("awaiting", ""),
            "may_report": bool(rules.authority_regions(scope_for(request.user))) or request.user.is_superuser,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    profile = selectors.own_profiles(request.user).first()
    if profile is None:
        return render(request, "providers/no_profile.html", status=404)
    return redirect("providers:detail", pk=profile.pk)


def _perms(user: Any, profile: ProviderProfile) -> dict[str, bool]:
    scope = scope_for(user)
    org = profile.organisation
    authority = rules.is_authority_for(scope, authority_kind=profile.authority_kind, region_id=org.region_id)
    return {
        "can_edit": rules.may_edit_dossier(scope, org.pk),
        "is_admin": rules.may_sign_declaration(scope, org.pk),
        "is_authority": authority,
        "can_relate": rules.may_record_relation(
            scope, organisation_id=org.pk, authority_kind=profile.authority_kind, region_id=org.region_id
        ),
    }


@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    views = selectors.dossier(profile)
    perms = _perms(request.user, profile)
    areas = ServiceArea.objects.filter(profile=profile).select_related("item").order_by("item_code")
    related = selectors.related_parties(profile.organisation_id)
    return render(
        request,
        "providers/provider_detail.html",
        {
            "profile": profile,
            "sections": views,
            "ready": selectors.verification_ready(views),
            "areas": areas,
            "related": related,
            "relation_form": RelationForm(),
            "area_form": ServiceAreaForm(),
            "offerable": selectors.offerable_items(profile) if perms["can_edit"] else [],
            "restrictions": selectors.restrictions_of(profile),
            "restricted": selectors.participation(profile.organisation_id, gate=selectors.Gate.BID),
            **perms,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    if not _perms(request.user, profile)["is_admin"]:
        raise Http404
    initial = {
        name: getattr(profile, name)
        for name in (
            "registration_authority",
            "legal_representative",
            "registered_address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "version",
        )
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if not data.get("legal_representative_id"):
            data.pop("legal_representative_id", None)
        try:
            registration.update_profile(actor=request.user, profile=profile, version=version, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Registration facts saved."))
            return redirect("providers:detail", pk=profile.pk)
    return render(request, "providers/provider_edit.html", {"profile": profile, "form": form})


@login_required
def section_detail(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    view = selectors.section_for(profile, condition)
    perms = _perms(request.user, profile)
    version = {"version": view.section.version}
    return render(
        request,
        "providers/section_detail.html",
        {
            "profile": profile,
            "view": view,
            "section": view.section,
            "statement_form": StatementForm(initial={**version, "statement": view.section.statement}),
            "document_form": DocumentForm(initial=version),
            "staff_form": StaffForm(initial=version),
            "decision_form": DecisionForm(initial=version),
            "is_capacity": condition == Condition.CAPACITY,
            "is_declaration": condition == Condition.NO_MAJOR_VIOLATION,
            "declaration_text": rules.DECLARATION_TEXT,
            **perms,
        },
    )


def _section_action(request: HttpRequest, pk: int, condition: str, action: Any, success: str) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    view = selectors.section_for(profile, condition)
    version = _version(request)
    if version is not None:
        try:
            action(profile, view.section, version)
        except DomainError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, success)
    return redirect("providers:section", pk=profile.pk, condition=condition)


@login_required
@require_POST
def section_statement(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    return _section_action(
        request,
        pk,
        condition,
        lambda p, s, v: dossiers.update_statement(
            actor=request.user, section=s, version=v, statement=request.POST.get("statement", "")
        ),
        _("Statement saved."),
    )


@login_required
@require_POST
def section_document(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    def upload(profile: ProviderProfile, section: Any, version: int) -> None:
        form = DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            raise _FormInvalid(form)
        file = form.cleaned_data["file"]
        # One byte past the limit is enough for the checker to refuse it with the sizes named.
        data = file.read(settings.GOVBUY_UPLOAD_MAX_BYTES + 1)
        dossiers.add_document(
            actor=request.user,
            section=section,
            version=version,
            title=form.cleaned_data["title"],
            file_name=file.name or "",
            data=data,
            valid_from=form.cleaned_data["valid_from"],
            valid_until=form.cleaned_data["valid_until"],
        )

    return _section_action(request, pk, condition, upload, _("Document uploaded."))


class _FormInvalid(DomainError):
    def __init__(self, form: Any) -> None:
        fields = {name: list(errors) for name, errors in form.errors.items() if name != "version"}
        super().__init__(_("The document form has errors."), fields=fields)


@login_required
@require_POST
def document_withdraw(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk, document_id)
    version = _version(request)
    if version is not None:
        try:
            dossiers.withdraw_document(actor=request.user, document=document, version=version)
        except DomainError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, _("Document withdrawn."))
    condition = Condition(document.section.condition).value
    return redirect("providers:section", pk=pk, condition=condition)


@login_required
@require_POST
def section_staff(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    def add(profile: ProviderProfile, section: Any, version: int) -> None:
        form = StaffForm(request.POST)
        if not form.is_valid():
            raise _FormInvalid(form)
        data = dict(form.cleaned_data)
        data.pop("version")
        dossiers.add_staff(actor=request.user, section=section, version=version, **data)

    return _section_action(request, pk, condition, add, _("Staff member added."))


@login_required
@require_POST
def staff_remove(request: HttpRequest, pk: int, staff_id: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    entry = selectors.staff_entry_for(profile, staff_id)
    version = _version(request)
    if version is not None:
        try:
            dossiers.remove_staff(actor=request.user, entry=entry, version=version)
        except DomainError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, _("Staff member removed."))
    return redirect("providers:section", pk=profile.pk, condition=Condition.CAPACITY.value)


@login_required
@require_POST
def section_declaration(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    return _section_action(
        request,
        pk,
        condition,
        lambda p, s, v: dossiers.sign_declaration(actor=request.user, section=s, version=v),
        _("Declaration signed."),
    )


@login_required
@require_POST
def section_submit(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    return _section_action(
        request,
        pk,
        condition,
        lambda p, s, v: dossiers.submit_section(actor=request.user, section=s, version=v),
        _("Section submitted for verification."),
    )


@login_required
@require_POST
def section_decide(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    return _section_action(
        request,
        pk,
        condition,
        lambda p, s, v: dossiers.decide_section(
            actor=request.user,
            section=s,
            version=v,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Decision recorded."),
    )


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Only those who may read the dossier; always as an attachment, never rendered inline."""
    document = selectors.document_for(request.user, pk, document_id)
    try:
        content = open_verified(document.path, document.sha256)
    except (DocumentIntegrityError, DocumentMissing) as exc:
        return render(request, "providers/document_error.html", {"message": exc.message}, status=exc.status)
    response = FileResponse(
        content, as_attachment=True, filename=document.display_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Provider state, relations and service areas -----------------------------------------------------------


def _profile_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    version = _version(request)
    if version is not None:
        try:
            action(profile, version)
        except DomainError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, success)
    return redirect("providers:detail", pk=profile.pk)


@login_required
@require_POST
def provider_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_action(
        request,
        pk,
        lambda p, v: standing.verify_provider(actor=request.user, profile=p, version=v),
        _("The provider is verified."),
    )


@login_required
@require_POST
def provider_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        until = parse_date(str(request.POST.get("until") or "").strip())
    except ValueError:
        until = None
    return _profile_action(
        request,
        pk,
        lambda p, v: standing.suspend_provider(actor=request.user, profile=p, version=v, reason=reason, until=until),
        _("The provider is suspended."),
    )


@login_required
@require_POST
def provider_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_action(
        request,
        pk,
        lambda p, v: standing.reinstate_provider(
            actor=request.user, profile=p, version=v, reason=request.POST.get("reason", "")
        ),
        _("The provider is reinstated."),
    )


@login_required
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    form = RelationForm(request.POST)
    if form.is_valid():
        other = Organisation.objects.filter(uscc=form.cleaned_data["other_uscc"]).first()
        try:
            if other is None:
                raise DomainError(_("No registered provider has this code."))
            related_parties.record_control_relation(
                actor=request.user, profile=profile, other=other, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(request, _("Control relation recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("providers:detail", pk=profile.pk)


@login_required
@require_POST
def relation_end(request: HttpRequest, pk: int, relation_id: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    relation = selectors.related_parties(profile.organisation_id).filter(pk=relation_id).first()
    if relation is None:
        raise Http404
    try:
        related_parties.end_relation(actor=request.user, relation=relation, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, _("Related-party link ended."))
    return redirect("providers:detail", pk=profile.pk)


@login_required
@require_POST
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    form = ServiceAreaForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose a catalog item."))
        related_parties.add_service_area(actor=request.user, profile=profile, item=form.cleaned_data["item"])
    except DomainError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, _("Service area added."))
    return redirect("providers:detail", pk=profile.pk)


@login_required
@require_POST
def area_remove(request: HttpRequest, pk: int, area_id: int) -> HttpResponse:
    profile = selectors.profile_for(request.user, pk)
    area = ServiceArea.objects.filter(pk=area_id, profile=profile).first()
    if area is None:
        raise Http404
    try:
        related_parties.remove_service_area(actor=request.user, area=area)
    except DomainError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, _("Service area removed."))
    return redirect("providers:detail", pk=profile.pk)
