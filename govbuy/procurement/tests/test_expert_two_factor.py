"""Experts see bids and decide who wins: they sign in with two-factor like other staff (issue 16)."""

from govbuy.accounts import rules, selectors
from govbuy.procurement.models import Expert


def test_experts_need_two_factor_like_other_staff(world):
    assert rules.two_factor_required(is_superuser=False, kinds=(), is_expert=True)
    assert not selectors.two_factor_required(world.outsider)
    Expert.objects.create(name="张明华", expertise="养老服务", user=world.outsider)
    fresh = type(world.outsider).objects.get(pk=world.outsider.pk)  # the answer is cached per object
    assert selectors.two_factor_required(fresh)
