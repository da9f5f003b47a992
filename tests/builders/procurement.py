"""Procurement stages of the one test builder: verified providers (the registry), then a tender
published, opened, evaluated and awarded. Each stage is one call that builds what it needs when
it is not given, and brings a tender given at an earlier stage up to its own (so
`awarded_tender(world, published)` bids, opens, evaluates and awards)."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from govbuy.procurement import rules
from govbuy.procurement.models import Bid, Criterion, ProcurementMethod, Ranking
from govbuy.procurement.services import awards, bids, evaluation, opening, tenders
from govbuy.providers.models import Condition, DossierSection
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers, registration, standing
from tests.builders.planning import approved_project

CRITERIA = [
    {"name": "价格", "weight": 30, "is_price": True},
    {"name": "服务方案", "weight": 50},
    {"name": "人员配置", "weight": 20},
]
PRICES = ("100.00", "125.00")


# --- Providers: verified through the registry ----------------------------------------------------


def open_profile(org: Any, *, serial: int = 1, identity: str | None = None) -> Any:
    return registration.open_profile(
        actor=None,
        organisation=org,
        registration_authority="北京市民政局",
        legal_representative="张三",
        legal_representative_id=identity or resident_id(serial),
        # Each provider its own contacts (the oversight flag "shared_contacts" looks for shared ones).
        registered_address=f"北京市东城区某街{serial}号",
        registration_date=dt.date(2015, 3, 1),
        contact_name="李四",
        contact_phone=f"010-{12345677 + serial}",
        contact_email=f"contact{serial}@example.org",
    )


def section(profile: Any, condition: str) -> Any:
    return DossierSection.objects.get(profile=profile, condition=condition)


def fill_section(profile: Any, condition: str, user: Any, *, valid_until: Any = None, submit: bool = True) -> Any:
    s = section(profile, condition)
    s = dossiers.update_statement(actor=user, section=s, version=s.version, statement=f"说明：{condition}")
    dossiers.add_document(
        actor=user,
        section=s,
        version=s.version,
        title=f"证明 {condition}",
        file_name=f"{condition}.pdf",
        data=minimal_pdf(condition),
        valid_until=valid_until,
    )
    s.refresh_from_db()
    if condition == Condition.CAPACITY:
        dossiers.add_staff(
            actor=user, section=s, version=s.version, name="王五", position="社工", qualification="社会工作师"
        )
        s.refresh_from_db()
    if condition == Condition.NO_MAJOR_VIOLATION:
        s = dossiers.sign_declaration(actor=user, section=s, version=s.version)
    if submit:
        s = dossiers.submit_section(actor=user, section=s, version=s.version)
    return s


def verified_profile(world: Any, org_key: str = "provider_a_org", user_key: str = "provider_a", serial: int = 1) -> Any:
    profile = open_profile(world.orgs[org_key], serial=serial)
    for condition in Condition.values:
        s = fill_section(profile, condition, world.users[user_key])
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    profile.refresh_from_db()
    return standing.verify_provider(actor=world.civil_affairs, profile=profile, version=profile.version)


def verified_providers(world: Any) -> tuple[Any, Any]:
    """Providers A and B, verified."""
    return (
        verified_profile(world, "provider_a_org", "provider_a", serial=1),
        verified_profile(world, "provider_b_org", "provider_b", serial=2),
    )


# --- Procurement: published, opened, evaluated, awarded ------------------------------------------


class Opened(NamedTuple):
    tender: Any
    bids: list[Any]


class Evaluated(NamedTuple):
    tender: Any
    report: Any


class Awarded(NamedTuple):
    tender: Any
    award: Any


def far_deadline(days: int = 40) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def move_deadline(tender: Any, moment: dt.datetime) -> Any:
    """Tests move time by moving the deadline in the database (never by sleeping)."""
    type(tender).objects.filter(pk=tender.pk).update(bid_deadline=moment)
    tender.refresh_from_db()
    return tender


def past_opening_time(tender: Any) -> Any:
    """The deadline moved back past the settle period (rules.BID_SETTLE): the opening may start."""
    return move_deadline(tender, bids.db_now() - rules.BID_SETTLE - dt.timedelta(seconds=1))


def draft_tender(world: Any, project: Any = None, **overrides: Any) -> Any:
    """A draft tender of the (approved) project: three criteria, a bond, a deadline 40 days on."""
    kwargs = {
        "actor": world.purchaser_a,
        "project": project if project is not None else approved_project(world),
        "bid_deadline": far_deadline(),
        "bid_bond": "1000.00",
        "criteria": CRITERIA,
    }
    kwargs.update(overrides)
    return tenders.create_tender(**kwargs)


def published_tender(world: Any, project: Any = None, **overrides: Any) -> Any:
    tender = draft_tender(world, project, **overrides)
    return tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)


def lower_minimums(world: Any, code: str = "public_tender") -> None:
    """Two bids and a panel of three suffice (the tests have two providers)."""
    method = ProcurementMethod.objects.get(code=code)
    tenders.update_method(
        actor=world.city_finance, method=method, version=method.version, min_suppliers=2, panel_size=3
    )


def open_tender(world: Any, tender: Any) -> Any:
    """The deadline and its settle period passed, the opening initiated and confirmed (two users):
    the bids in are opened."""
    lower_minimums(world)
    past_opening_time(tender)
    opening.initiate_opening(actor=world.purchaser_a, tender=tender)
    opening.confirm_opening(actor=world.purchaser_a_approver, tender=tender)
    tender.refresh_from_db()
    return tender


def opened_tender(world: Any, tender: Any = None, prices: tuple[str, str] = PRICES) -> Opened:
    """Providers A and B bid `prices`, then the tender is opened (a published tender with
    verified providers is built when none is given)."""
    if tender is None:
        verified_providers(world)
        tender = published_tender(world)
    made = [
        bids.submit_bid(actor=world.provider_a, tender=tender, provider=world.provider_a_org, price=prices[0]),
        bids.submit_bid(actor=world.provider_b, tender=tender, provider=world.provider_b_org, price=prices[1]),
    ]
    open_tender(world, tender)
    return Opened(tender, [Bid.objects.get(pk=b.pk) for b in made])


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
    """Draw the panel; every member declares no conflict and scores each valid bid (half of each
    criterion's weight, or points[bid_id] when given)."""
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


def evaluated_tender(world: Any, tender: Any = None, points: dict[int, str] | None = None) -> Evaluated:
    """The panel drawn from the expert pool (made when empty) scores, and the report is complete
    (the tender is opened first when it is not yet, or built when none is given)."""
    if tender is None or tender.status == "published":
        tender = opened_tender(world, tender).tender
    if not get_user_model().objects.filter(username__startswith="expert").exists():
        make_experts(world)
    seat_and_score(world, tender, points)
    report = evaluation.complete_evaluation(actor=world.purchaser_a, tender=tender)
    tender.refresh_from_db()
    return Evaluated(tender, report)


def clear_credit(world: Any, tender: Any) -> Any:
    """The three-list credit check of the evaluated tender's top-ranked bid, recorded clear; the bid."""
    top = Ranking.objects.filter(evaluation__tender=tender).select_related("bid").order_by("rank").first().bid
    evaluation.record_credit_check(
        actor=world.purchaser_a,
        tender=tender,
        bid=top,
        dishonest_debtors="clear",
        tax_violations="clear",
        procurement_violations="clear",
        reference="信用中国 2027-001",
    )
    return top


def awarded_tender(world: Any, tender: Any = None) -> Awarded:
    """The top-ranked bid passes the credit check and wins (at or below the four-eyes threshold
    the proposal is the confirmation). The tender is opened and evaluated first when it is not
    yet, or built when none is given."""
    if tender is None or tender.status in ("published", "opened"):
        tender = evaluated_tender(world, tender).tender
    top = clear_credit(world, tender)
    award = awards.propose_award(actor=world.purchaser_a, tender=tender, bid=top)
    tender.refresh_from_db()
    return Awarded(tender, award)


# --- Fixtures (registered for every test by the root conftest) ---------------------------------


@pytest.fixture
def providers(world):
    return verified_providers(world)


@pytest.fixture
def published(world, approved):
    return published_tender(world, approved)


@pytest.fixture
def noticed(world, planned, providers):
    """A published tender of a project in the published annual plan, with verified providers."""
    return published_tender(world, planned)
