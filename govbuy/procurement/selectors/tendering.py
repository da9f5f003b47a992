"""Reads of tenders, bids and the projects they come from, scoped to the user. Before the opening nothing
here returns a bid's price, responses or documents: they do not exist in plaintext until then (R5), and
the number of bids is not shown either (Reg. Art. 14: no one learns who or how many are bidding)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from govbuy.core.errors import ValidationFailed
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import Scope, scope_for
from govbuy.planning.models import PlanEntry, Project, ProjectStatus
from govbuy.procurement import rules
from govbuy.procurement.models import (
    Bid,
    BidDocument,
    Opening,
    PanelMember,
    ProcurementMethod,
    Tender,
    TenderDocument,
    TenderStatus,
)

PUBLIC_STATES = (
    TenderStatus.PUBLISHED,
    TenderStatus.OPENED,
    TenderStatus.EVALUATED,
    TenderStatus.AWARDED,
    TenderStatus.FAILED,
    TenderStatus.CANCELLED,
)
OPENED_STATES = (TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.FAILED)


def pk_of(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def tenders_q(scope: Scope) -> Q:
    """Own and oversight tenders in every state; for providers, every published one."""
    if scope.is_anonymous:
        return Q(pk__in=[])
    q = (
        scope.owned_q("purchaser")
        if (scope.organisation_ids or scope.region_ids or scope.all_regions)
        else Q(pk__in=[])
    )
    if scope.is_provider:
        q |= Q(status__in=PUBLIC_STATES, published_at__isnull=False)
    # An expert sees the tenders whose panel seats them (the bids only once they declared).
    if scope.user_id is not None:
        q |= Q(pk__in=PanelMember.objects.filter(expert__user_id=scope.user_id).values("panel__tender_id"))
    return q


def visible_tenders(user: Any, *, status: str = "") -> QuerySet[Tender]:
    scope = scope_for(user)
    qs = Tender.objects.filter(tenders_q(scope)).select_related("purchaser", "method")
    if status in TenderStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def tender_for(user: Any, pk: Any) -> Tender:
    tender = (
        visible_tenders(user)
        .select_related("project", "purchaser__region", "approved_method")
        .filter(pk=pk_of(pk))
        .first()
    )
    if tender is None:
        raise Http404
    return tender


def public_tenders(status: str = "") -> QuerySet[Tender]:
    """Published notices, newest first; `status` (one of PUBLIC_STATES, e.g. "awarded" for the
    award notices) narrows them. Any other status is refused, never silently ignored."""
    qs = Tender.objects.filter(status__in=PUBLIC_STATES, published_at__isnull=False)
    if status:
        if status not in PUBLIC_STATES:
            message = _("Unknown status “%(status)s”.") % {"status": status[:40]}
            raise ValidationFailed(message, fields={"status": [message]})
        qs = qs.filter(status=status)
    return qs.select_related("purchaser", "method", "region").order_by("-published_at", "-pk")


# A renamed region or method (no public change) shows in the lists within this time.
FILTER_CHOICES_SECONDS = 300


def public_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The public list's filter lists (regions, methods, the purchasers with a published notice)
    as (value, label) pairs. Kept in the cache under the page cache's generation, which every
    public change moves (a first notice of a new purchaser is a release), so the lists cost no
    query on most requests and are never older than the notices they filter."""
    from django.core.cache import cache

    from govbuy.core import pagecache

    try:
        key = f"procurement:public-filter-choices:{pagecache.generation()}"
        choices = cache.get_or_set(key, _public_filter_choices, FILTER_CHOICES_SECONDS)
    except Exception:  # the shared cache (Redis) is down: read them, as without a cache
        choices = None
    return choices if choices is not None else _public_filter_choices()


def _public_filter_choices() -> dict[str, list[tuple[str, str]]]:
    purchasers = Organisation.objects.filter(pk__in=public_tenders().order_by().values("purchaser_id"))
    return {
        "region": list(Region.objects.order_by("code").values_list("code", "name_zh")),
        "method": list(ProcurementMethod.objects.order_by("pk").values_list("code", "name_zh")),
        "purchaser": [(str(pk), name) for pk, name in purchasers.order_by("name_zh").values_list("pk", "name_zh")],
    }


def public_projects() -> QuerySet[Project]:
    """Purchase projects the public may see: in a published annual plan, or with a published
    tender notice."""
    in_plan = Exists(PlanEntry.objects.filter(project_id=OuterRef("pk")))
    noticed = Exists(public_tenders().filter(project_id=OuterRef("pk")))
    return Project.objects.filter(in_plan | noticed)


def public_tender(pk: Any) -> Tender:
    tender = public_tenders().filter(pk=pk_of(pk)).first()
    if tender is None:
        raise Http404
    return tender


def lots_of(tender: Tender) -> list[Any]:
    return list(tender.lots.all())


def criteria_of(tender: Tender) -> list[Any]:
    return list(tender.criteria.all())


def documents_of(tender: Tender) -> list[TenderDocument]:
    return list(tender.documents.all())


def document_of(tender: Tender, pk: Any) -> TenderDocument:
    doc = tender.documents.filter(pk=pk_of(pk)).first()
    if doc is None:
        raise Http404
    return doc


def own_bids(user: Any, tender: Tender) -> list[Bid]:
    """The signed-in provider's bids on this tender (status and receipt; no content)."""
    scope = scope_for(user)
    ids = [m.organisation_id for m in scope.memberships if m.writes or m.role == "read_only"]
    if not ids:
        return []
    return list(
        Bid.objects.filter(tender=tender, provider_id__in=ids)
        .select_related("lot", "provider")
        .defer("ciphertext", "nonce")
        .order_by("-submitted_at", "-pk")
    )


def is_bidder(user: Any, tender: Tender) -> bool:
    scope = scope_for(user)
    return Bid.objects.filter(tender=tender, provider_id__in=list(scope.organisation_ids)).exists()


def sees_opened_bids(user: Any, tender: Tender) -> bool:
    """After the opening: the purchaser, oversight in reach, and the bidders see the opened bids."""
    if tender.status not in OPENED_STATES:
        return False
    scope = scope_for(user)
    return scope.sees_organisation(tender.purchaser) or is_bidder(user, tender) or seated_member(user, tender)


def seated_member(user: Any, tender: Tender) -> bool:
    """A panel member who declared no conflict of interest."""
    if not getattr(user, "pk", None):
        return False
    return PanelMember.objects.filter(
        panel__tender=tender, expert__user_id=user.pk, declaration=PanelMember.Declaration.NO_CONFLICT
    ).exists()


def opened_bids(tender: Tender) -> list[Bid]:
    if tender.status not in OPENED_STATES:
        return []
    return list(
        Bid.objects.filter(tender=tender, status="opened")
        .select_related("lot", "provider")
        .prefetch_related("documents")
        .defer("ciphertext", "nonce")
        .order_by("lot__number", "price", "pk")
    )


def bid_document_for(user: Any, pk: Any) -> BidDocument:
    doc = BidDocument.objects.select_related("bid__tender__purchaser", "bid__provider").filter(pk=pk_of(pk)).first()
    if doc is None or not sees_opened_bids(user, doc.bid.tender):
        raise Http404
    return doc


def opening_of(tender: Tender) -> Opening | None:
    return Opening.objects.select_related("initiated_by", "confirmed_by").filter(tender=tender).first()


def sealed_bid_for(user: Any, pk: Any) -> Bid:
    bid = Bid.objects.select_related("tender").defer("ciphertext", "nonce").filter(pk=pk_of(pk)).first()
    if bid is None or bid.provider_id not in scope_for(user).organisation_ids:
        raise Http404
    return bid


def staff_purchaser_ids(user: Any) -> list[int]:
    scope = scope_for(user)
    return [m.organisation_id for m in scope.memberships if rules.purchaser_staff_of(scope, m.organisation_id)]


def tenderable_projects(user: Any) -> QuerySet[Project]:
    ids = staff_purchaser_ids(user)
    return (
        Project.objects.filter(purchaser_id__in=ids, status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PLAN])
        .exclude(tenders__status__in=rules.LIVE_STATES)
        .select_related("purchaser")
        .order_by("-pk")
    )


def project_for_tender(user: Any, pk: Any) -> Project:
    """An approved project of the user's purchaser, also when it already has a live tender: the
    service answers that case with a conflict naming the tender (not a 404, issue 18)."""
    project = (
        Project.objects.filter(
            purchaser_id__in=staff_purchaser_ids(user), status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PLAN]
        )
        .select_related("purchaser")
        .filter(pk=pk_of(pk))
        .first()
    )
    if project is None:
        raise Http404
    return project


def methods() -> list[ProcurementMethod]:
    return list(ProcurementMethod.objects.order_by("pk"))


def method_for(pk: Any) -> ProcurementMethod:
    method = ProcurementMethod.objects.filter(pk=pk_of(pk)).first()
    if method is None:
        raise Http404
    return method


def purchaser_todo(user: Any, limit: int = 10) -> tuple[list[Tender], int]:
    ids = staff_purchaser_ids(user)
    qs = (
        Tender.objects.filter(purchaser_id__in=ids, status__in=[TenderStatus.DRAFT, TenderStatus.PUBLISHED])
        .select_related("purchaser")
        .order_by("bid_deadline", "pk")
    )
    return list(qs[:limit]), qs.count()


def provider_todo(user: Any, limit: int = 10) -> tuple[list[Bid], int]:
    scope = scope_for(user)
    if not scope.is_provider:
        return [], 0
    qs = (
        Bid.objects.filter(
            provider_id__in=list(scope.organisation_ids), status="sealed", tender__status=TenderStatus.PUBLISHED
        )
        .select_related("tender", "lot")
        .defer("ciphertext", "nonce")
        .order_by("tender__bid_deadline", "pk")
    )
    return list(qs[:limit]), qs.count()
