"""Issue 14: a ban is enforced at every procurement gate at the moment of the request, under the
provider row's lock — bid submission and replacement, the invitation draw (test_invitations),
the award proposal and its confirmation."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections, transaction
from django.utils import timezone

from govbuy.core.errors import DomainError, PermissionRefused, TransitionRefused
from govbuy.procurement.models import Award, Bid, ProcurementMethod
from govbuy.procurement.services import awards, bids, tenders
from govbuy.providers.services import restrictions
from tests.builders.procurement import evaluated_tender, opened_tender

from .test_awards import check, ranked

SUBMISSIONS = 30  # the most one provider may submit to one tender in an hour (rules.BID_SUBMISSIONS)


def ban_now(world, organisation_id, *, starts_at=None):
    return restrictions.impose_restriction(
        actor=world.city_finance,
        organisation_id=organisation_id,
        kind="ban",
        starts_at=starts_at or timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=365),
        legal_basis="《政府采购法》第七十七条",
        reason="提供虚假材料谋取中标",
        authority=world.orgs["city_finance_org"],
    )


@pytest.mark.django_db
def test_a_banned_provider_cannot_replace_its_bid(world, published, providers):
    bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="100.00")
    ban_now(world, world.provider_a_org.pk)
    with pytest.raises(PermissionRefused, match="banned") as exc:
        bids.submit_bid(actor=world.provider_a, tender=published, provider=world.provider_a_org, price="90.00")
    assert exc.value.code == "banned"
    assert Bid.objects.filter(provider=world.provider_a_org).count() == 1


@pytest.mark.django_db
def test_a_provider_banned_between_bid_and_award_is_refused_the_award_with_the_reason(world, published, providers):
    opened_tender(world, published)
    evaluated_tender(world, published)
    top = ranked(published)[0]
    check(world, published, top)
    ban_now(world, top.provider_id)
    with pytest.raises(TransitionRefused, match=r"award is refused.*banned until") as exc:
        awards.propose_award(actor=world.purchaser_a, tender=published, bid=top)
    assert exc.value.code == "provider_banned"
    assert "第七十七条" in str(exc.value.message)
    assert not Award.objects.exists()


@pytest.mark.django_db
def test_a_provider_banned_between_proposal_and_confirmation_is_refused(world, published, providers, settings):
    settings.GOVBUY_AWARD_FOUR_EYES_THRESHOLD = "50.00"
    opened_tender(world, published)
    evaluated_tender(world, published)
    top = ranked(published)[0]
    check(world, published, top)
    award = awards.propose_award(actor=world.purchaser_a, tender=published, bid=top)
    ban_now(world, top.provider_id)
    with pytest.raises(TransitionRefused, match="banned"):
        awards.confirm_award(actor=world.purchaser_a_approver, tender=published, award=award)
    assert Award.objects.get(pk=award.pk).status == "proposed"


@pytest.mark.django_db(transaction=True)
def test_a_ban_racing_thirty_bid_submissions_refuses_every_bid_committed_after_it(world, published, providers):
    method = ProcurementMethod.objects.get(code="public_tender")
    tenders.update_method(actor=world.city_finance, method=method, version=method.version, min_suppliers=1)
    org = world.provider_a_org
    connected = threading.Barrier(SUBMISSIONS + 2)
    start = threading.Barrier(SUBMISSIONS + 2)
    accepted: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    ban_start: list[dt.datetime] = []
    guard = threading.Lock()

    def submit(index: int) -> None:
        try:
            bids.db_now()
            connected.wait()
            start.wait()
            bid = bids.submit_bid(actor=world.provider_a, tender=published.pk, provider=org, price=f"{1000 + index}.00")
            with guard:
                accepted.append(bid.pk)
        except DomainError as exc:
            with guard:
                refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def banner() -> None:
        try:
            bids.db_now()
            connected.wait()
            start.wait()
            # Let some bids through first, then ban in the middle of the burst. The ban's start is
            # taken under the provider's lock, so it orders the ban among the bids.
            while True:
                with guard:
                    if len(accepted) + len(refused) >= 3:
                        break
            with transaction.atomic():
                restrictions.lock_provider(org.pk)
                moment = bids.db_now()
                ban_now(world, org.pk, starts_at=moment)
                ban_start.append(moment)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(SUBMISSIONS)]
    threads.append(threading.Thread(target=banner))
    for t in threads:
        t.start()
    connected.wait()
    start.wait()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(accepted) + len(refused) == SUBMISSIONS
    assert set(refused) <= {"banned"}, refused
    assert accepted, (len(accepted), len(refused))
    assert refused, (len(accepted), len(refused))
    (moment,) = ban_start
    stored = Bid.objects.filter(tender=published, provider=org)
    assert stored.count() == len(accepted)
    # Every stored bid was taken before the ban: none committed after it slipped through.
    assert not stored.filter(submitted_at__gte=moment).exists()
    with pytest.raises(PermissionRefused):
        bids.submit_bid(actor=world.provider_a, tender=published.pk, provider=org, price="1.00")
