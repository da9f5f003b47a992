"""Staff pages of the catalog: the finance bureaus' workspace (drafts, items, import, publication),
the staffing office's comments, district filings and negative-list maintenance. Thin: parse,
select (scoped; outside the scope is a 404), call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govbuy.catalog import forms, rules, selectors
from govbuy.catalog.home import sees_filings, sees_workspace
from govbuy.catalog.models import CatalogVersion, Filing
from govbuy.catalog.services import draft_items, imports, negative_list, versions
from govbuy.catalog.services import filings as filing_services
from govbuy.catalog.spreadsheets import ImportRefused, refuse_oversized
from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.core.pages import flash_domain_error
from govbuy.organizations.models import Region
from govbuy.organizations.scope import scope_for


def _owned_regions(user: Any) -> list[Region]:
    ids = rules.writable_region_ids(scope_for(user))
    return list(Region.objects.filter(pk__in=sorted(ids)).order_by("level", "code"))


def _version_url(version: CatalogVersion) -> Any:
    return redirect("catalog:version", version.region.code, version.number)


@login_required
@require_http_methods(["GET"])
def manage(request: HttpRequest) -> HttpResponse:
    if not sees_workspace(request):
        raise Http404
    regions = _owned_regions(request.user)
    return render(
        request,
        "catalog/manage.html",
        {
            "versions": selectors.workspace_versions(request.user),
            "draft_form": forms.DraftForm(regions=regions) if regions else None,
            "import_form": forms.ImportForm(regions=regions) if regions else None,
        },
    )


@login_required
@require_POST
def draft_create(request: HttpRequest) -> HttpResponse:
    regions = _owned_regions(request.user)
    if not regions:
        raise Http404
    form = forms.DraftForm(request.POST, regions=regions)
    if form.is_valid():
        data = form.cleaned_data
        try:
            draft = versions.create_draft(
                actor=request.user,
                region=next(r for r in regions if r.pk == data["region"]),
                title_zh=data["title_zh"],
                title_en=data["title_en"],
                notes=data["notes"],
                empty=data["start"] == "empty",
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Draft created."))
            return _version_url(draft)
    return render(
        request,
        "catalog/manage.html",
        {
            "versions": selectors.workspace_versions(request.user),
            "draft_form": form,
            "import_form": forms.ImportForm(regions=regions),
        },
        status=400,
    )


def _read_upload(upload: Any) -> bytes:
    refuse_oversized(upload.size)
    return bytes(upload.read())


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    regions = _owned_regions(request.user)
    if not regions:
        raise Http404
    form = forms.ImportForm(request.POST or None, request.FILES or None, regions=regions)
    errors: list[Any] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = imports.import_spreadsheet(
                    actor=request.user,
                    region=next(r for r in regions if r.pk == data["region"]),
                    file_name=data["file"].name,
                    data=_read_upload(data["file"]),
                    version=data.get("version"),
                    title_zh=data["title_zh"],
                    title_en=data["title_en"],
                )
            except ImportRefused as exc:
                errors = exc.errors
                form.add_error(None, str(exc.message))
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                if outcome.job is not None:
                    messages.success(request, _("The file is being imported in the background."))
                    return redirect("catalog:import_job", outcome.job.pk)
                messages.success(request, _("%(n)d rows imported.") % {"n": outcome.rows})
                assert outcome.catalog is not None
                return _version_url(outcome.catalog)
    return render(request, "catalog/import.html", {"form": form, "errors": errors}, status=status)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(request.user, pk)
    return render(request, "catalog/import_job.html", {"job": job, "running": job.status in ("queued", "running")})


def _draft_for(request: HttpRequest, region_code: str, number: int) -> CatalogVersion:
    return selectors.version_by_number(request.user, region_code, number)


def _version_from(form: Any) -> int:
    return int(form.cleaned_data["version"])


@login_required
@require_POST
def draft_settings(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    form = forms.DraftSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return _version_url(version)
    try:
        versions.update_draft(
            actor=request.user,
            catalog=version,
            version=_version_from(form),
            title_zh=form.cleaned_data["title_zh"],
            title_en=form.cleaned_data["title_en"],
            notes=form.cleaned_data["notes"],
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Draft saved."))
    return _version_url(version)


@login_required
@require_POST
def item_add(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    form = forms.ItemForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            draft_items.add_item(actor=request.user, catalog=version, **data)
        except DomainError as exc:
            flash_domain_error(request, exc)
        else:
            messages.success(request, _("Item %(code)s added.") % {"code": data["code"]})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return _version_url(version)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, region_code: str, number: int, code: str) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    item = selectors.item_in(version, code)
    if not rules.owns_region_catalog(scope_for(request.user), version.region_id) or not version.is_draft:
        messages.error(request, _("Only the region's finance bureau changes its draft catalog."))
        return redirect("catalog:item", region_code, number, code)
    initial = {
        "version": version.version,
        "parent_code": item.parent.code if item.parent else "",
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "description": item.description,
        "is_priority": item.is_priority,
        "procurement_code": item.procurement_code,
    }
    form = forms.ItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version_read = data.pop("version")
        try:
            draft_items.update_item(actor=request.user, item=item, version=version_read, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
            return _version_url(version)
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/item_form.html", {"form": form, "item": item, "version": version}, status=status)


@login_required
@require_POST
def item_remove(request: HttpRequest, region_code: str, number: int, code: str) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    item = selectors.item_in(version, code)
    try:
        draft_items.remove_item(actor=request.user, item=item, version=int(request.POST.get("version", "0") or 0))
    except DomainError as exc:
        flash_domain_error(request, exc)
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
    else:
        messages.success(request, _("Item %(code)s removed.") % {"code": code})
    return _version_url(version)


@login_required
@require_POST
def publish(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _version_url(version)
    try:
        versions.publish_version(
            actor=request.user,
            catalog=version,
            version=_version_from(form),
            effective_from=form.cleaned_data["effective_from"],
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Catalog version published."))
    return _version_url(version)


@login_required
@require_POST
def discard(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    form = forms.DiscardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return _version_url(version)
    try:
        versions.discard_draft(
            actor=request.user, catalog=version, version=_version_from(form), reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Draft discarded."))
    return redirect("catalog:manage")


@login_required
@require_POST
def comment(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the comment."))
        return _version_url(version)
    try:
        versions.comment_on_draft(actor=request.user, catalog=version, **form.cleaned_data)
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("Comment added."))
    return _version_url(version)


@login_required
@require_POST
def file_version(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = _draft_for(request, region_code, number)
    form = forms.FilingForm(request.POST)
    form.is_valid()
    try:
        filing = filing_services.submit_filing(
            actor=request.user, catalog=version, note=form.cleaned_data.get("note", "")
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
        return _version_url(version)
    messages.success(request, _("The catalog was filed with the city finance bureau."))
    return redirect("catalog:filing", filing.pk)


@login_required
def filings(request: HttpRequest) -> HttpResponse:
    if not sees_filings(request):
        raise Http404
    status = str(request.GET.get("status") or "")
    return render(
        request,
        "catalog/filings.html",
        {
            "filings": selectors.visible_filings(request.user, status=status),
            "status": status,
            "statuses": Filing.Status.choices,
        },
    )


@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk)
    can_decide = filing.status == Filing.Status.SUBMITTED and rules.may_decide_filing(scope_for(request.user))
    return render(
        request,
        "catalog/filing.html",
        {
            "filing": filing,
            "diff": filing.diff,
            "history": selectors.filing_history(filing),
            "can_decide": can_decide,
            "decide_form": forms.DecideForm(initial={"version": filing.version}) if can_decide else None,
        },
    )


def _decide(request: HttpRequest, pk: int, *, acknowledge: bool) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return redirect("catalog:filing", filing.pk)
    try:
        if acknowledge:
            filing_services.acknowledge_filing(
                actor=request.user, filing=filing, version=_version_from(form), comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Filing acknowledged."))
        else:
            filing_services.return_filing(
                actor=request.user, filing=filing, version=_version_from(form), comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Filing returned with comments."))
    except DomainError as exc:
        flash_domain_error(request, exc)
    return redirect("catalog:filing", filing.pk)


@login_required
@require_POST
def filing_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, acknowledge=True)


@login_required
@require_POST
def filing_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, acknowledge=False)


@login_required
@require_POST
def matter_add(request: HttpRequest) -> HttpResponse:
    if not rules.may_maintain_negative_list(scope_for(request.user)):
        raise Http404
    form = forms.MatterForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data.pop("is_active", None)
        try:
            negative_list.add_matter(actor=request.user, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Matter added to the negative list."))
            return redirect("catalog:negative_list")
    return render(
        request,
        "catalog/negative_list.html",
        {"matters": selectors.negative_matters(), "can_maintain": True, "form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not rules.may_maintain_negative_list(scope_for(request.user)):
        raise Http404
    matter = selectors.matter_for(request.user, pk)
    initial = {
        "version": matter.version,
        "code": matter.code,
        "name_zh": matter.name_zh,
        "name_en": matter.name_en,
        "legal_basis_zh": matter.legal_basis_zh,
        "legal_basis_en": matter.legal_basis_en,
        "terms_zh": ", ".join(matter.terms_zh),
        "is_active": matter.is_active,
    }
    form = forms.MatterForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code", None)
        version = data.pop("version") or 0
        try:
            negative_list.update_matter(actor=request.user, matter=matter, version=version, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Matter saved."))
            return redirect("catalog:negative_list")
    return render(request, "catalog/matter_form.html", {"form": form, "matter": matter})
