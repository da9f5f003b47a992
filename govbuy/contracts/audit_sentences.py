"""The audit sentences of every contract action (registered from ContractsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govbuy.audit.describe import register, register_labelled


def register_all() -> None:
    register(
        "contracts.contract.drawn",
        _("{actor} drew up contract {reference} “{title}” with {provider} ({value} yuan)"),
    )
    register("contracts.contract.schedule_set", _("{actor} set the {count} milestones of contract {reference}"))
    register("contracts.contract.payee_chosen", _("{actor} named account {number} as payee of contract {reference}"))
    register("contracts.contract.provider_signed", _("{actor} signed contract {reference} for {provider}"))
    register(
        "contracts.contract.signature_proposed",
        _("{actor} signed contract {reference} for the purchaser; a second authorised user must sign too"),
    )
    register_labelled(
        "contracts.contract.signed",
        _("{actor} signed contract {reference} with {provider} for the purchaser (due {due}; {late})"),
        late={"late": _("late"), "in_time": _("in time")},
    )
    register_labelled(
        "contracts.contract.published",
        _("{actor} published the notice of contract {reference} (due {due}; {late})"),
        late={"late": _("late"), "in_time": _("in time")},
    )
    register_labelled(
        "contracts.contract.filed",
        _("{actor} filed contract {reference} with the finance bureau (due {due}; {late})"),
        late={"late": _("late"), "in_time": _("in time")},
    )
    register("contracts.contract.cancelled", _("{actor} cancelled the unsigned contract {reference}: {reason}"))
    register("contracts.contract.suspended", _("{actor} suspended contract {reference}: {reason}"))
    register("contracts.contract.resumed", _("{actor} resumed contract {reference}"))
    register(
        "contracts.contract.terminated",
        _("{actor} terminated contract {reference} with {provider} ({paid} yuan paid): {reason}"),
    )
    register("contracts.contract.completed", _("{actor} recorded contract {reference} with {provider} as completed"))
    register("contracts.payee.added", _("{actor} added payee account {number} at {bank}"))
    register("contracts.template.edited", _("{actor} edited the contract template (version {version}): {note}"))
    register(
        "contracts.deliverable.submitted",
        _("{actor} submitted a deliverable for “{milestone}” of contract {reference} ({files} files)"),
    )
    register(
        "contracts.deliverable.acceptance_proposed",
        _("{actor} proposed to accept the deliverable for “{milestone}” of contract {reference}"),
    )
    register(
        "contracts.deliverable.accepted",
        _("{actor} confirmed the acceptance of “{milestone}” of contract {reference} proposed by {proposed_by}"),
    )
    register(
        "contracts.deliverable.returned",
        _("{actor} returned the deliverable for “{milestone}” of contract {reference}: {reasons}"),
    )
    register("contracts.visit.recorded", _("{actor} recorded a monitoring visit of {day} to contract {reference}"))
    register(
        "contracts.payment.recorded",
        _("{actor} recorded a payment of {amount} yuan for “{milestone}” of contract {reference}"),
    )
    register(
        "contracts.amendment.proposed",
        _("{actor} proposed amendment {number} of contract {reference} (value change {change} yuan)"),
    )
    register("contracts.amendment.confirmed", _("{actor} confirmed amendment {number} of contract {reference}"))
    register("contracts.roster.added", _("{actor} added {name} ({role}) to the roster of contract {reference}"))
    register("contracts.flag.raised", _("Possible subcontracting on contract {reference}: {detail}"))
    register(
        "contracts.subcontracting.found",
        _("{actor} found that contract {reference} was subcontracted by {provider}: {finding}"),
    )
