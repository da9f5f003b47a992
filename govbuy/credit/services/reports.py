"""Reports to registration authorities (seed §四.二): for each provider the authority registers,
its verification state, awards won, grades, credit facts and bans in the year. Issued by a
finance bureau as a record (rows frozen at issue); the authority takes it as xlsx or Chinese PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.calendar.rules import start_of_day
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.credit.models import AuthorityReport, Ban, CreditFact
from govbuy.credit.services.common import authority_for
from govbuy.organizations.models import Organisation
from govbuy.organizations.rules import VERIFIER_KINDS
from govbuy.performance import selectors as performance_selectors
from govbuy.procurement.models import Award, AwardStatus
from govbuy.providers.models import ProviderProfile


def _satisfaction(found: tuple[Any, bool] | None) -> str:
    """ "92.31% (13)": the share of satisfied answers and their number; too few answers show no rate."""
    if found is None:
        return ""
    summary, visible = found
    if not visible:
        return str(_("%(n)d answers: too few to show") % {"n": summary.answers})
    return f"{summary.satisfaction_rate}% ({summary.answers})"


def report_rows(recipient: Organisation, year: int) -> list[dict[str, Any]]:
    profiles = ProviderProfile.objects.filter(authority_kind=recipient.kind).select_related("organisation")
    if recipient.region.level != "city":
        profiles = profiles.filter(organisation__region_id=recipient.region_id)
    profiles_list = list(profiles.order_by("organisation__name_zh", "pk"))
    ids = [p.organisation_id for p in profiles_list]
    start, end = start_of_day(dt.date(year, 1, 1)), start_of_day(dt.date(year + 1, 1, 1))
    awards = dict(
        Award.objects.filter(
            provider_id__in=ids, status=AwardStatus.ACTIVE, confirmed_at__gte=start, confirmed_at__lt=end
        )
        .values_list("provider_id")
        .annotate(n=Count("pk"))
    )
    facts: dict[int, dict[str, Any]] = {
        row["provider_id"]: dict(row)
        for row in CreditFact.objects.filter(
            provider_id__in=ids, confirmed_at__isnull=False, occurred_at__gte=start, occurred_at__lt=end
        )
        .values("provider_id")
        .annotate(
            positive=Count("pk", filter=Q(direction="positive")),
            negative=Count("pk", filter=Q(direction="negative")),
            excellent=Count("pk", filter=Q(kind="performance.grade_excellent")),
            poor=Count("pk", filter=Q(kind="performance.grade_poor")),
        )
    }
    # §四.二: the recipients' satisfaction, from the surveys of the provider's contracts that year.
    satisfaction = performance_selectors.satisfaction_by_provider(ids, start, end)
    bans: dict[int, list[str]] = {}
    for ban in Ban.objects.filter(
        provider_id__in=ids, starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1)
    ).order_by("starts_on"):
        bans.setdefault(ban.provider_id, []).append(f"{ban.starts_on}–{ban.ends_on} {ban.decision_number}")
    rows = []
    for profile in profiles_list:
        f = facts.get(profile.organisation_id, {})
        rows.append(
            {
                "name": profile.organisation.name_zh,
                "uscc": profile.organisation.uscc or "",
                "state": str(profile.get_state_display()),
                "awards": awards.get(profile.organisation_id, 0),
                "excellent": f.get("excellent", 0),
                "poor": f.get("poor", 0),
                "positive": f.get("positive", 0),
                "negative": f.get("negative", 0),
                "satisfaction": _satisfaction(satisfaction.get(profile.organisation_id)),
                "bans": "; ".join(bans.get(profile.organisation_id, [])),
            }
        )
    return rows


@transaction.atomic
def issue_report(*, actor: Any, recipient: Organisation | int, year: int) -> AuthorityReport:
    issuer = authority_for(actor)
    org = (
        Organisation.objects.select_related("region")
        .filter(pk=recipient.pk if isinstance(recipient, Organisation) else int(recipient))
        .first()
    )
    if org is None:
        raise NotFound()
    if org.kind not in VERIFIER_KINDS:
        message = _("Reports go to a registration authority (civil affairs, market regulation…).")
        raise ValidationFailed(message, fields={"recipient": [message]})
    if not 2000 <= year <= timezone.localdate().year:
        message = _("Choose a year up to this one.")
        raise ValidationFailed(message, fields={"year": [message]})
    rows = report_rows(org, year)
    report = AuthorityReport.objects.create(
        recipient=org,
        year=year,
        issued_by=actor,
        issuer=issuer,
        issued_at=timezone.now(),
        rows=rows,
        row_count=len(rows),
    )
    record_event(
        actor=actor,
        action="credit.report.issued",
        obj=report,
        organisation=issuer,
        data={"recipient": org.name_zh, "year": year, "rows": len(rows)},
    )
    return report


@transaction.atomic
def mark_received(*, actor: Any, report: AuthorityReport) -> AuthorityReport:
    """The authority took the report (first download): kept once."""
    locked = AuthorityReport.objects.select_for_update().get(pk=report.pk)
    if locked.received_at is None:
        locked.received_at = timezone.now()
        locked.save(update_fields=["received_at"])
        record_event(
            actor=actor,
            action="credit.report.received",
            obj=locked,
            organisation=locked.recipient,
            data={"recipient": locked.recipient.name_zh, "year": locked.year},
        )
    return locked
