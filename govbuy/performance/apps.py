from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "govbuy.performance"
    label = "performance"
    verbose_name = _("Performance evaluation")

    def ready(self) -> None:
        from django.core import checks

        from govbuy.audit.describe import register, register_formatter, register_labelled
        from govbuy.core import evaluation_gate
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.core.review_panels import register_review_panel
        from govbuy.performance import feedback, home
        from govbuy.performance.audit_sentences import survey_answered
        from govbuy.performance.checks import check_survey_code_key
        from govbuy.performance.models import CommentStatus, Grade, RoundKind, ScoredBy

        sentences = {
            "performance.template.created": _(
                "{actor} saved version {number} of the indicator template for {category} ({indicators} indicators)"
            ),
            "performance.threshold.set": _(
                "{actor} set the key-project threshold from {effective_from} to {amount} yuan"
            ),
            "performance.round.self_assessed": _(
                "{actor} submitted the self-assessment of contract {contract}, round {round}"
            ),
            "performance.round.submitted": _(
                "{actor} submitted the evaluation of contract {contract}, round {round} (score {total}) for finalising"
            ),
            "performance.round.returned": _(
                "{actor} returned the evaluation of contract {contract}, round {round}: {reason}"
            ),
            "performance.round.selected": _(
                "{actor} selected contract {contract}, round {round} for the finance bureau's re-evaluation"
            ),
            "performance.round.responded": _(
                "{actor} responded to the evaluation of contract {contract}, round {round}"
            ),
            "performance.commission.created": _(
                "{actor} commissioned {evaluator} to evaluate contract {contract}, round {round}"
            ),
            "performance.commission.reported": _(
                "{actor} delivered the third-party report “{report}” on contract {contract}, round {round}"
            ),
            "performance.survey.opened": _("{actor} opened the satisfaction survey “{title}” for contract {contract}"),
            "performance.survey.invited": _("{actor} issued {count} invitation codes for the survey “{title}”"),
            "performance.survey.closed": _("{actor} closed the satisfaction survey “{title}”"),
            "performance.consultation.opened": _("{actor} opened “{title}” for public comment until {closes_at}"),
            "performance.consultation.commented": _("A comment on “{title}” was received"),
            "performance.consultation.summarised": _(
                "{actor} published what was received and what was changed for “{title}”"
            ),
        }
        for code, sentence in sentences.items():
            register(code, sentence)
        register_formatter("performance.survey.answered", survey_answered)
        grades = dict(Grade.choices)
        register_labelled(
            "performance.consultation.moderated",
            _("{actor} moderated a comment on “{title}”: {status}"),
            status=dict(CommentStatus.choices),
        )
        register_labelled(
            "performance.round.opened",
            _("{actor} opened a {kind} evaluation of contract {contract}, round {round}"),
            kind=dict(RoundKind.choices),
        )
        register_labelled(
            "performance.round.scored",
            _("{actor} entered scores ({party}) for contract {contract}, round {round}: {indicators}"),
            party=dict(ScoredBy.choices),
        )
        register_labelled(
            "performance.round.finalised",
            _("{actor} finalised the evaluation of contract {contract}, round {round}: {total}, {grade}"),
            grade=grades,
        )
        register_labelled(
            "performance.round.reevaluated",
            _("{actor} re-evaluated contract {contract}, round {round}: {total}, {grade}"),
            grade=grades,
        )
        register_labelled(
            "performance.round.published",
            _("{actor} published the evaluation of contract {contract}, round {round}: {grade}"),
            grade=grades,
        )

        register_nav(
            NavEntry(
                label=_("Performance evaluations"), url_name="performance:rounds", visible=home.sees_rounds, order=55
            )
        )
        register_nav(
            NavEntry(
                label=_("Indicator templates"), url_name="performance:templates", visible=home.sees_rounds, order=56
            )
        )
        register_nav(
            NavEntry(
                label=_("Evaluation results"), url_name="performance-public:results", visible=home.always, order=57
            )
        )
        register_nav(
            NavEntry(
                label=_("Satisfaction surveys"), url_name="performance:surveys", visible=home.sees_surveys, order=58
            )
        )
        register_nav(
            NavEntry(
                label=_("Third-party commissions"),
                url_name="performance:commissions",
                visible=home.sees_commissions,
                order=59,
            )
        )
        register_nav(
            NavEntry(
                label=_("Key-project thresholds"),
                url_name="performance:thresholds",
                visible=home.edits_templates,
                order=60,
            )
        )
        # Deciding what to buy is planning's task, whichever app keeps the consultations.
        register_nav(
            NavEntry(
                label=_("Drafts opened for comment"),
                url_name="performance:consultations",
                visible=home.sees_consultations,
                order=45,
                group="plan",
            )
        )
        checks.register(check_survey_code_key, checks.Tags.security, deploy=True)
        evaluation_gate.register(feedback.milestone_evaluation_finalised)
        register_review_panel(feedback.service_grades_panel, order=40)
        register_review_panel(feedback.provider_grades_panel, order=41)
        register_home_section(home.self_assessment_section, order=60)
        register_home_section(home.consultations_section, order=64)
        register_home_section(home.reports_section, order=65)
        register_home_section(home.finalise_section, order=61)
        register_home_section(home.reevaluation_section, order=62)
        register_home_section(home.surveys_section, order=63)
