"""One form, one service: each view parses its fields, calls the service, and returns to the
contract page with a confirmation or the refusal's message (a Chinese sentence naming the rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govbuy.contracts import selectors
from govbuy.contracts.models import Contract
from govbuy.contracts.services import changes, delivery, drafting, payments, signing, subcontracting
from govbuy.core.errors import DomainError, ValidationFailed
from govbuy.core.pages import act_then_redirect, flash_domain_error
from govbuy.core.uploads import read_upload


def _act(request: HttpRequest, pk: int, action: Callable[[Contract], Any], done: str, anchor: str = "") -> HttpResponse:
    contract = selectors.contract_for(request.user, pk)
    return act_then_redirect(request, contract, action, done, "contracts:detail", anchor=anchor)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


def _text(request: HttpRequest, name: str) -> str:
    return str(request.POST.get(name) or "")


def _date(request: HttpRequest, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_text(request, name))
    except ValueError:
        message = _("Give a date as YYYY-MM-DD.")
        raise ValidationFailed(message, fields={name: [message]}) from None


def _optional_date(request: HttpRequest, name: str) -> dt.date | None:
    return _date(request, name) if _text(request, name) else None


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(_text(request, name))
    except ValueError:
        message = _("Choose an entry.")
        raise ValidationFailed(message, fields={name: [message]}) from None


@login_required
@require_POST
def draw(request: HttpRequest) -> HttpResponse:
    try:
        contract = drafting.draw_from_award(
            actor=request.user,
            award=_int(request, "award"),
            bond_amount=_text(request, "bond_amount") or "0",
            bond_form=_text(request, "bond_form") or "none",
            no_financing_guarantee=request.POST.get("no_financing_guarantee") == "on",
        )
    except DomainError as exc:
        flash_domain_error(request, exc)
        return redirect("contracts:list")
    messages.success(request, _("Contract drawn up. Set its milestones."))
    return redirect("contracts:detail", contract.pk)


@login_required
@require_POST
def milestones(request: HttpRequest, pk: int) -> HttpResponse:
    def action(c: Contract) -> Any:
        rows = []
        for i in range(1, 7):
            if not _text(request, f"title_{i}"):
                continue
            rows.append(
                {
                    "title": _text(request, f"title_{i}"),
                    "due_date": _date(request, f"due_{i}"),
                    "percentage": _text(request, f"percentage_{i}") or "0",
                    "quantity_target": _text(request, f"quantity_{i}"),
                    "quality_target": _text(request, f"quality_{i}"),
                    "kind": _text(request, f"kind_{i}") or "delivery",
                    "needs_evaluation": request.POST.get(f"evaluation_{i}") == "on",
                }
            )
        return drafting.set_milestones(actor=request.user, contract=c, version=_version(request), milestones=rows)

    return _act(request, pk, action, _("Milestones saved."), "milestones")


@login_required
@require_POST
def payee(request: HttpRequest, pk: int) -> HttpResponse:
    def action(c: Contract) -> Any:
        if _text(request, "account"):
            account: Any = _int(request, "account")
        else:
            account = drafting.add_payee_account(
                actor=request.user,
                organisation=c.provider_id,
                bank_name=_text(request, "bank_name"),
                account_name=_text(request, "account_name"),
                account_number=_text(request, "account_number"),
            )
        return drafting.choose_payee(actor=request.user, contract=c, version=_version(request), account=account)

    return _act(request, pk, action, _("Payee account named."))


@login_required
@require_POST
def provider_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: signing.provider_sign(actor=request.user, contract=c, version=_version(request)),
        _("Signed for the provider."),
    )


@login_required
@require_POST
def purchaser_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: signing.purchaser_sign(actor=request.user, contract=c, version=_version(request)),
        _("Signature recorded."),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    withheld = [{"section": key, "reason": _text(request, f"reason_{key}")} for key in request.POST.getlist("withheld")]
    return _act(
        request,
        pk,
        lambda c: signing.publish(actor=request.user, contract=c, version=_version(request), withheld=withheld),
        _("Contract notice published."),
    )


@login_required
@require_POST
def file(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: signing.file_with_finance(actor=request.user, contract=c, version=_version(request)),
        _("Contract filed with the finance bureau."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: signing.cancel(
            actor=request.user, contract=c, version=_version(request), reason=_text(request, "reason")
        ),
        _("Contract cancelled."),
    )


@login_required
@require_POST
def submit_deliverable(request: HttpRequest, pk: int) -> HttpResponse:
    def action(c: Contract) -> Any:
        files = [
            (_text(request, "title"), upload.name, read_upload(upload)) for upload in request.FILES.getlist("files")
        ]
        return delivery.submit_deliverable(
            actor=request.user,
            contract=c,
            milestone=_int(request, "milestone"),
            summary=_text(request, "summary"),
            quantity_achieved=_text(request, "quantity_achieved"),
            files=files,
        )

    return _act(request, pk, action, _("Deliverable submitted."), "milestones")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: delivery.accept_deliverable(
            actor=request.user,
            deliverable=selectors.deliverable_for(request.user, deliverable_pk),
            version=_version(request),
        ),
        _("Acceptance recorded."),
        "milestones",
    )


@login_required
@require_POST
def return_deliverable(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: delivery.return_deliverable(
            actor=request.user,
            deliverable=selectors.deliverable_for(request.user, deliverable_pk),
            version=_version(request),
            reasons=_text(request, "reasons"),
        ),
        _("Deliverable returned."),
        "milestones",
    )


@login_required
@require_POST
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: delivery.record_visit(
            actor=request.user,
            contract=c,
            visited_on=_date(request, "visited_on"),
            rating=_text(request, "rating"),
            findings=_text(request, "findings"),
        ),
        _("Monitoring visit recorded."),
        "visits",
    )


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: payments.record_payment(
            actor=request.user,
            contract=c,
            milestone=_int(request, "milestone"),
            amount=_text(request, "amount"),
            payee=_int(request, "payee"),
            reference=_text(request, "reference"),
        ),
        _("Payment recorded."),
        "payments",
    )


@login_required
@require_POST
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: changes.propose_amendment(
            actor=request.user,
            contract=c,
            version=_version(request),
            rationale=_text(request, "rationale"),
            description=_text(request, "description"),
            value_change=_text(request, "value_change") or "0",
            new_period_end=_optional_date(request, "new_period_end"),
        ),
        _("Amendment proposed; a second authorised user confirms it."),
        "amendments",
    )


@login_required
@require_POST
def confirm_amendment(request: HttpRequest, pk: int, amendment_pk: int) -> HttpResponse:
    def action(c: Contract) -> Any:
        amendment = c.amendments.filter(pk=amendment_pk).first()
        if amendment is None:
            raise ValidationFailed(_("Choose an entry."))
        return changes.confirm_amendment(actor=request.user, amendment=amendment)

    return _act(request, pk, action, _("Amendment confirmed."), "amendments")


@login_required
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: changes.suspend(
            actor=request.user, contract=c, version=_version(request), reason=_text(request, "reason")
        ),
        _("Contract suspended."),
    )


@login_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: changes.resume(actor=request.user, contract=c, version=_version(request)),
        _("Contract resumed."),
    )


@login_required
@require_POST
def terminate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: changes.terminate(
            actor=request.user,
            contract=c,
            version=_version(request),
            cause=_text(request, "cause"),
            reason=_text(request, "reason"),
        ),
        _("Contract terminated."),
    )


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: changes.complete(actor=request.user, contract=c, version=_version(request)),
        _("Contract completed."),
    )


@login_required
@require_POST
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: subcontracting.add_roster_member(
            actor=request.user,
            contract=c,
            name=_text(request, "name"),
            role=_text(request, "role"),
            certificate_number=_text(request, "certificate_number"),
            phone=_text(request, "phone"),
            from_date=_date(request, "from_date"),
            to_date=_date(request, "to_date"),
        ),
        _("Roster member added."),
        "roster",
    )


@login_required
@require_POST
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda c: subcontracting.record_finding(
            actor=request.user, contract=c, version=_version(request), finding=_text(request, "finding")
        ),
        _("Subcontracting recorded; the contract is terminated for cause."),
    )
