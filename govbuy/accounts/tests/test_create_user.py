import pytest

from govbuy.accounts.services import create_user
from govbuy.audit.models import AuditEvent
from govbuy.core.errors import PermissionRefused, ValidationFailed


def test_create_user_validates_the_password_and_audits(world):
    with pytest.raises(ValidationFailed) as short:
        create_user(actor=world.platform_admin, username="newbie", password="short")
    assert "password" in short.value.fields
    with pytest.raises(ValidationFailed):
        create_user(actor=world.platform_admin, username="newbie", password="password1234")  # common
    user = create_user(actor=world.platform_admin, username="newbie", password="a-Long-unusual-phrase-42")
    assert user.check_password("a-Long-unusual-phrase-42")
    event = AuditEvent.objects.get(action="accounts.user.created", object_id=str(user.pk))
    assert event.actor_id == world.platform_admin.pk


def test_duplicate_user_name_is_refused_case_insensitively(world):
    with pytest.raises(ValidationFailed) as error:
        create_user(actor=None, username="Purchaser_A", password="a-Long-unusual-phrase-42")
    assert "username" in error.value.fields


def test_only_platform_admins_create_platform_admins(world):
    with pytest.raises(PermissionRefused):
        create_user(
            actor=world.city_finance, username="boss", password="a-Long-unusual-phrase-42", is_platform_admin=True
        )
