"""Public catalog pages (no sign-in): the catalog in effect per region as a searchable tree,
its history with diffs, each item, the negative list, and exports. A draft is shown on the same
version page to its owner (and city drafts to the staffing office), with the editing forms."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from govbuy.catalog import forms, rules, selectors, spreadsheets
from govbuy.catalog.models import CatalogVersion
from govbuy.core.spreadsheets import XLSX_CONTENT_TYPE
from govbuy.organizations.scope import scope_for


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/index.html", {"rows": selectors.public_index()})


def _query(request: HttpRequest) -> str:
    return str(request.GET.get("q") or "").strip()[:100]


@require_GET
def region_catalog(request: HttpRequest, region_code: str) -> HttpResponse:
    region = selectors.region_by_code(region_code)
    version = selectors.effective_version(region)
    q = _query(request)
    roots, matches = selectors.tree(selectors.items_of(version), q) if version else ([], 0)
    return render(
        request,
        "catalog/region.html",
        {
            "region": region,
            "version": version,
            "follows_city": version is not None and version.region_id != region.pk,
            "upcoming": selectors.upcoming_version(region),
            "roots": roots,
            "q": q,
            "matches": matches,
        },
    )


@require_GET
def region_history(request: HttpRequest, region_code: str) -> HttpResponse:
    region = selectors.region_by_code(region_code)
    return render(request, "catalog/history.html", {"region": region, "versions": selectors.public_history(region)})


def version_permissions(user: Any, version: CatalogVersion) -> dict[str, bool]:
    scope = scope_for(user)
    region = version.region
    owner = rules.owns_region_catalog(scope, region.pk)
    return {
        "can_edit": owner and version.is_draft,
        "can_comment": version.is_draft and rules.may_comment(scope, region_id=region.pk, region_level=region.level),
        "sees_comments": rules.sees_drafts(scope, region_id=region.pk, region_level=region.level),
        "can_file": version.status == CatalogVersion.Status.PUBLISHED
        and rules.may_submit_filing(scope, region_id=region.pk, region_level=region.level),
        "sees_filings": rules.sees_filing(scope, region_id=region.pk) and region.level == "district",
        "can_adjust": owner and not version.is_draft,
    }


@require_GET
def version_detail(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    version = selectors.version_by_number(request.user, region_code, number)
    perms = version_permissions(request.user, version)
    q = _query(request)
    items = selectors.items_of(version)
    roots, matches = selectors.tree(items, q)
    context: dict[str, Any] = {
        "version": version,
        "region": version.region,
        "roots": roots,
        "q": q,
        "matches": matches,
        "item_count": len(items),
        **perms,
    }
    if version.is_draft:
        context["live_diff"] = selectors.diff_versions(selectors.latest_published(version.region), version)
    if perms["can_edit"]:
        context.update(
            settings_form=forms.DraftSettingsForm(
                initial={
                    "version": version.version,
                    "title_zh": version.title_zh,
                    "title_en": version.title_en,
                    "notes": version.notes,
                }
            ),
            item_form=forms.ItemForm(initial={"version": version.version}),
            publish_form=forms.PublishForm(initial={"version": version.version, "effective_from": selectors.today()}),
            discard_form=forms.DiscardForm(initial={"version": version.version}),
        )
    if perms["sees_comments"]:
        context["comments"] = selectors.comments_of(request.user, version)
    if perms["can_comment"]:
        context["comment_form"] = forms.CommentForm()
    if perms["sees_filings"]:
        context["filings"] = selectors.filings_of_version(request.user, version)
    if perms["can_file"]:
        context["filing_form"] = forms.FilingForm()
    return render(request, "catalog/version.html", context)


@require_GET
def version_diff(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    """Against the version it replaced (as recorded at publication), or ?against=N."""
    version = selectors.version_by_number(request.user, region_code, number)
    against_number = str(request.GET.get("against") or "")
    if against_number.isdigit():
        against = selectors.version_by_number(request.user, region_code, against_number)
        diff = selectors.diff_versions(against, version)
    elif version.is_public:
        against, diff = version.diff_against, version.diff or selectors.diff_versions(None, version)
    else:
        against = selectors.latest_published(version.region)
        diff = selectors.diff_versions(against, version)
    return render(
        request,
        "catalog/diff.html",
        {
            "version": version,
            "region": version.region,
            "against": against,
            "diff": diff,
            "others": selectors.public_history(version.region).exclude(pk=version.pk),
        },
    )


@require_GET
def item_detail(request: HttpRequest, region_code: str, number: int, code: str) -> HttpResponse:
    version = selectors.version_by_number(request.user, region_code, number)
    item = selectors.item_in(version, code)
    return render(
        request,
        "catalog/item.html",
        {
            "version": version,
            "region": version.region,
            "item": item,
            "ancestors": selectors.ancestors(item),
            "children": item.children.order_by("position", "pk"),
            "history": selectors.versions_with_item(version.region, item.code),
            "ocds_id": f"{version.region.code}:{version.number}:{item.code}",
        },
    )


@require_GET
def version_export(request: HttpRequest, region_code: str, number: int) -> HttpResponse:
    """The version as .xlsx in the import's columns; formula leaders are neutralised."""
    version = selectors.version_by_number(request.user, region_code, number)
    data = spreadsheets.export_xlsx(selectors.items_with_parent_codes(version), title=version.title_zh)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"catalog-{version.region.code}-v{version.number}.xlsx"
    )
    return response


@require_GET
def negative_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "catalog/negative_list.html",
        {
            "matters": selectors.negative_matters(),
            "can_maintain": rules.may_maintain_negative_list(scope),
            "form": forms.MatterForm() if rules.may_maintain_negative_list(scope) else None,
        },
    )
