"""Staff pages for regions, organisations and their members. Thin: parse, select (scoped), call one
service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.organizations import rules, selectors, services, uscc
from govbuy.organizations.forms import (
    AddMemberForm,
    ContactsForm,
    DeactivateForm,
    OrganisationEditForm,
    OrganisationForm,
    RegionForm,
    RoleForm,
    UsccCheckForm,
    kind_choices,
    show_normalised,
)
from govbuy.organizations.kinds import Family
from govbuy.organizations.models import Membership, Organisation
from govbuy.organizations.scope import scope_for

PAGE_SIZE = 25


def _facts(org: Organisation) -> dict[str, Any]:
    return {"kind": org.kind, "region_id": org.region_id, "region_level": org.region.level}


def permissions_for(user: Any, org: Organisation) -> dict[str, bool]:
    scope = scope_for(user)
    facts = _facts(org)
    return {
        "can_edit": rules.may_edit(scope, organisation_id=org.pk, **facts),
        "can_manage": rules.may_manage(scope, **facts),
        "can_manage_members": rules.may_manage_members(scope, organisation_id=org.pk, **facts),
        "can_review": org.uscc_review_pending and rules.may_review_uscc(scope, kind=org.kind, region_id=org.region_id),
        "sees_warnings": rules.sees_uscc_warnings(scope),
    }


def uscc_explained(org: Organisation) -> dict[str, Any] | None:
    if not org.uscc:
        return None
    try:
        return uscc.explain(uscc.parse(org.uscc), org.kind)
    except DomainError:
        # A code stored before a rule change may no longer pass; show it rather than fail the page.
        return None


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.clean_filters(request.GET)
    qs = selectors.visible_organisations(request.user, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/organisation_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "families": [(f, rules.family_label(Family(f))) for f in rules.FAMILY_KINDS],
            "kinds": kind_choices()[1:],
            "regions": selectors.regions(request.user),
            "statuses": Organisation.Status.choices,
            "sees_warnings": rules.sees_uscc_warnings(scope),
            "may_register": bool(selectors.registrable_kinds(request.user)),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    perms = permissions_for(request.user, org)
    return render(
        request,
        "organizations/organisation_detail.html",
        {
            "org": org,
            "family": rules.family_label(rules.family_of(org.kind)),
            "explained": uscc_explained(org),
            "deactivate_form": DeactivateForm(initial={"version": org.version}),
            **perms,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    kinds = selectors.registrable_kinds(request.user)
    if not kinds:
        messages.error(request, _("You may not register organisations."))
        return redirect("organizations:list")
    form = OrganisationForm(request.POST or None, kinds=kinds, regions=selectors.regions_for_registration(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.register_organisation(
                actor=request.user,
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                kind=data["kind"],
                region=data["region"],
                uscc=data["uscc"] or None,
            )
        except DomainError as exc:
            show_normalised(form, "uscc")
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Organisation registered."))
            return redirect("organizations:detail", pk=org.pk)
    elif request.method == "POST":
        show_normalised(form, "uscc")
    return render(request, "organizations/organisation_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    perms = permissions_for(request.user, org)
    if not perms["can_edit"]:
        messages.error(request, _("You are not allowed to change this organisation."))
        return redirect("organizations:detail", pk=org.pk)
    initial = {
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "kind": org.kind,
        "region": org.region_id,
        "uscc": org.uscc or "",
        "version": org.version,
    }
    can_move = perms["can_manage"]
    form = OrganisationEditForm(
        request.POST or None,
        initial=initial,
        can_move=can_move,
        kinds=selectors.registrable_kinds(request.user) if can_move else None,
        regions=selectors.regions_for_registration(request.user) if can_move else selectors.regions(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {"name_zh": data["name_zh"], "name_en": data["name_en"], "uscc": data["uscc"]}
        if can_move:
            changes.update(kind=data["kind"], region=data["region"])
        try:
            services.update_organisation(actor=request.user, organisation=org, version=data["version"], **changes)
        except DomainError as exc:
            show_normalised(form, "uscc")
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organizations:detail", pk=org.pk)
    return render(request, "organizations/organisation_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Address and contacts, for the public notices: the organisation's administrator edits them."""
    org = selectors.organisation_for(request.user, pk)
    if not permissions_for(request.user, org)["can_edit"]:
        raise Http404
    initial = {name: getattr(org, name) for name in rules.CONTACT_FIELDS}
    form = ContactsForm(request.POST or None, initial={**initial, "version": org.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_contacts(
                actor=request.user,
                organisation=org,
                version=data["version"],
                **{name: data[name] for name in rules.CONTACT_FIELDS},
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Address and contacts saved."))
            return redirect("organizations:detail", pk=org.pk)
    return render(
        request,
        "organizations/contacts_form.html",
        {"form": form, "org": org},
        status=400 if form.errors else 200,
    )


def _status_change(request: HttpRequest, pk: int, *, activate: bool) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return redirect("organizations:detail", pk=org.pk)
    try:
        if activate:
            services.reactivate_organisation(actor=request.user, organisation=org, version=version)
            messages.success(request, _("Organisation reactivated."))
        else:
            services.deactivate_organisation(
                actor=request.user, organisation=org, version=version, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Organisation deactivated."))
    except DomainError as exc:
        details = [str(m) for msgs in exc.fields.values() for m in msgs]
        messages.error(request, " ".join(details) if details else str(exc.message))
    return redirect("organizations:detail", pk=org.pk)


@login_required
@require_POST
def organisation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, activate=False)


@login_required
@require_POST
def organisation_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, activate=True)


@login_required
@require_POST
def organisation_review_uscc(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
        services.review_uscc_warnings(
            actor=request.user, organisation=org, version=version, note=request.POST.get("note", "")
        )
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The code's warnings are marked as reviewed."))
    return redirect("organizations:detail", pk=org.pk)


# --- Members -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    perms = permissions_for(request.user, org)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST":
        if not perms["can_manage_members"]:
            messages.error(request, _("You may not manage the members of this organisation."))
            return redirect("organizations:members", pk=org.pk)
        if form.is_valid():
            try:
                services.add_member(
                    actor=request.user,
                    organisation=org,
                    user=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Member added."))
                return redirect("organizations:members", pk=org.pk)
    return render(
        request,
        "organizations/member_list.html",
        {
            "org": org,
            "members": selectors.members_of(request.user, org),
            "form": form,
            "roles": Membership.Role.choices,
            **perms,
        },
    )


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    membership = selectors.membership_for(request.user, org, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("organizations:members", pk=org.pk)
    try:
        services.change_member_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Role changed."))
    return redirect("organizations:members", pk=org.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    org = selectors.organisation_for(request.user, pk)
    membership = selectors.membership_for(request.user, org, membership_id)
    try:
        services.remove_member(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Member removed."))
    return redirect("organizations:members", pk=org.pk)


# --- Regions and the code checker ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def region_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_platform_admin or scope.memberships):
        raise Http404
    form = RegionForm(request.POST or None) if scope.is_platform_admin else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Only a platform administrator may add regions."))
            return redirect("organizations:regions")
        if form.is_valid():
            try:
                services.create_region(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Region added."))
                return HttpResponseRedirect(reverse("organizations:regions"))
    return render(request, "organizations/region_list.html", {"regions": selectors.regions(request.user), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def uscc_check(request: HttpRequest) -> HttpResponse:
    """The same check as /api/v1/uscc/check/: the normalised code, its parts and its doubts."""
    form = UsccCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        show_normalised(form, "code")
        try:
            info = uscc.parse(form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            result = uscc.explain(info, form.cleaned_data.get("kind") or None)
    return render(request, "organizations/uscc_check.html", {"form": form, "result": result})
