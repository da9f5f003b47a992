"""Services: registration, edits with versions, status, USCC review and memberships, each audited."""

from __future__ import annotations

import pytest
from django.utils import translation

from govbuy.audit.describe import describe, registered_codes
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.organizations import services, uscc
from govbuy.organizations.models import Membership, Organisation, Region
from govbuy.organizations.rules import ART8_REFUSAL

pytestmark = pytest.mark.django_db

CODE = "91350100M000100Y43"


def _register(world, actor=None, **kw):
    defaults = {"name_zh": "测试单位", "kind": "enterprise", "region": world.district_a, "uscc": CODE}
    defaults.update(kw)
    return services.register_organisation(actor=actor or world.platform_admin, **defaults)


# --- registration --------------------------------------------------------------------------


def test_register_normalises_the_code_and_audits(world, events):
    org = _register(world, uscc="９１３５ ０１００-m000100y43", name_en="Test Co.")
    assert org.uscc == CODE
    assert org.uscc_warnings == []
    assert org.uscc_review_pending is False
    (event,) = events("organizations.organisation.registered")
    assert event.object_id == str(org.pk)
    assert event.organisation_id == org.pk
    assert event.actor_id == world.platform_admin.pk
    assert event.changes["uscc"] == [None, CODE]
    assert "测试单位" in describe(event)


@pytest.mark.parametrize("kind", ["public_institution_class1", "mass_organisation_institutional_staffing"])
@pytest.mark.parametrize("as_family", ["purchaser", "provider"])
def test_art8_kinds_are_refused_with_the_reason(world, events, kind, as_family):
    actor = world.platform_admin if as_family == "provider" else world.city_finance
    with pytest.raises(ValidationFailed) as exc:
        _register(world, actor=actor, kind=kind, uscc=uscc.make_code("12", "110101", "40000062"))
    assert exc.value.code == "excluded_by_art8"
    assert str(exc.value.message) == str(ART8_REFUSAL)
    assert "第八条" in str(exc.value.message)  # Simplified Chinese is the default language
    with translation.override("en"):
        assert "Art. 8" in str(exc.value.message)
    assert exc.value.fields["kind"]
    assert not Organisation.objects.filter(kind=kind).exists()
    assert events("organizations.organisation.registered") == []


def test_duplicate_code_is_refused_with_a_clear_message(world):
    _register(world)
    with pytest.raises(ValidationFailed) as exc:
        _register(world, name_zh="另一家", uscc=CODE.lower())
    assert exc.value.code == "uscc_duplicate"
    assert CODE in str(exc.value.message)
    assert Organisation.objects.filter(uscc=CODE).count() == 1


def test_duplicate_code_of_a_persona_is_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        _register(world, kind="social_service_organisation", uscc=world.provider_a_org.uscc)
    assert exc.value.code == "uscc_duplicate"


def test_warnings_are_stored_for_the_verifier(world):
    org = _register(world, kind="social_group")  # 91… is unusual for a social group
    assert org.uscc_warnings == [uscc.WARNING_KIND_PREFIX]
    assert org.uscc_review_pending is True


def test_gb11714_doubt_is_stored_but_registration_succeeds(world):
    good = uscc.make_code("91", "110101", "MA01ABCD")
    code = uscc.with_check_character(good[:16] + ("1" if good[16] != "1" else "2"))
    org = _register(world, uscc=code)
    assert org.uscc == code
    assert uscc.WARNING_ORG_CODE_CHECK in org.uscc_warnings


def test_individual_has_no_code(world):
    org = _register(world, kind="individual", uscc="", name_zh="张三")
    assert org.uscc is None
    with pytest.raises(ValidationFailed) as exc:
        _register(world, kind="individual", uscc=uscc.make_code("91", "110101", "77777777"))
    assert exc.value.code == "uscc_not_for_individual"


def test_code_required_for_others(world):
    with pytest.raises(ValidationFailed) as exc:
        _register(world, uscc="  ")
    assert exc.value.code == "uscc_required"


def test_invalid_code_refused_and_nothing_written(world, events):
    with pytest.raises(ValidationFailed) as exc:
        _register(world, uscc="91350100M000100Y44")
    assert exc.value.code == "uscc_check"
    assert events("organizations.organisation.registered") == []


@pytest.mark.parametrize(
    ("persona", "kind", "region", "allowed"),
    [
        ("city_finance", "administrative_agency", "district_a", True),
        ("city_finance", "audit_office", "city", True),
        ("city_finance", "finance_bureau", "district_a", True),
        ("city_finance", "enterprise", "district_a", False),
        ("district_finance_a", "administrative_agency", "district_a", True),
        ("district_finance_a", "administrative_agency", "district_b", False),
        ("district_finance_a", "staffing_office", "district_a", True),
        ("district_finance_a", "finance_bureau", "district_a", False),
        ("district_finance_a", "social_group", "district_a", False),
        ("purchaser_a", "administrative_agency", "district_a", False),
        ("provider_a", "enterprise", "district_a", False),
        ("civil_affairs", "social_group", "district_a", False),
        ("outsider", "administrative_agency", "district_a", False),
        ("platform_admin", "enterprise", "district_b", True),
    ],
)
def test_who_may_register(world, persona, kind, region, allowed):
    prefix = {"enterprise": "91", "social_group": "51"}.get(kind, "11")
    call = lambda: _register(  # noqa: E731
        world,
        actor=getattr(world, persona),
        kind=kind,
        region=getattr(world, region),
        uscc=uscc.make_code(prefix, "110101", "55555555"),
    )
    if allowed:
        assert call().kind == kind
    else:
        with pytest.raises(PermissionRefused):
            call()


# --- regions -------------------------------------------------------------------------------


def test_create_district_under_the_city(world, events):
    region = services.create_region(actor=world.platform_admin, code="110108", name_zh="海淀区", level="district")
    assert region.parent == world.city
    (event,) = events("organizations.region.created")
    assert event.data["code"] == "110108"
    assert "海淀区" in describe(event)


@pytest.mark.parametrize(
    ("code", "level", "error"),
    [
        ("120000", "city", "region_city_exists"),
        ("120101", "district", "region_code"),
        ("110000", "district", "region_code"),
        ("1101", "district", "region_code"),
        ("110101", "district", "region_duplicate"),
    ],
)
def test_region_rules(world, code, level, error):
    with pytest.raises(ValidationFailed) as exc:
        services.create_region(actor=world.platform_admin, code=code, name_zh="某区", level=level)
    assert exc.value.code == error


def test_only_platform_admin_creates_regions(world):
    with pytest.raises(PermissionRefused):
        services.create_region(actor=world.city_finance, code="110108", name_zh="海淀区", level="district")


def test_first_city_then_districts(db):
    with pytest.raises(ValidationFailed):
        services.create_region(actor=None, code="110101", name_zh="东城区", level="district")
    city = services.create_region(actor=None, code="350100", name_zh="福州市", level="city")
    district = services.create_region(actor=None, code="350102", name_zh="鼓楼区", level="district", parent=city)
    assert district.parent == city
    assert Region.objects.count() == 2


# --- updates -------------------------------------------------------------------------------


def test_update_with_current_version(world, events):
    org = world.purchaser_a_org
    updated = services.update_organisation(
        actor=world.district_finance_a, organisation=org, version=org.version, name_zh="东城区民政局（新）"
    )
    assert updated.version == org.version + 1
    (event,) = events("organizations.organisation.updated")
    assert event.changes == {"name_zh": ["东城区民政局", "东城区民政局（新）"]}


def test_stale_version_is_a_conflict_and_changes_nothing(world, events):
    org = world.purchaser_a_org
    services.update_organisation(actor=world.platform_admin, organisation=org, version=1, name_zh="甲")
    with pytest.raises(Conflict) as exc:
        services.update_organisation(actor=world.platform_admin, organisation=org, version=1, name_zh="乙")
    assert exc.value.status == 409
    org.refresh_from_db()
    assert org.name_zh == "甲"
    assert len(events("organizations.organisation.updated")) == 1


def test_own_admin_edits_names_but_not_kind(world):
    org = world.provider_a_org
    updated = services.update_organisation(actor=world.provider_a, organisation=org, version=1, name_en="Sunshine")
    assert updated.name_en == "Sunshine"
    with pytest.raises(PermissionRefused):
        services.update_organisation(actor=world.provider_a, organisation=org, version=2, kind="enterprise")


def test_staff_of_another_district_gets_not_found(world):
    with pytest.raises(NotFound):
        services.update_organisation(
            actor=world.district_finance_b, organisation=world.purchaser_a_org, version=1, name_zh="x"
        )


def test_changing_the_code_revalidates_and_flags_review(world):
    org = world.provider_a_org
    new_code = uscc.make_code("91", "110101", "12121212")
    updated = services.update_organisation(actor=world.platform_admin, organisation=org, version=1, uscc=new_code)
    assert updated.uscc == new_code
    assert updated.uscc_warnings == [uscc.WARNING_KIND_PREFIX]
    assert updated.uscc_review_pending is True
    with pytest.raises(ValidationFailed) as exc:
        services.update_organisation(
            actor=world.platform_admin, organisation=org, version=2, uscc=world.provider_b_org.uscc
        )
    assert exc.value.code == "uscc_duplicate"


def test_no_op_update_writes_nothing(world, events):
    org = world.purchaser_a_org
    same = services.update_organisation(actor=world.platform_admin, organisation=org, version=1, name_zh=org.name_zh)
    assert same.version == 1
    assert events("organizations.organisation.updated") == []


def test_kind_change_to_art8_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        services.update_organisation(
            actor=world.platform_admin, organisation=world.purchaser_a_org, version=1, kind="public_institution_class1"
        )
    assert exc.value.code == "excluded_by_art8"


# --- status and review ---------------------------------------------------------------------


def test_deactivate_and_reactivate(world, events):
    org = world.purchaser_a_org
    with pytest.raises(ValidationFailed):
        services.deactivate_organisation(actor=world.district_finance_a, organisation=org, version=1, reason="")
    org = services.deactivate_organisation(actor=world.district_finance_a, organisation=org, version=1, reason="合并")
    assert org.status == "inactive"
    with pytest.raises(TransitionRefused):
        services.deactivate_organisation(actor=world.district_finance_a, organisation=org, version=2, reason="again")
    org = services.reactivate_organisation(actor=world.district_finance_a, organisation=org, version=2)
    assert org.status == "active"
    assert events("organizations.organisation.deactivated")[0].data["reason"] == "合并"
    assert len(events("organizations.organisation.reactivated")) == 1


def test_purchaser_cannot_deactivate_itself(world):
    with pytest.raises(PermissionRefused):
        services.deactivate_organisation(
            actor=world.purchaser_a, organisation=world.purchaser_a_org, version=1, reason="x"
        )


def test_deactivated_members_lose_scope(world):
    from govbuy.organizations.scope import scope_for

    services.deactivate_organisation(
        actor=world.district_finance_a, organisation=world.purchaser_a_org, version=1, reason="撤销"
    )
    assert scope_for(world.purchaser_a).organisation_ids == frozenset()


def test_review_by_the_right_authority(world, events):
    org = _register(world, kind="social_group")
    with pytest.raises(PermissionRefused):
        services.review_uscc_warnings(actor=world.market_regulation, organisation=org, version=1)
    org = services.review_uscc_warnings(actor=world.civil_affairs, organisation=org, version=1, note="已核实")
    assert org.uscc_review_pending is False
    assert org.uscc_reviewed_by == world.civil_affairs
    assert org.uscc_warnings == [uscc.WARNING_KIND_PREFIX]
    with pytest.raises(Conflict):
        services.review_uscc_warnings(actor=world.civil_affairs, organisation=org, version=2)
    (event,) = events("organizations.organisation.uscc_reviewed")
    assert event.data["note"] == "已核实"


# --- memberships ---------------------------------------------------------------------------


def test_member_lifecycle_audited(world, events):
    org = world.provider_a_org
    m = services.add_member(actor=world.provider_a, organisation=org, user="outsider", role="staff")
    assert m.user == world.outsider
    assert m.role == "staff"
    m = services.change_member_role(actor=world.provider_a, membership=m, role="approver")
    assert m.role == "approver"
    m = services.remove_member(actor=world.provider_a, membership=m)
    assert m.is_active is False
    assert Membership.objects.filter(pk=m.pk).exists()  # ended, not deleted
    added, changed, removed = (
        events("organizations.membership.added"),
        events("organizations.membership.role_changed"),
        events("organizations.membership.removed"),
    )
    assert added[0].data == {"name": org.name_zh, "username": "outsider", "role": "staff"}
    assert changed[0].changes == {"role": ["staff", "approver"]}
    assert removed[0].changes == {"is_active": [True, False]}
    for code in ("organizations.membership.added", "organizations.membership.role_changed"):
        assert code in registered_codes()
    # Re-adding revives the same row.
    again = services.add_member(actor=world.provider_a, organisation=org, user="outsider", role="read_only")
    assert again.pk == m.pk
    assert again.is_active


def test_a_user_may_belong_to_several_organisations(world):
    services.add_member(
        actor=world.platform_admin, organisation=world.provider_b_org, user=world.provider_a, role="staff"
    )
    from govbuy.organizations.scope import scope_for

    assert scope_for(world.provider_a).organisation_ids == {world.provider_a_org.pk, world.provider_b_org.pk}


@pytest.mark.parametrize(
    ("persona", "org_key", "allowed"),
    [
        ("provider_a", "provider_a_org", True),  # admin of it
        ("provider_a", "provider_b_org", False),  # outside scope → not found
        ("purchaser_a", "purchaser_a_org", False),  # staff, not admin
        ("district_finance_a", "purchaser_a_org", True),  # finance for a purchaser in its district
        ("district_finance_a", "purchaser_b_org", False),
        ("city_finance", "purchaser_b_org", True),
        ("city_finance", "provider_a_org", False),  # providers manage themselves
        ("platform_admin", "provider_b_org", True),
        ("outsider", "provider_a_org", False),
    ],
)
def test_who_may_manage_members(world, persona, org_key, allowed):
    call = lambda: services.add_member(  # noqa: E731
        actor=getattr(world, persona), organisation=getattr(world, org_key), user="outsider", role="staff"
    )
    if allowed:
        assert call().is_active
    else:
        with pytest.raises((PermissionRefused, NotFound)):
            call()


def test_last_admin_cannot_leave(world):
    admin = Membership.objects.get(user=world.provider_a, organisation=world.provider_a_org)
    with pytest.raises(ValidationFailed) as exc:
        services.remove_member(actor=world.provider_a, membership=admin)
    assert exc.value.code == "last_admin"
    with pytest.raises(ValidationFailed):
        services.change_member_role(actor=world.provider_a, membership=admin, role="staff")
    services.add_member(actor=world.provider_a, organisation=world.provider_a_org, user="outsider", role="admin")
    services.change_member_role(actor=world.provider_a, membership=admin, role="staff")
    admin.refresh_from_db()
    assert admin.role == "staff"


def test_add_member_errors(world):
    with pytest.raises(ValidationFailed) as exc:
        services.add_member(actor=world.provider_a, organisation=world.provider_a_org, user="nobody", role="staff")
    assert exc.value.code == "unknown_user"
    with pytest.raises(ValidationFailed) as exc:
        services.add_member(actor=world.provider_a, organisation=world.provider_a_org, user="provider_a", role="staff")
    assert exc.value.code == "already_member"
    with pytest.raises(ValidationFailed) as exc:
        services.add_member(actor=world.provider_a, organisation=world.provider_a_org, user="outsider", role="boss")
    assert exc.value.code == "invalid_role"


def test_every_audit_code_has_a_sentence():
    codes = {
        "organizations.region.created",
        "organizations.organisation.registered",
        "organizations.organisation.updated",
        "organizations.organisation.deactivated",
        "organizations.organisation.reactivated",
        "organizations.organisation.uscc_reviewed",
        "organizations.membership.added",
        "organizations.membership.role_changed",
        "organizations.membership.removed",
    }
    assert codes <= registered_codes()
