"""Registration, every dossier section, verification decisions, expiry and related parties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.storage import read_verified
from govbuy.organizations.models import Membership, Organisation
from govbuy.organizations.uscc import make_code
from govbuy.providers import rules, selectors
from govbuy.providers.models import Condition, DossierSection, ExpiryNotice, ProviderProfile, RelatedParty
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers, expiry_notices, registration, related_parties, standing
from tests.builders.procurement import fill_section, open_profile, section, verified_profile

pytestmark = pytest.mark.django_db


def registration_form(world, **overrides):
    values = {
        "name_zh": "北京市东城区新星社会工作服务中心",
        "name_en": "Xinxing Social Work",
        "kind": "social_service_organisation",
        "region": world.district_a,
        "uscc": make_code("52", "110101", "MJ0X0001"),
        "registration_authority": "北京市东城区民政局",
        "legal_representative": "赵六",
        "legal_representative_id": resident_id(77),
        "registered_address": "北京市东城区和平里1号",
        "registration_date": dt.date(2018, 5, 4),
        "contact_name": "赵六",
        "contact_phone": "13800000000",
        "contact_email": "xinxing@example.org",
        "username": "xinxing",
        "password": "A-long-enough-passphrase-2026",
    }
    values.update(overrides)
    return values


def test_self_registration_creates_org_admin_profile_and_dossier(world):
    profile = registration.register_provider(**registration_form(world))
    org = profile.organisation
    assert org.kind == "social_service_organisation"
    assert profile.state == "registered"
    assert profile.authority_kind == "civil_affairs"
    membership = Membership.objects.get(organisation=org)
    assert membership.user.username == "xinxing"
    assert membership.role == "admin"
    assert sorted(profile.sections.values_list("condition", flat=True)) == sorted(Condition.values)
    assert set(profile.sections.values_list("status", flat=True)) == {"draft"}
    event = AuditEvent.objects.get(action="providers.provider.registered")
    assert event.actor_id == membership.user.pk
    # The identity number itself is not stored, only its keyed hash.
    assert resident_id(77) not in str(ProviderProfile.objects.filter(pk=profile.pk).values().first())


def test_enterprise_is_verified_by_market_regulation(world):
    profile = registration.register_provider(
        **registration_form(world, kind="enterprise", uscc=make_code("91", "110101", "MA0X0002"), username="firm1")
    )
    assert profile.authority_kind == "market_regulation"


def test_duplicate_uscc_is_refused(world):
    registration.register_provider(**registration_form(world))
    with pytest.raises(ValidationFailed) as caught:
        registration.register_provider(**registration_form(world, username="other"))
    assert caught.value.code == "uscc_duplicate"
    assert Organisation.objects.filter(uscc=registration_form(world)["uscc"]).count() == 1


def test_duplicate_registration_rolls_back_everything(world):
    from django.contrib.auth import get_user_model

    registration.register_provider(**registration_form(world))
    with pytest.raises(ValidationFailed):
        registration.register_provider(**registration_form(world, uscc=make_code("52", "110101", "MJ0X0009")))
    # The user name was taken: the second organisation must not remain half-registered.
    assert not Organisation.objects.filter(uscc=make_code("52", "110101", "MJ0X0009")).exists()
    assert get_user_model().objects.filter(username="xinxing").count() == 1


@pytest.mark.parametrize("kind", ["public_institution_class1", "mass_organisation_institutional_staffing"])
def test_art8_exclusions_are_refused(world, kind):
    with pytest.raises(ValidationFailed) as caught:
        registration.register_provider(**registration_form(world, kind=kind))
    assert caught.value.code == "excluded_by_art8"


@pytest.mark.parametrize("kind", ["administrative_agency", "finance_bureau", "individual"])
def test_non_provider_kinds_are_refused(world, kind):
    with pytest.raises(ValidationFailed) as caught:
        registration.register_provider(**registration_form(world, kind=kind))
    assert caught.value.code == "not_a_provider_kind"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("uscc", "91110101MA0X00019Z", "uscc_check"),
        ("registration_date", dt.date(2999, 1, 1), "registration_date"),
        ("registration_date", dt.date(1900, 1, 1), "registration_date"),
        ("legal_representative_id", "110101198001011234", "identity"),
        ("legal_representative_id", "?", "identity"),
        ("contact_phone", "", "required"),
    ],
)
def test_bad_registration_input_is_refused_with_field(world, field, value, code):
    with pytest.raises(ValidationFailed) as caught:
        registration.register_provider(**registration_form(world, **{field: value}))
    if code != "uscc_check":
        assert caught.value.code == code
    assert field in caught.value.fields or "uscc" in caught.value.fields
    assert not ProviderProfile.objects.exists()


def test_messages_follow_the_language(world):
    from django.utils import translation

    with pytest.raises(ValidationFailed) as caught:
        registration.register_provider(**registration_form(world, registration_date=dt.date(2999, 1, 1)))
    message = caught.value.fields["registration_date"][0]
    assert str(message) == "登记日期不能晚于今天。"  # Simplified Chinese is the default language
    with translation.override("en"):
        assert str(message) == "The registration date cannot be in the future."


# --- Dossier sections --------------------------------------------------------------------------------


@pytest.mark.parametrize("condition", Condition.values)
def test_every_section_can_be_completed_and_submitted(world, profile_a, condition):
    s = section(profile_a, condition)
    with pytest.raises(ValidationFailed) as caught:
        dossiers.submit_section(actor=world.provider_a, section=s, version=s.version)
    assert caught.value.code == "section_incomplete"
    assert "statement" in caught.value.fields["missing"]
    submitted = fill_section(profile_a, condition, world.provider_a)
    assert submitted.status == "submitted"
    view = selectors.section_for(profile_a, condition)
    assert view.missing == []
    assert view.state == "submitted"


def test_section_requirements_are_specific(world, profile_a):
    capacity = section(profile_a, Condition.CAPACITY)
    capacity = dossiers.update_statement(actor=world.provider_a, section=capacity, version=1, statement="有场地")
    dossiers.add_document(
        actor=world.provider_a,
        section=capacity,
        version=capacity.version,
        title="场地",
        file_name="site.pdf",
        data=minimal_pdf(),
    )
    assert selectors.section_for(profile_a, Condition.CAPACITY).missing == ["staff"]
    declaration = section(profile_a, Condition.NO_MAJOR_VIOLATION)
    assert "declaration" in selectors.section_for(profile_a, Condition.NO_MAJOR_VIOLATION).missing
    with pytest.raises(ValidationFailed):
        dossiers.add_staff(
            actor=world.provider_a,
            section=declaration,
            version=declaration.version,
            name="x",
            position="y",
            qualification="z",
        )


def test_document_is_stored_with_its_hash(world, profile_a):
    s = section(profile_a, Condition.FINANCE)
    doc = dossiers.add_document(
        actor=world.provider_a,
        section=s,
        version=s.version,
        title="2025 财务报表",
        file_name="报表.pdf",
        data=minimal_pdf("fs"),
    )
    assert read_verified(doc.path, doc.sha256) == minimal_pdf("fs")
    assert doc.display_name == "报表.pdf"
    assert doc.path.endswith(".pdf")
    assert "报表" not in doc.path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.pdf", b"MZ" + b"\0" * 100),
        ("../../etc/passwd.pdf", minimal_pdf()),
        ("report\u202efdp.exe", minimal_pdf()),
        ("a.exe", minimal_pdf()),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(world, profile_a, name, data):
    s = section(profile_a, Condition.FINANCE)
    with pytest.raises(ValidationFailed):
        dossiers.add_document(
            actor=world.provider_a, section=s, version=s.version, title="x", file_name=name, data=data
        )
    s.refresh_from_db()
    assert s.version == 1
    assert not s.documents.exists()


def test_oversize_upload_is_refused(world, profile_a, settings):
    settings.GOVBUY_UPLOAD_MAX_BYTES = 100
    s = section(profile_a, Condition.FINANCE)
    with pytest.raises(ValidationFailed) as caught:
        dossiers.add_document(
            actor=world.provider_a, section=s, version=s.version, title="x", file_name="a.pdf", data=minimal_pdf()
        )
    assert caught.value.code == "upload_refused"
    assert "文件过大" in str(caught.value.message)


def test_another_provider_cannot_touch_the_dossier(world, profile_a):
    s = section(profile_a, Condition.FINANCE)
    with pytest.raises(NotFound):
        dossiers.update_statement(actor=world.provider_b, section=s, version=s.version, statement="hijack")
    with pytest.raises(NotFound):
        dossiers.update_statement(actor=world.purchaser_a, section=s, version=s.version, statement="x")
    # The authority sees the dossier but does not write the provider's statements.
    with pytest.raises(PermissionRefused):
        dossiers.update_statement(actor=world.civil_affairs, section=s, version=s.version, statement="x")


def test_stale_version_is_a_conflict(world, profile_a):
    s = section(profile_a, Condition.FINANCE)
    dossiers.update_statement(actor=world.provider_a, section=s, version=1, statement="first")
    with pytest.raises(Conflict):
        dossiers.update_statement(actor=world.provider_a, section=s, version=1, statement="second")
    s.refresh_from_db()
    assert s.statement == "first"


def test_declaration_is_signed_by_the_administrator_only(world, profile_a):
    from govbuy.accounts.services import create_user
    from govbuy.organizations.services import add_member

    staff = create_user(actor=None, username="a_staff", password="A-long-enough-passphrase-2026")
    add_member(actor=None, organisation=world.provider_a_org, user=staff, role="staff")
    s = section(profile_a, Condition.NO_MAJOR_VIOLATION)
    with pytest.raises(PermissionRefused):
        dossiers.sign_declaration(actor=staff, section=s, version=s.version)
    signed = dossiers.sign_declaration(actor=world.provider_a, section=s, version=s.version)
    assert signed.declaration_signed_by == world.provider_a
    assert "three years" in signed.declaration_text or "三年" in signed.declaration_text


# --- Verification ------------------------------------------------------------------------------------------


def test_authority_accepts_and_rejects_with_reason(world, profile_a):
    s = fill_section(profile_a, Condition.GOVERNANCE, world.provider_a)
    with pytest.raises(ValidationFailed):
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="rejected")
    rejected = dossiers.decide_section(
        actor=world.civil_affairs, section=s, version=s.version, decision="rejected", reason="章程未盖章"
    )
    assert rejected.status == "rejected"
    assert rejected.decisions.get().reason == "章程未盖章"
    view = selectors.section_for(profile_a, Condition.GOVERNANCE)
    assert view.state == "rejected"
    assert view.needs_attention
    # The provider fixes it and resubmits; the authority accepts.
    fixed = dossiers.update_statement(
        actor=world.provider_a, section=rejected, version=rejected.version, statement="已盖章"
    )
    assert fixed.status == "draft"
    fixed = dossiers.submit_section(actor=world.provider_a, section=fixed, version=fixed.version)
    accepted = dossiers.decide_section(
        actor=world.civil_affairs, section=fixed, version=fixed.version, decision="accepted"
    )
    assert accepted.status == "accepted"
    assert accepted.decisions.count() == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"providers.section.rejected", "providers.section.accepted", "providers.section.submitted"} <= actions


@pytest.mark.parametrize("persona", ["market_regulation", "purchaser_a", "provider_a", "city_finance", "supervisor"])
def test_only_the_matching_authority_decides(world, profile_a, persona):
    s = fill_section(profile_a, Condition.GOVERNANCE, world.provider_a)
    with pytest.raises((PermissionRefused, NotFound)):
        dossiers.decide_section(actor=world.users[persona], section=s, version=s.version, decision="accepted")


def test_decision_on_a_draft_is_refused(world, profile_a):
    s = section(profile_a, Condition.GOVERNANCE)
    with pytest.raises(TransitionRefused):
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")


def test_stale_decision_is_a_conflict(world, profile_a):
    s = fill_section(profile_a, Condition.GOVERNANCE, world.provider_a)
    dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    with pytest.raises(Conflict):
        dossiers.decide_section(
            actor=world.civil_affairs, section=s, version=s.version, decision="rejected", reason="x"
        )


def test_verification_needs_every_section_accepted(world, profile_a):
    for condition in Condition.values[:-1]:
        s = fill_section(profile_a, condition, world.provider_a)
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    profile_a.refresh_from_db()
    with pytest.raises(ValidationFailed) as caught:
        standing.verify_provider(actor=world.civil_affairs, profile=profile_a, version=profile_a.version)
    assert caught.value.code == "dossier_incomplete"
    s = fill_section(profile_a, Condition.values[-1], world.provider_a)
    dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    with pytest.raises(Conflict):
        standing.verify_provider(actor=world.civil_affairs, profile=profile_a, version=profile_a.version - 1)
    with pytest.raises(NotFound):
        standing.verify_provider(actor=world.market_regulation, profile=profile_a, version=profile_a.version)
    with pytest.raises(PermissionRefused):
        standing.verify_provider(actor=world.provider_a, profile=profile_a, version=profile_a.version)
    verified = standing.verify_provider(actor=world.civil_affairs, profile=profile_a, version=profile_a.version)
    assert verified.state == "verified"
    assert verified.verified_at is not None
    assert list(selectors.public_directory()) == [verified]


def test_a_suspension_has_a_period_and_reinstatement_lifts_it(world):
    profile = verified_profile(world)
    until = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ValidationFailed):
        standing.suspend_provider(actor=None, profile=profile, version=profile.version, reason="", until=until)
    with pytest.raises(ValidationFailed) as missing_end:
        standing.suspend_provider(actor=None, profile=profile, version=profile.version, reason="调查", until=None)
    assert missing_end.value.fields == {"until": [missing_end.value.message]}
    suspended = standing.suspend_provider(
        actor=None, profile=profile, version=profile.version, reason="禁止参加采购", until=until
    )
    assert suspended.state == "verified"  # a suspension is a restriction with a period, not a state
    gate = selectors.participation(profile.organisation_id, gate=selectors.Gate.BID)
    assert gate.code == "suspended"
    assert until.isoformat() in gate.message
    with pytest.raises(ValidationFailed) as too_long:
        standing.suspend_provider(
            actor=None,
            profile=suspended,
            version=suspended.version,
            reason="again",
            until=timezone.localdate() + dt.timedelta(days=800),
        )
    assert too_long.value.code == "period_too_long"
    back = standing.reinstate_provider(actor=world.civil_affairs, profile=suspended, version=suspended.version)
    assert selectors.participation(back.organisation_id, gate=selectors.Gate.BID).allowed
    with pytest.raises(Conflict):
        standing.reinstate_provider(actor=world.civil_affairs, profile=back, version=back.version)


def test_provider_transition_table_is_walked():
    states = ProviderProfile.State.values
    for before in states:
        for after in states:
            if after in rules.PROVIDER_TRANSITIONS[before]:
                rules.check_provider_transition(before, after)
            else:
                with pytest.raises(TransitionRefused):
                    rules.check_provider_transition(before, after)


def test_section_transition_table_is_walked():
    states = DossierSection.Status.values
    for before in states:
        for after in states:
            if after in rules.SECTION_TRANSITIONS[before]:
                rules.check_section_transition(before, after)
            else:
                with pytest.raises(TransitionRefused):
                    rules.check_section_transition(before, after)


# --- Expiry ------------------------------------------------------------------------------------------------


def test_expiry_is_decided_at_read_time(world, profile_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    s = fill_section(profile_a, Condition.TAX_SOCIAL_INSURANCE, world.provider_a, valid_until=dt.date(2026, 6, 30))
    dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    assert selectors.section_for(profile_a, Condition.TAX_SOCIAL_INSURANCE).state == "accepted"
    # No job has run: the day after the last valid day, the section is flagged anyway.
    time_machine.move_to(dt.datetime(2026, 7, 1, 1, tzinfo=dt.UTC))
    view = selectors.section_for(profile_a, Condition.TAX_SOCIAL_INSURANCE)
    assert view.state == "expired"
    assert view.missing == ["document"]
    assert view.documents[0].expired
    todo = selectors.attention_needed(world.provider_a)
    assert [v.condition for v in todo[0][1] if v.condition == Condition.TAX_SOCIAL_INSURANCE]


def test_expired_document_blocks_acceptance_and_verification(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    profile = open_profile(world.provider_a_org)
    for condition in Condition.values:
        until = dt.date(2026, 6, 2) if condition == Condition.FINANCE else None
        s = fill_section(profile, condition, world.provider_a, valid_until=until)
        dossiers.decide_section(actor=world.civil_affairs, section=s, version=s.version, decision="accepted")
    time_machine.move_to(dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC))
    profile.refresh_from_db()
    with pytest.raises(ValidationFailed):
        standing.verify_provider(actor=world.civil_affairs, profile=profile, version=profile.version)


def test_expiry_job_notifies_once(world, profile_a, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    fill_section(profile_a, Condition.FINANCE, world.provider_a, valid_until=dt.date(2026, 6, 20))
    fill_section(profile_a, Condition.GOVERNANCE, world.provider_a, valid_until=dt.date(2027, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_notices.send_expiry_notices() == 1
        assert expiry_notices.send_expiry_notices() == 0
    assert ExpiryNotice.objects.get().kind == "expiring"
    time_machine.move_to(dt.datetime(2026, 6, 25, 12, tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_notices.send_expiry_notices() == 1
        assert expiry_notices.send_expiry_notices() == 0
    assert set(ExpiryNotice.objects.values_list("kind", flat=True)) == {"expiring", "expired"}
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="providers.document.expired").count() == 1


def test_expiry_command_is_idempotent(world, profile_a, time_machine):
    from django.core.management import call_command

    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    fill_section(profile_a, Condition.FINANCE, world.provider_a, valid_until=dt.date(2026, 5, 1), submit=False)
    call_command("provider_expiry")
    call_command("provider_expiry")
    assert ExpiryNotice.objects.count() == 1


# --- Related parties -----------------------------------------------------------------------------------------


def test_same_legal_representative_links_providers(world):
    a = open_profile(world.provider_a_org, identity=resident_id(5))
    b = open_profile(world.provider_b_org, identity=resident_id(5))
    link = RelatedParty.objects.get()
    assert (link.first_id, link.second_id) == tuple(sorted([a.organisation_id, b.organisation_id]))
    assert link.basis == "same_legal_representative"
    assert selectors.related_pairs([a.organisation_id, b.organisation_id, world.purchaser_a_org.pk]) == {
        (link.first_id, link.second_id)
    }


def test_different_representatives_are_not_linked(world):
    open_profile(world.provider_a_org, identity=resident_id(5))
    open_profile(world.provider_b_org, identity=resident_id(6))
    assert not RelatedParty.objects.exists()


def test_changing_the_representative_links(world, profile_a, profile_b):
    assert not RelatedParty.objects.exists()
    registration.update_profile(
        actor=world.provider_b, profile=profile_b, version=profile_b.version, legal_representative_id=resident_id(1)
    )
    assert RelatedParty.objects.filter(basis="same_legal_representative").count() == 1


def test_control_relation_recorded_and_ended(world, profile_a, profile_b):
    with pytest.raises(ValidationFailed):
        related_parties.record_control_relation(
            actor=world.provider_a, profile=profile_a, other=world.provider_b_org, note=""
        )
    link = related_parties.record_control_relation(
        actor=world.provider_a, profile=profile_a, other=world.provider_b_org, note="甲持有乙 60% 股权"
    )
    with pytest.raises(Conflict):
        related_parties.record_control_relation(
            actor=world.civil_affairs, profile=profile_a, other=world.provider_b_org, note="again"
        )
    with pytest.raises(NotFound):
        related_parties.record_control_relation(
            actor=world.provider_b, profile=profile_a, other=world.provider_b_org, note="x"
        )
    with pytest.raises(PermissionRefused):
        related_parties.end_relation(actor=world.provider_a, relation=link, reason="no")
    ended = related_parties.end_relation(actor=world.civil_affairs, relation=link, reason="股权已转让")
    assert ended.ended_at is not None
    assert selectors.related_pairs([world.provider_a_org.pk, world.provider_b_org.pk]) == set()


def test_eligibility_summary_for_procurement(world):
    profile = verified_profile(world)
    summary = selectors.eligibility(profile.organisation_id)
    assert summary["verified"]
    assert summary["issues"] == []
    assert selectors.eligibility(world.provider_b_org.pk)["issues"] == ["not_registered"]


def test_registered_at_is_utc(world, profile_a):
    assert profile_a.created_at.tzinfo is not None
    assert abs((timezone.now() - profile_a.created_at).total_seconds()) < 60
