"""The planning demo: budgets, projects in every state, a conversion with its transfer and a
published plan in two versions, built through the services; loading twice changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from govbuy.catalog import demo as catalog_demo
from govbuy.organizations.models import Membership, Organisation
from govbuy.organizations.uscc import make_code
from govbuy.planning import demo
from govbuy.planning.models import AnnualPlan, Project, Transfer


def _demo_people(world):
    """The demo's purchasers and users by the names the demo loader looks up."""
    users = get_user_model().objects
    health = Organisation.objects.create(
        name_zh="北京市东城区卫生健康委员会",
        kind="administrative_agency",
        region=world.district_a,
        uscc=make_code("11", "110101", "00002001"),
    )
    civil = Organisation.objects.create(
        name_zh="北京市朝阳区民政局",
        kind="administrative_agency",
        region=world.district_b,
        uscc=make_code("11", "110105", "00002002"),
    )
    for username, org in (
        ("dongcheng.health", health),
        ("chaoyang.civil", civil),
        ("dongcheng.finance", world.district_finance_a_org),
        ("chaoyang.finance", world.district_finance_b_org),
        ("staffing", world.staffing_org),
    ):
        user = users.filter(username=username).first() or users.create_user(username=username, password="x" * 16)
        if not Membership.objects.filter(user=user, organisation=org).exists():
            Membership.objects.create(user=user, organisation=org, role="staff")


def test_demo_has_every_state_a_transfer_and_a_published_plan(world, announcements):
    _demo_people(world)
    catalog_demo.load()
    created = demo.load()
    assert created > 0
    states = set(Project.objects.values_list("status", flat=True))
    assert states == {
        "draft",
        "submitted",
        "under_review",
        "approved",
        "returned",
        "in_plan",
        "withdrawn",
        "cancelled",
    }
    transfer = Transfer.objects.get()
    assert transfer.project.status == "approved"
    assert transfer.source_line.code == "30199"
    plans = list(AnnualPlan.objects.order_by("number"))
    assert [p.number for p in plans] == [1, 2]
    assert plans[1].changes["counts"]["removed"] == 1
    assert demo.load() == 0
    assert Project.objects.count() == 9
