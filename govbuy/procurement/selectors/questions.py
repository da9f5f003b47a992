"""Reads of clarification questions and of the invitation draw, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from govbuy.organizations.scope import scope_for
from govbuy.procurement.models import (
    Clarification,
    InvitationDraw,
    Tender,
)
from govbuy.procurement.selectors.tendering import pk_of

# --- Clarifications and invitations ---------------------------------------------------------------


def sees_askers(user: Any, tender: Tender) -> bool:
    """Who asked a question: the purchaser and oversight in reach see it (the asker sees its own)."""
    return scope_for(user).sees_organisation(tender.purchaser)


def clarifications_for(user: Any, tender: Tender) -> list[Clarification]:
    """The purchaser and oversight: every question, answered or not, with the asker. A provider:
    the published ones and its own open questions. Anyone else who sees the tender: the published
    ones. The asker is loaded only where it may be shown."""
    scope = scope_for(user)
    qs = Clarification.objects.filter(tender=tender)
    if scope.sees_organisation(tender.purchaser):
        qs = qs.select_related("provider", "asked_by", "answered_by")
    else:
        qs = qs.filter(Q(answered_at__isnull=False) | Q(provider_id__in=list(scope.organisation_ids)))
    return list(qs.order_by("pk"))


def public_clarifications(tender: Tender) -> list[Clarification]:
    return list(
        Clarification.objects.filter(tender=tender, answered_at__isnull=False)
        .defer("provider", "asked_by", "answered_by")
        .order_by("answered_at", "pk")
    )


def open_question_for(user: Any, tender: Tender, pk: Any) -> Clarification:
    """A question of the tender, for the purchaser and oversight in reach; a 404 for others."""
    if not sees_askers(user, tender):
        raise Http404
    row = Clarification.objects.filter(tender=tender, pk=pk_of(pk)).first()
    if row is None:
        raise Http404
    return row


def invitation_draw_of(tender: Tender) -> InvitationDraw | None:
    return InvitationDraw.objects.select_related("drawn_by").filter(tender=tender).first()


def sees_invitation_draw(user: Any, tender: Tender) -> bool:
    """Who was invited stays with the purchaser and oversight (Reg. Art. 14: no one learns who the
    potential bidders are); an invited provider learns only that it is invited."""
    return scope_for(user).sees_organisation(tender.purchaser)


def invited_providers(draw: InvitationDraw | None) -> list[Any]:
    if draw is None:
        return []
    from govbuy.organizations.models import Organisation

    by_id = Organisation.objects.in_bulk(draw.invited)
    return [by_id[pk] for pk in draw.invited if pk in by_id]


def invitation_candidates(draw: InvitationDraw | None) -> list[Any]:
    """The providers the draw chose from, in the recorded order (names for the page; the ids stay
    in the record and the API)."""
    if draw is None:
        return []
    from govbuy.organizations.models import Organisation

    by_id = Organisation.objects.in_bulk(draw.candidates)
    return [by_id[pk] for pk in draw.candidates if pk in by_id]


def invited_own(user: Any, tender: Tender, draw: InvitationDraw | None) -> list[int]:
    """The user's provider organisations that the draw invited."""
    if draw is None:
        return []
    own = scope_for(user).organisation_ids
    return [pk for pk in draw.invited if pk in own]
