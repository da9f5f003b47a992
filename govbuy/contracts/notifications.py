"""Event mails of contracts: the step that needs someone next. Recipients are read inside the
service's transaction and the mail is sent on commit (see procurement.notifications); mails are
written in the site's default language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from govbuy.contracts.models import Contract
from govbuy.core.mail import send_each
from govbuy.organizations.kinds import WRITE_ROLES
from govbuy.organizations.models import Membership, OrganisationKind

PROVIDER_SIGNED = (
    gettext_noop("Contract %(ref)s: signed by the provider"),
    gettext_noop("%(provider)s signed contract %(ref)s “%(title)s”. Sign it in your turn. Details: %(path)s"),
)
SIGNED = (
    gettext_noop("Contract %(ref)s signed"),
    gettext_noop("Contract %(ref)s “%(title)s” is signed by both parties. Delivery may begin. Details: %(path)s"),
)
FILED = (
    gettext_noop("Contract %(ref)s filed"),
    gettext_noop("%(purchaser)s filed contract %(ref)s “%(title)s” with the finance bureau. Details: %(path)s"),
)
SUBMITTED = (
    gettext_noop("Contract %(ref)s: a deliverable awaits acceptance"),
    gettext_noop("%(provider)s submitted a deliverable for contract %(ref)s “%(title)s”. Details: %(path)s"),
)
RETURNED = (
    gettext_noop("Contract %(ref)s: a deliverable was returned"),
    gettext_noop("The purchaser returned your deliverable for contract %(ref)s “%(title)s”. Details: %(path)s"),
)
PAID = (
    gettext_noop("Contract %(ref)s: payment made"),
    gettext_noop("A payment was made under contract %(ref)s “%(title)s”. Details: %(path)s"),
)


def _emails(q: Q) -> list[str]:
    rows = Membership.objects.filter(q, is_active=True, user__is_active=True, role__in=WRITE_ROLES).values_list(
        "user__email", flat=True
    )
    return sorted({e for e in rows if e})


def _finance(contract: Contract) -> list[str]:
    region = contract.region
    regions = [region.pk] + ([region.parent_id] if region.parent_id else [])
    return _emails(Q(organisation__kind=OrganisationKind.FINANCE_BUREAU, organisation__region_id__in=regions))


def _send(addresses: list[str], template: tuple[str, str], contract: Contract) -> None:
    if not addresses:
        return
    values = {
        "ref": contract.reference,
        "title": contract.title,
        "provider": contract.provider.name_zh,
        "purchaser": contract.purchaser.name_zh,
        "path": reverse("contracts:detail", args=[contract.pk]),
    }

    def deliver() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext(template[0]) % values
            body = gettext(template[1]) % values
        send_each(addresses, subject, body)

    send: Callable[[], None] = deliver
    transaction.on_commit(send)


def provider_signed(contract: Contract) -> None:
    _send(_emails(Q(organisation_id=contract.purchaser_id)), PROVIDER_SIGNED, contract)


def signed(contract: Contract) -> None:
    _send(_emails(Q(organisation_id=contract.provider_id)), SIGNED, contract)


def filed(contract: Contract) -> None:
    _send(_finance(contract), FILED, contract)


def submitted(contract: Contract) -> None:
    _send(_emails(Q(organisation_id=contract.purchaser_id)), SUBMITTED, contract)


def returned(contract: Contract) -> None:
    _send(_emails(Q(organisation_id=contract.provider_id)), RETURNED, contract)


def paid(contract: Contract) -> None:
    _send(_emails(Q(organisation_id=contract.provider_id)), PAID, contract)
