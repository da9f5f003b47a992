"""Opening an evaluation round on its page: the purchaser chooses the contract, periodic or final,
and the contract's milestone; the service's refusals come back in Chinese on the form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from govbuy.contracts.models import Milestone
from govbuy.performance.models import EvaluationRound
from tests.builders.performance import make_contract

URL = reverse("performance:round-new")


def milestone(contract, sequence=1):
    return Milestone.objects.create(
        contract=contract,
        sequence=sequence,
        title=f"第{sequence}季度服务",
        due_date=dt.date(2026, 3, 31),
        percentage=Decimal("25.00"),
        quantity_target="300人次",
        quality_target="合格率95%",
    )


def test_the_purchaser_opens_a_periodic_round_for_a_milestone(world, template, contract, login):
    stage = milestone(contract)
    client = login(world.purchaser_a)
    page = client.get(URL)
    assert page.status_code == 200
    assert f'value="{stage.pk}"' in page.content.decode()
    answer = client.post(URL, {"contract": contract.pk, "kind": "periodic", "milestone": stage.pk})
    assert answer.status_code == 302
    obj = EvaluationRound.objects.get(contract=contract)
    assert (obj.kind, obj.milestone_id, obj.created_by_id) == ("periodic", stage.pk, world.purchaser_a.pk)
    assert answer["Location"] == reverse("performance:round", args=[obj.pk])


def test_a_milestone_of_another_contract_is_refused_in_chinese(world, template, contract, project, login):
    other = make_contract(world, project)
    stage = milestone(other)
    answer = login(world.purchaser_a).post(URL, {"contract": contract.pk, "kind": "periodic", "milestone": stage.pk})
    assert answer.status_code == 400
    assert "该履约节点不属于本合同。" in answer.content.decode()
    assert not EvaluationRound.objects.exists()


def test_a_second_final_round_is_refused_in_chinese(world, template, contract, login):
    client = login(world.purchaser_a)
    assert client.post(URL, {"contract": contract.pk, "kind": "final"}).status_code == 302
    answer = client.post(URL, {"contract": contract.pk, "kind": "final"})
    assert answer.status_code == 409
    assert "本合同已有期末评价。" in answer.content.decode()
    assert EvaluationRound.objects.count() == 1


def test_another_purchasers_contract_is_not_a_choice(world, template, contract, login):
    answer = login(world.purchaser_b).post(URL, {"contract": contract.pk, "kind": "final"})
    assert answer.status_code == 400
    assert not EvaluationRound.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "provider_a", "evaluator"])
def test_who_is_not_a_purchaser_gets_404(world, template, contract, login, persona):
    client = login(getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"contract": contract.pk, "kind": "final"}).status_code == 404
    assert not EvaluationRound.objects.exists()


def test_the_list_offers_the_page_to_purchasers_only(world, template, contract, login):
    assert 'id="round-new"' in login(world.purchaser_a).get(reverse("performance:rounds")).content.decode()
    assert 'id="round-new"' not in login(world.provider_a).get(reverse("performance:rounds")).content.decode()
