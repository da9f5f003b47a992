"""The publication hook: a stage event writes its release in its own transaction; release ids
come from the content, so republishing is a no-op and other content gets another id (R9)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

from govbuy.audit.models import AuditEvent
from govbuy.core import publication
from govbuy.disclosure import jsonutil, schema
from govbuy.disclosure.models import FeedHead, Release

from .conftest import OBJ_TYPE


def _announce(stage, org, when):
    with transaction.atomic():
        return publication.announce(stage, obj_type=OBJ_TYPE, obj_id=org.pk, occurred_at=when)


@pytest.mark.django_db(transaction=True)
def test_announce_refuses_to_run_outside_a_transaction(world, stage_content, moment):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        publication.announce("tender", obj_type=OBJ_TYPE, obj_id=world.purchaser_a_org.pk, occurred_at=moment())
    assert not Release.objects.exists()


def test_announce_refuses_unknown_stages_and_naive_times(world, stage_content):
    with transaction.atomic(), pytest.raises(ValueError, match="unknown publication stage"):
        publication.announce("tendr", obj_type=OBJ_TYPE, obj_id=1, occurred_at=datetime.now(UTC))
    with transaction.atomic(), pytest.raises(ValueError, match="aware"):
        publication.announce("tender", obj_type=OBJ_TYPE, obj_id=1, occurred_at=datetime(2026, 1, 1))


def test_an_ocds_stage_without_a_builder_fails_loudly(world, moment):
    with transaction.atomic(), pytest.raises(ImproperlyConfigured, match="no OCDS release builder"):
        publication.announce("award", obj_type="planning.nothing", obj_id=1, occurred_at=moment())


def test_release_is_written_in_the_stage_transaction_and_rolls_back_with_it(world, stage_content, moment):
    class Boom(Exception):
        pass

    def failing_stage_event():
        with transaction.atomic():
            publication.announce("tender", obj_type=OBJ_TYPE, obj_id=world.purchaser_a_org.pk, occurred_at=moment())
            assert Release.objects.count() == 1  # visible inside the stage's transaction
            raise Boom

    with pytest.raises(Boom):
        failing_stage_event()
    assert not Release.objects.exists()
    assert FeedHead.objects.get(pk=1).last_seq == 0  # the position is not lost either

    _announce("tender", world.purchaser_a_org, moment())
    release = Release.objects.get()
    assert release.seq == 1
    event = AuditEvent.objects.get(action="disclosure.release.published")
    assert (event.object_type, event.object_id) == (OBJ_TYPE, str(world.purchaser_a_org.pk))
    assert event.data["release_id"] == release.release_id


def test_release_document_is_canonical_with_its_digest_and_exact_amounts(world, stage_content, moment):
    stage_content.tender_value = Decimal("9999999999999.99")
    _announce("tender", world.purchaser_a_org, moment())
    release = Release.objects.get()
    assert release.sha256 == hashlib.sha256(release.document.encode()).hexdigest()
    document = jsonutil.loads(release.document)
    assert jsonutil.dumps(document) == release.document
    assert '"value":{"amount":9999999999999.99,"currency":"CNY"}' in release.document
    assert document["tender"]["value"]["amount"] == Decimal("9999999999999.99")
    assert release.release_id == document["id"]
    assert document["id"].startswith(document["ocid"] + "-")
    assert document["ocid"].startswith("ocds-xxxxxx-")
    assert schema.errors("release", document) == []


def test_parties_carry_roles_and_uscc_identifiers(world, stage_content, moment):
    stage_content.supplier = world.provider_a_org
    _announce("award", world.purchaser_a_org, moment())
    document = jsonutil.loads(Release.objects.get().document)
    parties = {party["id"]: party for party in document["parties"]}
    buyer = parties[f"CN-USCC-{world.purchaser_a_org.uscc}"]
    supplier = parties[f"CN-USCC-{world.provider_a_org.uscc}"]
    assert buyer["roles"] == ["buyer", "procuringEntity"]
    assert buyer["identifier"] == {
        "scheme": "CN-USCC",
        "id": world.purchaser_a_org.uscc,
        "legalName": world.purchaser_a_org.name_zh,
    }
    assert supplier["roles"] == ["supplier", "tenderer"]
    assert document["awards"][0]["suppliers"] == [{"id": supplier["id"], "name": supplier["name"]}]
    assert document["tender"]["items"][0]["classification"]["scheme"] == "x_govbuy_catalog"
    assert schema.errors("release", document) == []


def test_republishing_identical_content_is_a_no_op(world, stage_content, moment):
    when = moment()
    _announce("tender", world.purchaser_a_org, when)
    events = AuditEvent.objects.count()
    _announce("tender", world.purchaser_a_org, when)
    assert Release.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert FeedHead.objects.get(pk=1).last_seq == 1


def test_different_content_gets_a_new_id_and_ids_are_never_reused(world, stage_content, moment):
    when = moment()
    _announce("tender", world.purchaser_a_org, when)
    stage_content.tender_title = "社区养老服务"
    _announce("tender", world.purchaser_a_org, when)  # same moment, other content
    first, second = Release.objects.order_by("seq")
    assert first.release_id != second.release_id
    assert first.ocid == second.ocid
    assert (first.seq, second.seq) == (1, 2)
    # Back to the first content at the same moment: its id exists with exactly that content.
    stage_content.tender_title = "居家养老服务"
    _announce("tender", world.purchaser_a_org, when)
    assert Release.objects.count() == 2
    assert len({r.sha256 for r in Release.objects.all()}) == 2


def test_a_stored_id_with_other_content_is_refused(world, stage_content, moment):
    from govbuy.core.errors import Conflict
    from govbuy.disclosure.services import publish_release

    when = moment()
    announcement = _announce("tender", world.purchaser_a_org, when)
    stored = Release.objects.get()
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the forged update itself (see the trigger test)")
    Release.objects.filter(pk=stored.pk).update(sha256="0" * 64)  # as if someone rewrote it
    with transaction.atomic(), pytest.raises(Conflict):
        publish_release(actor=None, announcement=announcement, release=stage_content.build(announcement))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_postgresql_refuses_to_change_or_delete_a_release(world, stage_content, moment):
    _announce("tender", world.purchaser_a_org, moment())
    for statement in ("UPDATE disclosure_release SET document = '{}'", "DELETE FROM disclosure_release"):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert Release.objects.count() == 1


def test_empty_fields_are_left_out_but_null_removals_and_false_stay():
    from govbuy.disclosure.ocds import prune_empty

    release = {
        "ocid": "x",
        "tender": {"documents": [], "description": " ", "title": "标题", "hasEnquiries": False, "amendments": [{}]},
        "planning": {"budget": {}},
        "awards": [{"id": "1", "description": None, "items": [], "value": {"amount": 0}}],
    }
    assert prune_empty(release) == {
        "ocid": "x",
        "tender": {"title": "标题", "hasEnquiries": False},
        "awards": [{"id": "1", "description": None, "value": {"amount": 0}}],
    }
