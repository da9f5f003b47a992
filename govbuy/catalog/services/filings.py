"""District filing (備案, seed §四.二): a district's finance bureau files its published catalog
with the city finance bureau, which acknowledges it or returns it with comments."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.catalog import rules, selectors
from govbuy.catalog.models import CatalogVersion, Filing
from govbuy.catalog.services.common import SYSTEM_SCOPE, V, acting_org, may_own, required_text, scope_of
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations.models import Organisation, Region

# --- District filing -------------------------------------------------------------------------


@transaction.atomic
def submit_filing(*, actor: Any, catalog: CatalogVersion | int, note: str = "") -> Filing:
    """A district files its published catalog with the city finance bureau (§四.二). The filing
    records the diff against the city catalog in effect at submission."""
    scope = scope_of(actor)
    pk = catalog.pk if isinstance(catalog, CatalogVersion) else catalog
    version = CatalogVersion.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if version is None or not (version.is_public or may_own(scope, version.region_id)):
        raise NotFound()
    region = version.region
    if scope is not SYSTEM_SCOPE and not rules.may_submit_filing(scope, region_id=region.pk, region_level=region.level):
        raise PermissionRefused(_("Only the district's finance bureau files its catalog."))
    if region.level != Region.Level.DISTRICT:
        raise TransitionRefused(_("Only a district's catalog is filed with the city finance bureau."))
    if version.status != V.PUBLISHED:
        raise TransitionRefused(_("File the version once it is published (and not yet superseded)."))
    if Filing.objects.filter(
        catalog=version, status__in=[Filing.Status.SUBMITTED, Filing.Status.ACKNOWLEDGED]
    ).exists():
        raise Conflict(_("This version has already been filed."), code="already_filed")
    org = acting_org(scope, region.pk)
    if org is None:
        org = Organisation.objects.filter(region=region, kind=rules.FINANCE, status=Organisation.Status.ACTIVE).first()
    if org is None:
        raise ValidationFailed(_("The district has no finance bureau registered."))
    city = region.parent
    city_version = selectors.effective_version(city) if city is not None else None
    diff = selectors.diff_versions(city_version, version)
    try:
        with transaction.atomic():
            filing = Filing.objects.create(
                catalog=version,
                region=region,
                submitted_by_org=org,
                submitted_by=actor,
                submitted_at=timezone.now(),
                note=(note or "").strip()[:4000],
                city_version=city_version,
                diff=diff,
            )
    except IntegrityError as exc:
        raise Conflict(_("This version has already been filed."), code="already_filed") from exc
    record_event(
        actor=actor,
        action="catalog.filing.submitted",
        obj=filing,
        organisation=org,
        region_id=region.pk,
        changes={"status": (None, Filing.Status.SUBMITTED)},
        data={
            "region": region.name_zh,
            "title": version.title_zh,
            "number": version.number,
            "city_number": city_version.number if city_version else None,
            "counts": diff["counts"],
        },
    )
    return filing


def _decide(*, actor: Any, filing: Filing | int, version: int, status: str, comment: str) -> Filing:
    scope = scope_of(actor)
    pk = filing.pk if isinstance(filing, Filing) else filing
    locked = Filing.objects.select_for_update().select_related("region", "catalog").filter(pk=pk).first()
    if locked is None or not (scope is SYSTEM_SCOPE or rules.sees_filing(scope, region_id=locked.region_id)):
        raise NotFound()
    if scope is not SYSTEM_SCOPE and not rules.may_decide_filing(scope):
        raise PermissionRefused(_("Only the city finance bureau acknowledges or returns a filing."))
    if locked.version != version:
        raise Conflict(
            fields={"version": [_("Reload the filing: it is now at version %(v)d.") % {"v": locked.version}]}
        )
    rules.check_filing_transition(locked.status, status)
    before = locked.status
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_comment = comment
    locked.version += 1
    locked.save()
    org = acting_org(scope, locked.region.parent_id or locked.region_id) if scope is not SYSTEM_SCOPE else None
    record_event(
        actor=actor,
        action=f"catalog.filing.{status}",
        obj=locked,
        organisation=org,
        region_id=locked.region_id,
        changes={"status": (before, status)},
        data={
            "region": locked.region.name_zh,
            "title": locked.catalog.title_zh,
            "number": locked.catalog.number,
            "comment": comment,
        },
    )
    return locked


@transaction.atomic
def acknowledge_filing(*, actor: Any, filing: Filing | int, version: int, comment: str = "") -> Filing:
    return _decide(
        actor=actor,
        filing=filing,
        version=version,
        status=Filing.Status.ACKNOWLEDGED,
        comment=(comment or "").strip()[:4000],
    )


@transaction.atomic
def return_filing(*, actor: Any, filing: Filing | int, version: int, comment: str) -> Filing:
    comment = required_text(comment, "comment", _("Say what the district must change."))
    return _decide(actor=actor, filing=filing, version=version, status=Filing.Status.RETURNED, comment=comment[:4000])
