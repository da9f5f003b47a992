"""Bans (Law Art. 77, Reg. Art. 72–73): one to three years, nationwide, decided by a finance
bureau. The restriction the gates read is imposed through providers' service; it ends by itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import pagecache
from govbuy.core.calendar.rules import start_of_day
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.credit import rules
from govbuy.credit.models import Ban, CreditFact
from govbuy.credit.services.common import authority_for
from govbuy.organizations.models import Organisation
from govbuy.providers import rules as provider_rules
from govbuy.providers.models import ProviderProfile, Restriction
from govbuy.providers.services import restrictions


@transaction.atomic
def decide_ban(
    *,
    actor: Any,
    provider: Organisation | int,
    starts_on: dt.date,
    ends_on: dt.date,
    facts: str,
    penalty: str,
    legal_basis: str,
    decision_number: str,
    fact: CreditFact | int | None = None,
    reach: str = Restriction.Reach.NATIONWIDE,
) -> Ban:
    org = Organisation.objects.filter(pk=provider.pk if isinstance(provider, Organisation) else int(provider)).first()
    profile = ProviderProfile.objects.filter(organisation=org).first() if org else None
    if org is None or profile is None:
        raise NotFound()
    authority = authority_for(actor, org.region_id)
    values = {
        "facts": (facts or "").strip(),
        "penalty": (penalty or "").strip(),
        "legal_basis": (legal_basis or "").strip(),
        "decision_number": (decision_number or "").strip(),
    }
    missing = {n: [_("This field is required.")] for n, v in values.items() if not v}
    if missing:
        raise ValidationFailed(_("Give the facts, penalty, legal basis and decision number."), fields=missing)
    rules.check_ban_period(starts_on, ends_on)
    basis_fact = None
    if fact is not None:
        basis_fact = CreditFact.objects.filter(pk=fact.pk if isinstance(fact, CreditFact) else int(fact)).first()
        if basis_fact is None or basis_fact.provider_id != org.pk:
            message = _("Choose a fact of this provider.")
            raise ValidationFailed(message, fields={"fact": [message]})
    # From the first day's midnight in Beijing to the midnight after the last day.
    restriction = restrictions.impose_restriction(
        actor=actor,
        organisation_id=org.pk,
        kind=Restriction.Kind.BAN,
        starts_at=start_of_day(starts_on),
        ends_at=provider_rules.restriction_end(ends_on),
        legal_basis=values["legal_basis"],
        reason=values["facts"],
        authority=authority,
        reach=reach,
    )
    ban = Ban.objects.create(
        provider=org,
        restriction=restriction,
        fact=basis_fact,
        name_zh=org.name_zh,
        uscc=org.uscc or "",
        address=profile.registered_address,
        facts=values["facts"][:2000],
        penalty=values["penalty"][:1000],
        legal_basis=values["legal_basis"][:300],
        decision_number=values["decision_number"][:100],
        starts_on=starts_on,
        ends_on=ends_on,
        authority=authority,
        decided_by=actor,
        decided_on=timezone.localdate(),
    )
    Restriction.objects.filter(pk=restriction.pk).update(source=f"credit.ban:{ban.pk}")
    record_event(
        actor=actor,
        action="credit.ban.decided",
        obj=ban,
        organisation=org,
        data={
            "name": org.name_zh,
            "starts": starts_on.isoformat(),
            "ends": ends_on.isoformat(),
            "basis": ban.legal_basis,
            "number": ban.decision_number,
        },
    )
    # The public serious-violation list and its open data are cached pages.
    pagecache.bump()
    return ban
