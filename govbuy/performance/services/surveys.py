"""Recipient satisfaction surveys: opening one, issuing one-time codes (shown once, stored as a
keyed hash), the anonymous answer (one per code, race-safe), flags for suspicious patterns, and
the aggregate figures.

A code is spent by one conditional UPDATE (`used_at IS NULL`) in the transaction that stores the
answer: of two requests with the same code exactly one changes the row, on SQLite and PostgreSQL
alike, and the other is refused. Wrong codes are counted per sender (keyed address hash) from
rows, so guessing is refused after a few attempts.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.contracts.models import Contract
from govbuy.core.errors import NotFound, TransitionRefused, ValidationFailed
from govbuy.organizations.scope import scope_for
from govbuy.performance import rules, survey_templates
from govbuy.performance.models import (
    Answer,
    CodeAttempt,
    EvaluationRound,
    Invitation,
    Survey,
    SurveyFlag,
    SurveyStatus,
)
from govbuy.performance.services import common

MAX_QUESTIONS = 20
MAX_BATCH = 2000


def code_key() -> str:
    return str(getattr(settings, "GOVBUY_SURVEY_CODE_KEY", settings.SECRET_KEY))


def address_key(address: str) -> str:
    return hmac.new(code_key().encode(), f"govbuy.survey\x00{address}".encode(), hashlib.sha256).hexdigest()


def open_survey(
    *,
    actor: Any,
    contract: Contract | int,
    title: str,
    questions: list[str],
    closes_at: datetime,
    round: EvaluationRound | int | None = None,
) -> Survey:
    cleaned = [str(q).strip()[:300] for q in questions if str(q).strip()]
    if not cleaned or len(cleaned) > MAX_QUESTIONS:
        message = _("Give between 1 and 20 questions.")
        raise ValidationFailed(message, code="questions", fields={"questions": [message]})
    if not str(title or "").strip():
        message = _("Give the survey a title.")
        raise ValidationFailed(message, code="title_missing", fields={"title": [message]})
    now = timezone.now()
    if closes_at <= now:
        message = _("The survey must close in the future.")
        raise ValidationFailed(message, code="closes_in_past", fields={"closes_at": [message]})
    with transaction.atomic():
        locked = (
            Contract.objects.select_for_update(of=("self",))
            .filter(pk=common.as_int(getattr(contract, "pk", contract)))
            .first()
        )
        if locked is None or not rules.acts_for_purchaser(scope_for(actor), locked.purchaser_id):
            raise NotFound()
        stage = None
        if round is not None:
            stage = EvaluationRound.objects.filter(
                pk=common.as_int(getattr(round, "pk", round)), contract=locked
            ).first()
            if stage is None:
                raise ValidationFailed(_("The round is not one of this contract's."), code="round_unknown")
        survey = Survey.objects.create(
            contract=locked,
            round=stage,
            title=str(title).strip()[:200],
            questions=cleaned,
            opened_at=now,
            closes_at=closes_at,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="performance.survey.opened",
            obj=survey,
            organisation=locked.purchaser_id,
            region_id=locked.region_id,
            data={"contract": locked.reference, "title": survey.title, "questions": len(cleaned)},
        )
    return survey


def launch_survey(
    *,
    actor: Any,
    contract: Contract | int,
    template: str,
    count: int,
    closes_at: datetime,
    title: str = "",
    round: EvaluationRound | int | None = None,
) -> tuple[Survey, list[str]]:
    """Open a survey from one of the question sets in Chinese and issue its first codes, in one
    transaction: a survey without codes would wait on a second step nobody remembers."""
    chosen = survey_templates.BY_KEY.get(str(template or ""))
    if chosen is None:
        message = _("Choose one of the survey templates.")
        raise ValidationFailed(message, code="survey_template", fields={"template": [message]})
    try:
        count = int(count)
    except (TypeError, ValueError):
        message = _("Issue between 1 and 2000 codes at a time.")
        raise ValidationFailed(message, code="batch_size", fields={"count": [message]}) from None
    with transaction.atomic():
        survey = open_survey(
            actor=actor,
            contract=contract,
            title=str(title or "").strip() or chosen.title,
            questions=list(chosen.questions),
            closes_at=closes_at,
            round=round,
        )
        return issue_invitations(actor=actor, survey=survey, version=survey.version, count=count)


def _lock_survey(actor: Any, survey: Any, version: Any) -> Survey:
    locked = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("contract")
        .filter(pk=common.as_int(getattr(survey, "pk", survey)))
        .first()
    )
    if locked is None or not rules.acts_for_purchaser(scope_for(actor), locked.contract.purchaser_id):
        raise NotFound()
    common.check_version(locked, version)
    return locked


def issue_invitations(*, actor: Any, survey: Survey | int, version: Any, count: int) -> tuple[Survey, list[str]]:
    """Issue `count` codes. The plain codes are returned once, for the printable sheet and QR
    codes; only their keyed hashes are kept."""
    if not 1 <= int(count) <= MAX_BATCH:
        message = _("Issue between 1 and 2000 codes at a time.")
        raise ValidationFailed(message, code="batch_size", fields={"count": [message]})
    with transaction.atomic():
        locked = _lock_survey(actor, survey, version)
        if locked.status != SurveyStatus.OPEN:
            raise TransitionRefused(_("The survey is closed."), code="survey_closed")
        batch = Invitation.objects.filter(survey=locked).values("batch").distinct().count() + 1
        key, now = code_key(), timezone.now()
        codes = [rules.new_code() for _i in range(int(count))]
        Invitation.objects.bulk_create(
            [Invitation(survey=locked, code_hash=rules.hash_code(c, key), batch=batch, issued_at=now) for c in codes]
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        record_event(
            actor=actor,
            action="performance.survey.invited",
            obj=locked,
            organisation=locked.contract.purchaser_id,
            data={"title": locked.title, "count": len(codes), "batch": batch},
        )
    return locked, codes


def close_survey(*, actor: Any, survey: Survey | int, version: Any) -> Survey:
    with transaction.atomic():
        locked = _lock_survey(actor, survey, version)
        if locked.status != SurveyStatus.OPEN:
            raise TransitionRefused(_("The survey is closed."), code="survey_closed")
        locked.status = SurveyStatus.CLOSED
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        record_event(
            actor=actor,
            action="performance.survey.closed",
            obj=locked,
            organisation=locked.contract.purchaser_id,
            data={"title": locked.title},
        )
    return locked


def _refuse_code(sender: str, now: datetime, *, unknown: bool) -> NoReturn:
    """Refuse the code. An unknown one (a guess, or a typing error) is counted, in its own
    transaction so that it outlives the refusal; a used code or a closed survey is not a guess
    (a person pressing "send" twice), and counting it would lock out a whole community centre
    sharing one address."""
    if unknown:
        with transaction.atomic():
            CodeAttempt.objects.create(address_key=sender, at=now)
    raise ValidationFailed(
        _("This code is not valid or has already been used."),
        code="code_invalid",
        fields={"code": [_("Check the code on your sheet.")]},
    )


def find_survey(code: str, *, client_address: str) -> Survey:
    """The open survey a code belongs to (for the answer page); a wrong or used code is refused,
    and an unknown one counted like a wrong answer."""
    sender, now = address_key(client_address or "unknown"), timezone.now()
    window = now - timedelta(seconds=rules.DEFAULT_CODE_WINDOW_SECONDS)
    rules.check_code_attempts(CodeAttempt.objects.filter(address_key=sender, at__gt=window).count())
    invitation = Invitation.objects.select_related("survey").filter(code_hash=rules.hash_code(code, code_key())).first()
    if invitation is None:
        _refuse_code(sender, now, unknown=True)
    survey = invitation.survey
    if invitation.used_at is not None or survey.status != SurveyStatus.OPEN or survey.closes_at <= now:
        _refuse_code(sender, now, unknown=False)
    return survey


class _CodeRefused(Exception):
    """The code is unknown, used or its survey closed: undo everything, then refuse."""

    def __init__(self, *, unknown: bool = False) -> None:
        super().__init__()
        self.unknown = unknown


def submit_answer(*, code: str, ratings: list[Any], comment: str = "", client_address: str) -> Answer:
    """Store one anonymous answer and spend the code in one transaction; flag suspicious
    patterns (never drop an answer)."""
    sender, now = address_key(client_address or "unknown"), timezone.now()
    window = now - timedelta(seconds=rules.DEFAULT_CODE_WINDOW_SECONDS)
    rules.check_code_attempts(CodeAttempt.objects.filter(address_key=sender, at__gt=window).count())
    code_hash = rules.hash_code(code, code_key())
    try:
        with transaction.atomic():
            invitation = Invitation.objects.select_related("survey").filter(code_hash=code_hash).first()
            if invitation is None:
                raise _CodeRefused(unknown=True)
            survey = invitation.survey
            if survey.status != SurveyStatus.OPEN or survey.closes_at <= now:
                raise _CodeRefused(unknown=False)
            values = _ratings(ratings, len(survey.questions))
            if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now):
                raise _CodeRefused(unknown=False)
            answer = Answer.objects.create(
                survey=survey,
                ratings=values,
                comment=str(comment or "").strip()[:2000],
                submitted_at=now,
                issued_at=invitation.issued_at,
                address_key=sender,
            )
            flags = _flag(answer)
            record_event(
                actor=None,
                action="performance.survey.answered",
                obj=survey,
                data={"title": survey.title, "flags": ", ".join(sorted(flags))},
            )
    except _CodeRefused as refused:
        _refuse_code(sender, now, unknown=refused.unknown)
    return answer


def _ratings(raw: list[Any], questions: int) -> list[int]:
    if len(raw) != questions:
        raise ValidationFailed(_("Answer every question."), code="ratings_missing")
    out = []
    for value in raw:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Answer every question."), code="ratings_missing") from None
        rules.check_rating(number)
        out.append(number)
    return out


def _facts(rows: Any) -> list[rules.AnswerFacts]:
    return [rules.AnswerFacts(a.pk, a.submitted_at, a.issued_at, a.address_key, tuple(a.ratings)) for a in rows]


def _flag(answer: Answer) -> set[str]:
    """Flags for the new answer and the earlier ones it forms a pattern with: answers from the
    same address within the burst window and answers with the same ratings.

    The rules see a bounded set, so an answer costs the same however many came before it: the
    latest answers of each pattern (enough to reach its threshold) and the earlier ones of the
    pattern not flagged for it yet. Answers already flagged stay flagged."""
    policy = common.flag_policy(common.policy_on(timezone.localdate()))
    since = answer.submitted_at - timedelta(seconds=policy.burst_seconds)
    answers = Answer.objects.filter(survey_id=answer.survey_id)
    same_address = answers.filter(address_key=answer.address_key, submitted_at__gte=since)
    same_ratings = answers.filter(ratings=answer.ratings)
    ids: set[int] = set()
    for rows, kind, enough in (
        (same_address, rules.BURST, policy.burst_count),
        (same_ratings, rules.IDENTICAL, policy.identical_count),
    ):
        ids.update(rows.order_by("-submitted_at", "-pk").values_list("pk", flat=True)[:enough])
        ids.update(rows.exclude(flags__kind=kind).values_list("pk", flat=True)[: enough * 4])
    found = rules.suspicious(_facts(answers.filter(pk__in=ids)), policy)
    SurveyFlag.objects.bulk_create(
        [SurveyFlag(answer_id=pk, kind=kind) for pk, kinds in found.items() for kind in sorted(kinds)],
        ignore_conflicts=True,
    )
    return found.get(answer.pk, set())


def summary(survey: Survey) -> rules.SurveySummary:
    invitations = Invitation.objects.filter(survey=survey).count()
    ratings = Answer.objects.filter(survey=survey).values_list("ratings", flat=True)
    distribution = dict.fromkeys(range(1, 6), 0)
    satisfied = answers = 0
    for row in ratings:
        answers += 1
        for value in row:
            distribution[int(value)] = distribution.get(int(value), 0) + 1
        # An answer is satisfied when its average rating reaches "satisfied" (4 of 5).
        if row and sum(row) / len(row) >= rules.SATISFIED_FROM:
            satisfied += 1
    return rules.SurveySummary(invitations=invitations, answers=answers, satisfied=satisfied, distribution=distribution)


def summary_for_round(obj: EvaluationRound) -> tuple[rules.SurveySummary | None, bool]:
    survey = (
        Survey.objects.filter(round=obj).order_by("-pk").first()
        or Survey.objects.filter(contract_id=obj.contract_id).order_by("-pk").first()
    )
    if survey is None:
        return None, False
    result = summary(survey)
    policy = common.policy_on(timezone.localdate())
    return result, rules.aggregates_visible(result.answers, policy.min_answers)
