"""Event mails of procurement (issue 6, item 9), sent through Django's mail backend: the award
notice to every bidder and the purchaser, a challenge to the purchaser, its answer to the
challenger, a complaint to the finance bureau and its decision to the complainant and the
purchaser.

The services call these inside their transaction: the recipients are read there (so they match
the state the event describes) and the mail is handed to `transaction.on_commit`, so a step that
rolls back mails no one. Each recipient gets their own message (bidders do not see each other's
addresses). The user model has no language of its own, so mails are written in the site's default
language (zh-hans), whatever language the request that caused them used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from govbuy.core.calendar.rules import get_calendar, local_date
from govbuy.core.mail import send_each
from govbuy.organizations.kinds import WRITE_ROLES
from govbuy.organizations.models import Membership, OrganisationKind
from govbuy.procurement import rules
from govbuy.procurement.models import Award, AwardStatus, Bid, BidStatus, Challenge, Complaint, Tender

# (subject, body) msgids; the values are filled in when the mail is written.
AWARD = (
    gettext_noop("Award notice: %(ref)s"),
    gettext_noop(
        "The winner of tender %(ref)s “%(title)s” has been announced: %(winners)s. "
        "A provider that bid may challenge the award until %(day)s (7 working days, Law Art. 52). "
        "Details: %(path)s"
    ),
)
CHALLENGE_LODGED = (
    gettext_noop("Challenge to %(ref)s: answer by %(day)s"),
    gettext_noop(
        "%(provider)s challenged the award of tender %(ref)s “%(title)s”. Answer in writing by %(day)s "
        "(7 working days, Law Art. 53); until you answer, the contract may not be signed. Details: %(path)s"
    ),
)
CHALLENGE_ANSWERED = (
    gettext_noop("Your challenge to %(ref)s was answered"),
    gettext_noop(
        "The purchaser answered the challenge of %(provider)s to tender %(ref)s “%(title)s”. "
        "If you disagree, you may complain to the finance bureau until %(day)s (15 working days, Law Art. 55). "
        "Details: %(path)s"
    ),
)
COMPLAINT_LODGED = (
    gettext_noop("Complaint about %(ref)s: decide by %(day)s"),
    gettext_noop(
        "%(provider)s complained about tender %(ref)s “%(title)s” after its challenge. "
        "Decide by %(day)s (30 working days, Law Art. 56). Details: %(path)s"
    ),
)
COMPLAINT_DECIDED = (
    gettext_noop("Complaint about %(ref)s decided"),
    gettext_noop(
        "The finance bureau decided the complaint of %(provider)s about tender %(ref)s “%(title)s”: "
        "%(outcome)s. Details: %(path)s"
    ),
)
UPHELD = gettext_noop("upheld")
DISMISSED = gettext_noop("dismissed")


def _emails(q: Q) -> list[str]:
    rows = Membership.objects.filter(q, is_active=True, user__is_active=True, role__in=WRITE_ROLES).values_list(
        "user__email", flat=True
    )
    return sorted({e for e in rows if e})


def purchaser_emails(tender: Tender) -> list[str]:
    return _emails(Q(organisation_id=tender.purchaser_id))


def provider_emails(provider_ids: Iterable[int]) -> list[str]:
    return _emails(Q(organisation_id__in=list(provider_ids)))


def finance_emails(tender: Tender) -> list[str]:
    """The finance bureaus whose reach covers the tender: its region's and the city's."""
    region = tender.region
    regions = [region.pk] + ([region.parent_id] if region.parent_id else [])
    return _emails(Q(organisation__kind=OrganisationKind.FINANCE_BUREAU, organisation__region_id__in=regions))


def _deliver(addresses: list[str], template: tuple[str, str], values: dict[str, str]) -> Callable[[], None]:
    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            filled = {k: gettext(v) if k == "outcome" else v for k, v in values.items()}
            subject = gettext(template[0]) % filled
            body = gettext(template[1]) % filled
        send_each(addresses, subject, body)

    return send


def _schedule(addresses: list[str], template: tuple[str, str], values: dict[str, str]) -> None:
    if addresses:
        transaction.on_commit(_deliver(addresses, template, values))


def _base(tender: Tender, url_name: str) -> dict[str, str]:
    return {"ref": tender.reference, "title": tender.title, "path": reverse(url_name, args=[tender.pk])}


def award_announced(tender: Tender) -> None:
    """Every provider that bid (opened bids) and the purchaser's staff."""
    awards = list(Award.objects.filter(tender=tender, status=AwardStatus.ACTIVE).select_related("provider", "lot"))
    notice = max((a.confirmed_at for a in awards if a.confirmed_at), default=None)
    if notice is None:
        return
    bidders = set(Bid.objects.filter(tender=tender, status=BidStatus.OPENED).values_list("provider_id", flat=True))
    values = _base(tender, "procurement:challenges")
    values["winners"] = "; ".join(f"{a.lot.number} · {a.provider.name_zh} ({a.amount})" for a in awards)
    values["day"] = local_date(rules.challenge_deadline(notice, get_calendar())).isoformat()
    addresses = sorted(set(provider_emails(bidders)) | set(purchaser_emails(tender)))
    _schedule(addresses, AWARD, values)


def challenge_lodged(challenge: Challenge, tender: Tender) -> None:
    values = _base(tender, "procurement:challenges")
    values["provider"] = challenge.provider.name_zh
    values["day"] = local_date(rules.answer_deadline(challenge.lodged_at, get_calendar())).isoformat()
    _schedule(purchaser_emails(tender), CHALLENGE_LODGED, values)


def challenge_answered(challenge: Challenge, tender: Tender) -> None:
    values = _base(tender, "procurement:challenges")
    values["provider"] = challenge.provider.name_zh
    limit = rules.complaint_deadline(challenge.answered_at, challenge.lodged_at, get_calendar())
    values["day"] = local_date(limit).isoformat()
    _schedule(provider_emails([challenge.provider_id]), CHALLENGE_ANSWERED, values)


def complaint_lodged(complaint: Complaint, tender: Tender) -> None:
    values = _base(tender, "procurement:challenges")
    values["provider"] = complaint.challenge.provider.name_zh
    values["day"] = local_date(rules.decision_deadline(complaint.lodged_at, get_calendar())).isoformat()
    _schedule(finance_emails(tender), COMPLAINT_LODGED, values)


def complaint_decided(complaint: Complaint, tender: Tender) -> None:
    values = _base(tender, "procurement:challenges")
    values["provider"] = complaint.challenge.provider.name_zh
    values["outcome"] = UPHELD if complaint.upheld else DISMISSED
    addresses = sorted(set(provider_emails([complaint.challenge.provider_id])) | set(purchaser_emails(tender)))
    _schedule(addresses, COMPLAINT_DECIDED, values)
