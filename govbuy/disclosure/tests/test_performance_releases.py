"""A published final performance evaluation becomes an OCDS implementationUpdate release of the
contract's contracting process, carrying the evaluation as a projectEvaluation document."""

from __future__ import annotations

import pytest

from govbuy.disclosure import jsonutil, schema
from govbuy.disclosure.models import Release
from govbuy.performance.services import rounds
from tests.builders.performance import survey_with_answers, to_awaiting

pytestmark = pytest.mark.django_db


def test_a_final_evaluation_is_an_implementation_document(world, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
    survey_with_answers(world, contract, obj)
    obj = to_awaiting(world, obj)
    obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
    rounds.respond(actor=world.provider_a, round=obj, version=obj.version, body="无异议")
    obj.refresh_from_db()
    rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)
    row = Release.objects.get(object_type="performance.evaluationround", object_id=obj.pk)
    document = jsonutil.loads(row.document)
    assert schema.errors("release", document) == []
    assert document["tag"] == ["implementationUpdate"]
    assert document["ocid"].endswith(contract.project.reference)
    (evaluation,) = document["contracts"][0]["implementation"]["documents"]
    assert evaluation["documentType"] == "projectEvaluation"
    assert "优" in evaluation["description"]


def test_a_periodic_evaluation_is_not_announced(world, template, contract):
    obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="periodic")
    survey_with_answers(world, contract, obj)
    obj = to_awaiting(world, obj)
    obj = rounds.finalise(actor=world.purchaser_a_approver, round=obj, version=obj.version)
    rounds.respond(actor=world.provider_a, round=obj, version=obj.version, body="无异议")
    obj.refresh_from_db()
    rounds.publish(actor=world.purchaser_a, round=obj, version=obj.version)
    assert not Release.objects.filter(object_type="performance.evaluationround").exists()
