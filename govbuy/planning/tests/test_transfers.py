"""費隨事轉: a conversion moves funds from the in-house line to the purchase's line, recorded as a
transfer; both lines show it; it is audited and reversed (not deleted) on withdrawal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import ValidationFailed
from govbuy.planning.models import Transfer
from govbuy.planning.services import proposals, reviews
from tests.builders.planning import ESTIMATE


def conversion(inhouse, amount="100000.00"):
    return proposals.ConversionInput(
        source_line=inhouse, amount=amount, former_service="原由街道工作人员承担的入户探访"
    )


def test_conversion_moves_the_amount_between_lines(propose, line, inhouse):
    project = propose(conversion=conversion(inhouse))
    assert project.is_conversion
    assert project.staffing_review == "not_required"
    line.refresh_from_db()
    inhouse.refresh_from_db()
    assert inhouse.amount == Decimal("400000.00")  # shrinks by the amount
    assert inhouse.budgeted_amount == Decimal("500000.00")  # what was budgeted stays visible
    assert line.amount == Decimal("1100000.00")
    assert line.committed == ESTIMATE
    transfer = Transfer.objects.get(project=project)
    assert (transfer.source_line, transfer.target_line, transfer.amount) == (inhouse, line, Decimal("100000.00"))
    assert list(inhouse.transfers_out.all()) == [transfer]
    assert list(line.transfers_in.all()) == [transfer]
    event = AuditEvent.objects.get(action="planning.transfer.recorded")
    assert event.data["source"] == "30199"
    assert event.data["amount"] == "100000.00"
    assert event.changes["line 30199"] == ["500000.00", "400000.00"]


def test_transfer_cannot_exceed_what_the_source_line_has_free(propose, inhouse, line):
    with pytest.raises(ValidationFailed) as caught:
        propose(conversion=conversion(inhouse, "500000.01"))
    assert caught.value.code == "transfer_exceeds_source"
    inhouse.refresh_from_db()
    assert inhouse.amount == Decimal("500000.00")
    assert Transfer.objects.count() == 0


def test_transfer_needs_two_lines_and_a_positive_amount(propose, line, inhouse):
    with pytest.raises(ValidationFailed):
        propose(conversion=conversion(line))
    with pytest.raises(ValidationFailed) as caught:
        propose(conversion=conversion(inhouse, "0"))
    assert caught.value.code == "zero_amount"
    with pytest.raises(ValidationFailed) as caught:
        propose(conversion=conversion(inhouse, "-10"))
    assert caught.value.code == "negative_amount"


def test_withdrawal_reverses_the_transfer(propose, world, line, inhouse):
    project = propose(conversion=conversion(inhouse))
    reviews.withdraw_project(actor=world.purchaser_a, project=project, version=project.version, reason="调整")
    line.refresh_from_db()
    inhouse.refresh_from_db()
    assert (line.amount, line.committed, inhouse.amount) == (Decimal("1000000.00"), 0, Decimal("500000.00"))
    transfer = Transfer.objects.get(project=project)
    assert transfer.reversed_at is not None
    assert AuditEvent.objects.filter(action="planning.transfer.reversed").count() == 1


def test_a_conversion_waits_for_the_staffing_office_after_submission(propose, world, inhouse):
    project = propose(conversion=conversion(inhouse))
    submitted = reviews.submit_project(actor=world.purchaser_a, project=project, version=project.version)
    assert submitted.staffing_review == "pending"
