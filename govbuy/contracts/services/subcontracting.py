"""No subcontracting (轉包, Order 102 Art. 26, Reg. Art. 72). Each contract has a delivery roster
drawn from the provider's own staff list. The system flags, for the purchaser and the finance
bureau, a roster member on another provider's list or roster in the same period, a roster that
does not overlap the declared staff, a payee, telephone or address shared with another provider,
and deliverable documents whose author metadata names another organisation. A purchaser's
finding of subcontracting ends the contract for cause and is reported as a provider fact."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govbuy.contracts import rules
from govbuy.contracts.models import (
    Contract,
    ContractStatus,
    DeliverableDocument,
    FlagKind,
    PayeeAccount,
    RosterMember,
    SubcontractingFlag,
    TerminationCause,
)
from govbuy.contracts.services import changes, common
from govbuy.core.errors import TransitionRefused, ValidationFailed
from govbuy.organizations.models import Organisation
from govbuy.providers.models import ProviderProfile, StaffEntry

LIVE = (
    ContractStatus.DRAFT,
    ContractStatus.PROVIDER_SIGNED,
    ContractStatus.SIGNED,
    ContractStatus.PUBLISHED,
    ContractStatus.SUSPENDED,
)


def _staff_of(provider_id: int) -> list[StaffEntry]:
    return list(StaffEntry.objects.filter(section__profile__organisation_id=provider_id).order_by("pk"))


def add_roster_member(
    *,
    actor: Any,
    contract: Contract | int,
    name: str,
    role: str,
    from_date: date,
    to_date: date,
    certificate_number: str = "",
    phone: str = "",
) -> RosterMember:
    person = str(name or "").strip()[:100]
    job = str(role or "").strip()[:100]
    if not person or not job:
        message = _("Give the name and the role.")
        raise ValidationFailed(message, fields={"name": [message]})
    with transaction.atomic():
        locked = common.lock_contract(contract)
        common.check_provider(actor, locked)
        if locked.status not in LIVE:
            raise TransitionRefused(_("The roster is kept while the contract is in force."))
        if not (locked.period_start <= from_date <= to_date <= locked.period_end):
            message = _("The roster period lies within the contract period.")
            raise ValidationFailed(message, fields={"from_date": [message]})
        certificate = str(certificate_number or "").strip()[:100]
        staff = _staff_of(locked.provider_id)
        # With a certificate number the person is identified by it (names repeat); else by name.
        on_list = any(s.certificate_number == certificate if certificate else s.name == person for s in staff)
        member = RosterMember.objects.create(
            contract=locked,
            name=person,
            role=job,
            certificate_number=certificate,
            phone=str(phone or "").strip()[:40],
            on_staff_list=on_list,
            from_date=from_date,
            to_date=to_date,
        )
        common.audit(
            actor=actor,
            action="contracts.roster.added",
            contract=locked,
            data={"name": person, "role": job, "on_staff_list": on_list},
        )
        refresh_flags(locked)
    return member


def _raise(contract: Contract, found: list[tuple[str, str, str]]) -> int:
    """Store the flags not yet on record; a new one is an audit event (system actor)."""
    existing = set(SubcontractingFlag.objects.filter(contract=contract).values_list("kind", "key"))
    new = [(kind, key, detail) for kind, key, detail in found if (kind, key) not in existing]
    moment = common.now()
    SubcontractingFlag.objects.bulk_create(
        [
            SubcontractingFlag(contract=contract, kind=k, key=key[:300], detail=d[:500], raised_at=moment)
            for k, key, d in new
        ],
        ignore_conflicts=True,
    )
    for kind, _key, detail in new:
        common.audit(
            actor=None, action="contracts.flag.raised", contract=contract, data={"kind": kind, "detail": detail}
        )
    return len(new)


def find_signs(contract: Contract) -> list[tuple[str, str, str]]:
    """(kind, key, detail) of every sign of subcontracting found now."""
    found: list[tuple[str, str, str]] = []
    roster = list(contract.roster.all())
    for member in roster:
        if not member.certificate_number:
            continue
        elsewhere = (
            RosterMember.objects.filter(
                certificate_number=member.certificate_number,
                from_date__lte=member.to_date,
                to_date__gte=member.from_date,
                contract__status__in=LIVE,
            )
            .exclude(contract__provider_id=contract.provider_id)
            .select_related("contract__provider")
            .first()
        )
        other_staff = (
            StaffEntry.objects.filter(certificate_number=member.certificate_number)
            .exclude(section__profile__organisation_id=contract.provider_id)
            .select_related("section__profile__organisation")
            .first()
        )
        if elsewhere is not None:
            found.append(
                (
                    FlagKind.ROSTER_ELSEWHERE,
                    member.certificate_number,
                    f"{member.name}：{elsewhere.contract.provider.name_zh}",
                )
            )
        elif other_staff is not None:
            org = other_staff.section.profile.organisation
            found.append((FlagKind.ROSTER_ELSEWHERE, member.certificate_number, f"{member.name}：{org.name_zh}"))
    if roster and not any(m.on_staff_list for m in roster):
        found.append(
            (
                FlagKind.ROSTER_NOT_STAFF,
                "roster",
                _("none of %(n)d roster members is on the staff list") % {"n": len(roster)},
            )
        )
    own_accounts = set(
        PayeeAccount.objects.filter(organisation_id=contract.provider_id).values_list("account_number", flat=True)
    )
    shared = (
        PayeeAccount.objects.filter(account_number__in=own_accounts)
        .exclude(organisation_id=contract.provider_id)
        .select_related("organisation")
        .order_by("pk")
    )
    for account in shared:
        found.append((FlagKind.SHARED_PAYEE, account.account_number, account.organisation.name_zh))
    profile = ProviderProfile.objects.filter(organisation_id=contract.provider_id).first()
    phones = {m.phone for m in roster if m.phone} | (
        {profile.contact_phone} if profile and profile.contact_phone else set()
    )
    others = ProviderProfile.objects.exclude(organisation_id=contract.provider_id).select_related("organisation")
    if phones:
        for other in others.filter(contact_phone__in=phones).order_by("pk"):
            found.append((FlagKind.SHARED_PHONE, other.contact_phone, other.organisation.name_zh))
    if profile and profile.registered_address:
        for other in others.filter(registered_address=profile.registered_address).order_by("pk"):
            found.append((FlagKind.SHARED_ADDRESS, profile.registered_address, other.organisation.name_zh))
    authors = set(
        DeliverableDocument.objects.filter(deliverable__contract=contract)
        .exclude(author_metadata="")
        .values_list("author_metadata", flat=True)
    )
    for author in sorted(authors):
        names = [part for part in author.split("；") if part]
        match = (
            Organisation.objects.filter(Q(name_zh__in=names) | Q(name_en__in=names))
            .exclude(pk=contract.provider_id)
            .order_by("pk")
            .first()
        )
        if match is not None:
            found.append((FlagKind.DOCUMENT_AUTHOR, author, match.name_zh))
    return found


def refresh_flags(contract: Contract) -> int:
    return _raise(contract, find_signs(contract))


def refresh_flags_of_provider(provider_id: int) -> int:
    return sum(
        refresh_flags(c)
        for c in Contract.objects.filter(provider_id=provider_id, status__in=LIVE).select_related("provider")
    )


def record_finding(*, actor: Any, contract: Contract | int, version: int, finding: str) -> Contract:
    """The purchaser finds that the work was subcontracted: the contract ends for cause and the
    fact goes to the credit record (Order 102 Art. 26, Reg. Art. 72)."""
    text = rules.check_reason(finding, "finding")
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.status not in rules.IN_FORCE_STATES:
            raise TransitionRefused(_("A finding ends a contract in force."))
        common.audit(actor=actor, action="contracts.subcontracting.found", contract=locked, data={"finding": text})
        return changes.terminate_locked(actor, locked, TerminationCause.SUBCONTRACTING, text)
