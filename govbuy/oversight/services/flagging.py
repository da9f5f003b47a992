"""Risk flags: the worker computes them per tender from the active rules (thresholds are data, see
FlagRule); an oversight user dismisses one with a reason. Each new flag and each dismissal is an
audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused
from govbuy.organizations.scope import scope_for
from govbuy.oversight import risk, rules
from govbuy.oversight.models import Flag, FlagRule, FlagStatus
from govbuy.oversight.services import stage_flags
from govbuy.planning.models import Project
from govbuy.procurement.models import Award, AwardStatus, Bid, BidDocument, PeriodUnit, Score, Tender, TenderStatus
from govbuy.providers.models import RelatedParty

FLAG_TYPE = "oversight.flag"
# Working days are at most 5 of every 7 calendar days; a minimum in working days is compared in
# calendar days at that ratio (a lower bound: the flag errs towards raising).
WEEK = Decimal(7) / Decimal(5)


def _period_days(tender: Tender) -> tuple[Decimal, Decimal] | None:
    if tender.published_at is None:
        return None
    seconds = Decimal((tender.bid_deadline - tender.published_at).total_seconds())
    period = (seconds / Decimal(86400)).quantize(Decimal("0.01"))
    method = tender.approved_method or tender.method
    minimum = Decimal(method.min_period)
    if method.min_period_unit == PeriodUnit.WORKING_DAYS:
        minimum = (minimum * WEEK).quantize(Decimal("0.01"))
    return period, minimum


def findings_for(tender: Tender, rule: FlagRule) -> list[risk.Finding]:
    """The findings of one rule on one tender (a fixed number of queries per rule)."""
    t = rule.threshold
    opened = tender.status in (TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.FAILED)
    # Valid bids: opened and not disqualified by the panel.
    bids = Bid.objects.filter(tender=tender, status="opened", disqualified_at__isnull=True)
    if rule.code == "single_bidder":
        return risk.single_bidder(bids.count(), t) if opened else []
    if rule.code == "short_period":
        period = _period_days(tender)
        return risk.short_period(period[0], period[1], t) if period else []
    if rule.code == "award_near_budget":
        found: list[risk.Finding] = []
        for award in Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE):
            found += risk.award_near_budget(award.amount, tender.budget, t, award.provider_id)
        return found
    if rule.code == "repeat_winner":
        winners = list(
            Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).values_list("provider_id", flat=True)
        )
        since = timezone.now() - dt.timedelta(days=rule.window_days or 365)
        wins: dict[int, list[str]] = {}
        for provider, reference in Award.objects.filter(
            provider_id__in=winners,
            tender__purchaser_id=tender.purchaser_id,
            status=AwardStatus.ACTIVE,
            confirmed_at__gte=since,
        ).values_list("provider_id", "tender__reference"):
            wins.setdefault(provider, []).append(reference)
        return risk.repeat_winner(wins, t)
    if rule.code == "split_purchase":
        project = tender.project
        if project.catalog_item_id is None:
            return []
        since = (project.created_at or timezone.now()) - dt.timedelta(days=rule.window_days or 90)
        siblings = Project.objects.filter(
            purchaser_id=project.purchaser_id, catalog_item_id=project.catalog_item_id, created_at__gte=since
        ).values_list("reference", flat=True)
        return risk.split_purchase(list(siblings), t)
    if rule.code == "related_bidders":
        bidders = set(Bid.objects.filter(tender=tender).values_list("provider_id", flat=True))
        relations = RelatedParty.objects.filter(
            first_id__in=bidders, second_id__in=bidders, ended_at__isnull=True
        ).values_list("first_id", "second_id", "basis")
        return risk.related_bidders(bidders, list(relations))
    if rule.code == "shared_documents":
        hashes: dict[str, set[int]] = {}
        for sha, provider in BidDocument.objects.filter(bid__tender=tender).values_list("sha256", "bid__provider_id"):
            hashes.setdefault(sha, set()).add(provider)
        return risk.shared_documents(hashes, t)
    if rule.code == "score_outlier":
        totals: dict[tuple[int, int], Decimal] = {}
        for member, bid, points in Score.objects.filter(bid__tender=tender).values_list(
            "member_id", "bid_id", "points"
        ):
            totals[(member, bid)] = totals.get((member, bid), Decimal(0)) + points
        return risk.score_outlier(totals, t)
    if rule.code in stage_flags.RULES:
        return stage_flags.RULES[rule.code](tender, rule)
    return []


def compute_flags(*, tender: Tender | int) -> list[Flag]:
    """Raise the flags of every active rule on the tender that are not raised yet (a dismissed
    flag stays dismissed). Returns the new flags. Run by the worker (tasks.compute_tender_flags)."""
    pk = tender.pk if isinstance(tender, Tender) else tender
    found = Tender.objects.select_related("project", "method", "approved_method", "purchaser").filter(pk=pk).first()
    if found is None or found.status in (TenderStatus.DRAFT,):
        return []
    new: list[Flag] = []
    with transaction.atomic():
        existing = set(Flag.objects.filter(tender=found).values_list("rule_id", "key"))
        for rule in FlagRule.objects.filter(active=True).order_by("code"):
            for finding in findings_for(found, rule):
                if (rule.pk, finding.key) in existing:
                    continue
                flag = Flag.objects.create(
                    rule=rule,
                    tender=found,
                    purchaser_id=found.purchaser_id,
                    region_id=found.purchaser.region_id,
                    key=finding.key,
                    score=finding.score * rule.weight,
                    evidence={**finding.evidence, "threshold": str(rule.threshold)},
                )
                new.append(flag)
                record_event(
                    actor=None,
                    action="oversight.flag.raised",
                    obj=flag,
                    organisation=found.purchaser,
                    data={"reference": found.reference, "rule": rule.code, "name": rule.name_zh},
                )
    return new


def dismiss_flag(*, actor: Any, flag: Flag | int, version: Any, reason: str) -> Flag:
    text = risk.dismiss_reason(reason)
    pk = flag.pk if isinstance(flag, Flag) else flag
    with transaction.atomic():
        locked = Flag.objects.select_for_update().select_related("rule", "tender").filter(pk=pk).first()
        if locked is None:
            raise NotFound()
        scope = scope_for(actor)
        if rules.body_membership(scope, locked.region_id) is None:
            raise NotFound()
        if str(version) != str(locked.version):
            raise Conflict(_("The flag changed since you read it; reload and try again."))
        if locked.status != FlagStatus.OPEN:
            raise Conflict(_("This flag is already dismissed."))
        if not scope.memberships:
            raise PermissionRefused()
        locked.status, locked.dismiss_reason = FlagStatus.DISMISSED, text
        locked.dismissed_by, locked.dismissed_at = actor, timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "dismiss_reason", "dismissed_by", "dismissed_at", "version"])
        record_event(
            actor=actor,
            action="oversight.flag.dismissed",
            obj=locked,
            region_id=locked.region_id,
            changes={"status": ("open", "dismissed")},
            data={"reference": locked.tender.reference, "rule": locked.rule.code, "reason": text},
        )
    return locked
