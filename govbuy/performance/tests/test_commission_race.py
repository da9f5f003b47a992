"""The purchaser and the finance bureau commission an evaluator for the same round at the same
moment: exactly one commission is made, the other is refused with the message (not a database
error), under the round's row lock."""

from __future__ import annotations

import datetime as dt

import pytest

from govbuy.core.errors import TransitionRefused
from govbuy.core.testing import build_world, needs_file_database, race
from govbuy.performance.models import ThirdPartyCommission
from govbuy.performance.services import commissions, rounds, templates
from tests.builders.performance import INDICATORS, make_contract
from tests.builders.planning import approved_project


@pytest.mark.django_db(transaction=True)
def test_two_commissions_of_one_round_at_once():
    needs_file_database()
    world = build_world()
    templates.create_template(
        actor=world.city_finance,
        category_code="A05",
        category_name="养老服务",
        effective_from=dt.date(2020, 1, 1),
        indicators=INDICATORS,
    )
    contract = make_contract(world, approved_project(world))
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    actors = [world.purchaser_a.pk, world.district_finance_a.pk]
    round_id, evaluator_id = obj.pk, world.evaluator_org.pk

    def work(index: int) -> ThirdPartyCommission:
        from django.contrib.auth import get_user_model

        actor = get_user_model().objects.get(pk=actors[index])
        return commissions.commission(actor=actor, round=round_id, version=None, evaluator=evaluator_id)

    outcomes = race(work, 2).outcomes
    made = [o for o in outcomes if isinstance(o, ThirdPartyCommission)]
    refused = [o for o in outcomes if isinstance(o, TransitionRefused)]
    assert len(made) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert refused[0].code == "commission_exists"
    assert ThirdPartyCommission.objects.filter(round_id=round_id).count() == 1
