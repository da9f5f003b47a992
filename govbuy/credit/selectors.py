"""Every read of the credit system. A provider's record is seen by the provider itself, finance
bureaus, oversight (supervision, audit) and registration authorities; others get a 404. The
public pages show published facts and the serious-violation list only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govbuy.core.calendar.rules import local_date
from govbuy.credit import rules
from govbuy.credit.models import (
    Ban,
    CreditFact,
    ExternalList,
    FactKind,
    Objection,
    ScoreRule,
    ScoreScale,
    ThreeListCheck,
)
from govbuy.organizations.models import Organisation
from govbuy.organizations.models import OrganisationKind as K
from govbuy.organizations.scope import Scope, scope_for

READER_KINDS = frozenset({K.FINANCE_BUREAU, K.CIVIL_AFFAIRS, K.MARKET_REGULATION})


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def may_read_record(scope: Scope, provider: Organisation) -> bool:
    if scope.is_platform_admin or scope.writes_for(provider.pk) or provider.pk in scope.organisation_ids:
        return True
    if scope.is_oversight or scope.has_kind(*READER_KINDS):
        return scope.sees_organisation(provider)
    return False


def provider_for(user: Any, pk: Any) -> Organisation:
    provider = Organisation.objects.filter(pk=_pk(pk), provider_profile__isnull=False).first()
    if provider is None or not may_read_record(scope_for(user), provider):
        raise Http404
    return provider


def _facts(provider_id: int, *, published_only: bool = False) -> list[CreditFact]:
    pending = Objection.objects.filter(fact=OuterRef("pk"), status=Objection.Status.PENDING)
    corrected = CreditFact.objects.filter(corrects=OuterRef("pk"))
    qs = (
        CreditFact.objects.filter(provider_id=provider_id, confirmed_at__isnull=False)
        .exclude(kind=FactKind.WITHDRAWN)
        .annotate(under_objection=Exists(pending), void=Exists(corrected))
    )
    if published_only:
        qs = qs.filter(published=True)
    return list(qs.order_by("-occurred_at", "-pk"))


def _inputs(facts: list[CreditFact]) -> list[rules.FactInput]:
    return [
        rules.FactInput(
            fact_id=f.pk,
            kind=f.kind,
            occurred_on=local_date(f.occurred_at),
            under_objection=bool(getattr(f, "under_objection", False)),
            void=bool(getattr(f, "void", False)),
        )
        for f in facts
    ]


def score_of(provider_id: int, today: dt.date | None = None, *, published_only: bool = False) -> rules.Explanation:
    facts = _facts(provider_id, published_only=published_only)
    return rules.explain(
        _inputs(facts), list(ScoreRule.objects.all()), list(ScoreScale.objects.all()), today or timezone.localdate()
    )


def record_of(provider_id: int, *, published_only: bool = False) -> dict[str, Any]:
    """Everything the provider's credit page shows: each fact with its weight, the score, what
    would change it, objections, bans. A fixed number of queries whatever the number of facts."""
    today = timezone.localdate()
    facts = _facts(provider_id, published_only=published_only)
    score_rules = list(ScoreRule.objects.all())
    scales = list(ScoreScale.objects.all())
    inputs = _inputs(facts)
    explanation = rules.explain(inputs, score_rules, scales, today)
    positive = [r.kind for r in score_rules if r.points > 0]
    changes = rules.what_would_change(explanation, inputs, score_rules, scales, today, positive_kinds=positive)
    lines = {line.fact_id: line for line in explanation.lines}
    return {
        "facts": [(f, lines.get(f.pk)) for f in facts],
        "explanation": explanation,
        # Each change with its kind in words (the rules speak in codes).
        "changes": [
            (change, FactKind(change.kind).label if change.kind in FactKind.values else "") for change in changes
        ],
        "objections": list(
            Objection.objects.filter(fact__provider_id=provider_id).select_related("fact").order_by("-filed_at")
        ),
        "bans": list(
            Ban.objects.filter(provider_id=provider_id, **({"published": True} if published_only else {}))
            .select_related("restriction")
            .order_by("-starts_on")
        ),
    }


# --- Authorities' work ------------------------------------------------------------------------------------


def _authority_ids(scope: Scope) -> list[int]:
    return [m.organisation_id for m in scope.finance_memberships(write=True)]


def facts_to_confirm(user: Any) -> QuerySet[CreditFact]:
    scope = scope_for(user)
    return (
        CreditFact.objects.filter(
            recording_authority_id__in=_authority_ids(scope), confirmed_at__isnull=True, corrected_by__isnull=True
        )
        .exclude(entered_by_id=scope.user_id)
        .select_related("provider", "entered_by")
        .order_by("occurred_at", "pk")
    )


def referred_facts(source_type: str, source_id: int) -> list[CreditFact]:
    """The facts a monitoring case referred to the credit record, with their recording bureau
    and whether they were withdrawn (for the case page; the case's own scope applies)."""
    return list(
        CreditFact.objects.filter(source_type=source_type, source_id=source_id)
        .select_related("provider", "recording_authority", "corrected_by")
        .order_by("pk")
    )


def objections_to_decide(user: Any) -> QuerySet[Objection]:
    scope = scope_for(user)
    ids = _authority_ids(scope)
    if not ids:
        return Objection.objects.none()
    q = Q(fact__recording_authority_id__in=ids)
    rows = scope.finance_memberships(write=True)
    if any(m.region_level == "city" for m in rows):
        q |= Q(fact__recording_authority__isnull=True)
    else:
        q |= Q(fact__recording_authority__isnull=True, fact__provider__region_id__in=[m.region_id for m in rows])
    return (
        Objection.objects.filter(q, status=Objection.Status.PENDING)
        .select_related("fact__provider")
        .order_by("decide_by", "pk")
    )


def objection_for(user: Any, pk: Any) -> Objection:
    scope = scope_for(user)
    objection = Objection.objects.select_related("fact__provider").filter(pk=_pk(pk)).first()
    if objection is None or not may_read_record(scope, objection.fact.provider):
        raise Http404
    return objection


def facts_to_answer(user: Any) -> list[CreditFact]:
    """For a provider: negative facts it was told of whose objection period is still open."""
    scope = scope_for(user)
    own = scope.acting_providers()
    if not own:
        return []
    since = timezone.now() - dt.timedelta(days=30)
    return list(
        CreditFact.objects.filter(
            provider_id__in=own, direction=CreditFact.Direction.NEGATIVE, notified_at__gte=since, objections=None
        )
        .select_related("provider")
        .order_by("-notified_at", "pk")
    )


def lists_status() -> list[ExternalList]:
    latest: dict[str, ExternalList] = {}
    for item in ExternalList.objects.order_by("kind", "-as_of", "-pk"):
        latest.setdefault(item.kind, item)
    return list(latest.values())


def imported_lists(user: Any) -> QuerySet[ExternalList]:
    scope = scope_for(user)
    if not (scope.is_platform_admin or scope.is_finance() or scope.is_oversight):
        return ExternalList.objects.none()
    return ExternalList.objects.select_related("imported_by").order_by("-imported_at", "-pk")


# --- Public -----------------------------------------------------------------------------------------------


def _both_scripts(text: str) -> set[str]:
    import opencc

    return {text, opencc.OpenCC("t2s").convert(text), opencc.OpenCC("s2t").convert(text)}


def public_bans(filters: Mapping[str, Any] | None = None) -> QuerySet[Ban]:
    """The serious-violation list (政府采购严重违法失信行为记录名单): active and expired bans,
    with the national list's fields, searchable in Simplified and Traditional characters."""
    f = filters or {}
    qs = Ban.objects.filter(published=True).select_related("authority", "restriction")
    today = timezone.localdate()
    state = str(f.get("state") or "")
    if state == "active":
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today, restriction__lifted_at__isnull=True)
    elif state == "expired":
        qs = qs.filter(Q(ends_on__lt=today) | Q(restriction__lifted_at__isnull=False))
    q = str(f.get("q") or "").strip()[:100]
    if q:
        match = Q()
        for variant in _both_scripts(q):
            match |= Q(name_zh__icontains=variant) | Q(facts__icontains=variant) | Q(address__icontains=variant)
        match |= Q(uscc=q.upper())
        qs = qs.filter(match)
    return qs.order_by("-decided_on", "-pk")


def public_provider(pk: Any) -> Organisation:
    provider = Organisation.objects.filter(pk=_pk(pk), provider_profile__state="verified").first()
    if provider is None:
        raise Http404
    return provider


# --- Three-list checks of a tender ------------------------------------------------------------------------


def tender_for_checks(user: Any, pk: Any) -> Any:
    """The purchaser's staff run the three-list check of its tender's ranked bidders; others 404."""
    from govbuy.procurement.models import Tender

    tender = Tender.objects.select_related("purchaser").filter(pk=_pk(pk)).first()
    if tender is None or not scope_for(user).writes_for(tender.purchaser_id):
        raise Http404
    return tender


def checks_of(tender: Any) -> list[tuple[Any, ThreeListCheck | None]]:
    """Each ranked bid with its latest automatic check (two queries whatever the number)."""
    from govbuy.procurement.models import Ranking

    rankings = list(
        Ranking.objects.filter(evaluation__tender=tender)
        .select_related("bid__provider", "lot")
        .defer("bid__ciphertext", "bid__nonce")
        .order_by("lot__number", "rank")
    )
    latest: dict[int, ThreeListCheck] = {}
    for check in ThreeListCheck.objects.filter(bid__tender=tender).order_by("checked_at", "pk"):
        latest[check.bid_id] = check
    return [(r, latest.get(r.bid_id)) for r in rankings]


# --- Reports to registration authorities ------------------------------------------------------------------


def visible_reports(user: Any) -> QuerySet[Any]:
    """A finance bureau sees the reports it issued; a registration authority those issued to it."""
    from govbuy.credit.models import AuthorityReport

    scope = scope_for(user)
    own = [m.organisation_id for m in scope.memberships]
    if scope.is_platform_admin:
        qs = AuthorityReport.objects.all()
    else:
        qs = AuthorityReport.objects.filter(Q(issuer_id__in=own) | Q(recipient_id__in=own))
    return qs.select_related("recipient", "issuer").order_by("-issued_at", "-pk")


def report_for(user: Any, pk: Any) -> Any:
    report = visible_reports(user).filter(pk=_pk(pk)).first()
    if report is None:
        raise Http404
    return report


def reports_waiting(user: Any) -> list[Any]:
    scope = scope_for(user)
    from govbuy.credit.models import AuthorityReport

    own = [m.organisation_id for m in scope.memberships]
    return list(
        AuthorityReport.objects.filter(recipient_id__in=own, received_at__isnull=True)
        .select_related("issuer")
        .order_by("issued_at")[:10]
    )
