"""Steps of a tender after the opening, through the services, shared by the evaluation and award
tests: a two-bid opening (the method's minimum lowered to two), a pool of experts with accounts,
a panel that declared and scored, and the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from govbuy.procurement.models import Bid, Criterion, ProcurementMethod
from govbuy.procurement.services import bids, evaluation, opening, tenders

from .conftest import move_deadline


def lower_minimums(world: Any, code: str = "public_tender") -> None:
    method = ProcurementMethod.objects.get(code=code)
    tenders.update_method(
        actor=world.city_finance, method=method, version=method.version, min_suppliers=2, panel_size=3
    )


def open_with_bids(world: Any, tender: Any, prices: tuple[str, str] = ("100.00", "125.00")) -> list[Bid]:
    lower_minimums(world)
    made = [
        bids.submit_bid(actor=world.provider_a, tender=tender, provider=world.provider_a_org, price=prices[0]),
        bids.submit_bid(actor=world.provider_b, tender=tender, provider=world.provider_b_org, price=prices[1]),
    ]
    move_deadline(tender, bids.db_now() - dt.timedelta(seconds=1))
    opening.initiate_opening(actor=world.purchaser_a, tender=tender)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=tender)
    tender.refresh_from_db()
    return [Bid.objects.get(pk=b.pk) for b in made]


def make_experts(world: Any, n: int = 4, prefix: str = "expert") -> list[Any]:
    user_model = get_user_model()
    out = []
    for i in range(n):
        user = user_model.objects.create_user(
            username=f"{prefix}{i}", password="Expert-Pass-2026!", display_name=f"专家{i}"
        )
        out.append(evaluation.create_expert(actor=world.city_finance, name=f"专家{i}", expertise="社会工作", user=user))
    return out


def seat_and_score(world: Any, tender: Any, points: dict[int, str] | None = None) -> list[Any]:
    """Draw the panel; every member declares no conflict and scores each valid bid (the same
    points per criterion, or points[bid_id] when given)."""
    panel = evaluation.draw_panel(actor=world.purchaser_a, tender=tender)
    criteria = list(Criterion.objects.filter(tender=tender, is_price=False))
    members = list(panel.members.select_related("expert__user"))
    for member in members:
        user = member.expert.user
        evaluation.declare(actor=user, tender=tender, conflict=False)
        for bid in Bid.objects.filter(tender=tender, status="opened", disqualified_at__isnull=True):
            value = (points or {}).get(bid.pk)
            evaluation.score_bid(
                actor=user,
                tender=tender,
                bid=bid,
                scores={c.pk: value if value is not None else str(c.weight // 2) for c in criteria},
            )
    return members


def evaluate(world: Any, tender: Any, points: dict[int, str] | None = None) -> Any:
    if not any(True for _ in get_user_model().objects.filter(username__startswith="expert")):
        make_experts(world)
    seat_and_score(world, tender, points)
    report = evaluation.complete_evaluation(actor=world.purchaser_a, tender=tender)
    tender.refresh_from_db()
    return report
