from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _complaint_decided(_event: Any, values: dict[str, Any]) -> str:
    """The outcome is stored as a code ("upheld"/"dismissed") and read out as its label; the
    findings about a provider's conduct (issue 14) follow when the decision made them."""
    outcomes = {"upheld": _("upheld"), "dismissed": _("dismissed")}
    outcome = values.get("outcome")
    if isinstance(outcome, str) and outcome in outcomes:
        values["outcome"] = str(outcomes[outcome])
    text = str(_("{actor} decided the complaint of {provider} about tender {reference}: {outcome}")).format_map(values)
    if values.get("against") not in (None, "", "…"):
        text += str(_("; upheld against {against}")).format_map(values)
    if values.get("false_complaint") is True:
        text += str(_("; found a false or malicious complaint (Reg. Art. 73)"))
    return text


class ProcurementConfig(AppConfig):
    name = "govbuy.procurement"
    label = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        from django.core import checks

        from govbuy.audit.describe import register, register_checkpoint_reason, register_formatter, register_labelled
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.procurement import home
        from govbuy.procurement.checks import check_bid_kek

        checks.register(check_bid_kek, checks.Tags.security)
        register_labelled(
            "procurement.oversight.read",
            _("{actor} ({organisation}) read the {subject} of tender {reference} as an oversight body"),
            subject={
                "evaluation": _("evaluation details"),
                "evaluation_report": _("evaluation report"),
                "bid_document": _("opened bid document"),
                "refusal_evidence": _("evidence of a winner's refusal to sign"),
            },
        )
        # Checkpoint reasons as the services write them (signed, so stored in English).
        register_checkpoint_reason(r"sealed submission received", _("a sealed bid was received"))
        register_checkpoint_reason(r"opening (?P<reference>\S+)", _("the opening of tender {reference}"))
        register_checkpoint_reason(
            r"award (?P<reference>\S+) lot (?P<lot>\S+)", _("the award of lot {lot} of tender {reference}")
        )
        register(
            "procurement.panel.document_read",
            _(
                "{actor}, member of the evaluation panel, downloaded “{file_name}” "
                "of the bid of {provider} to tender {reference}"
            ),
        )
        register("procurement.method.changed", _("{actor} changed procurement method {method}: {fields}"))
        register(
            "procurement.tender.created",
            _("{actor} drafted tender {reference} “{title}” ({method}, budget {budget} yuan, deadline {deadline})"),
        )
        register("procurement.tender.document_added", _("{actor} added document “{title}” to tender {reference}"))
        register("procurement.tender.published", _("{actor} published the notice of tender {reference} “{title}”"))
        register("procurement.tender.cancelled", _("{actor} cancelled tender {reference}: {reason}"))
        register(
            "procurement.clarification.asked", _("{actor} of {provider} asked a question about tender {reference}")
        )
        register(
            "procurement.clarification.answered",
            _("{actor} published the answer to a question about tender {reference}"),
        )
        register(
            "procurement.clarification.notice_published",
            _("{actor} published a clarification of tender {reference}"),
        )
        register(
            "procurement.tender.deadline_extended",
            _("{actor} moved the bid deadline of tender {reference} from {before} to {after} after a clarification"),
        )
        register(
            "procurement.invitation.drawn",
            _("{actor} drew {size} providers at random to invite to tender {reference} (seed {seed})"),
        )
        register("procurement.deadline.reminded", _("Reminder sent for tender {reference}: {kind} by {deadline}"))
        register("procurement.challenge.lodged", _("{provider} challenged the award of tender {reference}"))
        register(
            "procurement.challenge.answered", _("{actor} answered the challenge of {provider} to tender {reference}")
        )
        register(
            "procurement.complaint.lodged", _("{provider} complained to the finance bureau about tender {reference}")
        )
        # The outcome is stored as a code ("upheld"/"dismissed") and read out as its label.
        register_formatter("procurement.complaint.decided", _complaint_decided)
        register(
            "procurement.award.proposed",
            _("{actor} proposed {supplier} as the winner of lot {lot} of tender {reference} ({amount} yuan)"),
        )
        register(
            "procurement.award.confirmed",
            _("{actor} confirmed {supplier} as the winner of lot {lot} of tender {reference} ({amount} yuan)"),
        )
        register_labelled(
            "procurement.award.refusal_recorded",
            _("{actor} recorded that {supplier}, winner of lot {lot} of tender {reference}, {ground}: {reason}"),
            ground={"refused": _("refused to sign the contract"), "lapsed": _("did not sign within the period")},
        )
        register(
            "procurement.award.refusal_confirmed",
            _(
                "{actor} confirmed the refusal to sign of {supplier} for lot {lot} of tender {reference}; "
                "the award is superseded"
            ),
        )
        register(
            "procurement.award.refusal_withdrawn",
            _(
                "{actor} withdrew the refusal to sign recorded against {supplier} for lot {lot} of tender "
                "{reference}; the award is active again: {reason}"
            ),
        )
        register(
            "procurement.tender.method_change_approved",
            _("{actor} approved {method} for the next attempt after tender {reference} failed: {reason}"),
        )
        register(
            "procurement.bid.submitted",
            _("{actor} submitted a sealed bid for tender {reference}, lot {lot} (receipt {receipt})"),
        )
        register(
            "procurement.bid.replaced",
            _("{actor} replaced a sealed bid for tender {reference}, lot {lot} (receipt {receipt})"),
        )
        register(
            "procurement.bid.withdrawn", _("{actor} withdrew a sealed bid for tender {reference} (receipt {receipt})")
        )
        register("procurement.opening.initiated", _("{actor} initiated the bid opening of tender {reference}"))
        from govbuy.procurement.models import CreditResult, TenderStatus

        register_labelled(
            "procurement.opening.confirmed",
            _(
                "{actor} confirmed the bid opening of tender {reference} initiated by {initiated_by}: "
                "{bids} bids, {outcome}"
            ),
            outcome=dict(TenderStatus.choices),
        )
        register("procurement.expert.added", _("{actor} added expert {name} ({expertise}) to the pool"))
        register("procurement.expert.activated", _("{actor} returned expert {name} to the pool"))
        register("procurement.expert.deactivated", _("{actor} removed expert {name} from the pool"))
        register(
            "procurement.panel.drawn",
            _("{actor} drew the evaluation panel of tender {reference} ({size} experts, seed {seed})"),
        )
        register(
            "procurement.panel.no_conflict_declared",
            _("{expert} declared no conflict of interest for tender {reference}"),
        )
        register(
            "procurement.panel.conflict_declared",
            _("{expert} declared a conflict of interest for tender {reference}; {replacement} takes the seat"),
        )
        register("procurement.bid.scored", _("{expert} scored a bid of tender {reference}"))
        register("procurement.bid.disqualified", _("{actor} disqualified a bid of tender {reference}: {reason}"))
        register(
            "procurement.evaluation.reported",
            _("{actor} issued the evaluation report of tender {reference} (sha256 {report})"),
        )
        register_labelled(
            "procurement.credit_check.recorded",
            _("{actor} recorded the three-list credit check of {provider} for tender {reference}: {result}"),
            result=dict(CreditResult.choices),
        )
        register_nav(
            NavEntry(label=_("Expert pool"), url_name="procurement:experts", visible=home.sees_experts, order=47)
        )
        register_nav(NavEntry(label=_("Tenders"), url_name="procurement:tenders", visible=home.sees_tenders, order=45))
        register_nav(
            NavEntry(
                label=_("Procurement methods"), url_name="procurement:methods", visible=home.sees_methods, order=46
            )
        )
        register_home_section(home.purchaser_section, order=45)
        register_home_section(home.provider_section, order=46)
        register_home_section(home.expert_section, order=47)
        register_home_section(home.expert_history_section, order=52)
        register_home_section(home.awards_section, order=48)
        register_home_section(home.challenges_section, order=49)
        register_home_section(home.complaints_section, order=50)
        register_home_section(home.award_notices_section, order=51)
