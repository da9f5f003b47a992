"""Third-party evaluators (財綜〔2018〕42號): commissioned per contract by the purchaser or the
finance bureau, refused when related to the provider, a bidder in the same tender, or a recent
evaluator of the same provider for the same purchaser; their report is a stored document."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import NotFound, TransitionRefused, ValidationFailed
from govbuy.core.storage import document_path, save_once
from govbuy.core.uploads import inspect_upload
from govbuy.organizations.models import Organisation, OrganisationKind
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules
from govbuy.performance.models import CommissionStatus, EvaluationRound, RoundStatus, ThirdPartyCommission
from govbuy.performance.services import common
from govbuy.procurement.models import Bid
from govbuy.providers.models import RelatedParty
from govbuy.providers.selectors import Gate, participation

REPORT_MAX_BYTES = 20 * 1024 * 1024


def commission_facts(obj: EvaluationRound, evaluator_id: int) -> rules.CommissionFacts:
    contract = obj.contract
    links = RelatedParty.objects.filter(ended_at__isnull=True).filter(
        Q(first_id=contract.provider_id) | Q(second_id=contract.provider_id)
    )
    related = {pk for pair in links.values_list("first_id", "second_id") for pk in pair} - {contract.provider_id}
    bidders: set[int] = set()
    if contract.award is not None:
        tender_id = contract.award.tender_id
        bidders = set(Bid.objects.filter(tender_id=tender_id).values_list("provider_id", flat=True))
    history = tuple(
        rules.PastEvaluation(evaluator, provider, purchaser, local_date(at))
        for evaluator, provider, purchaser, at in ThirdPartyCommission.objects.filter(evaluator_id=evaluator_id)
        .exclude(status=CommissionStatus.WITHDRAWN)
        .exclude(round=obj)
        .values_list("evaluator_id", "contract__provider_id", "contract__purchaser_id", "created_at")
    )
    return rules.CommissionFacts(
        evaluator_id=evaluator_id,
        provider_id=contract.provider_id,
        purchaser_id=contract.purchaser_id,
        related_to_provider=frozenset(related),
        bidders=frozenset(bidders),
        history=history,
    )


def _check_evaluator_standing(evaluator_id: int) -> None:
    """An evaluator that is also in the provider registry is refused while banned or suspended:
    the registry's single gate, under the provider row's lock that imposing a ban takes too. An
    evaluator outside the registry (not_registered) or not verified as a provider is not
    excluded by this gate, since evaluating is not taking part as a provider."""
    answer = participation(evaluator_id, gate=Gate.COMMISSION, lock=True)
    if answer.restriction is not None:
        raise TransitionRefused(answer.message, code=f"evaluator_{answer.code}")


def commission(
    *, actor: Any, round: EvaluationRound | int, version: Any, evaluator: Organisation | int
) -> ThirdPartyCommission:
    with transaction.atomic():
        obj = common.lock_round(getattr(round, "pk", round))
        scope = scope_for(actor)
        contract = obj.contract
        if rules.acts_for_purchaser(scope, contract.purchaser_id):
            by = contract.purchaser_id
        else:
            row = scope.finance_of(contract.region_id)
            if row is None:
                raise NotFound()
            by = row.organisation_id
        common.check_version(obj, version)
        if obj.status not in (
            RoundStatus.SELF_ASSESSMENT,
            RoundStatus.PURCHASER_EVALUATION,
            RoundStatus.FINANCE_REVIEW,
        ):
            raise TransitionRefused(
                _("A third party can no longer be commissioned for this round."), code="round_closed"
            )
        chosen = Organisation.objects.filter(
            pk=common.as_int(getattr(evaluator, "pk", evaluator)), kind=OrganisationKind.THIRD_PARTY_EVALUATOR
        ).first()
        if chosen is None:
            raise ValidationFailed(_("Choose a registered third-party evaluator."), code="evaluator_unknown")
        _check_evaluator_standing(chosen.pk)
        policy = common.policy_on(timezone.localdate())
        rules.check_evaluator(
            commission_facts(obj, chosen.pk), today=timezone.localdate(), lookback_years=policy.evaluator_lookback_years
        )
        if ThirdPartyCommission.objects.filter(round=obj).exclude(status=CommissionStatus.WITHDRAWN).exists():
            raise TransitionRefused(_("This round already has a third-party evaluator."), code="commission_exists")
        created = ThirdPartyCommission.objects.create(
            contract=contract, round=obj, evaluator=chosen, commissioned_by_id=by, created_by=actor
        )
        obj.version += 1
        obj.save(update_fields=["version", "updated_at"])
        common.round_event(actor, "performance.commission.created", obj, by, evaluator=chosen.name_zh)
    return created


def deliver_report(
    *, actor: Any, commission: ThirdPartyCommission | int, version: Any, name: str, data: bytes
) -> ThirdPartyCommission:
    """The evaluator's report (a PDF) is stored write-once; its scores go in with enter_scores."""
    inspected = inspect_upload(name=name, data=data, allowed=frozenset({"pdf"}), max_bytes=REPORT_MAX_BYTES)
    with transaction.atomic():
        locked = (
            ThirdPartyCommission.objects.select_for_update(of=("self",))
            .select_related("round__contract", "evaluator")
            .filter(pk=common.as_int(getattr(commission, "pk", commission)))
            .first()
        )
        if locked is None or not scope_for(actor).writes_for(locked.evaluator_id):
            raise NotFound()
        common.check_version(locked, version)
        if locked.status != CommissionStatus.ACTIVE:
            raise TransitionRefused(_("The report was already delivered."), code="report_delivered")
        path = save_once(
            path=document_path(prefix="performance/reports", upload=inspected), data=data, sha256=inspected.sha256
        )
        locked.report_name = inspected.display_name or name
        locked.report_path, locked.report_sha256 = path, inspected.sha256
        locked.reported_at = timezone.now()
        locked.status = CommissionStatus.REPORTED
        locked.version += 1
        locked.save()
        common.round_event(
            actor, "performance.commission.reported", locked.round, locked.evaluator_id, report=locked.report_name
        )
    return locked
