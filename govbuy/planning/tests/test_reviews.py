"""Reviews: the transition table walked pair by pair; finance and staffing decisions; every
transition audited; who may act."""

from __future__ import annotations

import itertools

import pytest

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.planning import rules
from govbuy.planning.models import ProjectStatus, Review
from govbuy.planning.services import proposals, reviews
from tests.builders.planning import advance

ALLOWED = {
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "under_review"),
    ("submitted", "returned"),
    ("under_review", "approved"),
    ("under_review", "returned"),
    ("returned", "submitted"),
    ("returned", "withdrawn"),
    ("approved", "in_plan"),
    ("approved", "cancelled"),
    ("in_plan", "cancelled"),
}


@pytest.mark.parametrize(("before", "after"), list(itertools.product(ProjectStatus.values, repeat=2)))
def test_every_pair_of_states(before, after):
    if (before, after) in ALLOWED:
        rules.check_transition(before, after)
    else:
        with pytest.raises(TransitionRefused):
            rules.check_transition(before, after)


def test_the_table_names_every_state():
    assert set(rules.TRANSITIONS) == set(ProjectStatus.values)


def test_draft_to_approved_with_every_step_audited(propose, world):
    project = propose()
    project = advance(project, world, to="approved")
    assert project.status == "approved"
    actions = list(
        AuditEvent.objects.filter(object_type="planning.project", object_id=str(project.pk))
        .order_by("position")
        .values_list("action", flat=True)
    )
    assert actions == [
        "planning.project.proposed",
        "planning.project.submitted",
        "planning.project.review_started",
        "planning.project.approved",
    ]
    statuses = [
        e.changes.get("status")
        for e in AuditEvent.objects.filter(object_type="planning.project", object_id=str(project.pk)).order_by(
            "position"
        )
    ][1:]
    assert statuses == [["draft", "submitted"], ["submitted", "under_review"], ["under_review", "approved"]]


def test_history_reads_as_sentences(propose, world, login):
    project = advance(propose(), world, to="submitted")
    page = login(world.purchaser_a).get(f"/planning/projects/{project.pk}/").content.decode()
    assert project.reference in page
    assert page.count("<li>") >= 2
    assert "…" not in page.split('id="project-history"')[1]


def test_finance_returns_with_comments_and_the_purchaser_resubmits(propose, world):
    project = advance(propose(), world, to="under_review")
    with pytest.raises(ValidationFailed):
        reviews.return_project(actor=world.district_finance_a, project=project, version=project.version, comment="")
    project = reviews.return_project(
        actor=world.district_finance_a, project=project, version=project.version, comment="请细化服务人次测算依据"
    )
    assert project.status == "returned"
    review = Review.objects.get(project=project)
    assert (review.kind, review.decision, review.comment) == ("finance", "returned", "请细化服务人次测算依据")
    project = proposals.update_project(
        actor=world.purchaser_a, project=project, version=project.version, title="修改后"
    )
    project = reviews.submit_project(actor=world.purchaser_a, project=project, version=project.version)
    assert project.status == "submitted"


def test_only_the_districts_finance_bureau_reviews(propose, world):
    project = advance(propose(), world, to="submitted")
    for outsider in (world.district_finance_b, world.purchaser_a, world.staffing):
        with pytest.raises(PermissionRefused):
            reviews.start_review(actor=outsider, project=project, version=project.version)
    # The city finance bureau reads every district but reviews city-level purchasers only.
    with pytest.raises(PermissionRefused):
        reviews.start_review(actor=world.city_finance, project=project, version=project.version)


def test_a_purchaser_cannot_approve_its_own_project(propose, world):
    project = advance(propose(), world, to="under_review")
    with pytest.raises(PermissionRefused):
        reviews.approve_project(actor=world.purchaser_a, project=project, version=project.version)


def test_submission_needs_targets_of_every_family(propose, world):
    from tests.builders.planning import TARGETS

    project = propose(targets=TARGETS[:2])
    with pytest.raises(ValidationFailed) as caught:
        reviews.submit_project(actor=world.purchaser_a, project=project, version=project.version)
    assert caught.value.code == "targets_incomplete"


def test_conversion_needs_the_staffing_office_before_approval(propose, world, inhouse):
    project = propose(
        conversion=proposals.ConversionInput(
            source_line=inhouse, amount="50000", former_service="原由本单位承担的入户服务"
        )
    )
    project = advance(project, world, to="under_review")
    with pytest.raises(TransitionRefused) as caught:
        reviews.approve_project(actor=world.district_finance_a, project=project, version=project.version)
    assert caught.value.code == "staffing_pending"
    with pytest.raises(PermissionRefused):
        reviews.confirm_staffing(actor=world.district_finance_a, project=project, version=project.version)
    project = reviews.confirm_staffing(
        actor=world.staffing, project=project, version=project.version, comment="不新增编制和机构"
    )
    assert project.staffing_review == "confirmed"
    project = reviews.approve_project(actor=world.district_finance_a, project=project, version=project.version)
    assert project.status == "approved"
    assert AuditEvent.objects.filter(action="planning.project.staffing_confirmed").count() == 1


def test_staffing_office_can_return_a_conversion(propose, world, inhouse):
    project = propose(
        conversion=proposals.ConversionInput(
            source_line=inhouse, amount="50000", former_service="原由本单位承担的入户服务"
        )
    )
    project = advance(project, world, to="submitted")
    project = reviews.return_staffing(
        actor=world.staffing, project=project, version=project.version, comment="转制后仍拟新增2名编制，请说明"
    )
    assert (project.status, project.staffing_review) == ("returned", "returned")
    project = reviews.submit_project(actor=world.purchaser_a, project=project, version=project.version)
    assert project.staffing_review == "pending"


def test_withdrawn_and_cancelled_are_final(propose, world):
    project = propose()
    project = reviews.withdraw_project(actor=world.purchaser_a, project=project, version=project.version)
    with pytest.raises(TransitionRefused):
        reviews.submit_project(actor=world.purchaser_a, project=project, version=project.version)


def test_editing_after_submission_is_refused(propose, world):
    project = advance(propose(), world, to="submitted")
    with pytest.raises(TransitionRefused):
        proposals.update_project(actor=world.purchaser_a, project=project, version=project.version, title="x")
