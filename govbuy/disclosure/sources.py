"""Search sources for what is public today: verified providers, published catalog items, public
purchase projects, published tender notices and published contract notices.

The provider registry and the catalog are read through their models by app label (both sit
below us); while the provider registry is not installed, providers are the active organisations
of a provider kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from govbuy.disclosure.registry import SearchEntry, SearchSource, register_search_source
from govbuy.organizations.kinds import PROVIDER_KINDS
from govbuy.organizations.models import Organisation

ORGANISATION = "organizations.organisation"
PROVIDER_PROFILE = "providers.providerprofile"
CATALOG_ITEM = "catalog.catalogitem"


def _public_url(name: str, **kwargs: Any) -> str:
    """The app's public page, when it has one under that name (the link is a convenience: an
    entry without it is still found)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _provider_registry_installed() -> bool:
    return apps.is_installed("govbuy.providers")


def _catalog_installed() -> bool:
    return apps.is_installed("govbuy.catalog")


def _organisation_entry(
    org: Organisation, *, object_type: str, object_id: int, year: int | None, url: str = ""
) -> SearchEntry:
    return SearchEntry(
        object_type=object_type,
        object_id=object_id,
        kind="provider",
        title_zh=org.name_zh,
        title_en=org.name_en,
        region_id=org.region_id,
        region_label=org.region.name_zh,
        year=year,
        status="verified" if object_type == PROVIDER_PROFILE else org.status,
        url=url,
        extra_texts=(org.uscc or "",),
    )


# --- Providers ------------------------------------------------------------------------------------


def _profiles() -> Any:
    model = apps.get_model("providers", "ProviderProfile")
    return model.objects.filter(state="verified", organisation__status="active").select_related("organisation__region")


def _profile_entry(profile: Any) -> SearchEntry:
    year = profile.verified_at.year if profile.verified_at else None
    return _organisation_entry(
        profile.organisation,
        object_type=PROVIDER_PROFILE,
        object_id=profile.pk,
        year=year,
        url=_public_url("providers:directory_detail", pk=profile.pk),
    )


def _organisations() -> Any:
    return Organisation.objects.filter(kind__in=PROVIDER_KINDS, status="active").select_related("region")


def provider_one(obj_id: int) -> SearchEntry | None:
    if not _provider_registry_installed():
        return None
    profile = _profiles().filter(pk=obj_id).first()
    return _profile_entry(profile) if profile else None


def provider_every() -> Iterator[SearchEntry]:
    if not _provider_registry_installed():
        return
    for profile in _profiles().order_by("pk").iterator(chunk_size=500):
        yield _profile_entry(profile)


def organisation_one(obj_id: int) -> SearchEntry | None:
    if _provider_registry_installed():
        return None  # the registry's verified profiles are the providers then
    org = _organisations().filter(pk=obj_id).first()
    return _organisation_entry(org, object_type=ORGANISATION, object_id=org.pk, year=None) if org else None


def organisation_every() -> Iterator[SearchEntry]:
    if _provider_registry_installed():
        return
    for org in _organisations().order_by("pk").iterator(chunk_size=500):
        yield _organisation_entry(org, object_type=ORGANISATION, object_id=org.pk, year=None)


# --- Catalog items --------------------------------------------------------------------------------


def _item_entry(item: Any, category: str) -> SearchEntry:
    version = item.version
    when = version.effective_from or (version.published_at.date() if version.published_at else None)
    return SearchEntry(
        object_type=CATALOG_ITEM,
        object_id=item.pk,
        kind="catalog_item",
        title_zh=item.name_zh,
        title_en=item.name_en,
        summary_zh=(item.description or "")[:500],
        region_id=version.region_id,
        region_label=version.region.name_zh,
        year=when.year if when else None,
        status=version.status,
        category=category,
        url=_public_url("catalog:version", region_code=version.region.code, number=version.number),
        extra_texts=(item.code, item.procurement_code or ""),
    )


def _published_items() -> Any:
    model = apps.get_model("catalog", "CatalogItem")
    return model.objects.filter(version__status="published").select_related("version__region")


def catalog_item_one(obj_id: int) -> SearchEntry | None:
    if not _catalog_installed():
        return None
    item = _published_items().filter(pk=obj_id).first()
    if item is None:
        return None
    top = item
    while top.parent_id is not None:
        top = top.parent
    return _item_entry(item, top.code)


def catalog_item_every() -> Iterable[SearchEntry]:
    if not _catalog_installed():
        return
    # A version's tree is small (hundreds of items): load it once and find each item's category
    # (its level-1 ancestor) in memory.
    version_ids = _published_items().values_list("version_id", flat=True).distinct().order_by("version_id")
    for version_id in list(version_ids):
        items = list(_published_items().filter(version_id=version_id).order_by("pk"))
        by_id = {item.pk: item for item in items}
        for item in items:
            top = item
            while top.parent_id is not None and top.parent_id in by_id:
                top = by_id[top.parent_id]
            yield _item_entry(item, top.code)


def register_sources() -> None:
    register_search_source(
        SearchSource(object_type=ORGANISATION, kind="provider", one=organisation_one, every=organisation_every)
    )
    register_search_source(
        SearchSource(object_type=PROVIDER_PROFILE, kind="provider", one=provider_one, every=provider_every)
    )
    register_search_source(
        SearchSource(object_type=CATALOG_ITEM, kind="catalog_item", one=catalog_item_one, every=catalog_item_every)
    )
    register_stage_sources()


# --- Purchase projects and tender notices -----------------------------------------------------------
# A project is found once it is public (in a published annual plan, or with a published tender
# notice) and links to its portal page; a notice is found once published and links to its page.

PROJECT = "planning.project"
TENDER = "procurement.tender"


def _top_code(item: Any, cache: dict[int, str]) -> str:
    if item is None:
        return ""
    if item.pk not in cache:
        top = item
        while top.parent_id is not None and top.parent is not None:
            top = top.parent
        cache[item.pk] = top.code
    return cache[item.pk]


def _project_entry(project: Any, cache: dict[int, str]) -> SearchEntry:
    item = project.catalog_item
    return SearchEntry(
        object_type=PROJECT,
        object_id=project.pk,
        kind="project",
        title_zh=project.title,
        summary_zh=(project.service_description or "")[:500],
        region_id=project.region_id,
        region_label=project.region.name_zh,
        year=project.fiscal_year,
        status=project.status,
        category=_top_code(item, cache),
        method=project.suggested_method,
        url=_public_url("portal:project", pk=project.pk),
        extra_texts=(
            project.reference,
            project.purchaser.name_zh,
            project.purchaser.name_en,
            project.beneficiaries or "",
            item.name_zh if item is not None else project.outside_catalog_name,
        ),
    )


def _public_projects() -> Any:
    from govbuy.procurement.selectors.tendering import public_projects

    return public_projects().select_related("purchaser", "region", "catalog_item")


def project_one(obj_id: int) -> SearchEntry | None:
    project = _public_projects().filter(pk=obj_id).first()
    return _project_entry(project, {}) if project else None


def project_every() -> Iterator[SearchEntry]:
    cache: dict[int, str] = {}
    for project in _public_projects().order_by("pk").iterator(chunk_size=500):
        yield _project_entry(project, cache)


def _tender_entry(tender: Any) -> SearchEntry:
    published = timezone.localtime(tender.published_at)
    return SearchEntry(
        object_type=TENDER,
        object_id=tender.pk,
        kind="notice",
        title_zh=tender.title,
        summary_zh=(tender.description or "")[:500],
        region_id=tender.region_id,
        region_label=tender.region.name_zh,
        year=published.year,
        status=tender.status,
        method=tender.method.code,
        url=_public_url("tenders:tender", pk=tender.pk),
        extra_texts=(tender.reference, tender.project.reference, tender.purchaser.name_zh, tender.purchaser.name_en),
    )


def _public_tenders() -> Any:
    from govbuy.procurement.selectors.tendering import public_tenders

    return public_tenders().select_related("region", "method", "project", "purchaser").defer("wrapped_key")


def tender_one(obj_id: int) -> SearchEntry | None:
    tender = _public_tenders().filter(pk=obj_id).first()
    return _tender_entry(tender) if tender else None


def tender_every() -> Iterator[SearchEntry]:
    for tender in _public_tenders().order_by("pk").iterator(chunk_size=500):
        yield _tender_entry(tender)


def tender_related(obj_id: int) -> list[tuple[str, int]]:
    """A tender's stage changes what its project's entry says (and makes the project public)."""
    from govbuy.procurement.models import Tender

    project_id = Tender.objects.filter(pk=obj_id).values_list("project_id", flat=True).first()
    return [(PROJECT, project_id)] if project_id is not None else []


# --- Contract notices (Reg. Art. 50) ---------------------------------------------------------------
# A contract is found once its notice is published, with the text the notice shows: a section the
# purchaser withheld as a commercial secret is replaced by its reason, never indexed.

CONTRACT = "contracts.contract"


def _contracts_installed() -> bool:
    return apps.is_installed("govbuy.contracts")


def _public_contracts() -> Any:
    model = apps.get_model("contracts", "Contract")
    return model.objects.filter(published_at__isnull=False).select_related(
        "region", "purchaser", "provider", "project__catalog_item", "award__tender__method"
    )


def _contract_entry(contract: Any, cache: dict[int, str]) -> SearchEntry:
    from govbuy.contracts.ocds import notice_text

    published = timezone.localtime(contract.published_at)
    url = _public_url("portal:project", pk=contract.project_id)
    return SearchEntry(
        object_type=CONTRACT,
        object_id=contract.pk,
        kind="notice",
        title_zh=contract.title,
        summary_zh=notice_text(contract)[:500],
        region_id=contract.region_id,
        region_label=contract.region.name_zh,
        year=published.year,
        status=contract.status,
        category=_top_code(contract.project.catalog_item, cache),
        method=contract.award.tender.method.code if contract.award is not None else "",
        url=f"{url}#contract-{contract.pk}" if url else "",
        extra_texts=(
            contract.reference,
            contract.project.reference,
            contract.purchaser.name_zh,
            contract.purchaser.name_en,
            contract.provider.name_zh,
            contract.provider.name_en,
            contract.provider.uscc or "",
        ),
    )


def contract_one(obj_id: int) -> SearchEntry | None:
    if not _contracts_installed():
        return None
    contract = _public_contracts().filter(pk=obj_id).first()
    return _contract_entry(contract, {}) if contract else None


def contract_every() -> Iterator[SearchEntry]:
    if not _contracts_installed():
        return
    cache: dict[int, str] = {}
    for contract in _public_contracts().order_by("pk").iterator(chunk_size=500):
        yield _contract_entry(contract, cache)


def register_stage_sources() -> None:
    register_search_source(SearchSource(object_type=PROJECT, kind="project", one=project_one, every=project_every))
    register_search_source(
        SearchSource(object_type=TENDER, kind="notice", one=tender_one, every=tender_every, related=tender_related)
    )
    register_search_source(SearchSource(object_type=CONTRACT, kind="notice", one=contract_one, every=contract_every))
