"""What the credit system adds to the navigation and the home page: providers see facts they may
answer, finance bureaus see objections and facts waiting and lists to refresh, purchasers see a
bidder or winner of theirs newly banned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govbuy.core import present
from govbuy.credit import selectors
from govbuy.credit.models import Ban, ListKind
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import Award, AwardStatus, Bid

LIST_REFRESH_DAYS = 30
NEWLY_BANNED_DAYS = 30


def always(request: HttpRequest) -> bool:
    return True


def is_provider(request: HttpRequest) -> bool:
    return bool(scope_for(request.user).acting_providers())


def is_credit_authority(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.is_platform_admin or scope.is_finance(write=True)


def sees_reports(request: HttpRequest) -> bool:
    from govbuy.organizations.rules import VERIFIER_KINDS

    scope = scope_for(request.user)
    return scope.is_platform_admin or scope.has_kind(*VERIFIER_KINDS)


def reports_section(request: HttpRequest) -> dict[str, Any] | None:
    waiting = selectors.reports_waiting(request.user)
    if not waiting:
        return None
    return {
        "id": "credit-reports-waiting",
        "title": _("Credit reports waiting for you"),
        "items": [
            {
                "label": _("%(year)s report from %(issuer)s") % {"year": r.year, "issuer": r.issuer.name_zh},
                "url": reverse("credit:reports"),
                "note": ngettext("%(n)d row", "%(n)d rows", r.row_count) % {"n": r.row_count},
            }
            for r in waiting
        ],
    }


def score_column(profiles: list[Any]) -> dict[int, Any]:
    """For the registration authority's verification report (providers.report): each provider's
    credit score today."""
    return {p.pk: str(selectors.score_of(p.organisation_id).score) for p in profiles}


def bans_column(profiles: list[Any]) -> dict[int, Any]:
    from govbuy.providers.selectors import active_restrictions

    banned = set(
        active_restrictions()
        .filter(kind="ban", profile_id__in=[p.pk for p in profiles])
        .values_list("profile_id", flat=True)
    )
    return {p.pk: (_("yes") if p.pk in banned else "") for p in profiles}


def provider_section(request: HttpRequest) -> dict[str, Any] | None:
    if not is_provider(request):
        return None
    facts = selectors.facts_to_answer(request.user)[:10]
    if not facts:
        return None
    return {
        "id": "credit-facts-to-answer",
        "title": _("Credit facts you may object to"),
        "items": [
            {
                "label": f"{f.get_kind_display()} · {f.summary[:60]}",
                "url": reverse("credit:provider", args=[f.provider_id]),
                "note": _("occurred on %(day)s") % {"day": present.day(f.occurred_at)},
            }
            for f in facts
        ],
    }


def authority_section(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if not scope.is_finance(write=True):
        return None
    url = reverse("credit:workspace")
    items: list[dict[str, Any]] = [
        {
            "label": _("Objection: %(name)s") % {"name": o.fact.provider.name_zh},
            "url": url,
            "note": _("decide by %(day)s") % {"day": present.day(o.decide_by)},
        }
        for o in selectors.objections_to_decide(request.user)[:10]
    ]
    items += [
        {"label": _("Fact to confirm: %(name)s") % {"name": f.provider.name_zh}, "url": url, "note": f.summary[:40]}
        for f in selectors.facts_to_confirm(request.user)[:10]
    ]
    current = {item.kind: item for item in selectors.lists_status()}
    stale = timezone.localdate() - dt.timedelta(days=LIST_REFRESH_DAYS)
    for kind, label in ListKind.choices:
        item = current.get(kind)
        if item is None or item.as_of < stale:
            note = _("as of %(day)s") % {"day": present.day(item.as_of)} if item else _("never imported")
            items.append({"label": _("List to refresh: %(list)s") % {"list": label}, "url": url, "note": note})
    if not items:
        return None
    return {"id": "credit-authority", "title": _("Credit: decisions and lists waiting"), "items": items}


def purchaser_section(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    own = scope.written_organisations(frozenset(PURCHASER_KINDS))
    if not own:
        return None
    since = timezone.localdate() - dt.timedelta(days=NEWLY_BANNED_DAYS)
    bidders = Bid.objects.filter(tender__purchaser_id__in=own).values("provider_id")
    banned = list(
        Ban.objects.filter(provider_id__in=bidders, starts_on__gte=since, published=True).order_by("-starts_on")[:10]
    )
    if not banned:
        return None
    # A winner of the purchaser's (a confirmed award) is named as such: its contract is at stake.
    winners = set(
        Award.objects.filter(
            tender__purchaser_id__in=own, status=AwardStatus.ACTIVE, provider_id__in=[b.provider_id for b in banned]
        ).values_list("provider_id", flat=True)
    )
    winner = _("a winner of yours")
    return {
        "id": "credit-newly-banned",
        "title": _("Bidders of yours newly banned"),
        "items": [
            {
                "label": f"{b.name_zh} ({b.decision_number})" + (f" · {winner}" if b.provider_id in winners else ""),
                "url": reverse("credit_public:bans") + f"?q={b.uscc or b.name_zh}",
                "note": _("banned from %(start)s to %(end)s")
                % {"start": present.day(b.starts_on), "end": present.day(b.ends_on)},
            }
            for b in banned
        ],
    }
